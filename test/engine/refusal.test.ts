// Edits know their site: when the engine refuses some of a file's edits
// (two overlap, or the rewritten text parses worse), only the sites those
// edits serve (with their era group and their declaration) become manual;
// the rest of the file keeps its rewrite. Run through both engines: the
// main-thread run (run.ts) and a job (jobs.ts, what every migration file
// uses).
import { describe, expect, it } from 'vitest';
import { identifiersNamed, type SyntaxNode } from '../../codemods/c/index.js';
import { rewriteJob } from '../../codemods/engine/jobs.js';
import type { FileRewrite, Migration, SourceFile } from '../../codemods/engine/migration.js';
import { runMigration } from '../../codemods/engine/run.js';
import { diskSource } from '../../codemods/io/source.js';
import type { Edit, FileResult, Site } from '../../codemods/engine/types.js';
import { makeTree } from '../helpers/cli.js';
import { renameMigration } from '../helpers/rename-migration.js';

// Three functions, each calling old_helper() once.
const TEXT = ['int a(void)', '{', '\treturn old_helper(1);', '}', '', 'int b(void)', '{', '\treturn old_helper(2);', '}', '', 'int c(void)', '{', '\treturn old_helper(3);', '}', ''].join('\n');

interface Options {
  /** Function whose call also gets an edit overlapping the rename. */
  overlapIn?: string;
  /** Function whose first rename leaves a stray `@` (an ERROR node inside the function). */
  breakIn?: string;
  /** Era group of each function's site (default: the function's name); `site`: one group per site. */
  groupOf?: ((fn: string) => string | undefined) | 'site';
  /** Leave the edits unlinked (no Edit.sites). */
  unlinked?: boolean;
  /** Function whose rename changes behaviour (the edit says so). */
  changesIn?: string;
  /** Add an include-like removal at the top that needs every other edit of the file. */
  needsFile?: boolean;
}

function fnOf(node: SyntaxNode): string {
  let n: SyntaxNode | null = node;
  while (n && n.type !== 'function_definition') n = n.parent;
  return n?.childForFieldName('declarator')?.childForFieldName('declarator')?.text ?? '?';
}

/** old_helper() → new_helper(), one site per call, each the site of its edits. */
function rewrite(file: SourceFile, o: Options): FileRewrite {
  const edits: Edit[] = [];
  const sites: Site[] = [];
  for (const id of identifiersNamed(file.root, 'old_helper')) {
    const fn = fnOf(id);
    const sid = `s${sites.length}`;
    const link = o.unlinked ? {} : { sites: [sid] };
    const broken = o.breakIn === fn && !sites.some((s) => s.message === `in ${fn}`);
    edits.push({ start: id.startIndex, end: id.endIndex, text: broken ? 'new_helper @' : 'new_helper', ...link, ...(o.changesIn === fn ? { changesBehaviour: true } : {}) });
    if (o.overlapIn === fn) edits.push({ start: id.startIndex, end: id.endIndex + 3, text: 'other(9)', ...link });
    const group = o.groupOf === 'site' ? sid : o.groupOf ? o.groupOf(fn) : fn;
    sites.push({ path: file.path, line: id.startPosition.row + 1, column: id.startPosition.column + 1, kind: 'call', action: 'rewritten', code: 'renamed', message: `in ${fn}`, id: sid, ...(group !== undefined ? { group } : {}) });
  }
  if (o.needsFile) {
    const sid = `s${sites.length}`;
    edits.push({ start: 0, end: 0, text: '/* tidied */\n', sites: [sid] });
    sites.push({ path: file.path, line: 1, column: 1, kind: 'other', action: 'rewritten', code: 'renamed', message: 'tidied', id: sid, needsFile: true });
  }
  return { edits, sites };
}

function migrationWith(o: Options): Migration<Record<string, never>> {
  return renameMigration({ rewrite: (file) => rewrite(file, o), eraGroup: (s) => s.group });
}

/**
 * The file's result by each engine: the main-thread run, a job given the
 * file's count from its discover job, and a job that counts the file itself
 * (a run that keeps no statistics: RunOptions.countErrors).
 */
async function bothEngines(o: Options, text = TEXT): Promise<FileResult[]> {
  const root = makeTree({ 'lib/f.c': text });
  const m = migrationWith(o);
  const run = await runMigration(m, diskSource(root), { rootLabel: '.', jobs: 1 });
  const source = diskSource(root);
  const ctx = { migration: m, read: (p: string) => source.read(p), limited: false, names: new Set<string>() };
  const job = await rewriteJob(ctx, {}, 'lib/f.c', { error: 0, missing: 0 });
  const counting = await rewriteJob(ctx, {}, 'lib/f.c');
  return [run.files.find((f) => f.path === 'lib/f.c')!, job.result, counting.result];
}

/** Each site as `<its own message>: <action> <code>` (a refused one keeps its message after `was:`). */
const summary = (f: FileResult) => f.sites.map((s) => `${/\(was: (.*)\)$/.exec(s.message)?.[1] ?? s.message}: ${s.action} ${s.code}`);

