// A run of a migration that works as jobs (Migration.jobs): the tree is read
// once for the byte prefilter, the candidates' text gives the names the
// migration needs, and then every candidate is a job, parsed by whichever
// thread claims it: first to learn from it (discover), then to rewrite it.
// A thread keeps the trees of the files it discovered for their rewrites
// while they fit its budget (KEEP_CHARS), and the rewrite of each goes back
// to that thread, so that a file is parsed once; past the budget, a tree
// lives only as long as its job, so memory stays flat however many files a
// treewide change touches. The largest candidate is this thread's, kept
// whatever its size (a second parse of it would cost the most).
import { afterParse, decodeUtf8, type ErrorKinds } from '../c/index.js';
import { Claims, type Helpers } from './helpers.js';
import { threadId } from 'node:worker_threads';
import { discoverJob, releaseTrees, rewriteJob, unreadableDirSite, type DiscoverOutcome, type JobContext, type RewriteOutcome } from './jobs.js';
import type { AnyMigration } from './migration.js';
import type { RunOptions } from './run-options.js';
import { covers } from './scan-core.js';
import type { FromWorker, MigrationJob } from './scan-worker.js';
import { scanTree } from './scan.js';
import type { TreeSource } from '../io/source.js';
import type { FileResult, RunResult } from './types.js';

let tasks = 0;
let runs = 0;

/** Rewrite jobs that had to parse their file again, in this process (the tests read it). */
export const rewriteActivity = { parsedAgain: 0 };

/**
 * Characters of source whose trees each thread keeps between the phases,
 * besides the largest candidate's: 2 Mi, about 45 MB of trees (a tree costs
 * about 22 bytes per character). The flagship's 17 candidates hold 0.5 Mi.
 */
const KEEP_CHARS = 2 * 1024 * 1024;

/** One job of a phase: its file, and what the phase needs to know of it. */
interface JobItem {
  path: string;
  firstPass?: boolean;
  errorsBefore?: ErrorKinds;
  /**
   * This thread's job, never posted to a worker: the largest candidate in
   * discover (this thread keeps its tree, in the memory where the model of
   * `--format json` parses next), and in rewrite every file whose tree this
   * thread kept.
   */
  here?: true;
}

export async function migrateAsJobs(migration: AnyMigration, source: TreeSource, opts: RunOptions, helpers: Helpers): Promise<RunResult> {
  const run = runs++;
  try {
    return await migrateRun(migration, source, opts, helpers, run);
  } finally {
    releaseTrees(run);
    helpers.post({ kind: 'release', run });
  }
}

