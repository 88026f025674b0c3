// Before the guard's incremental re-parse of a large file, the node objects
// the migration read are collected (engine/jobs.ts, finishRewrite): each
// Tree.edit updates every node object the binding still caches, so that on
// a 50 MB file the edits cost edits × node objects, most of the run's time.
// Checked with a FinalizationRegistry on a node object the rewrite read:
// collected and finalized when the re-parse starts. Without the collection
// the re-parse runs in the same turn as the rewrite, before any finalizer.
import { afterEach, describe, expect, it } from 'vitest';
import { LARGE_TEXT, parseHooks } from '../../codemods/c/index.js';
import type { AnyMigration } from '../../codemods/engine/migration.js';
import { runMigration } from '../../codemods/engine/run.js';
import { diskSource } from '../../codemods/io/source.js';
import { getMigration } from '../../codemods/registry.js';
import { makeTree } from '../helpers/cli.js';
import { CALLER, HEADER } from '../helpers/iommu-tree.js';

const filler = (n: number) => Array.from({ length: n }, (_, i) => `static int f${i}(int a, int b)\n{\n\treturn a * ${i} + b;\n}\n`).join('\n');

afterEach(() => {
  delete parseHooks.onParse;
});

/**
 * The flagship, with a rewrite that watches one node object of `path` it
 * read: `collected()` is true once the node was collected and finalized.
 * (A FinalizationRegistry, not a WeakRef: a WeakRef keeps its target alive
 * until the turn that made it ends, and the collection runs in that turn.)
 */
function watching(path: string): { migration: AnyMigration; collected: () => boolean } {
  const base = getMigration('iommu-sva-bind-flags')!;
  let finalized = false;
  const registry = new FinalizationRegistry<string>(() => (finalized = true));
  const migration: AnyMigration = {
    ...base,
    rewrite: (file, facts) => {
      if (file.path === path) registry.register(file.root.descendantForIndex(0, 1), path);
      return base.rewrite(file, facts);
    },
  };
  return { migration, collected: () => finalized };
}

describe('the guard re-parses a large file', () => {
  it('after the node objects its rewrite read are collected', async () => {
    const big = CALLER + filler(Math.ceil(LARGE_TEXT / 40));
    expect(big.length).toBeGreaterThanOrEqual(LARGE_TEXT);
    const root = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/big.c': big });
    const { migration, collected } = watching('drivers/misc/big.c');
    const alive: boolean[] = [];
    parseHooks.onParse = (text, incremental) => {
      if (incremental && text.length >= LARGE_TEXT) alive.push(!collected());
    };
    const r = await runMigration(migration, diskSource(root), { rootLabel: '.', jobs: 1 });
    expect(r.files.find((f) => f.path === 'drivers/misc/big.c')?.status).toBe('changed');
    expect(alive).toEqual([false]);
  });

  it('a small file is re-parsed at once: the node is still alive then (the check above can fail)', async () => {
    const root = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': CALLER });
    const { migration, collected } = watching('drivers/misc/demo.c');
    const alive: boolean[] = [];
    parseHooks.onParse = (text, incremental) => {
      if (incremental && text.includes('demo_open')) alive.push(!collected());
    };
    const r = await runMigration(migration, diskSource(root), { rootLabel: '.', jobs: 1 });
    expect(r.files.find((f) => f.path === 'drivers/misc/demo.c')?.status).toBe('changed');
    expect(alive).toEqual([true]);
  });
});
