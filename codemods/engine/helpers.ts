// The worker threads of one run. They scan chunks of the tree for the byte
// prefilter (scan.ts), and afterwards re-parse rewritten files for the
// engine's guard, so that the tail of a run uses every core too. Work is
// shared the same way in both cases: every job is posted to every worker,
// the main thread takes jobs from the other end, and whoever claims a job
// first (one byte of shared memory) does it.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ErrorKinds } from '../c/parser.js';
import type { FromWorker, ToWorker } from './scan-worker.js';

/**
 * The worker threads' script: the compiled scan-worker.js beside this file.
 * When the TypeScript sources run (the tests), it is scan-worker.ts, loaded
 * through the module KMIGRATE_WORKER_LOADER names, which registers a
 * TypeScript loader in the thread (vitest.config.ts sets it). Neither: no
 * workers, and every job is done by the main thread.
 */
function workerScript(): { url: URL; execArgv?: string[] } | undefined {
  const js = new URL('./scan-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { url: js };
  const ts = new URL('./scan-worker.ts', import.meta.url);
  const loader = process.env.KMIGRATE_WORKER_LOADER;
  if (ts.protocol === 'file:' && existsSync(fileURLToPath(ts)) && loader) return { url: ts, execArgv: ['--import', pathToFileURL(loader).href] };
  return undefined;
}

/**
 * What worker threads did in this process: threads started, and the replies
 * they sent for each kind of job (a chunk scanned, a guard's error count, a
 * migration job). The tests read it to know that real threads did the work.
 */
export const workerActivity = { started: 0, chunks: 0, counts: 0, jobs: 0 };

/**
 * Workers started before the command's modules load (startEarly), each with
 * what it did before a run took it: an error, or an exit. The first run to
 * start takes them instead of starting its own.
 */
const early: { worker: Worker; error?: unknown; exit?: number }[] = [];

function spawn(script: { url: URL; execArgv?: string[] }): Worker {
  workerActivity.started++;
  return new Worker(script.url, script.execArgv ? { execArgv: script.execArgv } : {});
}

/**
 * Start `count` workers now, for the run the command is about to make
 * (bin.ts): a worker boots (about 50 ms) and loads its code while the main
 * thread loads the command's, instead of after. Each waits, idle, for a run
 * to take it; stopEarly stops those no run took.
 */
export function startEarly(count: number): void {
  const script = workerScript();
  if (!script || early.length > 0) return;
  for (let i = 0; i < count; i++) {
    const slot: (typeof early)[number] = { worker: spawn(script) };
    // Until a run takes it, what it reports is kept for that run.
    slot.worker.on('error', (err) => (slot.error ??= err));
    slot.worker.once('exit', (code) => (slot.exit = code));
    early.push(slot);
  }
}

/** Stop the workers startEarly started that no run took (the command failed before its run, or made none). */
export async function stopEarly(): Promise<void> {
  await stopAll(early.splice(0).map((slot) => slot.worker));
}

/**
 * Stop workers and wait until they are gone. Each is asked to stop and
 * exits by itself once what it started is done: a worker terminated from
 * here while tree-sitter's native code runs in it (loading, parsing)
 * aborts the whole process at exit (`terminate called … Napi::Error`).
 * One that does not exit in time (stuck) is terminated after all.
 */
function stopAll(workers: readonly Worker[]): Promise<unknown> {
  // A worker that has exited (threadId -1) sends no second 'exit'.
  return Promise.all(
    workers.filter((w) => w.threadId !== -1).map(
      (w) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => void w.terminate(), STOP_TIMEOUT_MS);
          w.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          w.postMessage({ kind: 'stop' } satisfies ToWorker);
        }),
    ),
  );
}

/** How long a worker asked to stop may take before it is terminated. */
const STOP_TIMEOUT_MS = 10_000;

/** Claims for jobs 0 .. size-1 (a job past the end is never posted, only done here). */
export class Claims {
  readonly bytes: Uint8Array;
  constructor(readonly size: number) {
    this.bytes = new Uint8Array(new SharedArrayBuffer(size));
  }
  /** True when this thread gets job `id`. */
  claim(id: number): boolean {
    return id >= this.size || Atomics.compareExchange(this.bytes, id, 0, 1) === 0;
  }

  /**
   * The jobs of `count` this thread claims, from the last back, up to the
   * first one a worker has: workers claim from the first on, in order, so all
   * jobs before that one are theirs.
   */
  *fromBack(count: number): Generator<number> {
    for (let id = count - 1; id >= 0 && this.claim(id); id--) yield id;
  }
}

