// A worker thread of a run (helpers.ts). Three kinds of jobs, each posted to
// every worker and done by the first thread to claim it (a compare-and-swap
// on shared memory), so that no worker waits on the main thread, which may
// be busy parsing:
// - chunks of paths for the byte prefilter: files are read straight into the
//   scanner's memory; only paths and names cross the thread boundary;
// - rewritten texts to parse for the engine's re-parse guard;
// - a migration's discover and rewrite jobs (job-run.ts, jobs.ts).
// Tree-sitter and the job code load when the thread starts.
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { afterParse } from '../c/collect.js';
import type { ErrorKinds } from '../c/parser.js';
import { Prefilter, scanFile } from './scan-core.js';
import { optimiseLate } from './tiering.js';

/** A migration run as jobs (job-run.ts): set up once per phase, then one job per file. */
export type MigrationJob =
  | {
      kind: 'mig-setup';
      task: number;
      claims: Uint8Array;
      root: string;
      module: string;
      data: unknown;
      limited: boolean;
      names: string[];
      /** The run, and the characters of source whose trees a thread may keep between its phases (jobs.ts). */
      run: number;
      keepChars: number;
      countErrors: boolean;
      phase: 'discover' | 'rewrite';
      facts?: unknown;
    }
  | { kind: 'mig-job'; task: number; id: number; path: string; firstPass?: boolean; errorsBefore?: ErrorKinds };

export type ToWorker =
  /** Load a migration's module before its jobs come (job-run.ts); tree-sitter and the job code load when the thread starts. */
  | { kind: 'preload'; module: string }
  | { kind: 'scan-setup'; scan: number; root: string; shortReadIsEnd: boolean; needles: string[]; hints: string[]; claims: Uint8Array }
  | { kind: 'chunk'; scan: number; id: number; files: string[] }
  | { kind: 'count-setup'; task: number; claims: Uint8Array }
  | { kind: 'count'; task: number; id: number; text: string }
  | MigrationJob
  /** The run is over: let go of the trees kept for it that no rewrite took. */
  | { kind: 'release'; run: number }
  /** Finish what was started, then let the thread end by itself (never terminated while native code runs). */
  | { kind: 'stop' };

export type FromWorker =
  /** `hits` and the second member of each `idents` pair index the chunk's files. */
  | { kind: 'chunk'; scan: number; id: number; hits: number[]; idents: [string, number][] }
  | { kind: 'errors'; task: number; id: number; count: ErrorKinds | null }
  | { kind: 'mig-done'; task: number; id: number; outcome: unknown }
  | { kind: 'mig-done'; task: number; id: number; error: string };

// This thread has booted: V8 may optimise later from now on (tiering.ts).
optimiseLate();

const scans = new Map<number, { root: string; shortReadIsEnd: boolean; prefilter: Prefilter; claims: Uint8Array }>();
const counts = new Map<number, Uint8Array>();
// The parser and the job code load as soon as the thread starts: it starts
// while the main thread loads the command, and would otherwise load them
// during the scan. Nearly every run parses (jobs, or the guard's counts).
// A failure to load shows where a job or a count uses them.
const parser: Promise<typeof import('../c/parser.js')> = import('../c/parser.js').then((m) => {
  m.prepareParser();
  return m;
});
parser.catch(() => undefined);
/**
 * While this resolves, chunks wait: code loads in many steps (a file read,
 * then a compile, per module), and with a chunk scanned between two steps it
 * would finish only with the scan, holding up this thread's first job. The
 * main thread claims the chunks held back meanwhile.
 */
let loading: Promise<unknown> | undefined;
const heldChunks: Extract<ToWorker, { kind: 'chunk' }>[] = [];
function loadFirst(code: Promise<unknown>): void {
  const all = Promise.all([loading, code.catch(() => undefined)]);
  loading = all;
  void all.then(() => {
    if (loading !== all) return;
    loading = undefined;
    for (const chunk of heldChunks.splice(0)) scanChunk(chunk);
  });
}
loadFirst(Promise.all([parser, import('./jobs.js')]));

const reply = (msg: FromWorker) => parentPort!.postMessage(msg);

interface MigrationTask {
  setup: Extract<MigrationJob, { kind: 'mig-setup' }>;
  ready: Promise<{ ctx: import('./jobs.js').JobContext; jobs: typeof import('./jobs.js') }>;
}
const migrationTasks = new Map<number, MigrationTask>();

function migrationTask(setup: Extract<MigrationJob, { kind: 'mig-setup' }>): MigrationTask {
  const ready = Promise.all([import(setup.module) as Promise<{ workerMigration(data: unknown): import('./migration.js').AnyMigration }>, import('./jobs.js')]).then(([m, jobs]) => {
    const read = (p: string): Uint8Array | undefined => {
      try {
        return readFileSync(`${setup.root}/${p}`);
      } catch {
        return undefined;
      }
    };
    jobsModule = jobs;
    const ctx = { migration: m.workerMigration(setup.data), read, limited: setup.limited, names: new Set(setup.names), run: setup.run, keepChars: setup.keepChars, countErrors: setup.countErrors };
    return { ctx, jobs };
  });
  return { setup, ready };
}

