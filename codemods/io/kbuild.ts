// Building kernel objects with the tree's own kbuild, to prove that a
// rewritten file still compiles and adds no warnings.
//
// Out-of-tree builds only (`make O=<buildDir>`): the source tree is never
// written to, so it may be a hard-linked copy of a read-only tree, and one
// prepared build dir per arch serves every patch of a series:
//
//   prepareBuild  once per arch: defconfig, the options of kconfigOptions(),
//                 olddefconfig, prepare (reused when nothing changed)
//   buildObjects  per state of the tree: only the touched objects, each
//                 forced to recompile so that its warnings are seen
//   compareWarnings  what the after-state adds to the before-state
//
// This module returns data and never prints; the caller decides what to show.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

export type KernelArch = 'x86_64' | 'arm64';
export const KERNEL_ARCHES: readonly KernelArch[] = ['x86_64', 'arm64'];

const DEFAULT_JOBS = 2;
const STAMP = '.kmigrate-prepare.json';

// ---------------------------------------------------------------------------
// Toolchain

/** kbuild's SRCARCH: the folder under arch/. */
export function srcArch(arch: KernelArch): string {
  return arch === 'x86_64' ? 'x86' : 'arm64';
}

/** The CROSS_COMPILE prefix for `arch` on this host ('' when native). */
export function crossCompileFor(arch: KernelArch, hostArch: string = process.arch): string {
  if (arch === 'x86_64') return hostArch === 'x64' ? '' : 'x86_64-linux-gnu-';
  return hostArch === 'arm64' ? '' : 'aarch64-linux-gnu-';
}