export class Helpers {
  private readonly workers: Worker[] = [];
  private readonly listeners = new Set<(msg: FromWorker) => void>();
  private readonly failures = new Set<(err: unknown) => void>();
  private closed = false;
  private nextTask = 0;
  /** The first failure of a worker, if any: every later wait rethrows it. */
  error: unknown;

  private readonly script = workerScript();

  /**
   * `count` workers at most, for a tree on disk; none without a worker
   * script. `leaveToWorkers` (tests): this thread does no job it posted to
   * running workers, so that every one of them is done by a worker.
   */
  constructor(
    private readonly count: number,
    private readonly opts: { leaveToWorkers?: boolean } = {},
  ) {
    if (!this.script) this.count = 0;
  }

  get available(): boolean {
    return this.count > 0;
  }

  get running(): number {
    return this.workers.length;
  }

  start(): void {
    if (this.workers.length > 0 || this.closed) return;
    for (let i = 0; i < this.count; i++) {
      const taken = early.shift();
      const w = taken?.worker ?? spawn(this.script!);
      w.on('message', (msg: FromWorker) => {
        if (msg.kind === 'chunk') workerActivity.chunks++;
        else if (msg.kind === 'errors') workerActivity.counts++;
        else workerActivity.jobs++;
        for (const l of this.listeners) l(msg);
      });
      w.on('error', (err) => this.fail(err));
      const stopped = (code: number) => {
        if (!this.closed) this.fail(new Error(`a worker thread stopped (exit code ${code}) before the run was done`));
      };
      w.on('exit', stopped);
      this.workers.push(w);
      if (taken?.error !== undefined) this.fail(taken.error);
      if (taken?.exit !== undefined) stopped(taken.exit);
    }
  }

  /**
   * The jobs of `count` this thread does, from the last back (Claims.fromBack);
   * with `leaveToWorkers` and workers running, only those never posted.
   */
  *mine(claims: Claims, count: number): Generator<number> {
    if (!this.opts.leaveToWorkers || this.workers.length === 0) return yield* claims.fromBack(count);
    for (let id = count - 1; id >= claims.size; id--) yield id;
  }

  private fail(err: unknown): void {
    this.error ??= err;
    for (const f of this.failures) f(err);
  }

  post(msg: ToWorker): void {
    for (const w of this.workers) w.postMessage(msg);
  }

  /** Listen to the workers' replies until the returned function is called. */
  listen(onMessage: (msg: FromWorker) => void, onFailure: (err: unknown) => void): () => void {
    this.listeners.add(onMessage);
    this.failures.add(onFailure);
    return () => {
      this.listeners.delete(onMessage);
      this.failures.delete(onFailure);
    };
  }

  /**
   * Count the ERROR and MISSING nodes of each text's parse, sharing the
   * texts between the workers and `here` (this thread's own count). Texts
   * are posted as they come; `finish` does the unclaimed ones here, from the
   * last back, and waits for the rest.
   */
  errorCounter(here: (text: string) => ErrorKinds): { add(text: string): void; finish(): Promise<ErrorKinds[]> } {
    const task = this.nextTask++;
    const texts: string[] = [];
    const counts: (ErrorKinds | null)[] = [];
    const claims = new Claims(256);
    let replies = 0;
    let wake: (() => void) | undefined;
    let failed: unknown;
    const stop = this.listen(
      (msg) => {
        if (msg.kind !== 'errors' || msg.task !== task) return;
        counts[msg.id] = msg.count;
        replies++;
        wake?.();
      },
      (err) => {
        failed = err;
        wake?.();
      },
    );
    if (this.workers.length > 0) this.post({ kind: 'count-setup', task, claims: claims.bytes });
    return {
      add: (text) => {
        const id = texts.push(text) - 1;
        if (this.workers.length > 0 && id < claims.size) this.post({ kind: 'count', task, id, text });
      },
      finish: async () => {
        try {
          let mine = 0;
          for (const id of this.mine(claims, texts.length)) {
            counts[id] = here(texts[id]!);
            mine++;
          }
          const theirs = texts.length - mine;
          while (replies < theirs && failed === undefined && this.error === undefined) await new Promise<void>((resolve) => (wake = resolve));
          if (failed !== undefined || this.error !== undefined) throw failed ?? this.error;
          return counts.map((n, id) => n ?? here(texts[id]!));
        } finally {
          stop();
        }
      },
    };
  }

  /** Stop the workers and wait until they are gone (stopAll). */
  async close(): Promise<void> {
    this.closed = true;
    await stopAll(this.workers.splice(0));
  }
}
