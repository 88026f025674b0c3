// Every bundled migration links its edits to the sites they serve (the kit
// and the flagship link an edit to the rewritten site reported right after
// it): over every sample, every edit names a site, so that a refusal can
// stay within the sites it concerns (an edit naming none serves, and takes
// down, the whole file).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMigration } from '../../codemods/engine/run.js';
import { diskSource } from '../../codemods/io/source.js';
import { resolveMigration } from '../../codemods/registry.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SAMPLES = join(ROOT, 'samples');
const dirs = (d: string) => readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

describe.each(dirs(SAMPLES))('samples of %s', (migration) => {
  it('every edit names the sites it serves', async () => {
    const m = resolveMigration(migration, ROOT);
    const unlinked: string[] = [];
    let edits = 0;
    for (const c of dirs(join(SAMPLES, migration))) {
      const r = await runMigration(m, diskSource(join(SAMPLES, migration, c, 'before')), { rootLabel: '.', jobs: 1 });
      for (const f of r.files) {
        for (const e of f.edits ?? []) {
          edits++;
          if (!e.sites?.length) unlinked.push(`${c}/${f.path} [${e.start},${e.end}) ${JSON.stringify(e.text.slice(0, 40))}`);
        }
      }
    }
    expect(edits).toBeGreaterThan(0);
    expect(unlinked).toEqual([]);
  });
});
