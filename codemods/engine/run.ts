// The engine: a tree in, a result (per-file edits, sites, diagnostics) out.
// Reads each file once for the byte prefilter, parses only candidates,
// isolates failures per file, and refuses any rewrite that adds ERROR or
// MISSING nodes (guard.ts).
import { countErrorKinds, decodeUtf8, LineIndex, parseC } from '../c/index.js';
import { NO_ERRORS, newParseErrors, type ErrorKinds } from './guard.js';
import { applyEdits } from './edits.js';
import { checkLinks, declarationRanges, EditPlan, narrowToSuspects, overlapping } from './refusal.js';
import type { AnyMigration, FileRewrite, SourceFile } from './migration.js';
import type { TreeSource } from '../io/source.js';
import type { FileResult, RunResult } from './types.js';
import { covers } from './scan-core.js';
import type { Helpers } from './helpers.js';
import type { RunOptions } from './run-options.js';
import { helpersFor, scanTree } from './scan.js';
import { migrateAsJobs, scanned } from './job-run.js';
import { internalSite, notUtf8Site, unreadableDirSite, unreadableSite } from './jobs.js';

export type { RunOptions } from './run-options.js';

export async function runMigration(migration: AnyMigration, source: TreeSource, opts: RunOptions): Promise<RunResult> {
  if (opts.helpers) return migrate(migration, source, opts, opts.helpers);
  const helpers = helpersFor(source, opts.jobs);
  try {
    return await migrate(migration, source, opts, helpers);
  } finally {
    await helpers.close();
  }
}

