// A candidate is parsed once: the thread that discovers it keeps its tree
// and rewrites it (engine/job-run.ts, jobs.ts), instead of a second parse
// of the same text, while the thread's kept trees fit its budget; the run's
// largest candidate always, on the main thread. On a 10 MB file that is one
// 215 MB tree and one parse fewer; on the flagship, a third of the jobs' time.
import { afterEach, describe, expect, it } from 'vitest';
import { parseHooks } from '../../codemods/c/index.js';
import { Helpers } from '../../codemods/engine/helpers.js';
import { rewriteActivity } from '../../codemods/engine/job-run.js';
import { runMigration } from '../../codemods/engine/run.js';
import { diskSource } from '../../codemods/io/source.js';
import { getMigration } from '../../codemods/registry.js';
import { makeTree } from '../helpers/cli.js';
import { CALLER, HEADER } from '../helpers/iommu-tree.js';

const filler = (n: number) => Array.from({ length: n }, (_, i) => `static int f${i}(int a, int b)\n{\n\treturn a * ${i} + b;\n}\n`).join('\n');
const BIG = CALLER.replace(/demo_open/g, 'big_open') + filler(1500);

function bigTree(): string {
  return makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': CALLER, 'drivers/misc/big.c': BIG });
}

/** Every parse the main thread makes during `body`: the text, and whether it reused an old tree. */
async function parsesDuring(body: () => Promise<void>): Promise<{ text: string; incremental: boolean }[]> {
  const seen: { text: string; incremental: boolean }[] = [];
  parseHooks.onParse = (text, incremental) => void seen.push({ text, incremental });
  try {
    await body();
  } finally {
    delete parseHooks.onParse;
  }
  return seen;
}

afterEach(() => {
  delete parseHooks.onParse;
});

describe('a candidate is parsed once', () => {
  it('one thread: the discover tree of the largest file serves its rewrite; the guard re-parses it incrementally', async () => {
    const root = bigTree();
    let after: string | undefined;
    const seen = await parsesDuring(async () => {
      const r = await runMigration(getMigration('iommu-sva-bind-flags')!, diskSource(root), { rootLabel: '.', jobs: 1, keepChars: 0 });
      after = r.files.find((f) => f.path === 'drivers/misc/big.c')?.after;
    });
    expect(after).toContain('iommu_sva_bind_device(dev, current->mm, 0)');
    expect(seen.filter((p) => p.text === BIG)).toEqual([{ text: BIG, incremental: false }]);
    expect(seen.filter((p) => p.text === after)).toEqual([{ text: after, incremental: true }]);
    // With no budget, the other caller is not kept: parsed to learn from, and again to rewrite.
    expect(seen.filter((p) => p.text === CALLER && !p.incremental)).toHaveLength(2);
  });

  it('one thread, within the budget: every candidate is parsed once, with the same result as without keeping', async () => {
    const root = bigTree();
    const none = await runMigration(getMigration('iommu-sva-bind-flags')!, diskSource(root), { rootLabel: '.', jobs: 1, keepChars: 0 });
    const again = rewriteActivity.parsedAgain;
    const seen = await parsesDuring(async () => {
      const r = await runMigration(getMigration('iommu-sva-bind-flags')!, diskSource(root), { rootLabel: '.', jobs: 1 });
      expect(r.files).toEqual(none.files);
    });
    for (const text of [BIG, CALLER, HEADER]) expect(seen.filter((p) => p.text === text)).toEqual([{ text, incremental: false }]);
    expect(rewriteActivity.parsedAgain).toBe(again);
  });

  it('with workers, each rewrite goes back to the thread that kept its tree: no file is parsed twice', async () => {
    const root = bigTree();
    const one = await runMigration(getMigration('iommu-sva-bind-flags')!, diskSource(root), { rootLabel: '.', jobs: 1, keepChars: 0 });
    const helpers = new Helpers(1);
    try {
      for (const keepChars of [0, undefined]) {
        const again = rewriteActivity.parsedAgain;
        const two = await runMigration(getMigration('iommu-sva-bind-flags')!, diskSource(root), { rootLabel: '.', helpers, keepChars });
        expect(two.files).toEqual(one.files);
        // Without a budget, the caller and the header are parsed again to be rewritten; with one, neither.
        expect(rewriteActivity.parsedAgain - again).toBe(keepChars === 0 ? 2 : 0);
      }
    } finally {
      await helpers.close();
    }
  });

  it("with workers, the largest file is this thread's job in both phases, parsed once; the rest go to the worker; the result is the one-thread result", async () => {
    const root = bigTree();
    const one = await runMigration(getMigration('iommu-sva-bind-flags')!, diskSource(root), { rootLabel: '.', jobs: 1 });
    const after = one.files.find((f) => f.path === 'drivers/misc/big.c')!.after!;
    const helpers = new Helpers(1, { leaveToWorkers: true });
    try {
      const seen = await parsesDuring(async () => {
        const two = await runMigration(getMigration('iommu-sva-bind-flags')!, diskSource(root), { rootLabel: '.', helpers });
        expect(two.files).toEqual(one.files);
      });
      // Every other job went to the worker: this thread parsed the largest file once, then re-parsed its rewrite.
      expect(seen).toEqual([
        { text: BIG, incremental: false },
        { text: after, incremental: true },
      ]);
    } finally {
      await helpers.close();
    }
  });
});
