import { describe, expect, it } from 'vitest';
import { countErrorKinds, parseC } from '../../codemods/c/index.js';
import { newParseErrors } from '../../codemods/engine/guard.js';
import type { FileResult } from '../../codemods/engine/types.js';
import { Helpers } from '../../codemods/engine/helpers.js';
import { runMigration } from '../../codemods/engine/run.js';
import { diskSource } from '../../codemods/io/source.js';
import { getMigration } from '../../codemods/registry.js';
import { makeTree } from '../helpers/cli.js';
import { CALLER, HEADER } from '../helpers/iommu-tree.js';
import { OLD, renameMigration } from '../helpers/rename-migration.js';

// One MISSING `;` before, one ERROR after: the same number of bad nodes.
const BEFORE = `int f(void)\n{\n\treturn ${OLD}(1)\n}\n`;
const AFTER = 'int f(void)\n{\n\treturn new_helper(1) 2;\n}\n';

describe('the re-parse guard', () => {
  it('counts ERROR and MISSING nodes apart', () => {
    expect(countErrorKinds(parseC(BEFORE).rootNode)).toEqual({ error: 0, missing: 1 });
    expect(countErrorKinds(parseC(AFTER).rootNode)).toEqual({ error: 1, missing: 0 });
    expect(newParseErrors({ error: 0, missing: 1 }, { error: 1, missing: 0 })).toBe('1 new ERROR node(s)');
    expect(newParseErrors({ error: 2, missing: 0 }, { error: 0, missing: 1 })).toBe('1 new MISSING node(s)');
    expect(newParseErrors({ error: 1, missing: 1 }, { error: 1, missing: 0 })).toBeUndefined();
  });

  it('refuses a rewrite that trades a MISSING node for an ERROR node', async () => {
    const root = makeTree({ 'lib/f.c': BEFORE });
    const migration = renameMigration({
      rewrite: (file) => {
        const start = file.text.indexOf(OLD);
        const end = file.text.indexOf('\n}');
        return {
          edits: [{ start, end, text: 'new_helper(1) 2;' }],
          sites: [{ path: file.path, line: 3, column: 9, kind: 'call', action: 'rewritten', code: 'renamed', message: 'renamed' }],
        };
      },
    });
    const r = await runMigration(migration, diskSource(root), { rootLabel: '.', jobs: 1 });
    const f = r.files.find((x) => x.path === 'lib/f.c')!;
    expect(f.status).toBe('refused');
    expect(f.sites[0]).toMatchObject({ action: 'manual', code: 'reparse-error' });
    expect(f.sites[0]!.message).toMatch(/1 new ERROR node/);
  });
});

describe('a run without error statistics (countErrors: false, as a diff)', () => {
  // The caller has a MISSING `;` of its own; its rewrite changes the call.
  const BROKEN = CALLER.replace('return IS_ERR(sva) ? PTR_ERR(sva) : 0;', 'return IS_ERR(sva) ? PTR_ERR(sva) : 0\n\tint x = 1;');

  it('gives the files and sites of a counting run, counts the files with errors, and reports no ERROR-node total', async () => {
    const root = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': BROKEN });
    const counted = await runMigration(getMigration('iommu-sva-bind-flags')!, diskSource(root), { rootLabel: '.', jobs: 1 });
    expect(counted.parse.errorNodes).toBeGreaterThan(0);
    expect(counted.files.find((f) => f.path === 'drivers/misc/demo.c')?.status).toBe('changed');
    const helpers = new Helpers(1);
    try {
      for (const opts of [{ jobs: 1 }, { helpers }]) {
        const r = await runMigration(getMigration('iommu-sva-bind-flags')!, diskSource(root), { rootLabel: '.', countErrors: false, ...opts });
        expect(r.files).toEqual(counted.files);
        expect(r.sites).toEqual(counted.sites);
        expect(r.parse.filesWithErrors).toBe(counted.parse.filesWithErrors);
        expect(r.parse.errorNodes).toBeUndefined();
      }
    } finally {
      await helpers.close();
    }
  });
});

describe('each file result as the run has it (RunOptions.onFileResult)', () => {
  it('is the result the run returns for every rewritten file, from this thread and from a worker', async () => {
    const root = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': CALLER, 'drivers/misc/other.c': CALLER.replace(/demo_open/g, 'other_open') });
    const helpers = new Helpers(1);
    try {
      for (const opts of [{ jobs: 1 }, { helpers }]) {
        const seen: FileResult[] = [];
        const r = await runMigration(getMigration('iommu-sva-bind-flags')!, diskSource(root), { rootLabel: '.', onFileResult: (f) => seen.push(f), ...opts });
        const changed = r.files.filter((f) => f.status === 'changed');
        expect(changed.map((f) => f.path)).toEqual(['drivers/misc/demo.c', 'drivers/misc/other.c', 'include/linux/iommu.h']);
        for (const f of changed) expect(seen.filter((s) => s.path === f.path)).toEqual([f]);
      }
    } finally {
      await helpers.close();
    }
  });
});
