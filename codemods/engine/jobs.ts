// The two jobs of a migration run as jobs (job-run.ts), done the same way
// by a worker thread or by the main thread: learn from one file, or rewrite
// one file. Each job parses its file, keeps no tree, and returns data only
// (facts, sites, edits, texts), so that any thread can take any job.
import { countErrorKinds, decodeUtf8, firstInvalidUtf8Line, LineIndex, parseC, reparseC, type ErrorKinds } from '../c/index.js';
import { newParseErrors } from './guard.js';
import { applyEdits, EditOverlapError, normalizeEdits } from './edits.js';
import type { AnyMigration, FileRewrite, SourceFile } from './migration.js';
import type { Edit, FileResult, Site } from './types.js';

/** What a job needs besides its path. */
export interface JobContext {
  migration: AnyMigration;
  read(path: string): Uint8Array | undefined;
  limited: boolean;
  names: ReadonlySet<string>;
}

export type DiscoverOutcome =
  | { status: 'ok'; facts: unknown; errors: ErrorKinds; bytes: number; parseMs: number; speculation?: { outcome: RewriteOutcome; deps: unknown } }
  | { status: 'refused'; result: FileResult }
  | { status: 'skipped' };

/** Parse one file and learn what it tells (`firstPass`: the migration's text test applies). */
export function discoverJob(ctx: JobContext, path: string, firstPass: boolean): DiscoverOutcome {
  const bytes = ctx.read(path);
  if (!bytes) return { status: 'refused', result: { path, status: 'refused', sites: [unreadableSite(path)] } };
  const text = decodeUtf8(bytes);
  if (text === undefined) return { status: 'refused', result: { path, status: 'refused', sites: [notUtf8Site(path, bytes)] } };
  if (firstPass && ctx.migration.accepts && !ctx.migration.accepts(text)) return { status: 'skipped' };
  const t0 = performance.now();
  const tree = parseC(text);
  const parseMs = performance.now() - t0;
  const file: SourceFile = { path, text, tree, root: tree.rootNode, lines: new LineIndex(text) };
  const facts = ctx.migration.createFacts({ limited: ctx.limited });
  ctx.migration.discover(file, facts, {
    readAux: (p: string) => {
      const b = ctx.read(p);
      return b ? decodeUtf8(b) : undefined;
    },
    names: ctx.names,
  });
  const errors = countErrorKinds(tree.rootNode);
  // The rewrite this file alone allows, while its tree is at hand (checked against the whole tree later).
  const guess = ctx.migration.jobs?.speculate?.(file, facts, ctx.names);
  const speculation = guess ? { outcome: finishRewrite(ctx, file, guess.rewrite, errors), deps: guess.deps } : undefined;
  return { status: 'ok', facts, errors, bytes: bytes.length, parseMs, ...(speculation ? { speculation } : {}) };
}

export interface RewriteOutcome {
  result: FileResult;
  /** Facts the migration learnt from the outcome (afterRewrite), to fold into the run's. */
  delta: unknown;
}

/**
 * Rewrite one file with the run's facts, apply the edits, and judge the
 * result with the re-parse guard: a rewrite may never add ERROR nodes.
 * `errorsBefore`: the file's count when it was discovered.
 */
export function rewriteJob(ctx: JobContext, facts: unknown, path: string, errorsBefore: ErrorKinds): RewriteOutcome {
  const { migration } = ctx;
  const delta = migration.createFacts({ limited: ctx.limited });
  const bytes = ctx.read(path);
  const text = bytes ? decodeUtf8(bytes) : undefined;
  if (text === undefined) return { result: { path, status: 'refused', sites: [bytes ? notUtf8Site(path, bytes) : unreadableSite(path)] }, delta };
  const tree = parseC(text);
  const file: SourceFile = { path, text, tree, root: tree.rootNode, lines: new LineIndex(text) };
  let out: FileRewrite;
  try {
    out = migration.rewrite(file, facts);
  } catch (err) {
    migration.afterRewrite(file, { edits: [], sites: [] }, delta, false);
    return { result: { path, status: 'error', sites: [internalSite(path, err)] }, delta };
  }
  return finishRewrite(ctx, file, out, errorsBefore, delta);
}