describe('a refused edit turns only the sites it serves manual', () => {
  it('two overlapping edits in b(): b() is manual (edit-overlap), a() and c() stay rewritten', async () => {
    for (const f of await bothEngines({ overlapIn: 'b' })) {
      expect(f.status).toBe('changed');
      expect(summary(f)).toEqual(['in a: rewritten renamed', 'in b: manual edit-overlap', 'in c: rewritten renamed']);
      expect(f.sites[1]!.message).toBe('two rewrites overlap; left as it was, with the rewrites that go with it; the rest of the file is rewritten (was: in b)');
      expect(f.after).toBe(TEXT.replace('old_helper(1)', 'new_helper(1)').replace('old_helper(3)', 'new_helper(3)'));
      expect(f.edits!.map((e) => e.sites)).toEqual([['s0'], ['s2']]);
    }
  });

  it('a rename that breaks the parse of c(): c() is manual (reparse-error), a() and b() stay rewritten', async () => {
    for (const f of await bothEngines({ breakIn: 'c' })) {
      expect(f.status).toBe('changed');
      expect(summary(f)).toEqual(['in a: rewritten renamed', 'in b: rewritten renamed', 'in c: manual reparse-error']);
      expect(f.sites[2]!.message).toMatch(/^the rewritten file parses with \d+ new (ERROR|MISSING) node\(s\).*; left as it was, with the rewrites that go with it; the rest of the file is rewritten \(was: in c\)$/);
      expect(f.after).toBe(TEXT.replace('old_helper(1)', 'new_helper(1)').replace('old_helper(2)', 'new_helper(2)'));
    }
  });

  it('sites of one era group go together: a() and b() share one, so both are refused with b()', async () => {
    for (const f of await bothEngines({ overlapIn: 'b', groupOf: (fn) => (fn === 'c' ? 'c' : 'ab') })) {
      expect(summary(f)).toEqual(['in a: manual edit-overlap', 'in b: manual edit-overlap', 'in c: rewritten renamed']);
      expect(f.after).toBe(TEXT.replace('old_helper(3)', 'new_helper(3)'));
    }
  });

  it('a migration of one API (no group) is refused for the whole file', async () => {
    for (const f of await bothEngines({ breakIn: 'a', groupOf: () => undefined })) {
      expect(f.status).toBe('refused');
      expect(f.sites.map((s) => s.code)).toEqual(['reparse-error', 'reparse-error', 'reparse-error']);
      expect(f.sites[0]!.message).toMatch(/; file left untouched \(was: in a\)$/);
    }
  });

  it('edits that name no site serve the whole file: one refusal refuses them all, as before', async () => {
    for (const f of await bothEngines({ overlapIn: 'b', unlinked: true })) {
      expect(f.status).toBe('refused');
      expect(summary(f)).toEqual(['in a: manual edit-overlap', 'in b: manual edit-overlap', 'in c: manual edit-overlap']);
      expect(f.sites[0]!.message).toBe('two rewrites overlap; file left untouched (was: in a)');
    }
  });

  it('a site that needs the whole file goes with any refusal', async () => {
    for (const f of await bothEngines({ overlapIn: 'b', needsFile: true })) {
      expect(summary(f)).toEqual(['tidied: manual edit-overlap', 'in a: rewritten renamed', 'in b: manual edit-overlap', 'in c: rewritten renamed']);
      expect(f.after!.startsWith('/* tidied */')).toBe(false);
    }
    const [clean] = await bothEngines({ needsFile: true });
    expect(clean!.after!.startsWith('/* tidied */\n')).toBe(true);
  });

  it('two sites of separate groups in the function one of them broke: both go, because they share its declaration', async () => {
    const text = TEXT.replace('\treturn old_helper(2);', '\treturn old_helper(2) + old_helper(4);');
    for (const f of await bothEngines({ breakIn: 'b', groupOf: 'site' }, text)) {
      expect(summary(f)).toEqual(['in a: rewritten renamed', 'in b: manual reparse-error', 'in b: manual reparse-error', 'in c: rewritten renamed']);
    }
  });
});

describe('behaviour marks', () => {
  it('an edit marked changesBehaviour marks the rewritten site it serves, and only that one', async () => {
    for (const f of await bothEngines({ changesIn: 'a' })) {
      expect(f.sites.map((s) => s.changesBehaviour === true)).toEqual([true, false, false]);
    }
  });

  it('a refused site loses the mark: nothing was rewritten there', async () => {
    for (const f of await bothEngines({ changesIn: 'b', overlapIn: 'b' })) {
      expect(f.sites.map((s) => s.changesBehaviour === true)).toEqual([false, false, false]);
      expect(f.sites[1]!.action).toBe('manual');
    }
  });
});

describe('links are checked', () => {
  it('an edit naming a site the rewrite does not report is a bug: internal-error, the file untouched', async () => {
    const root = makeTree({ 'lib/f.c': TEXT });
    const m = renameMigration({
      rewrite: () => ({ edits: [{ start: 0, end: 3, text: 'long', sites: ['nope'] }], sites: [] }),
    });
    const r = await runMigration(m, diskSource(root), { rootLabel: '.', jobs: 1 });
    const f = r.files.find((x) => x.path === 'lib/f.c')!;
    expect([f.status, f.sites[0]!.code]).toEqual(['error', 'internal-error']);
    expect(f.sites[0]!.message).toMatch(/serves site nope/);
  });
});
