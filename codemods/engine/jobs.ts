// The two jobs of a migration run as jobs (job-run.ts), done the same way
// by a worker thread or by the main thread: learn from one file, or rewrite
// one file. Each job returns data only (facts, sites, edits, texts), so that
// any thread can take any job. A discover job's tree may outlive it, kept by
// its thread for the rewrite of the same file, so that the file is parsed
// once: the run's largest candidate's always (job-run.ts gives it to the main
// thread in both phases), others while the thread's kept trees stay within
// a budget of source characters.
import { threadId } from 'node:worker_threads';
import { countErrorKinds, decodeUtf8, firstInvalidUtf8Line, freeDeadTrees, LARGE_TEXT, LineIndex, noteTree, parseC, reparseC, type ErrorKinds } from '../c/index.js';
import { newParseErrors } from './guard.js';
import { renderEngine, type EngineCode } from './codes.js';
import { applyEdits, normalizeEdits } from './edits.js';
import { checkLinks, declarationRanges, EditPlan, narrowToSuspects, overlapping } from './refusal.js';
import type { AnyMigration, FileRewrite, SourceFile } from './migration.js';
import type { Edit, FileResult, Site } from './types.js';

/** What a job needs besides its path. */
export interface JobContext {
  migration: AnyMigration;
  read(path: string): Uint8Array | undefined;
  limited: boolean;
  names: ReadonlySet<string>;
  /** The run the job belongs to: a tree kept by one run's discover job is only ever rewritten by that run. */
  run?: number;
  /**
   * Characters of source whose trees this thread may keep from discover to
   * rewrite, besides the one it is told to keep (0 or absent: none).
   */
  keepChars?: number;
  /**
   * Count each discovered file's ERROR and MISSING nodes for the run's
   * statistics. Without it a file is counted only where the re-parse guard
   * needs it: when its rewrite has edits, on its tree before they are made.
   */
  countErrors?: boolean;
}

export type DiscoverOutcome =
  | {
      status: 'ok';
      facts: unknown;
      /** The tree holds an ERROR or MISSING node. */
      hasErrors: boolean;
      /** Its ERROR and MISSING nodes, when counted (JobContext.countErrors). */
      errors?: ErrorKinds;
      bytes: number;
      parseMs: number;
      speculation?: { outcome: RewriteOutcome; deps: unknown };
      /** The thread that kept the file's tree for its rewrite (worker_threads' threadId: 0 is the main thread). */
      kept?: number;
    }
  | { status: 'refused'; result: FileResult }
  | { status: 'skipped' };

/**
 * The trees this thread's discover jobs kept for the rewrites of the same
 * files, by run and path, and the characters of source they hold. Keeping
 * a tree saves the second parse (on kernel C, parsing is most of a job's
 * time); the rewrite edits it and lets it go. A tree costs about 22 bytes
 * per character of source, so the budget bounds the memory they take.
 */
const keptTrees = new Map<string, SourceFile>();
let keptChars = 0;
const keptKey = (run: number, path: string) => `${run}\0${path}`;

/** True when this thread holds the tree of `path` for run `run`. */
export function holdsTree(run: number, path: string): boolean {
  return keptTrees.has(keptKey(run, path));
}

/** True when this thread holds some tree for run `run`. */
export function holdsAny(run: number): boolean {
  for (const key of keptTrees.keys()) if (key.startsWith(`${run}\0`)) return true;
  return false;
}

/** The tree kept under `key`, now the caller's (no longer counted in the budget). */
function untrack(key: string): SourceFile | undefined {
  const file = keptTrees.get(key);
  if (!file) return undefined;
  keptTrees.delete(key);
  keptChars -= file.text.length;
  return file;
}

/** The tree of `path` kept for run `run`, now the caller's. */
function takeTree(run: number, path: string): SourceFile | undefined {
  return untrack(keptKey(run, path));
}

/** Let go of the trees kept for run `run` that no rewrite took (at the end of the run). */
export function releaseTrees(run: number): void {
  for (const key of [...keptTrees.keys()]) {
    if (key.startsWith(`${run}\0`)) noteTree(untrack(key)!.text.length);
  }
}

/**
 * Parse one file and learn what it tells (`firstPass`: the migration's text
 * test applies). Its tree is kept for the rewrite of the same file when
 * `keep` says so or the thread's budget (ctx.keepChars) has room, unless a
 * speculative rewrite used it already.
 */
