// --build: the objects a patch touches, built with the tree's own kbuild
// before and after the patch, for x86_64 and (with a cross compiler) arm64.
// One source copy (hard links to the base, symbolic links recreated to mean
// the same place in the copy, changed files written as new files by rename
// and never through a link, so the base is unreachable for writes) and one
// prepared build directory per
// architecture and set of Kconfig options (the migration's), reused for every
// patch and every run.
import { mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  buildDirName,
  buildObjects,
  compareWarnings,
  ensureBuildTools,
  kconfigOptions,
  KERNEL_ARCHES,
  planObjects,
  prepareBuild,
  readBuildConfig,
  type ArchKconfig,
  type KernelArch,
} from '../kbuild/index.js';
import { mirrorTree, writeInsideTree } from '../patch/index.js';

export interface BuildStep {
  ok: boolean;
  skipped?: string;
  arches: KernelArch[];
  problems: { path: string; line: number; code: string; message: string }[];
}

export class SeriesBuilder {
  private readonly src: string;
  private written = new Map<string, string | null>();
  private readonly cache = new Map<string, { ok: boolean; warnings: string[]; errors: string[] }>();
  private prepared = new Map<KernelArch, boolean>();
  private locked: string | undefined;
  readonly arches: KernelArch[];
  readonly missing: string[];

  constructor(
    private readonly base: string,
    private readonly workDir: string,
    private readonly candidates: readonly string[],
    /** The migration's Kconfig options per arch, on top of defconfig (kconfigOptions adds WERROR=n). */
    private readonly kconfig?: ArchKconfig,
  ) {
    this.src = join(workDir, 'src');
    // The host tools are needed for any build; each arch also needs its compiler.
    this.missing = ensureBuildTools([]).missing;
    this.arches = this.missing.length > 0 ? [] : KERNEL_ARCHES.filter((a) => ensureBuildTools([a]).ok);
  }

  /**
   * Take the work directory for this process: a second validate-series
   * --build on the same cache would overwrite the copy under the first.
   * Returns why it cannot, or undefined when it now holds the lock.
   */
  lock(): string | undefined {
    try {
      mkdirSync(this.workDir, { recursive: true });
    } catch (err) {
      // A cache that cannot be made (read-only, a file in the way, a full disk): no build, said why.
      return `cannot create the build cache ${this.workDir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
    }
    const path = join(this.workDir, 'lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(path, String(process.pid), { flag: 'wx' });
        this.locked = path;
        return undefined;
      } catch {
        const pid = Number(readFileSync(path, 'utf8').trim());
        if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return `another validate-series --build (pid ${pid}) is using ${this.workDir}`;
        unlinkSync(path); // a stale lock: its process is gone
      }
    }
    return `cannot take ${path}`;
  }

  unlock(): void {
    if (this.locked) rmSync(this.locked, { force: true });
    this.locked = undefined;
  }

  /** Make the source copy (hard links, written only by rename; links into the base point into the copy). */
  init(): void {
    rmSync(this.src, { recursive: true, force: true });
    mkdirSync(dirname(this.src), { recursive: true });
    mirrorTree(this.base, this.src, 'hardlink');
  }

  /** Put the copy in the state `changes` (laid over the base) describes. */
  setState(changes: ReadonlyMap<string, string | null>): void {
    const paths = new Set([...this.written.keys(), ...changes.keys()]);
    for (const p of paths) {
      const want = changes.has(p) ? changes.get(p)! : this.baseText(p);
      const have = this.written.has(p) ? this.written.get(p)! : this.baseText(p);
      if (want === have) continue;
      // Refuses a path through a symbolic link; replaces by rename (never writes into a hard link).
      writeInsideTree(this.src, p, want);
      this.written.set(p, want);
    }
  }

  private baseText(p: string): string | null {
    try {
      return readFileSync(join(this.base, p), 'utf8');
    } catch {
      return null;
    }
  }

  /** Build the objects that `touched` files map to, in the current state, per arch. */
  async build(stateKey: string, touched: readonly string[]): Promise<Map<KernelArch, Map<string, { ok: boolean; warnings: string[]; errors: string[] }>>> {
    const out = new Map<KernelArch, Map<string, { ok: boolean; warnings: string[]; errors: string[] }>>();
    for (const arch of this.arches) {
      // One build directory per arch and set of options: two migrations'
      // configs never share (and reconfigure) one directory.
      const options = kconfigOptions(arch, this.kconfig);
      const buildDir = join(this.workDir, 'build', buildDirName(arch, options));
      if (!this.prepared.get(arch)) {
        const prep = await prepareBuild({ srcDir: this.src, buildDir, arch, options });
        if (!prep.ok) throw new Error(`kbuild prepare failed for ${arch}:\n${prep.log.slice(-2000)}`);
        this.prepared.set(arch, true);
      }
      const config = readBuildConfig(buildDir);
      const plan = planObjects(touched, arch, { srcDir: this.src, candidates: this.candidates, ...(config ? { config } : {}) });
      const results = new Map<string, { ok: boolean; warnings: string[]; errors: string[] }>();
      const todo = plan.objects.filter((o) => !this.cache.has(`${stateKey}:${arch}:${o}`));
      if (todo.length > 0) {
        const res = await buildObjects({ srcDir: this.src, buildDir, arch, objects: todo });
        for (const r of res.results) this.cache.set(`${stateKey}:${arch}:${r.object}`, { ok: r.ok, warnings: r.warnings, errors: r.errors });
      }
      for (const o of plan.objects) results.set(o, this.cache.get(`${stateKey}:${arch}:${o}`)!);
      out.set(arch, results);
    }
    return out;
  }
}

/** Compare the builds before and after a patch: failures and new warnings are problems. */
export function compareBuilds(
  before: Map<KernelArch, Map<string, { ok: boolean; warnings: string[]; errors: string[] }>>,
  after: Map<KernelArch, Map<string, { ok: boolean; warnings: string[]; errors: string[] }>>,
): BuildStep['problems'] {
  const problems: BuildStep['problems'] = [];
  for (const [arch, objects] of after) {
    for (const [object, r] of objects) {
      const prev = before.get(arch)?.get(object);
      const src = object.replace(/\.o$/, '.c');
      if (!r.ok) {
        const first = r.errors[0] ?? 'build failed';
        problems.push({ path: src, line: diagnosticLine(first), code: 'build-failed', message: `${arch}: ${object} does not build: ${first}` });
        continue;
      }
      for (const w of compareWarnings(prev?.warnings ?? [], r.warnings)) {
        problems.push({ path: src, line: diagnosticLine(w), code: 'new-warning', message: `${arch}: ${object}: new warning: ${w}` });
      }
    }
  }
  return problems;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The line a compiler diagnostic (`file:line:col: …`) names; 0 when it names none. */
function diagnosticLine(diag: string): number {
  const m = /^[^:]+:(\d+):/.exec(diag);
  return m ? Number(m[1]) : 0;
}
