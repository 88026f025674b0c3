// Step ids are typed per migration: an edit of a TypeScript migration that
// names a step its meta does not declare is a type error (it would be left
// out of every `format-patch --split` patch); in a migration file it is a
// load error (file:line: key: reason, exit 2). The TypeScript side is
// checked by compiling snippets against the real sources.
import { join } from 'node:path';
import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { splitIntoSteps } from '../../codemods/engine/steps.js';
import type { RunResult } from '../../codemods/engine/types.js';
import { getMigration } from '../../codemods/registry.js';
import { makeTree, runCli } from '../helpers/cli.js';

const ROOT = process.cwd();
const meta = getMigration('iommu-sva-bind-flags')!.meta;

const project = new Project({ tsConfigFilePath: join(ROOT, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
/** Unused imports and locals: the probes import more than each one uses. */
const UNUSED = new Set([6133, 6192, 6196, 6198]);

/** The type errors of a snippet placed in the flagship's folder. */
function typeErrors(body: string): string[] {
  const file = project.createSourceFile(
    join(ROOT, 'codemods/migrations/iommu-sva-bind-flags/__step_probe__.ts'),
    [
      "import type { FileContext } from './context.js';",
      "import { deleteLineRanges } from '../../engine/layout.js';",
      "import { migrationMeta, type StepOf } from '../../engine/migration.js';",
      "import type { Edit } from '../../engine/types.js';",
      'export function probe(ctx: FileContext): void {',
      body,
      '}',
    ].join('\n'),
    { overwrite: true },
  );
  return file.getPreEmitDiagnostics().filter((d) => !UNUSED.has(d.getCode())).map((d) => {
    const m = d.getMessageText();
    return typeof m === 'string' ? m : m.getMessageText();
  });
}

describe('step ids of a TypeScript migration', () => {
  it('a declared step type-checks, a misspelt one is a type error', () => {
    expect(typeErrors("  ctx.edit({ start: 0, end: 0, text: '', step: 'remove-unused' });")).toEqual([]);
    expect(typeErrors("  ctx.edit({ start: 0, end: 0, text: '', step: 'remove-unsued' });").join('\n')).toMatch(/'"remove-unsued"' is not assignable/);
    // Edits from the layout helpers get their step by a spread, as the flagship does.
    expect(typeErrors("  ctx.edit(...deleteLineRanges(ctx.text, []).map((e) => ({ ...e, step: 'add-flag' as const })));")).toEqual([]);
    expect(typeErrors("  ctx.edit(...deleteLineRanges(ctx.text, []).map((e) => ({ ...e, step: 'add-flags' as const })));").join('\n')).toMatch(/not assignable/);
  }, 60_000);

  it('migrationMeta() keeps the ids as a type: StepOf names exactly the declared ones', () => {
    const probe = [
      "  const m = migrationMeta({ id: 'x', subject: 's', summary: 's', rationale: [], reference: 'r', steps: [{ id: 'one', subject: 's', body: [] }, { id: 'two', subject: 's', body: [], main: true }] });",
      '  const ok: Edit<StepOf<typeof m>> = { start: 0, end: 0, text: "", step: "two" };',
      '  const bad: Edit<StepOf<typeof m>> = { start: 0, end: 0, text: "", step: "three" };',
      '  void ctx; void ok; void bad;',
    ].join('\n');
    const errors = typeErrors(probe);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/'"three"' is not assignable to type '"one" \| "two"( \| undefined)?'/);
  }, 60_000);

  it('at run time, an edit naming an undeclared step stops format-patch --split rather than vanish from it', () => {
    const result = {
      codemod: meta.id,
      root: '.',
      files: [{ path: 'a.c', status: 'changed', before: 'x', after: 'y', edits: [{ start: 0, end: 1, text: 'y', step: 'remove-unsued' }], sites: [] }],
      sites: [],
      summary: { filesScanned: 1, symlinksSkipped: 0, filesParsed: 1, filesChanged: 1, rewritten: 0, manual: 0, unchanged: 0 },
      parse: { files: 1, bytes: 1, filesWithErrors: 0, errorNodes: 0, parseMs: 0 },
    } satisfies RunResult;
    expect(() => splitIntoSteps(result, meta)).toThrow("a.c: an edit names step 'remove-unsued', which iommu-sva-bind-flags does not declare (its steps: add-flag, change-api, remove-unused)");
  });
});

describe('step ids of a migration file', () => {
  it('a change naming an undeclared step: one line with file:line: key: reason, exit 2', async () => {
    const yaml = [
      'id: demo-steps',
      "subject: 'lib: Rename old_helper'",
      'summary: old_helper -> new_helper',
      'rationale: Rename it.',
      'reference: none',
      'steps:',
      '  - { id: rename, subject: "lib: Rename old_helper", body: Rename it., main: true }',
      'changes:',
      '  - rename: { from: old_helper, to: new_helper, step: renme }',
      '',
    ].join('\n');
    const root = makeTree({ 'change.yaml': yaml, 'include/linux/x.h': '', 'lib/a.c': 'int a(void) { return old_helper(); }\n' });
    const r = await runCli(['run', './change.yaml', '-C', root], root);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/change\.yaml:9: changes\[0\]\.rename\.step: no step 'renme' in steps \(known: rename\)/);
  });
});
