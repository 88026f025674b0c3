// Reading the tree once: the byte prefilter over every file. On a large tree
// on disk, the walk feeds worker threads as it goes; they read and search,
// and only paths and names come back, so the main thread can parse the
// first hits while the workers read the rest. Elsewhere (small trees, trees
// in memory) the same search runs in this thread. Memory stays flat: no file
// is kept after it is searched.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { compileNeedle, scanBuffer, type FileScan } from './scan-core.js';
import type { TreeSource } from './source.js';

export interface ScanOptions {
  /** Worker threads for the prefilter (1 = in this thread). */
  jobs?: number;
}

export interface PrefilterSpec {
  /** A file is a hit when it contains one of these byte strings. */
  needles: readonly string[];
  /** Collect every identifier containing one of these, per file. */
  hints: readonly string[];
}

/** Called for every file that is a hit or holds a hinted identifier. */
export type OnFile = (path: string, scan: FileScan) => void;

/** Drop needles that contain another needle: finding the shorter one suffices. */
export function minimalNeedles(needles: readonly string[]): string[] {
  const uniq = [...new Set(needles)];
  return uniq.filter((n) => !uniq.some((m) => m !== n && n.includes(m)));
}

const workerUrl = new URL('./scan-worker.js', import.meta.url);
const CHUNK = 256;
/** Below this many files, threads cost more than they save. */
const MIN_FILES_FOR_WORKERS = 2000;

/**
 * Scan `files` (or, when `files` is omitted, every file of `source`, walking
 * it) and report each interesting file to `onFile`. Returns every file
 * scanned, sorted.
 */
export async function scanTree(
  source: TreeSource,
  spec: PrefilterSpec,
  opts: ScanOptions,
  onFile: OnFile,
  files?: readonly string[],
  progress?: (done: number, total: number) => void,
): Promise<string[]> {
  const needles = minimalNeedles(spec.needles);
  const jobs = opts.jobs ?? 1;
  const canUseWorkers = jobs > 1 && source.disk !== undefined && existsSync(fileURLToPath(workerUrl));
  if (canUseWorkers) {
    const pool = new ScanPool(source.disk!.root, needles, spec.hints, jobs, onFile, progress);
    const all: string[] = [];
    const feed = (p: string) => {
      all.push(p);
      pool.add(p);
    };
    if (files) files.forEach(feed);
    else source.disk!.walk(feed);
    if (all.length >= MIN_FILES_FOR_WORKERS) {
      await pool.finish();
      return all.sort();
    }
    pool.cancel();
    return scanInThread(source, all.sort(), needles, spec.hints, onFile, progress);
  }
  return scanInThread(source, files ? [...files] : source.list(), needles, spec.hints, onFile, progress);
}

function scanInThread(
  source: TreeSource,
  files: string[],
  needles: string[],
  hints: readonly string[],
  onFile: OnFile,
  progress?: (done: number, total: number) => void,
): string[] {
  const compiled = needles.map(compileNeedle);
  const hintBufs = hints.map((h) => Buffer.from(h, 'utf8'));
  let done = 0;
  for (const path of files) {
    const bytes = source.read(path);
    if (bytes) {
      const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const r = scanBuffer(buf, compiled, hintBufs);
      if (r.hit || r.idents.length > 0) onFile(path, r);
    }
    if (++done % 2000 === 0) progress?.(done, files.length);
  }
  progress?.(files.length, files.length);
  return files;
}

/**
 * Worker threads fed in chunks while the walk goes on. Workers start only
 * once the tree proves large enough; until then files are only queued.
 */
class ScanPool {
  private readonly workers: Worker[] = [];
  private readonly chunks: string[][] = [];
  private pending: string[] = [];
  private queued = 0;
  private done = 0;
  private idle: Worker[] = [];
  private started = false;
  private closing = false;
  private resolveAll?: () => void;
  private rejectAll?: (err: unknown) => void;
  private error: unknown;

  constructor(
    private readonly root: string,
    private readonly needles: string[],
    private readonly hints: readonly string[],
    private readonly jobs: number,
    private readonly onFile: OnFile,
    private readonly progress?: (done: number, total: number) => void,
  ) {}

  add(path: string): void {
    this.pending.push(path);
    this.queued++;
    if (this.pending.length >= CHUNK) this.flush();
    if (!this.started && this.queued >= MIN_FILES_FOR_WORKERS) this.start();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(this.pending);
    this.pending = [];
    this.dispatch();
  }

  private start(): void {
    this.started = true;
    for (let i = 0; i < this.jobs; i++) {
      const w = new Worker(workerUrl, { workerData: { root: this.root, needles: this.needles, hints: [...this.hints] } });
      const inFlight = new Map<number, string[]>();
      let nextId = 0;
      w.on('message', (msg: { id: number; hits: number[]; idents: [string, number][] }) => {
        const chunk = inFlight.get(msg.id)!;
        inFlight.delete(msg.id);
        const byFile = new Map<number, FileScan>();
        for (const i of msg.hits) byFile.set(i, { hit: true, idents: [] });
        for (const [id, i] of msg.idents) {
          const f = byFile.get(i) ?? byFile.set(i, { hit: false, idents: [] }).get(i)!;
          f.idents.push(id);
        }
        for (const [i, scan] of [...byFile].sort((a, b) => a[0] - b[0])) this.onFile(chunk[i]!, scan);
        this.done += chunk.length;
        this.progress?.(this.done, this.queued);
        this.idle.push(w);
        this.dispatch();
      });
      w.on('error', (err) => {
        this.error = err;
        this.cancel();
        this.rejectAll?.(err);
      });
      (w as Worker & { send?: (c: string[]) => void }).send = (c: string[]) => {
        const id = nextId++;
        inFlight.set(id, c);
        w.postMessage({ id, files: c });
      };
      this.workers.push(w);
      // Two chunks in flight per worker keep it busy while a result travels back.
      this.idle.push(w, w);
    }
    this.dispatch();
  }

  private dispatch(): void {
    if (!this.started) return;
    while (this.idle.length > 0 && this.chunks.length > 0) {
      const w = this.idle.shift()! as Worker & { send: (c: string[]) => void };
      w.send(this.chunks.shift()!);
    }
    if (this.closing && this.chunks.length === 0 && this.done === this.queued) {
      for (const w of this.workers) void w.terminate();
      this.resolveAll?.();
    }
  }

  finish(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.error) return reject(this.error);
      this.resolveAll = resolve;
      this.rejectAll = reject;
      this.closing = true;
      if (!this.started) this.start();
      this.flush();
      this.dispatch();
    });
  }

  cancel(): void {
    for (const w of this.workers) void w.terminate();
  }
}
