// Running make: the environment and command line of every kbuild call, and
// buildObjects, which compiles the objects a change touches in a prepared
// build dir and reports each one's warnings and errors.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { attributeDiagnostics } from './diagnostics.js';
import { crossCompileFor, type KernelArch } from './toolchain.js';

export const DEFAULT_JOBS = 2;

interface CommandResult {
  code: number;
  output: string;
}

/** The environment make runs in: English diagnostics with ASCII quotes, no inherited make state. */
function makeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // kbuild unexports LC_ALL, so gcc's language comes from these.
  env.LANG = 'C';
  env.LC_MESSAGES = 'C';
  env.LC_CTYPE = 'C';
  delete env.LC_ALL;
  for (const v of ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES', 'KBUILD_OUTPUT', 'KBUILD_VERBOSE', 'KCONFIG_CONFIG']) {
    delete env[v];
  }
  return env;
}

/**
 * Run a command with stdout and stderr on one pipe, so that make's
 * --output-sync keeps each object's "CC" line and its diagnostics together.
 */
export function runMerged(cmd: string, args: readonly string[], cwd: string): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', 'exec "$@" 2>&1', 'sh', cmd, ...args], {
      cwd,
      env: makeEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => chunks.push(b));
    child.on('error', (err) => resolve({ code: 127, output: `cannot run ${cmd}: ${err.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? -1, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

export function makeArgs(srcDir: string, buildDir: string, arch: KernelArch): string[] {
  const args = ['-C', path.resolve(srcDir), `O=${path.resolve(buildDir)}`, `ARCH=${arch}`];
  const cross = crossCompileFor(arch);
  if (cross) args.push(`CROSS_COMPILE=${cross}`);
  return args;
}

export function shellWords(words: readonly string[]): string {
  return words.map((w) => (/^[A-Za-z0-9_./=:+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export interface BuildOptions {
  srcDir: string;
  buildDir: string;
  arch: KernelArch;
  /** Objects relative to the tree's root, e.g. drivers/dma/idxd/init.o. */
  objects: readonly string[];
  jobs?: number;
}

export interface ObjectResult {
  object: string;
  ok: boolean;
  /** formatDiagnostic() of each warning, paths relative to the tree. */
  warnings: string[];
  /** Compiler errors, or why the object was not built. */
  errors: string[];
}

export interface BuildResult {
  ok: boolean;
  results: ObjectResult[];
  /** Diagnostics printed outside any requested object (e.g. while checking prepare). */
  other: string[];
  log: string;
  ms: number;
}

function checkObjectPath(object: string): string | undefined {
  if (path.isAbsolute(object) || object.split('/').includes('..') || !/^[A-Za-z0-9_./+-]+\.o$/.test(object)) {
    return `${object}: not an object path inside the tree (want e.g. drivers/dma/idxd/init.o)`;
  }
  return undefined;
}

/**
 * Build `objects` in a prepared build dir (see prepareBuild) with one
 * `make -k -jN -O <objects>`, and report each object's warnings and errors.
 *
 * Every object is deleted from buildDir first, so it is always compiled and
 * its warnings are always printed (make alone would skip an object that looks
 * up to date, for instance after a hard-linked tree was laid anew with older
 * times). An object is ok when make produced it and no error was printed for it.
 */
export async function buildObjects(opts: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const srcDir = path.resolve(opts.srcDir);
  const buildDir = path.resolve(opts.buildDir);
  const jobs = opts.jobs ?? DEFAULT_JOBS;
  const results = new Map<string, ObjectResult>();
  const toBuild: string[] = [];
  for (const object of new Set(opts.objects)) {
    const bad = checkObjectPath(object);
    const stem = object.slice(0, -2);
    const hasSource = !bad && (existsSync(path.join(srcDir, `${stem}.c`)) || existsSync(path.join(srcDir, `${stem}.S`)));
    if (bad || !hasSource) {
      results.set(object, { object, ok: false, warnings: [], errors: [bad ?? `${object}: no ${stem}.c or ${stem}.S in ${srcDir}`] });
      continue;
    }
    toBuild.push(object);
    await rm(path.join(buildDir, object), { force: true });
  }

  let log = '';
  let other: string[] = [];
  if (toBuild.length > 0) {
    const args = [...makeArgs(srcDir, buildDir, opts.arch), '-k', `-j${jobs}`, '--output-sync=target', ...toBuild];
    log += `$ ${shellWords(['make', ...args])}\n`;
    const r = await runMerged('make', args, srcDir);
    log += r.output;
    if (r.code !== 0) log += `exit status ${r.code}\n`;
    const attributed = attributeDiagnostics(r.output, toBuild, { srcDir, buildDir });
    other = attributed.other;
    for (const object of toBuild) {
      const found = attributed.perObject.get(object) ?? { warnings: [], errors: [], makeErrors: [] };
      const built = existsSync(path.join(buildDir, object));
      const errors = [...found.errors];
      if (!built && errors.length === 0) {
        errors.push(...(found.makeErrors.length > 0 ? found.makeErrors : [`${object}: not built (make exit status ${r.code}; see the log)`]));
      }
      results.set(object, { object, ok: built && errors.length === 0, warnings: found.warnings, errors });
    }
  }
  const ordered = [...new Set(opts.objects)].map((o) => results.get(o)).filter((r): r is ObjectResult => r !== undefined);
  return { ok: ordered.every((r) => r.ok), results: ordered, other, log, ms: performance.now() - started };
}