export async function discoverJob(ctx: JobContext, path: string, firstPass: boolean, keep = false): Promise<DiscoverOutcome> {
  const bytes = ctx.read(path);
  if (!bytes) return { status: 'refused', result: { path, status: 'refused', sites: [unreadableSite(path)] } };
  const text = decodeUtf8(bytes);
  if (text === undefined) return { status: 'refused', result: { path, status: 'refused', sites: [notUtf8Site(path, bytes)] } };
  if (firstPass && ctx.migration.accepts && !ctx.migration.accepts(text)) return { status: 'skipped' };
  const t0 = performance.now();
  const file = parsedFile(path, text);
  const parseMs = performance.now() - t0;
  const facts = ctx.migration.createFacts({ limited: ctx.limited });
  ctx.migration.discover(file, facts, {
    readAux: (p: string) => {
      const b = ctx.read(p);
      return b ? decodeUtf8(b) : undefined;
    },
    names: ctx.names,
  });
  const hasErrors = file.root.hasError;
  const errors = ctx.countErrors ? countErrorKinds(file.root) : undefined;
  // The rewrite this file alone allows, while its tree is at hand (checked against the whole tree later).
  const guess = ctx.migration.jobs?.speculate?.(file, facts, ctx.names);
  const speculation = guess ? { outcome: await finishRewrite(ctx, file, guess.rewrite, errors), deps: guess.deps } : undefined;
  const keepIt = !speculation && ctx.run !== undefined && (keep || keptChars + text.length <= (ctx.keepChars ?? 0));
  if (keepIt) {
    keptTrees.set(keptKey(ctx.run!, path), file);
    keptChars += text.length;
  } else noteTree(text.length);
  return { status: 'ok', facts, hasErrors, ...(errors ? { errors } : {}), bytes: bytes.length, parseMs, ...(speculation ? { speculation } : {}), ...(keepIt ? { kept: threadId } : {}) };
}

export interface RewriteOutcome {
  result: FileResult;
  /** Facts the migration learnt from the outcome (afterRewrite), to fold into the run's. */
  delta: unknown;
  /** The rewrite parsed the file again: no tree of it was kept on the thread that did it. */
  parsedAgain?: true;
}

/**
 * Rewrite one file with the run's facts, apply the edits, and judge the
 * result with the re-parse guard: a rewrite may never add ERROR nodes.
 * `errorsBefore`: the file's count when it was discovered, if it was
 * counted then (else it is counted here, if needed). The file's tree
 * is the one its discover job kept, when this thread holds it.
 */
export async function rewriteJob(ctx: JobContext, facts: unknown, path: string, errorsBefore?: ErrorKinds): Promise<RewriteOutcome> {
  const { migration } = ctx;
  const delta = migration.createFacts({ limited: ctx.limited });
  let file = ctx.run === undefined ? undefined : takeTree(ctx.run, path);
  let parsedAgain = false;
  if (!file) {
    const bytes = ctx.read(path);
    const text = bytes ? decodeUtf8(bytes) : undefined;
    if (text === undefined) return { result: { path, status: 'refused', sites: [bytes ? notUtf8Site(path, bytes) : unreadableSite(path)] }, delta };
    file = parsedFile(path, text);
    parsedAgain = true;
  }
  noteTree(file.text.length);
  const again = parsedAgain ? { parsedAgain: true as const } : {};
  let out: FileRewrite;
  try {
    out = migration.rewrite(file, facts);
  } catch (err) {
    migration.afterRewrite(file, { edits: [], sites: [] }, delta, false);
    return { result: { path, status: 'error', sites: [internalSite(path, err)] }, delta, ...again };
  }
  return { ...(await finishRewrite(ctx, file, out, errorsBefore, delta)), ...again };
}

/**
 * Apply a file's rewrite and judge it with the re-parse guard. Overlapping
 * edits, and edits where the rewritten text has new parse errors, are
 * refused with what goes with them (refusal.ts); the rest stands.
 */
