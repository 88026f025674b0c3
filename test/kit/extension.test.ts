// TypeScript steps inside a migration file's migration (kit/extension.ts):
// they learn their own facts, run before and after the kit's primitives on
// the same file state, and can say the tree is past the migration.
import { describe, expect, it } from 'vitest';
import { wordOccurrences } from '../../codemods/c/index.js';
import { runMigration } from '../../codemods/engine/run.js';
import type { TreeSource } from '../../codemods/io/source.js';
import { buildMigration } from '../../codemods/kit/build.js';
import type { BundledExtensions, KitExtension } from '../../codemods/kit/extension.js';
import { parseMigration } from '../../codemods/kit/load.js';

const YAML = `id: demo-steps
subject: 'demo: Rename old_name'
summary: old_name -> new_name, with a step
reference: none
rationale: A test.
extensions: [keep-first]
changes:
  - rename: { from: old_name, to: new_name, kind: function }
`;

const FILES: Record<string, string> = {
  'drivers/a.c': 'void f(void)\n{\n\told_name();\n\told_name();\n}\n',
  // Only the step's needle makes this one a candidate.
  'drivers/b.c': 'int marker_only;\n',
};

function source(): TreeSource {
  return { list: () => Object.keys(FILES).sort(), read: (p) => (FILES[p] === undefined ? undefined : Buffer.from(FILES[p]!)) };
}

interface StepFacts {
  seen: string[];
}

/** A step that takes the first old_name of each file for itself, and says what the kit did after it. */
function keepFirst(opts: { past?: boolean } = {}): { step: KitExtension<StepFacts>; log: string[] } {
  const log: string[] = [];
  const step: KitExtension<StepFacts> = {
    needles: ['marker_only'],
    createFacts: () => ({ seen: [] }),
    discover: (file, facts) => void facts.seen.push(file.path),
    mergeFacts: (into, from) => void into.seen.push(...from.seen),
    applies: () => !opts.past,
    rewrite(k) {
      const first = wordOccurrences(k.text, 'old_name')[0];
      if (first !== undefined) k.end(first, 'call', 'unchanged', 'call-unchanged', { fn: 'old_name' });
      log.push(`rewrite ${k.file.path}: ${k.edits.length} edits`);
    },
    finish(k, facts) {
      log.push(`finish ${k.file.path}: ${k.edits.length} edits, facts of ${[...facts.seen].sort().join(' ')}`);
    },
  };
  return { step, log };
}

async function run(step: KitExtension<StepFacts>) {
  const spec = parseMigration(YAML, 'demo.yaml', { allowExtensions: true, knownExtensions: ['keep-first'] });
  const bundled: BundledExtensions = { steps: { 'keep-first': step }, module: 'unused-with-one-job' };
  return runMigration(buildMigration(spec, { file: 'demo.yaml', dir: '.' }, bundled), source(), { rootLabel: '.', jobs: 1 });
}

describe('TypeScript steps of a migration file', () => {
  it('run before the primitives, which leave what a step ended; finish after them, with the whole tree facts', async () => {
    const { step, log } = keepFirst();
    const r = await run(step);
    const a = r.files.find((f) => f.path === 'drivers/a.c')!;
    expect(a.after).toBe('void f(void)\n{\n\told_name();\n\tnew_name();\n}\n');
    expect(r.sites.filter((s) => s.path === 'drivers/a.c').map((s) => `${s.line} ${s.action} ${s.code}`)).toEqual(['3 unchanged call-unchanged', '4 rewritten renamed']);
    expect(log).toContain('rewrite drivers/a.c: 0 edits');
    // The step's needle made b.c a candidate; its facts hold both files when a file is rewritten.
    expect(log).toContain('finish drivers/a.c: 1 edits, facts of drivers/a.c drivers/b.c');
  });

  it('a step that says the tree is past the migration: the primitives change nothing', async () => {
    const { step } = keepFirst({ past: true });
    const r = await run(step);
    expect(r.files.filter((f) => f.status === 'changed')).toEqual([]);
    expect(r.sites.map((s) => s.code)).toEqual(['call-unchanged']);
  });

  it('a step id the folder does not export is refused when the migration is built', () => {
    const spec = parseMigration(YAML, 'demo.yaml', { allowExtensions: true });
    expect(() => buildMigration(spec, { file: 'demo.yaml', dir: '.' }, { steps: {}, module: 'x' })).toThrow(/no TypeScript step 'keep-first'/);
  });
});