/** Jobs run one after the other, with a turn of the event loop (and now and then a collection) between two. */
let jobQueue: Promise<unknown> = Promise.resolve();
/** The job code, once a task has loaded it: which trees this thread kept. */
let jobsModule: typeof import('./jobs.js') | undefined;
/** Jobs posted and not yet started. */
const waiting: Extract<MigrationJob, { kind: 'mig-job' }>[] = [];

/**
 * The next job to start: in a rewrite phase, the first of those waiting
 * whose tree this thread kept (another thread would parse the file again),
 * else the first. A discover job's file is never one whose tree is kept,
 * and a thread that keeps none has nothing to look for: neither searches
 * the queue (thousands of jobs on a treewide run).
 */
function nextJob(): Extract<MigrationJob, { kind: 'mig-job' }> {
  const first = waiting[0]!;
  const { setup } = migrationTasks.get(first.task)!;
  if (setup.phase === 'discover' || !jobsModule?.holdsAny(setup.run)) return waiting.shift()!;
  const own = waiting.findIndex((m) => jobsModule!.holdsTree(migrationTasks.get(m.task)!.setup.run, m.path));
  return waiting.splice(Math.max(own, 0), 1)[0]!;
}

function migrationJob(posted: Extract<MigrationJob, { kind: 'mig-job' }>): void {
  waiting.push(posted);
  // One turn of the queue per job posted; the turn picks which job it runs.
  jobQueue = jobQueue.then(() => runJob(nextJob()));
}

function runJob(msg: Extract<MigrationJob, { kind: 'mig-job' }>): Promise<void> {
  const task = migrationTasks.get(msg.task)!;
  return task.ready.then(
    async ({ ctx, jobs }) => {
      if (!claim(task.setup.claims, msg.id)) return;
      try {
        const outcome =
          task.setup.phase === 'discover'
            ? await jobs.discoverJob(ctx, msg.path, msg.firstPass ?? false)
            : await jobs.rewriteJob(ctx, task.setup.facts, msg.path, msg.errorsBefore);
        reply({ kind: 'mig-done', task: msg.task, id: msg.id, outcome });
      } catch (err) {
        reply({ kind: 'mig-done', task: msg.task, id: msg.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      }
      await afterParse(8);
    },
    (err: unknown) => {
      if (claim(task.setup.claims, msg.id)) reply({ kind: 'mig-done', task: msg.task, id: msg.id, error: String(err) });
    },
  );
}
const claim = (claims: Uint8Array, id: number) => Atomics.compareExchange(claims, id, 0, 1) === 0;

function scanChunk(msg: Extract<ToWorker, { kind: 'chunk' }>): void {
  const scan = scans.get(msg.scan)!;
  if (!claim(scan.claims, msg.id)) return;
  const hits: number[] = [];
  const idents: [string, number][] = [];
  for (let i = 0; i < msg.files.length; i++) {
    const r = scanFile(scan.prefilter, `${scan.root}/${msg.files[i]}`, scan.shortReadIsEnd);
    if (r.hit) hits.push(i);
    for (const id of r.idents) idents.push([id, i]);
  }
  reply({ kind: 'chunk', scan: msg.scan, id: msg.id, hits, idents });
}

parentPort!.on('message', (msg: ToWorker) => {
  switch (msg.kind) {
    case 'preload':
      // Loaded once: mig-setup's imports then find it in the module cache.
      loadFirst(import(msg.module));
      return;
    case 'mig-setup':
      migrationTasks.set(msg.task, migrationTask(msg));
      return;
    case 'mig-job':
      migrationJob(msg);
      return;
    case 'release': {
      const run = msg.run;
      jobQueue = jobQueue.then(() => jobsModule?.releaseTrees(run));
      return;
    }
    case 'stop': {
      // Jobs still queued on the parser's promise run first (then-callbacks
      // run in order); closing the port lets the event loop empty, and the
      // thread exits with tree-sitter idle.
      const close = () => parentPort!.close();
      void Promise.all([parser, jobQueue, loading]).then(close, close);
      return;
    }
    case 'scan-setup':
      scans.set(msg.scan, { root: msg.root, shortReadIsEnd: msg.shortReadIsEnd, prefilter: new Prefilter(msg.needles, msg.hints), claims: msg.claims });
      return;
    case 'chunk':
      if (loading) heldChunks.push(msg);
      else scanChunk(msg);
      return;
    case 'count-setup':
      counts.set(msg.task, msg.claims);
      return;
    case 'count': {
      const claims = counts.get(msg.task)!;
      // Jobs are claimed in the order they came: `then` callbacks of one promise run in order.
      // A count that fails here (null) is counted again by the main thread, which reports what goes wrong.
      void parser.then(
        ({ countErrorKinds, parseC }) => {
          if (!claim(claims, msg.id)) return;
          let count: ErrorKinds | null = null;
          try {
            count = countErrorKinds(parseC(msg.text).rootNode);
          } catch {
            // counted again by the main thread
          }
          reply({ kind: 'errors', task: msg.task, id: msg.id, count });
        },
        () => {
          if (claim(claims, msg.id)) reply({ kind: 'errors', task: msg.task, id: msg.id, count: null });
        },
      );
      return;
    }
  }
});