async function migrateRun(migration: AnyMigration, source: TreeSource, opts: RunOptions, helpers: Helpers, run: number): Promise<RunResult> {
  const jobs = migration.jobs!;
  const countErrors = opts.countErrors ?? true;
  const parse: RunResult['parse'] = { files: 0, bytes: 0, filesWithErrors: 0, ...(countErrors ? { errorNodes: 0 } : {}), parseMs: 0 };
  const results = new Map<string, FileResult>();
  const progress = (phase: string, done: number, total: number, candidates: number) =>
    opts.onProgress?.({ phase, done, total, sites: [...results.values()].reduce((n, r) => n + r.sites.length, 0), candidates });

  // The workers load the migration's module while the scan starts (the
  // parser and the job code they loaded when they started): the cost is
  // shared by both threads then, instead of holding up a worker's first
  // discover job.
  if (source.disk) helpers.post({ kind: 'preload', module: jobs.module });

  // Pass 1: the byte prefilter over every file; identifiers holding a hint
  // are indexed. Each hit's text is read as it comes (while the threads scan
  // on): the migration's text test, and the names it learns before parsing.
  const hints = migration.nameHints ?? [];
  const index = new Map<string, Set<string>>();
  const hits = new Map<string, { size: number; accepted: boolean; names: readonly string[] }>();
  const readHit = (path: string, always = false) => {
    const bytes = source.read(path);
    const text = bytes ? (decodeUtf8(bytes) ?? Buffer.from(bytes).toString('latin1')) : undefined;
    const accepted = always || text === undefined || !migration.accepts || migration.accepts(text);
    hits.set(path, { size: bytes?.length ?? 0, accepted, names: accepted && text !== undefined ? jobs.namesFromText(text) : [] });
  };
  const files = await scanTree(
    source,
    { needles: migration.needles, hints },
    { ...opts, helpers },
    (path, scan) => {
      for (const id of scan.idents) (index.get(id) ?? index.set(id, new Set()).get(id)!).add(path);
      if (scan.hit) readHit(path);
    },
    undefined,
    (done, total) => progress('scan', done, total, hits.size),
  );
  // The files that are candidates whatever they hold, when the scan found them (no text test, here or in discover).
  const always = new Set((migration.paths ?? []).filter((path) => scanned(files, path)));
  for (const path of always) if (hits.get(path)?.accepted !== true) readHit(path, true);

  // A folder the walk could not read is a site, and the run is then partial:
  // no decision that needs the whole tree is taken (the facts know it).
  for (const dir of source.unreadableDirs?.() ?? []) results.set(dir, { path: dir, status: 'refused', sites: [unreadableDirSite(dir)] });
  const limited = source.limited ?? false;
  const facts = migration.createFacts({ limited });

  // What the hits' texts said, in path order (the order of the names and candidates does not depend on the threads).
  const names = new Set<string>();
  const firstPass = new Set<string>();
  const sizes = new Map<string, number>();
  for (const [path, hit] of [...hits].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    sizes.set(path, hit.size);
    if (!hit.accepted) continue;
    firstPass.add(path);
    for (const n of hit.names) names.add(n);
  }

  // Pass 2: files that hold one of those names (a definition in another file).
  const later = new Set<string>();
  const hinted = (n: string) => /^\w+$/.test(n) && hints.some((h) => n.includes(h));
  const extra = [...names].filter((n) => !migration.needles.some((m: string) => covers(m, n)));
  for (const name of extra.filter(hinted)) for (const p of index.get(name) ?? []) if (!firstPass.has(p)) later.add(p);
  const rescan = extra.filter((n) => !hinted(n));
  if (rescan.length > 0) {
    const rest = files.filter((f) => !firstPass.has(f));
    await scanTree(source, { needles: rescan, hints: [] }, { ...opts, helpers }, (path, scan) => scan.hit && later.add(path), rest, (done, total) =>
      progress('rescan', done, total, firstPass.size),
    );
  }

  // Discover: every candidate is parsed by whichever thread claims it, but
  // the largest, which this thread parses and keeps for the rewrite (one
  // tree, however large, rather than two parses of it). The others go
  // largest first: workers take jobs from the front and this thread from
  // the back, so the long parses start at once and the short ones fill the end.
  const keepChars = opts.keepChars ?? KEEP_CHARS;
  const ctx: JobContext = { migration, read: (p) => source.read(p), limited, names, run, keepChars, countErrors };
  for (const p of later) if (!sizes.has(p)) sizes.set(p, source.read(p)?.length ?? 0);
  const bySize = (list: string[]) => list.sort((a, b) => (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0));
  const candidates = bySize([...firstPass, ...[...later].filter((p) => !firstPass.has(p))]);
  const largest = candidates[0];
  /** The thread that kept each file's tree (threadId). */
  const kept = new Map<string, number>();
  /** Every file discovered, with its ERROR and MISSING nodes when they were counted. */
  const errorsAtLoad = new Map<string, ErrorKinds | undefined>();
  const speculations = new Map<string, { outcome: RewriteOutcome; deps: unknown }>();
  const base = { module: jobs.module, data: jobs.data, limited, names: [...names], run, keepChars, countErrors };
  await runJobs<DiscoverOutcome>(
    helpers,
    source,
    { ...base, phase: 'discover' },
    [...candidates.filter((p) => p !== largest), ...(largest === undefined ? [] : [largest])].map((path) => ({ path, firstPass: firstPass.has(path) && !always.has(path), ...(path === largest ? { here: true as const } : {}) })),
    (job) => discoverJob(ctx, job.path, job.firstPass ?? false, job.here ?? false),
    (job, outcome) => {
      if (outcome.status === 'skipped') return;
      if (outcome.status === 'refused') {
        results.set(job.path, outcome.result);
        const bytes = source.read(job.path);
        if (bytes && outcome.result.sites[0]?.code === 'not-utf8') migration.afterUnreadable?.(job.path, bytes, facts);
        return;
      }
      jobs.mergeFacts(facts, outcome.facts);
      errorsAtLoad.set(job.path, outcome.errors);
      sizes.set(job.path, outcome.bytes);
      if (outcome.speculation) speculations.set(job.path, outcome.speculation);
      if (outcome.kept !== undefined) kept.set(job.path, outcome.kept);
      parse.files++;
      parse.bytes += outcome.bytes;
      parse.parseMs += outcome.parseMs;
      if (outcome.errors && parse.errorNodes !== undefined) parse.errorNodes += outcome.errors.error + outcome.errors.missing;
      if (outcome.hasErrors) parse.filesWithErrors++;
    },
    (done, total) => progress('parse', done, total, candidates.length),
  );
  migration.afterDiscover?.(facts, new Map());

  // Rewrite: ordinary files first, then those that depend on every other file's outcome.
  const parsed = [...errorsAtLoad.keys()].sort();
  // A speculative rewrite stands when the whole tree answers as the file alone did.
  for (const [path, s] of speculations) {
    if (migration.isDeferred(path, facts) || !jobs.confirm?.(s.deps, facts, path)) continue;
    results.set(path, s.outcome.result);
    opts.onFileResult?.(s.outcome.result);
    jobs.mergeFacts(facts, s.outcome.delta);
  }
  speculations.clear();
  const ordinary = bySize(parsed.filter((p) => !migration.isDeferred(p, facts) && !results.has(p)));
  const deferred = bySize(parsed.filter((p) => migration.isDeferred(p, facts)));
  for (const list of [ordinary, deferred]) {
    if (list.length === 0) continue;
    const snapshot = JSON.parse(JSON.stringify(facts)) as unknown;
    // Each file goes back to the thread that kept its tree: the workers'
    // first (they take jobs from the front, and each prefers its own), this
    // thread's last, as its own jobs (never posted); the rest in between.
    const mine = (p: string) => kept.get(p) === threadId;
    const theirs = (p: string) => kept.has(p) && !mine(p);
    await runJobs<RewriteOutcome>(
      helpers,
      source,
      { ...base, phase: 'rewrite', facts: snapshot },
      [...list.filter(theirs), ...list.filter((p) => !kept.has(p)), ...list.filter(mine)].map((path) => ({
        path,
        errorsBefore: errorsAtLoad.get(path),
        ...(mine(path) ? { here: true as const } : {}),
      })),
      (job) => rewriteJob(ctx, snapshot, job.path, job.errorsBefore),
      (job, outcome) => {
        results.set(job.path, outcome.result);
        opts.onFileResult?.(outcome.result);
        jobs.mergeFacts(facts, outcome.delta);
        if (outcome.parsedAgain) rewriteActivity.parsedAgain++;
      },
      (done, total) => progress('rewrite', done, total, parsed.length),
    );
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

/** True when `path` is in `files` (sorted as Array#sort sorts strings). */
export function scanned(files: readonly string[], path: string): boolean {
  let lo = 0;
  let hi = files.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (files[mid]! < path) lo = mid + 1;
    else hi = mid;
  }
  return files[lo] === path;
}

/**
 * Share `items` between the workers (which take them from the front) and
 * this thread (from the back); `onResult` sees every outcome, in no
 * particular order. Items marked `here` (last in `items`) are never posted:
 * this thread does them, first.
 */
async function runJobs<T>(
  helpers: Helpers,
  source: TreeSource,
  setup: Omit<Extract<MigrationJob, { kind: 'mig-setup' }>, 'kind' | 'task' | 'claims' | 'root'>,
  items: JobItem[],
  here: (item: JobItem) => Promise<T>,
  onResult: (item: JobItem, outcome: T) => void,
  progress: (done: number, total: number) => void,
): Promise<void> {
  if (items.length === 0) return;
  const task = tasks++;
  const claims = new Claims(items.filter((item) => !item.here).length);
  const useWorkers = helpers.available && source.disk !== undefined && claims.size > 0 && items.length > 1;
  let replies = 0;
  let mine = 0;
  let failed: unknown;
  let wake: (() => void) | undefined;
  const stop = useWorkers
    ? helpers.listen(
        (msg: FromWorker) => {
          if (msg.kind !== 'mig-done' || msg.task !== task) return;
          replies++;
          if ('error' in msg) failed ??= new Error(`a worker failed on ${items[msg.id]!.path}: ${msg.error}`);
          else onResult(items[msg.id]!, msg.outcome as T);
          progress(replies + mine, items.length);
          wake?.();
        },
        (err) => {
          failed ??= err;
          wake?.();
        },
      )
    : undefined;
  try {
    if (useWorkers) {
      helpers.start();
      helpers.post({ kind: 'mig-setup', task, claims: claims.bytes, root: source.disk!.root, ...setup });
      items.forEach((item, id) => id < claims.size && helpers.post({ kind: 'mig-job', task, id, path: item.path, firstPass: item.firstPass, errorsBefore: item.errorsBefore }));
    }
    for (const id of useWorkers ? helpers.mine(claims, items.length) : items.keys()) {
      if (failed !== undefined) throw failed;
      onResult(items[id]!, await here(items[id]!));
      mine++;
      progress(replies + mine, items.length);
      // Let the workers' replies in between this thread's jobs, and dead trees go.
      if (useWorkers) await new Promise<void>((resolve) => setImmediate(resolve));
      await afterParse();
    }
    while (useWorkers && replies + mine < items.length && failed === undefined && helpers.error === undefined) await new Promise<void>((resolve) => (wake = resolve));
    if (failed !== undefined || helpers.error !== undefined) throw failed ?? helpers.error;
  } finally {
    stop?.();
  }
}