function findExecutable(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

export interface ToolCheck {
  ok: boolean;
  /** Commands not found on PATH. */
  missing: string[];
}

/**
 * Are the programs that kbuild needs on PATH? make, gcc, flex, bison, bc, and
 * the cross compiler of every arch in `arches` (by default both, so on an
 * x86_64 host aarch64-linux-gnu-gcc). Checks only; installs nothing.
 */
export function ensureBuildTools(arches: readonly KernelArch[] = KERNEL_ARCHES): ToolCheck {
  const tools = ['make', 'gcc', 'flex', 'bison', 'bc'];
  for (const arch of arches) {
    const cross = crossCompileFor(arch);
    if (cross) tools.push(`${cross}gcc`);
  }
  const missing = tools.filter((t) => !findExecutable(t));
  return { ok: missing.length === 0, missing };
}

// ---------------------------------------------------------------------------
// Configuration

/** Kconfig options per architecture, on top of defconfig (a migration's `kconfig`). */
export type ArchKconfig = { readonly [A in KernelArch]?: readonly string[] };

/**
 * The options a build is configured with: defconfig, then `kconfig`'s list
 * for `arch` (what makes the migration's drivers real: a migration knows,
 * kbuild does not), then WERROR=n. `NAME` or `NAME=y` enables, `NAME=m`
 * makes a module, `NAME=n` disables. Without `kconfig` the build is plain
 * defconfig (the one config every tree has): objects defconfig does not
 * build are left out by planObjects, not failed.
 *
 * WERROR=n always: x86_64's defconfig turns it on, and then a new warning
 * stops the build instead of being reported and compared.
 */
export function kconfigOptions(arch: KernelArch, kconfig?: ArchKconfig): string[] {
  return [...(kconfig?.[arch] ?? []), 'WERROR=n'];
}

/**
 * The name of the build directory for `arch` configured with `options`:
 * `x86_64-<12 hex>`. Different options get different directories, so builds
 * for two migrations do not reconfigure (and rebuild) one directory in turn;
 * the stamp inside (prepareBuild) still checks everything else.
 */
export function buildDirName(arch: KernelArch, options: readonly string[]): string {
  return `${arch}-${sha256([...options].sort().join('\n')).slice(0, 12)}`;
}

interface OptionWant {
  name: string;
  value: 'y' | 'm' | 'n';
}

function parseOption(option: string): OptionWant {
  const m = /^(?:CONFIG_)?([A-Za-z0-9_]+)(?:=([ymn]))?$/.exec(option.trim());
  if (!m || !m[1]) throw new Error(`bad Kconfig option ${JSON.stringify(option)} (want NAME, NAME=y, NAME=m or NAME=n)`);
  return { name: m[1], value: (m[2] as OptionWant['value'] | undefined) ?? 'y' };
}

/** `CONFIG_X=v` lines and `# CONFIG_X is not set` (as 'n'), keyed without the CONFIG_ prefix. */
export function parseKconfig(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const set = /^CONFIG_([A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (set?.[1] !== undefined) {
      values.set(set[1], set[2] ?? '');
      continue;
    }
    const unset = /^# CONFIG_([A-Za-z0-9_]+) is not set$/.exec(line);
    if (unset?.[1] !== undefined) values.set(unset[1], 'n');
  }
  return values;
}

/** The .config of a build dir, parsed; undefined when there is none. */
export function readBuildConfig(buildDir: string): Map<string, string> | undefined {
  const file = path.join(buildDir, '.config');
  return existsSync(file) ? parseKconfig(readFileSync(file, 'utf8')) : undefined;
}

/** Options of `options` that `config` does not have as asked ('m' accepts 'y': a select may force it). */
function unmetOptions(config: ReadonlyMap<string, string>, options: readonly string[]): string[] {
  const unmet: string[] = [];
  for (const option of options) {
    const want = parseOption(option);
    const have = config.get(want.name) ?? 'n';
    const ok = want.value === 'n' ? have === 'n' : want.value === 'm' ? have === 'm' || have === 'y' : have === 'y';
    if (!ok) unmet.push(`${want.name}=${want.value} (have ${have === 'n' ? 'not set' : have})`);
  }
  return unmet;
}

// ---------------------------------------------------------------------------
// Running make

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
function runMerged(cmd: string, args: readonly string[], cwd: string): Promise<CommandResult> {
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

function makeArgs(srcDir: string, buildDir: string, arch: KernelArch): string[] {
  const args = ['-C', path.resolve(srcDir), `O=${path.resolve(buildDir)}`, `ARCH=${arch}`];
  const cross = crossCompileFor(arch);
  if (cross) args.push(`CROSS_COMPILE=${cross}`);
  return args;
}

function shellWords(words: readonly string[]): string {
  return words.map((w) => (/^[A-Za-z0-9_./=:+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

// ---------------------------------------------------------------------------
// prepareBuild

export interface PrepareOptions {
  srcDir: string;
  buildDir: string;
  arch: KernelArch;
  /** Kconfig options on top of defconfig; default kconfigOptions(arch): only WERROR=n. */
  options?: readonly string[];
  /** make -j; default 2. */
  jobs?: number;
}

export interface PrepareResult {
  ok: boolean;
  /** True when an already prepared buildDir was kept as it was. */
  reused: boolean;
  /** Every command run and its output; on failure, the reason at the end. */
  log: string;
  /** Options the final .config does not have (their Kconfig dependencies are unmet). */
  unmetOptions: string[];
  ms: number;
}

interface PrepareStamp {
  version: 1;
  arch: KernelArch;
  options: string[];
  /** sha256 of the inputs that decide the .config: top Makefile, the arch's defconfig, the compiler. */
  inputs: string;
  /** sha256 of the .config that prepare ran with. */
  config: string;
  srcDir: string;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function defconfigFile(srcDir: string, arch: KernelArch): string {
  return arch === 'x86_64'
    ? path.join(srcDir, 'arch', 'x86', 'configs', 'x86_64_defconfig')
    : path.join(srcDir, 'arch', 'arm64', 'configs', 'defconfig');
}

async function compilerVersion(arch: KernelArch): Promise<string> {
  const r = await runMerged(`${crossCompileFor(arch)}gcc`, ['--version'], process.cwd());
  return r.output.split('\n')[0] ?? '';
}

async function prepareInputs(srcDir: string, arch: KernelArch): Promise<string> {
  const parts = [
    await readFile(path.join(srcDir, 'Makefile')),
    await readFile(defconfigFile(srcDir, arch)),
    Buffer.from(await compilerVersion(arch)),
  ];
  return sha256(Buffer.concat(parts.flatMap((p) => [p, Buffer.from('\0')])));
}

async function readStamp(buildDir: string): Promise<PrepareStamp | undefined> {
  try {
    return JSON.parse(await readFile(path.join(buildDir, STAMP), 'utf8')) as PrepareStamp;
  } catch {
    return undefined;
  }
}

/** "x86" or "arm64" from the first lines of a .config ("# Linux/x86 6.1.192 Kernel Configuration"). */
function configArch(buildDir: string): string | undefined {
  try {
    const head = readFileSync(path.join(buildDir, '.config'), 'utf8').slice(0, 400);
    return /# Linux\/(\S+) /.exec(head)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Configure and prepare an out-of-tree build dir: `make defconfig`, the
 * options (via the tree's scripts/config), `make olddefconfig`, check that
 * every option took, `make prepare`.
 *
 * Reuse: a stamp in buildDir records the arch, the options, a hash of what
 * decides the .config (top Makefile, defconfig, compiler version) and a hash
 * of the .config itself. When all of these match and the generated headers
 * exist, nothing is run. The source dir may differ from the one the dir was
 * prepared with (kbuild follows its own dependency files).
 * A build dir configured for another arch is first cleaned with
 * `make mrproper` (kbuild's own cleaning; nothing else is deleted).
 */
export async function prepareBuild(opts: PrepareOptions): Promise<PrepareResult> {
  const started = performance.now();
  const srcDir = path.resolve(opts.srcDir);
  const buildDir = path.resolve(opts.buildDir);
  const options = [...(opts.options ?? kconfigOptions(opts.arch))];
  const jobs = opts.jobs ?? DEFAULT_JOBS;
  let log = '';
  const done = (ok: boolean, reused: boolean, unmet: string[] = []): PrepareResult => ({
    ok,
    reused,
    log,
    unmetOptions: unmet,
    ms: performance.now() - started,
  });

  for (const o of options) parseOption(o); // throws on a malformed option
  if (!existsSync(path.join(srcDir, 'Makefile'))) {
    log += `no kernel tree at ${srcDir} (no Makefile)\n`;
    return done(false, false);
  }
  await mkdir(buildDir, { recursive: true });

  const inputs = await prepareInputs(srcDir, opts.arch);
  const stamp = await readStamp(buildDir);
  const configPath = path.join(buildDir, '.config');
  const wanted = { arch: opts.arch, options: [...options].sort(), inputs };
  if (
    stamp &&
    stamp.version === 1 &&
    stamp.arch === wanted.arch &&
    stamp.inputs === wanted.inputs &&
    JSON.stringify(stamp.options) === JSON.stringify(wanted.options) &&
    existsSync(configPath) &&
    sha256(await readFile(configPath)) === stamp.config &&
    existsSync(path.join(buildDir, 'include', 'generated', 'autoconf.h')) &&
    existsSync(path.join(buildDir, 'include', 'config', 'auto.conf'))
  ) {
    log += `reusing ${buildDir}: prepared for ${opts.arch} with the same .config\n`;
    return done(true, true);
  }

  await rm(path.join(buildDir, STAMP), { force: true });
  const base = makeArgs(srcDir, buildDir, opts.arch);
  const step = async (cmd: string, args: string[]): Promise<boolean> => {
    log += `$ ${shellWords([cmd, ...args])}\n`;
    const r = await runMerged(cmd, args, srcDir);
    log += r.output;
    if (r.code !== 0) log += `exit status ${r.code}\n`;
    return r.code === 0;
  };

  // A dir configured for another arch is cleaned first (kbuild's own mrproper,
  // nothing else is deleted); other changes kbuild follows by itself.
  const previous = configArch(buildDir);
  const previousArch = previous === undefined ? undefined : previous === 'x86' ? 'x86_64' : previous;
  if (previousArch !== undefined && previousArch !== opts.arch) {
    const args = ['-C', srcDir, `O=${buildDir}`, `ARCH=${previousArch}`, 'mrproper'];
    if (!(await step('make', args))) return done(false, false);
  }
  if (!(await step('make', [...base, 'defconfig']))) return done(false, false);

  const configArgs = ['--file', configPath];
  for (const o of options) {
    const { name, value } = parseOption(o);
    configArgs.push(value === 'y' ? '-e' : value === 'm' ? '-m' : '-d', name);
  }
  if (!(await step('bash', [path.join(srcDir, 'scripts', 'config'), ...configArgs]))) return done(false, false);
  if (!(await step('make', [...base, 'olddefconfig']))) return done(false, false);

  const config = readBuildConfig(buildDir) ?? new Map<string, string>();
  const unmet = unmetOptions(config, options);
  if (unmet.length > 0) {
    log += `after olddefconfig these options are not as asked (unmet Kconfig dependencies?): ${unmet.join(', ')}\n`;
    return done(false, false, unmet);
  }
  if (!(await step('make', [...base, `-j${jobs}`, 'prepare']))) return done(false, false);

  const newStamp: PrepareStamp = {
    version: 1,
    ...wanted,
    config: sha256(await readFile(configPath)),
    srcDir,
  };
  await writeFile(path.join(buildDir, STAMP), `${JSON.stringify(newStamp, null, 2)}\n`);
  return done(true, false);
}

// ---------------------------------------------------------------------------
// Diagnostics

export interface Diagnostic {
  /** Relative to the source (or build) dir when inside it; as printed otherwise (e.g. "cc1"). */
  file: string;
  line?: number;
  column?: number;
  severity: 'warning' | 'error';
  message: string;
}

export interface PathRoots {
  srcDir?: string;
  buildDir?: string;
}

// file:line:col: severity: message   (gcc; line and col optional: "cc1: warning: …",
// objtool's "drivers/x.o: warning: objtool: f()+0x1: …")
const DIAGNOSTIC_RE = /^([^\s:][^:]*?)(?::(\d+))?(?::(\d+))?: (warning|error|fatal error): (.*)$/;

function rootPrefixes(roots: PathRoots): string[] {
  const prefixes: string[] = [];
  for (const dir of [roots.srcDir, roots.buildDir]) {
    if (!dir) continue;
    const abs = path.resolve(dir);
    prefixes.push(`${abs}/`);
    try {
      const real = realpathSync(abs);
      if (real !== abs) prefixes.push(`${real}/`);
    } catch {
      // does not exist (tests)
    }
  }
  return prefixes;
}

function relativize(file: string, prefixes: readonly string[]): string {
  for (const p of prefixes) if (file.startsWith(p)) return file.slice(p.length);
  return file.startsWith('./') ? file.slice(2) : file;
}

/** gcc's quotes are typographic in UTF-8 locales; compare them as ASCII. */
function plainQuotes(s: string): string {
  return s.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"');
}

/** One diagnostic line, or undefined when the line is not one (context, source excerpts, make's own lines). */
export function parseDiagnosticLine(line: string, roots: PathRoots = {}): Diagnostic | undefined {
  const m = DIAGNOSTIC_RE.exec(line.replace(/\x1b\[[0-9;]*[mK]/g, ''));
  if (!m || m[1] === undefined || m[4] === undefined || m[5] === undefined) return undefined;
  if (/^make(\[\d+\])?$/.test(m[1])) return undefined;
  const d: Diagnostic = {
    file: relativize(m[1], rootPrefixes(roots)),
    severity: m[4] === 'warning' ? 'warning' : 'error',
    message: plainQuotes(m[5]),
  };
  if (m[2] !== undefined) d.line = Number(m[2]);
  if (m[3] !== undefined) d.column = Number(m[3]);
  return d;
}

/** All diagnostics of a build log, in order. */
export function parseDiagnostics(output: string, roots: PathRoots = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const line of output.split('\n')) {
    const d = parseDiagnosticLine(line, roots);
    if (d) out.push(d);
  }
  return out;
}

/** "file:line:col: warning: message", the form gcc prints and editors read. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file, d.line, d.column].filter((x) => x !== undefined).join(':');
  return `${where}: ${d.severity}: ${d.message}`;
}

// ---------------------------------------------------------------------------
// buildObjects

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

/** A kbuild quiet-mode command line: "  CC      drivers/x.o", "  CC [M]  drivers/x.o". */
const KBUILD_STEP_RE = /^ {2}([A-Z0-9_]+(?: \[M\])?) +(\S+)$/;
/** make[3]: *** [scripts/Makefile.build:250: drivers/x.o] Error 1 */
const MAKE_ERROR_RE = /^make(?:\[\d+\])?: \*\*\* \[[^\]]*?:\s*([^\]\s]+)\] Error \d+/;
/** make[3]: *** No rule to make target 'drivers/x.o'. */
const NO_RULE_RE = /^make(?:\[\d+\])?: \*\*\* No rule to make target '([^']+)'/;

/**
 * Split a build log (make -O, stdout and stderr merged) into diagnostics per
 * requested object: each object's diagnostics follow its kbuild "CC <object>"
 * line. Exported for tests.
 */
export function attributeDiagnostics(
  output: string,
  objects: readonly string[],
  roots: PathRoots = {},
): { perObject: Map<string, { warnings: string[]; errors: string[]; makeErrors: string[] }>; other: string[] } {
  const perObject = new Map<string, { warnings: string[]; errors: string[]; makeErrors: string[] }>();
  for (const o of objects) perObject.set(o, { warnings: [], errors: [], makeErrors: [] });
  const other: string[] = [];
  let current: string | undefined;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const step = KBUILD_STEP_RE.exec(line);
    if (step?.[2] !== undefined) {
      current = perObject.has(step[2]) ? step[2] : undefined;
      continue;
    }
    const makeError = MAKE_ERROR_RE.exec(line) ?? NO_RULE_RE.exec(line);
    if (makeError?.[1] !== undefined) {
      const bucket = perObject.get(makeError[1]);
      if (bucket) bucket.makeErrors.push(line.trim());
      continue;
    }
    const d = parseDiagnosticLine(line, roots);
    if (!d) continue;
    const bucket = current === undefined ? undefined : perObject.get(current);
    const text = formatDiagnostic(d);
    if (!bucket) other.push(text);
    else if (d.severity === 'warning') bucket.warnings.push(text);
    else bucket.errors.push(text);
  }
  return { perObject, other };
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

// ---------------------------------------------------------------------------
// compareWarnings

function warningKey(text: string): string {
  const d = parseDiagnosticLine(text);
  return d ? `${d.file}\0${d.severity}\0${d.message}` : text;
}

/**
 * The warnings of `after` that `before` does not account for. Warnings are
 * compared by file, severity and message, not by line and column (a patch
 * moves lines), and counted: a second identical warning in the same file is new.
 */
export function compareWarnings(before: readonly string[], after: readonly string[]): string[] {
  const budget = new Map<string, number>();
  for (const w of before) budget.set(warningKey(w), (budget.get(warningKey(w)) ?? 0) + 1);
  const added: string[] = [];
  for (const w of after) {
    const k = warningKey(w);
    const left = budget.get(k) ?? 0;
    if (left > 0) budget.set(k, left - 1);
    else added.push(w);
  }
  return added;
}

// ---------------------------------------------------------------------------
// objectsFor: which objects a set of changed files touches

export interface ObjectsForOptions {
  /** The tree's root; needed to find a header's users and to read kbuild Makefiles. */
  srcDir?: string;
  /** More .c files (relative to the root) that may include a changed header, e.g. the API's known users. */
  candidates?: readonly string[];
  /**
   * The build's Kconfig values (readBuildConfig(buildDir)). With it (and
   * srcDir), objects that kbuild would not build with this config are left out.
   */
  config?: ReadonlyMap<string, string>;
}

export interface ObjectPlan {
  objects: string[];
  skipped: { path: string; reason: string }[];
}

function posix(p: string): string {
  const n = path.posix.normalize(p.replace(/\\/g, '/'));
  return n.startsWith('./') ? n.slice(2) : n;
}

function isIncludeDir(dir: string): boolean {
  return dir === 'include' || dir.startsWith('include/') || /^arch\/[^/]+\/include(\/|$)/.test(dir);
}

class IncludeGraph {
  private readonly direct = new Map<string, string[]>();
  private readonly reaches = new Map<string, boolean>();

  constructor(
    private readonly srcDir: string,
    private readonly srcarch: string,
  ) {}

  /** The tree files a file's #include lines name (quoted: its own folder first; angle: include/ and the arch's include/). */
  private includes(file: string): string[] {
    const cached = this.direct.get(file);
    if (cached) return cached;
    let text = '';
    try {
      text = readFileSync(path.join(this.srcDir, file), 'latin1');
    } catch {
      // unreadable: no includes
    }
    const found: string[] = [];
    for (const m of text.matchAll(/^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]/gm)) {
      const name = m[2] ?? '';
      const dirs = m[1] === '"' ? [path.posix.dirname(file)] : [];
      dirs.push('include', `arch/${this.srcarch}/include`, 'include/uapi', `arch/${this.srcarch}/include/uapi`);
      for (const d of dirs) {
        const candidate = posix(path.posix.join(d, name));
        if (!candidate.startsWith('../') && existsSync(path.join(this.srcDir, candidate))) {
          found.push(candidate);
          break;
        }
      }
    }
    this.direct.set(file, found);
    return found;
  }

  /** Does `file` include `header`, directly or through other headers of the tree (depth ≤ 8)? */
  includesHeader(file: string, header: string): boolean {
    const seen = new Set<string>();
    const visit = (f: string, depth: number): boolean => {
      const key = `${f}\0${header}`;
      const known = this.reaches.get(key);
      if (known !== undefined) return known;
      if (seen.has(f) || depth > 8) return false;
      seen.add(f);
      const result = this.includes(f).some((inc) => inc === header || visit(inc, depth + 1));
      // Memoize only full answers (a cut by `seen` or depth is not one).
      if (result) this.reaches.set(key, true);
      return result;
    };
    return visit(file, 0);
  }
}

type Enabled = { built: true } | { built: false; reason: string } | { built: 'unknown' };

interface ParsedKbuild {
  /** Expanded variable values. */
  vars: Map<string, string[]>;
  /** Every word seen on the right of an assignment → the raw left-hand sides it was seen under. */
  mentions: Map<string, string[]>;
  text: string;
  file: string;
}

/**
 * A small reading of a kbuild Makefile: assignments (=, :=, +=, ?=) with
 * $(CONFIG_X) and $(var) expanded, and ifdef/ifndef/ifeq/ifneq on CONFIG
 * values; any other conditional is taken as true. Functions such as
 * $(addprefix …) are not expanded (objects behind them come out "unknown").
 */
function parseKbuildMakefile(srcDir: string, dir: string, config: ReadonlyMap<string, string>): ParsedKbuild | undefined {
  let file = '';
  let text = '';
  for (const name of ['Kbuild', 'Makefile']) {
    const candidate = path.posix.join(dir, name);
    try {
      text = readFileSync(path.join(srcDir, candidate), 'utf8');
      file = candidate;
      break;
    } catch {
      // try the next name
    }
  }
  if (!file) return undefined;
  const value = (name: string): string => {
    const v = config.get(name.replace(/^CONFIG_/, ''));
    return v === undefined || v === 'n' ? '' : v;
  };
  const vars = new Map<string, string[]>();
  const mentions = new Map<string, string[]>();
  const expand = (s: string): string =>
    s.replace(/\$\(([A-Za-z0-9_.-]+)\)/g, (whole, name: string) =>
      name.startsWith('CONFIG_') ? value(name) : vars.has(name) ? (vars.get(name) ?? []).join(' ') : whole,
    );
  const evalCond = (kind: string, arg: string): boolean | undefined => {
    if (kind === 'ifdef' || kind === 'ifndef') {
      const name = arg.trim();
      if (!name.startsWith('CONFIG_')) return undefined;
      return (value(name) !== '') === (kind === 'ifdef');
    }
    const m = /^\(\s*([^,]*?)\s*,\s*([^)]*?)\s*\)$/.exec(arg.trim());
    if (!m) return undefined;
    const a = expand(m[1] ?? '');
    const b = expand(m[2] ?? '');
    if (/\$\(/.test(a + b)) return undefined;
    return (a === b) === (kind === 'ifeq');
  };
  // A stack of conditionals: false when that branch is surely not taken.
  const stack: { cond: boolean | undefined; inElse: boolean }[] = [];
  const active = (): boolean =>
    stack.every((s) => (s.cond === undefined ? true : s.inElse ? !s.cond : s.cond));
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const rawLine of lines) {
    const line = rawLine.replace(/(^|[^\\])#.*$/, '$1').trim();
    if (!line) continue;
    const cond = /^(ifdef|ifndef|ifeq|ifneq)\s+(.*)$/.exec(line);
    if (cond?.[1] && cond[2] !== undefined) {
      stack.push({ cond: evalCond(cond[1], cond[2]), inElse: false });
      continue;
    }
    if (/^else\b/.test(line)) {
      const top = stack[stack.length - 1];
      if (top) top.inElse = true;
      continue;
    }
    if (/^endif\b/.test(line)) {
      stack.pop();
      continue;
    }
    const assign = /^([A-Za-z0-9_.$()/-]+)\s*(\+=|:=|\?=|=)\s*(.*)$/.exec(line);
    if (!assign?.[1] || !assign[2]) continue;
    const lhs = expand(assign[1]);
    const words = expand(assign[3] ?? '')
      .split(/\s+/)
      .filter(Boolean);
    // In a branch not taken, a word is mentioned (so known not built) but assigns nothing.
    const under = active() ? assign[1] : `${assign[1]} (in a conditional branch not taken)`;
    for (const w of words) mentions.set(w, [...(mentions.get(w) ?? []), under]);
    if (!active()) continue;
    if (assign[2] === '+=') vars.set(lhs, [...(vars.get(lhs) ?? []), ...words]);
    else if (assign[2] === '?=') {
      if (!vars.has(lhs)) vars.set(lhs, words);
    } else vars.set(lhs, words);
  }
  return { vars, mentions, text, file };
}

/** Is `name` (an object "x.o" or a folder "x/") built by the Makefile of `dir` with `config`? */
function enabledIn(parsed: ParsedKbuild, name: string, depth = 0): Enabled {
  const get = (v: string): string[] => parsed.vars.get(v) ?? [];
  const built = new Set([...get('obj-y'), ...get('obj-m'), ...get('lib-y'), ...get('subdir-y'), ...get('subdir-m')]);
  if (built.has(name)) return { built: true };
  if (name.endsWith('.o')) {
    // Part of a composite object: foo-y, foo-m, foo-objs of a built foo.o.
    for (const composite of built) {
      if (!composite.endsWith('.o')) continue;
      const stem = composite.slice(0, -2);
      const parts = [...get(`${stem}-y`), ...get(`${stem}-m`), ...get(`${stem}-objs`)];
      if (parts.includes(name)) return { built: true };
    }
  }
  const bare = name.replace(/\/$/, '');
  if (name.endsWith('.o') && depth < 4) {
    // Part of a composite object that is itself not built: say so.
    for (const [variable, parts] of parsed.vars) {
      const stem = /^(.+)-(?:y|m|objs)$/.exec(variable)?.[1];
      if (stem === undefined || !parts.includes(name)) continue;
      const parent = enabledIn(parsed, `${stem}.o`, depth + 1);
      if (parent.built === false) return { built: false, reason: `${name} is part of ${stem}.o; ${parent.reason}` };
    }
  }
  const under = parsed.mentions.get(name) ?? parsed.mentions.get(bare);
  if (under) return { built: false, reason: `${name} is listed under ${[...new Set(under)].join(', ')} in ${parsed.file}, not built with this .config` };
  // Never seen as a word: either really not built here, or hidden behind a function we do not expand.
  const pattern = new RegExp(`(^|[\\s/=])${bare.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.o|/)?(\\s|$)`, 'm');
  if (pattern.test(parsed.text)) return { built: 'unknown' };
  return { built: false, reason: `${name} is not in ${parsed.file}` };
}

/**
 * Would kbuild build `object` with `config`? Reads the Makefile of the
 * object's folder, then each parent's for the folder ("name/"), up to a
 * top-level folder (drivers/, kernel/, …: always descended into) or the
 * arch's own folder.
 */
function kbuildBuilds(
  srcDir: string,
  object: string,
  arch: KernelArch,
  config: ReadonlyMap<string, string>,
  cache: Map<string, ParsedKbuild | undefined>,
): Enabled {
  const archRoot = `arch/${srcArch(arch)}`;
  let dir = path.posix.dirname(object);
  let name = path.posix.basename(object);
  for (;;) {
    if (dir === '.' || dir === '') return { built: true };
    if (dir === 'arch') {
      return name === `${srcArch(arch)}/` ? { built: true } : { built: false, reason: `arch/${name} is not ${arch}'s` };
    }
    if (!cache.has(dir)) cache.set(dir, parseKbuildMakefile(srcDir, dir, config));
    const parsed = cache.get(dir);
    if (!parsed) return { built: 'unknown' };
    const e = enabledIn(parsed, name);
    if (e.built !== true) return e;
    if (!dir.includes('/') || dir === archRoot) return { built: true };
    name = `${path.posix.basename(dir)}/`;
    dir = path.posix.dirname(dir);
  }
}

/**
 * Which objects the changed `paths` touch on `arch`, and why others are left out.
 *
 * The rule, kept simple on purpose:
 *   - a changed .c or .S file is its own object (x.c → x.o);
 *   - a changed header touches the .c files, among the candidates, that
 *     #include it (directly or through other headers of the tree); the
 *     candidates are the changed .c files, `options.candidates` (for example
 *     the API's known users), and, for a header outside include/ and
 *     arch/×/include/ (a driver's private header), every .c file in the
 *     header's own folder;
 *   - files under another arch's arch/ folder, and host code in scripts/ and
 *     tools/, are left out;
 *   - with `options.config`, an object that kbuild's Makefiles do not build
 *     with that config is left out (read from obj-$(CONFIG_…) lines; an
 *     object the reading cannot decide is kept).
 * Other files (Kconfig, Makefiles, docs) touch no object.
 */
export function planObjects(paths: readonly string[], arch: KernelArch, options: ObjectsForOptions = {}): ObjectPlan {
  const objects = new Set<string>();
  const skipped: ObjectPlan['skipped'] = [];
  const srcarch = srcArch(arch);
  const changed = paths.map(posix);
  const sources = changed.filter((p) => /\.[cS]$/.test(p));
  const graph = options.srcDir ? new IncludeGraph(options.srcDir, srcarch) : undefined;

  const wantSource = (file: string, why: string): void => {
    const archDir = /^arch\/([^/]+)\//.exec(file)?.[1];
    if (archDir !== undefined && archDir !== srcarch) {
      skipped.push({ path: file, reason: `${why}: under arch/${archDir}/, not built for ${arch}` });
      return;
    }
    if (/^(scripts|tools)\//.test(file)) {
      skipped.push({ path: file, reason: `${why}: host code, not a kernel object` });
      return;
    }
    objects.add(file.replace(/\.[cS]$/, '.o'));
  };

  for (const file of sources) wantSource(file, file);

  for (const header of changed.filter((p) => p.endsWith('.h'))) {
    if (!graph || !options.srcDir) {
      skipped.push({ path: header, reason: 'header: no source dir given to find the files that include it' });
      continue;
    }
    const candidates = new Set<string>([...sources, ...(options.candidates ?? []).map(posix).filter((p) => p.endsWith('.c'))]);
    const dir = path.posix.dirname(header);
    if (!isIncludeDir(dir)) {
      try {
        for (const entry of readdirSync(path.join(options.srcDir, dir))) {
          if (entry.endsWith('.c')) candidates.add(path.posix.join(dir, entry));
        }
      } catch {
        // the folder is gone: only the other candidates
      }
    }
    const users = [...candidates].filter((c) => graph.includesHeader(c, header));
    if (users.length === 0) skipped.push({ path: header, reason: 'header: no candidate .c file includes it' });
    for (const user of users.sort()) wantSource(user, `${user} (includes ${header})`);
  }

  let result = [...objects];
  if (options.config && options.srcDir) {
    const cache = new Map<string, ParsedKbuild | undefined>();
    result = result.filter((object) => {
      const e = kbuildBuilds(options.srcDir as string, object, arch, options.config as ReadonlyMap<string, string>, cache);
      if (e.built === false) skipped.push({ path: object, reason: e.reason });
      return e.built !== false;
    });
  }
  return { objects: result.sort(), skipped };
}

/** The objects of planObjects(), without the reasons for what was left out. */
export function objectsFor(paths: readonly string[], arch: KernelArch, options: ObjectsForOptions = {}): string[] {
  return planObjects(paths, arch, options).objects;
}