async function migrate(migration: AnyMigration, source: TreeSource, opts: RunOptions, helpers: Helpers): Promise<RunResult> {
  if (migration.jobs) return migrateAsJobs(migration, source, opts, helpers);
  const limitedAtStart = source.limited ?? false;
  let facts = migration.createFacts({ limited: limitedAtStart });
  /** Every call that taught `facts` something, in order: replayed if the scan turns out partial. */
  const lessons: ((into: unknown) => void)[] = [];
  const learn = (lesson: (into: unknown) => void) => {
    lessons.push(lesson);
    lesson(facts);
  };
  const parse = { files: 0, bytes: 0, filesWithErrors: 0, errorNodes: 0, parseMs: 0 };
  const results = new Map<string, FileResult>();
  const parsed = new Map<string, SourceFile>();
  /** ERROR/MISSING nodes of each parsed file as read, for the re-parse guard. */
  const errorsAtLoad = new Map<string, ErrorKinds>();

  const load = (path: string, bytes: Uint8Array, firstPass = false): SourceFile | undefined => {
    const text = decodeUtf8(bytes);
    if (firstPass && text !== undefined && migration.accepts && !migration.accepts(text)) return undefined;
    if (text === undefined) {
      learn((into) => migration.afterUnreadable?.(path, bytes, into));
      results.set(path, { path, status: 'refused', sites: [notUtf8Site(path, bytes)] });
      return undefined;
    }
    const t0 = performance.now();
    const tree = parseC(text);
    parse.parseMs += performance.now() - t0;
    parse.files++;
    parse.bytes += bytes.length;
    const kinds = countErrorKinds(tree.rootNode);
    const errors = kinds.error + kinds.missing;
    errorsAtLoad.set(path, kinds);
    if (errors > 0) parse.filesWithErrors++;
    parse.errorNodes += errors;
    const file: SourceFile = { path, text, tree, root: tree.rootNode, lines: new LineIndex(text) };
    parsed.set(path, file);
    return file;
  };

  const ctx = {
    readAux: (path: string) => {
      const f = parsed.get(path);
      if (f) return f.text;
      const bytes = source.read(path);
      return bytes ? decodeUtf8(bytes) : undefined;
    },
  };

  // Pass 1: every file once, byte prefilter; candidates are parsed as they
  // come back (while the workers read on) and teach the migration its facts.
  // A needle made of identifier characters that contains a name hint is
  // answered by the hint's identifier index instead of its own search.
  const hints = migration.nameHints ?? [];
  const hinted = (n: string) => /^\w+$/.test(n) && hints.some((h) => n.includes(h));
  const indexed = migration.needles.filter(hinted);
  const index = new Map<string, Set<string>>();
  const discover = (path: string, bytes: Uint8Array | undefined, firstPass = false) => {
    if (parsed.has(path) || results.has(path)) return;
    // A file the scan could not read (it counts as a hit) and that still cannot be read.
    if (!bytes) {
      results.set(path, { path, status: 'refused', sites: [unreadableSite(path)] });
      return;
    }
    const file = load(path, bytes, firstPass);
    if (file) learn((into) => migration.discover(file, into, ctx));
  };
  const files = await scanTree(
    source,
    { needles: migration.needles.filter((n) => !hinted(n)), hints },
    { ...opts, helpers },
    (path, scan) => {
      for (const id of scan.idents) (index.get(id) ?? index.set(id, new Set()).get(id)!).add(path);
      if (scan.hit || scan.idents.some((id) => indexed.some((n) => id.includes(n)))) discover(path, source.read(path), true);
    },
    undefined,
    (done, total) => opts.onProgress?.({ phase: 'scan', done, total, sites: 0, candidates: parsed.size }),
  );

  // The files that are candidates whatever they hold (no text test), when the scan found them.
  for (const path of migration.paths ?? []) if (scanned(files, path)) discover(path, source.read(path));

  // A folder the walk could not read makes the scan partial: it is a site,
  // and the facts are learned again as for a path-limited run, so that no
  // decision that needs the whole tree is taken.
  for (const dir of source.unreadableDirs?.() ?? []) results.set(dir, { path: dir, status: 'refused', sites: [unreadableDirSite(dir)] });
  if ((source.limited ?? false) && !limitedAtStart) {
    facts = migration.createFacts({ limited: true });
    for (const lesson of lessons) lesson(facts);
  }

  // Pass 2: names learned in pass 1 (implementations found through ops
  // tables) may live in files no pass-1 needle matched. A name that contains
  // a hint is looked up in the index; only other names cost a second read.
  const extra = migration.extraNeedles(facts).filter((n) => !migration.needles.some((m: string) => covers(m, n)));
  const later = new Set<string>();
  for (const name of extra.filter(hinted)) for (const p of index.get(name) ?? []) later.add(p);
  const rescan = extra.filter((n) => !hinted(n));
  if (rescan.length > 0) {
    const rest = files.filter((f) => !parsed.has(f) && !results.has(f));
    await scanTree(source, { needles: rescan, hints: [] }, { ...opts, helpers }, (path, scan) => scan.hit && later.add(path), rest, (done, total) =>
      opts.onProgress?.({ phase: 'rescan', done, total, sites: 0, candidates: parsed.size }),
    );
  }
  for (const path of [...later].sort()) discover(path, source.read(path));
  migration.afterDiscover?.(facts, parsed);

  // Rewrite: ordinary files first, then those that depend on all others.
  const candidates = [...parsed.keys()].sort();
  const ordinary = candidates.filter((p) => !migration.isDeferred(p, facts));
  const deferred = candidates.filter((p) => migration.isDeferred(p, facts));
  let siteCount = 0;
  for (const [round, list] of [
    [1, ordinary],
    [2, deferred],
  ] as const) {
    // The re-parse guard's parses are shared with the worker threads, if any,
    // the longest texts first: the workers take them from the front, this
    // thread from the back, so that whoever finishes last has a short one.
    const counter = helpers.errorCounter((text) => countErrorKinds(parseC(text).rootNode));
    const drafts = list.map((path) => draftRewrite(migration, parsed.get(path)!, facts, round === 1));
    const guarded = drafts.filter((d): d is Draft => !('status' in d)).sort((a, b) => b.after.length - a.after.length);
    for (const d of guarded) counter.add(d.after);
    const counts = await counter.finish();
    const errorsAfter = new Map(guarded.map((d, i) => [d, counts[i]!]));
    for (const draft of drafts) {
      const result = 'status' in draft ? draft : conclude(migration, draft, errorsAtLoad.get(draft.file.path) ?? NO_ERRORS, errorsAfter.get(draft)!, facts, round === 1);
      results.set(result.path, result);
      siteCount += result.sites.length;
      opts.onProgress?.({ phase: 'rewrite', done: results.size, total: candidates.length, sites: siteCount, candidates: candidates.length });
    }
  }

  const fileResults = [...results.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const sites = fileResults.flatMap((f) => f.sites);
  return {
    codemod: migration.meta.id,
    root: opts.rootLabel,
    files: fileResults,
    sites,
    summary: {
      filesScanned: files.length,
      symlinksSkipped: source.skippedLinks?.().length ?? 0,
      filesParsed: parse.files,
      filesChanged: fileResults.filter((f) => f.status === 'changed').length,
      rewritten: sites.filter((s) => s.action === 'rewritten').length,
      manual: sites.filter((s) => s.action === 'manual').length,
      unchanged: sites.filter((s) => s.action === 'unchanged').length,
    },
    parse,
  };
}

/** A rewrite whose text is ready and waits for the re-parse guard. */
interface Draft {
  file: SourceFile;
  plan: EditPlan;
  after: string;
}

/**
 * One file's rewrite, isolated: any failure becomes a manual site, never a
 * crash. A finished result when there is nothing to guard, else a draft.
 * Overlapping edits are refused here, with what goes with them (refusal.ts).
 */
function draftRewrite(migration: AnyMigration, file: SourceFile, facts: unknown, feedBack: boolean): FileResult | Draft {
  const { path } = file;
  let out: FileRewrite;
  try {
    out = migration.rewrite(file, facts);
    checkLinks(file.text, out.edits, out.sites);
  } catch (err) {
    if (feedBack) migration.afterRewrite(file, { edits: [], sites: [] }, facts, false);
    return { path, status: 'error', sites: [internalSite(path, err)] };
  }
  const sites = [...out.sites].sort((a, b) => a.line - b.line || a.column - b.column);
  if (out.edits.length === 0) {
    if (feedBack) migration.afterRewrite(file, out, facts, true);
    return { path, status: 'unchanged', sites };
  }
  const plan = new EditPlan(out.edits, sites, (s) => migration.eraGroup?.(s), () => declarationRanges(file.root));
  plan.refuse(overlapping(out.edits), 'edit-overlap', 'two rewrites overlap');
  if (plan.whole) {
    if (feedBack) migration.afterRewrite(file, out, facts, false);
    return { path, status: 'refused', sites: plan.result() };
  }
  return { file, plan, after: applyEdits(file.text, plan.kept()) };
}

/**
 * The re-parse guard's verdict on a draft: a rewrite may never add ERROR or
 * MISSING nodes. When it does, the edits where the errors now are go (with
 * what goes with them) and the rest is guarded again; the whole file only
 * when that is not enough.
 */
function conclude(migration: AnyMigration, draft: Draft, errorsBefore: ErrorKinds, errorsAfter: ErrorKinds, facts: unknown, feedBack: boolean): FileResult {
  const { file, plan } = draft;
  const { path } = file;
  let after: string | undefined = draft.after;
  const worse = newParseErrors(errorsBefore, errorsAfter);
  if (worse !== undefined) after = narrowToSuspects(plan, file.text, errorsBefore, parseC(after).rootNode, worse);
  const sites = plan.result();
  if (after === undefined) {
    if (feedBack) migration.afterRewrite(file, { edits: [...plan.edits], sites: [...plan.sites] }, facts, false);
    return { path, status: 'refused', sites };
  }
  const edits = plan.kept();
  if (feedBack) migration.afterRewrite(file, { edits, sites }, facts, true);
  if (after === file.text) return { path, status: 'unchanged', sites };
  return { path, status: 'changed', before: file.text, after, edits, sites };
}