async function finishRewrite(
  ctx: JobContext,
  file: SourceFile,
  out: FileRewrite,
  errorsBefore: ErrorKinds | undefined,
  delta: unknown = ctx.migration.createFacts({ limited: ctx.limited }),
): Promise<RewriteOutcome> {
  const { migration } = ctx;
  const { path, text } = file;
  const sites = [...out.sites].sort((a, b) => a.line - b.line || a.column - b.column);
  try {
    checkLinks(text, out.edits, out.sites);
  } catch (err) {
    migration.afterRewrite(file, { edits: [], sites: [] }, delta, false);
    return { result: { path, status: 'error', sites: [internalSite(path, err)] }, delta };
  }
  if (out.edits.length === 0) {
    migration.afterRewrite(file, out, delta, true);
    return { result: { path, status: 'unchanged', sites }, delta };
  }
  // The file's own tree is edited by the incremental re-parse below; what
  // is asked of the original after that comes from a fresh parse.
  let reused = false;
  let fresh: SourceFile | undefined;
  const original = (): SourceFile => {
    if (!reused) return file;
    if (!fresh) noteTree(text.length);
    return (fresh ??= parsedFile(path, text));
  };
  const plan = new EditPlan(out.edits, sites, (s) => migration.eraGroup?.(s), () => declarationRanges(original().root));
  plan.refuse(overlapping(out.edits), 'edit-overlap', 'two rewrites overlap');
  if (plan.whole) {
    migration.afterRewrite(file, out, delta, false);
    return { result: { path, status: 'refused', sites: plan.result() }, delta };
  }
  const kept = plan.kept();
  let after: string | undefined = applyEdits(text, kept);
  // What the migration learns from either outcome, taken before the tree is reused below.
  const ifApplied = migration.createFacts({ limited: ctx.limited });
  const ifRefused = migration.createFacts({ limited: ctx.limited });
  migration.afterRewrite(file, { edits: kept, sites: plan.result() }, ifApplied, true);
  migration.afterRewrite(file, out, ifRefused, false);
  // The re-parse guard: the file's own tree is parsed again where the edits
  // touch it. A refusal is confirmed by a full parse, so that the
  // incremental parser's error recovery never refuses a rewrite a fresh
  // parse would accept; that parse also shows where the errors are.
  // Editing a tree updates every node object still in its cache: on a
  // large file, collect the ones the migration made first (c/collect.ts).
  // When discover left out the count before the edits, it is taken after
  // them, from the edited tree (an edit moves nodes, it changes none):
  // counted first, its node objects made every edit cost more (on the
  // flagship's iommu.c, the re-parse took 17 ms instead of 8).
  if (text.length >= LARGE_TEXT) await freeDeadTrees();
  reused = true;
  const kinds = countErrorKinds(reparseC(file.tree, file.lines, normalizeEdits(kept), after).rootNode);
  const before = errorsBefore ?? countErrorKinds(file.root);
  if (newParseErrors(before, kinds)) {
    noteTree(after.length);
    const full = parseC(after).rootNode;
    const worse = newParseErrors(before, countErrorKinds(full));
    if (worse) after = narrowToSuspects(plan, text, before, full, worse);
  }
  const result = plan.result();
  if (after === undefined) {
    migration.jobs?.mergeFacts(delta, ifRefused);
    return { result: { path, status: 'refused', sites: result }, delta };
  }
  if (plan.refusedAny) {
    // Part of the rewrite stands: learn from what does, on an untouched tree.
    const partly = migration.createFacts({ limited: ctx.limited });
    migration.afterRewrite(original(), { edits: plan.kept(), sites: result }, partly, true);
    migration.jobs?.mergeFacts(delta, partly);
  } else migration.jobs?.mergeFacts(delta, ifApplied);
  if (after === text) return { result: { path, status: 'unchanged', sites: result }, delta };
  return { result: { path, status: 'changed', before: text, after, edits: plan.kept().map(plainEdit), sites: result }, delta };
}

/** `text` parsed; the caller notes the tree for collection (c/collect.ts noteTree) once it will be dead after the job. */
function parsedFile(path: string, text: string): SourceFile {
  const tree = parseC(text);
  return { path, text, tree, root: tree.rootNode, lines: new LineIndex(text) };
}

/** An edit as it crosses threads: the fields a result needs, nothing the migration hung on it. */
function plainEdit(e: Edit): Edit {
  const out: Edit = { start: e.start, end: e.end, text: e.text };
  if (e.step !== undefined) out.step = e.step;
  if (e.sites !== undefined) out.sites = [...e.sites];
  if (e.changesBehaviour) out.changesBehaviour = true;
  return out;
}

/** A manual site of the engine's own, for a whole file (or folder). */
function engineSite(path: string, line: number, code: EngineCode, params: Record<string, string> = {}): Site {
  return { path, line, column: 1, kind: 'other', action: 'manual', code, message: renderEngine(code, params) };
}

export function unreadableSite(path: string): Site {
  return engineSite(path, 1, 'unreadable', { what: 'file', missed: 'it was not searched', fix: 'check that it exists and is readable' });
}

export function notUtf8Site(path: string, bytes: Uint8Array): Site {
  return engineSite(path, firstInvalidUtf8Line(bytes), 'not-utf8');
}

export function internalSite(path: string, err: unknown): Site {
  return engineSite(path, 1, 'internal-error', { why: err instanceof Error ? err.message : String(err) });
}

export function unreadableDirSite(path: string): Site {
  const missed = 'its files were not searched and no decision that needs the whole tree was taken';
  return engineSite(path, 1, 'unreadable', { what: 'folder', missed, fix: 'check its permissions' });
}
