// The platform bus and i2c core models on Debian's linux-source-6.1 (fetched
// by `npm run fetch:kernel` into the user's cache), with before == after:
// every function found must be equivalent to itself. Read-only.
//
// The tree's paths are the .c files holding `struct platform_driver` (or
// `struct i2c_driver`). A callback defined elsewhere (a library's shared
// remove, `ata_platform_remove_one`) is unknown there; a second, small
// run adds the .c files of the registering file's directory that name it.
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { i2cCoreModel } from '../../iommu-model/i2c-core/index.js';
import type { CheckResultShape, ModelShape } from '../../iommu-model/model-shape.js';
import { platformBusModel } from '../../iommu-model/platform-bus/index.js';
import { diskTree, findCallFilesSync } from '../../iommu-model/trees.js';

function kernelTree(): string | undefined {
  const caches = [process.env.XDG_CACHE_HOME, path.join(os.homedir(), '.cache')].filter((c): c is string => !!c);
  return caches.map((c) => path.join(c, 'kmigrate', 'linux-source-6.1')).find((d) => existsSync(path.join(d, 'drivers/base/platform.c')));
}

const ROOT = kernelTree();
const SKIP = ROOT === undefined;
const SKIP_REASON = 'linux-source-6.1 not found under $XDG_CACHE_HOME/kmigrate or ~/.cache/kmigrate (run `npm run fetch:kernel`)';

/** Files per check() call, the results merged; vitest's worker answers its RPC between calls. */
const CHUNK = 300;

/** check() on `paths` in chunks of neighbouring files, results merged. */
async function selfCheck(model: ModelShape, paths: string[]): Promise<CheckResultShape> {
  const parts: CheckResultShape[] = [];
  for (let i = 0; i < paths.length; i += CHUNK) {
    const tree = await diskTree(ROOT!, { paths: paths.slice(i, i + CHUNK), label: 'linux-source-6.1' });
    parts.push(await model.check({ before: tree, after: tree, declared: [] }));
    await new Promise((resolve) => setImmediate(resolve));
  }
  const sites = parts.flatMap((p) => p.sites);
  const problems = parts.flatMap((p) => p.problems);
  const summary = { equivalent: 0, differs: 0, unknown: 0, declared: 0, problems: 0 };
  for (const p of parts) for (const k of Object.keys(summary) as (keyof typeof summary)[]) summary[k] += p.summary[k];
  return { ...parts[0]!, sites, problems, summary, ok: parts.every((p) => p.ok) };
}

const unknowns = (r: CheckResultShape | null) => (r?.sites ?? []).filter((s) => s.verdict !== 'equivalent').map((s) => `${s.path} ${s.function}: ${s.reason}`);

/**
 * The unknown sites' registering files, plus the .c files that name the
 * function in the registering directory, its parent, and the parent's
 * other subdirectories (wl18xx/ → wlcore/).
 */
function widen(r: CheckResultShape): string[] {
  const out = new Set<string>();
  const subdirs = (dir: string) => readdirSync(path.join(ROOT!, dir), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `${dir}/${e.name}`);
  for (const s of r.sites.filter((x) => x.verdict === 'unknown')) {
    out.add(s.path);
    const parent = path.posix.dirname(path.posix.dirname(s.path));
    for (const dir of [parent, ...subdirs(parent)]) {
      for (const e of readdirSync(path.join(ROOT!, dir))) {
        const rel = `${dir}/${e}`;
        if (e.endsWith('.c') && readFileSync(path.join(ROOT!, rel), 'latin1').includes(`${s.function}(`)) out.add(rel);
      }
    }
  }
  return [...out].sort();
}

async function measure(model: ModelShape, needle: string) {
  const paths = findCallFilesSync(ROOT!, { needle, extensions: ['.c'] });
  const r = await selfCheck(model, paths);
  const unknown = r.sites.filter((s) => s.verdict === 'unknown');
  const wide = unknown.length > 0 ? await selfCheck(model, widen(r)) : null;
  return { paths, r, unknown, wide };
}

describe.skipIf(SKIP)(`the bus models on the real kernel tree, before == after${SKIP ? ` — skipped: ${SKIP_REASON}` : ''}`, () => {
  it('platform-bus: every remove callback is equivalent to itself', async () => {
    const { paths, r, unknown, wide } = await measure(platformBusModel, 'struct platform_driver');
    // Seen on 6.1: 4,694 files, ~2,500 functions.
    expect(paths.length).toBeGreaterThan(4000);
    expect(r.sites.length).toBeGreaterThan(2000);
    expect(r.summary.differs).toBe(0);
    expect(unknown.every((s) => /^no definition of \w+\(\) among the before tree's files$/.test(s.reason ?? ''))).toBe(true);
    expect(r.problems.every((p) => p.severity === 'note')).toBe(true);
    // vrfb_remove() is void but registered as .remove (through __exit_p).
    expect(r.problems).toContainEqual(expect.objectContaining({ path: 'drivers/video/fbdev/omap2/omapfb/vrfb.c', code: 'callback-type', severity: 'note' }));
    expect(unknowns(wide)).toEqual([]);
  }, 900_000);

  it('i2c-core: every probe is equivalent to itself', async () => {
    const { paths, r, wide } = await measure(i2cCoreModel, 'struct i2c_driver');
    expect(paths.length).toBeGreaterThan(1000);
    expect(r.sites.length).toBeGreaterThan(1000);
    expect(r.summary.differs).toBe(0);
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(unknowns(wide)).toEqual([]);
    expect(r.sites.filter((s) => /still \.probe\(client, id\)/.test(s.reason ?? '')).length).toBeGreaterThan(100);
  }, 900_000);
});
