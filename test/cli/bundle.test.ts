// The installed command is a bundle of the compiled modules
// (scripts/bundle.mjs): made here from dist (npm ci builds it) into a
// folder of its own, it must do what the sources do, finding its worker
// script, its migration files and its models from wherever it lies.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const DIST = join(REPO, 'dist');
const DEMO = join(REPO, 'samples', 'iommu-sva-bind-flags', 'demo', 'before');

let entry: string;

/** Folders the tests make under the system's temporary folder, removed at the end. */
const scratch: string[] = [];
const scratchDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  if (!existsSync(join(DIST, 'codemods', 'cli', 'bin.js'))) throw new Error('dist/ has no compiled command: run `npm run build` (npm ci does) before the tests');
  const { bundle } = (await import(join(REPO, 'scripts', 'bundle.mjs'))) as { bundle(dist: string, outdir: string): Promise<string> };
  entry = await bundle(DIST, join(scratchDir('kmigrate-bundle-'), 'out'));
}, 60_000);

/** The bundle run as a process; the summary's wall time taken out. */
function runBundle(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [entry, ...args], { cwd: REPO, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: untimed(r.stderr) };
}

const untimed = (s: string) => s.replace(/\(\d+\.\d+ s\)/g, '(time)');

describe('the bundled command', () => {
  it('gives the diff the sources give, with and without a worker thread', async () => {
    const sources = await runCli(['run', 'iommu-sva-bind-flags', '-C', DEMO, '--jobs', '1'], REPO);
    expect(sources.stdout).toContain('+++ b/');
    for (const jobs of ['1', '2']) {
      const r = runBundle(['run', 'iommu-sva-bind-flags', '-C', DEMO, '--jobs', jobs]);
      expect(r).toEqual({ code: sources.code, stdout: sources.stdout, stderr: untimed(sources.stderr) });
    }
  });

  it('loads the model for --format json and lists the bundled migrations', async () => {
    const json = runBundle(['run', 'iommu-sva-bind-flags', '-C', DEMO, '--format', 'json']);
    const mine = JSON.parse(json.stdout) as { sites: { verdict?: string }[] };
    const theirs = JSON.parse((await runCli(['run', 'iommu-sva-bind-flags', '-C', DEMO, '--format', 'json'], REPO)).stdout) as typeof mine;
    expect(mine.sites).toEqual(theirs.sites);
    expect(mine.sites.some((s) => s.verdict === 'equivalent')).toBe(true);
    expect(runBundle(['list']).stdout).toBe((await runCli(['list'], REPO)).stdout);
  });

  it('holds what worker threads load: they never load the compiled modules beside it', () => {
    const out = dirname(entry);
    const texts = readdirSync(out)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(out, f), 'utf8'));
    const urls = texts.flatMap((t) => [...t.matchAll(/new URL\("([^"]+)", import\.meta\.url\)/g)].map((m) => m[1]!));
    // The worker script, the module that builds a migration file in a
    // thread, and the flagship's steps: each named as a file of the bundle.
    for (const file of ['scan-worker.js', 'worker-entry.js', 'iommu-sva-bind-flags.js']) {
      expect(urls).toContain(`./${file}`);
      expect(existsSync(join(out, file))).toBe(true);
    }
    expect(urls.filter((u) => u.includes('codemods/') && /scan-worker\.js$|worker-entry\.js$|iommu-sva-bind-flags\/index\.js$/.test(u))).toEqual([]);
  });

  it('gives the same diff once the compiled modules that worker threads could load are gone (the URLs above name its own)', () => {
    const pkg = scratchDir('kmigrate-alone-');
    cpSync(DIST, join(pkg, 'dist'), { recursive: true, filter: (src) => !src.startsWith(join(DIST, 'bundle')) });
    cpSync(join(REPO, 'package.json'), join(pkg, 'package.json'));
    symlinkSync(join(REPO, 'codemods'), join(pkg, 'codemods'));
    symlinkSync(join(REPO, 'node_modules'), join(pkg, 'node_modules'));
    return (async () => {
      const { bundle } = (await import(join(REPO, 'scripts', 'bundle.mjs'))) as { bundle(dist: string, outdir: string): Promise<string> };
      const alone = await bundle(join(pkg, 'dist'), join(pkg, 'dist', 'bundle'));
      for (const gone of ['engine/scan-worker.js', 'kit/worker-entry.js', 'migrations/iommu-sva-bind-flags/index.js']) rmSync(join(pkg, 'dist', 'codemods', gone));
      const sources = await runCli(['run', 'iommu-sva-bind-flags', '-C', DEMO, '--jobs', '1'], REPO);
      for (const jobs of [[], ['--jobs', '2']]) {
        const r = spawnSync(process.execPath, [alone, 'run', 'iommu-sva-bind-flags', '-C', DEMO, ...jobs], { cwd: REPO, encoding: 'utf8' });
        expect({ code: r.status, stdout: r.stdout, stderr: untimed(r.stderr) }).toEqual({ code: sources.code, stdout: sources.stdout, stderr: untimed(sources.stderr) });
      }
    })();
  }, 60_000);

  it('is the package bin, and runs from any folder', () => {
    const pkg = JSON.parse(execFileSync(process.execPath, ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: REPO, encoding: 'utf8' })) as { bin: Record<string, string> };
    expect(pkg.bin.kmigrate).toBe('dist/bundle/kmigrate.js');
    const r = spawnSync(process.execPath, [entry, 'run', 'iommu-sva-bind-flags', '-C', DEMO], { cwd: tmpdir(), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('IOMMU_SVA_BIND_SUPERVISOR');
  });
});