/** Apply a file's rewrite and judge it with the re-parse guard. */
function finishRewrite(ctx: JobContext, file: SourceFile, out: FileRewrite, errorsBefore: ErrorKinds, delta: unknown = ctx.migration.createFacts({ limited: ctx.limited })): RewriteOutcome {
  const { migration } = ctx;
  const { path, text } = file;
  const sites = [...out.sites].sort((a, b) => a.line - b.line || a.column - b.column);
  if (out.edits.length === 0) {
    migration.afterRewrite(file, out, delta, true);
    return { result: { path, status: 'unchanged', sites }, delta };
  }
  let after: string;
  try {
    after = applyEdits(text, out.edits);
  } catch (err) {
    migration.afterRewrite(file, out, delta, false);
    const why = err instanceof EditOverlapError ? 'two rewrites overlap' : String(err);
    return { result: { path, status: 'refused', sites: refuse(sites, 'edit-overlap', `${why}; file left untouched`) }, delta };
  }
  // What the migration learns from either outcome, taken before the tree is reused below.
  const ifApplied = migration.createFacts({ limited: ctx.limited });
  const ifRefused = migration.createFacts({ limited: ctx.limited });
  migration.afterRewrite(file, out, ifApplied, true);
  migration.afterRewrite(file, out, ifRefused, false);
  // The re-parse guard: the file's own tree is parsed again where the edits
  // touch it (the tree is not read after this). A refusal is confirmed by a
  // full parse, so that the incremental parser's error recovery never
  // refuses a rewrite a fresh parse would accept.
  let kinds = countErrorKinds(reparseC(file.tree, file.lines, normalizeEdits(out.edits), after).rootNode);
  if (newParseErrors(errorsBefore, kinds)) kinds = countErrorKinds(parseC(after).rootNode);
  const worse = newParseErrors(errorsBefore, kinds);
  migration.jobs?.mergeFacts(delta, worse ? ifRefused : ifApplied);
  if (worse) return { result: { path, status: 'refused', sites: refuse(sites, 'reparse-error', `the rewritten file parses with ${worse}; file left untouched`) }, delta };
  if (after === text) return { result: { path, status: 'unchanged', sites }, delta };
  return { result: { path, status: 'changed', before: text, after, edits: out.edits.map(plainEdit), sites }, delta };
}

function plainEdit(e: Edit): Edit {
  return e.step === undefined ? { start: e.start, end: e.end, text: e.text } : { start: e.start, end: e.end, text: e.text, step: e.step };
}

export function refuse(sites: Site[], code: string, message: string): Site[] {
  return sites.map((s) => (s.action === 'rewritten' ? { ...s, action: 'manual', code, message: `${message} (was: ${s.message})` } : s));
}

export function unreadableSite(path: string): Site {
  return { path, line: 1, column: 1, kind: 'other', action: 'manual', code: 'unreadable', message: 'file could not be read, so it was not searched: check that it exists and is readable' };
}

export function notUtf8Site(path: string, bytes: Uint8Array): Site {
  return { path, line: firstInvalidUtf8Line(bytes), column: 1, kind: 'other', action: 'manual', code: 'not-utf8', message: 'file is not valid UTF-8; left untouched: convert it or edit it by hand' };
}

export function internalSite(path: string, err: unknown): Site {
  const message = err instanceof Error ? err.message : String(err);
  return { path, line: 1, column: 1, kind: 'other', action: 'manual', code: 'internal-error', message: `internal error while rewriting: ${message}` };
}

export function unreadableDirSite(path: string): Site {
  const message = 'folder could not be read, so its files were not searched and no decision that needs the whole tree was taken: check its permissions';
  return { path, line: 1, column: 1, kind: 'other', action: 'manual', code: 'unreadable', message };
}
