// Reading the tree once: the byte prefilter over every file. The walk cuts
// the file list into chunks as it goes; on a large tree on disk, worker
// threads scan chunks while the walk goes on, and the main thread, once the
// walk is done, scans chunks too, from the last one back, between parsing
// the hits the workers send. A chunk is scanned by whoever claims it first
// (one byte of shared memory per chunk), so no thread waits for another to
// hand out work. `--jobs n` is the number of threads scanning: this one and
// n - 1 workers. Only paths and names cross threads; memory stays flat, as
// no file is kept after it is searched.
import { Claims, Helpers } from './helpers.js';
import { covers, Prefilter, scanFile, shortReadEndsFile, type FileScan } from './scan-core.js';
import type { FromWorker } from './scan-worker.js';
import type { TreeSource } from '../io/source.js';
import { optimiseLate } from './tiering.js';

export interface ScanOptions {
  /** Threads scanning: this one and jobs - 1 workers (1 = this thread only). */
  jobs?: number;
  /** The run's worker threads (started here when needed); without them, the scan has its own. */
  helpers?: Helpers;
}

export interface PrefilterSpec {
  /** A file is a hit when it contains one of these byte strings (see Prefilter). */
  needles: readonly string[];
  /** Collect every identifier containing one of these, per file. */
  hints: readonly string[];
}

/** Called for every file that is a hit or holds a hinted identifier. */
export type OnFile = (path: string, scan: FileScan) => void;

/** Drop needles that another needle covers: finding that one suffices. */
export function minimalNeedles(needles: readonly string[]): string[] {
  const uniq = [...new Set(needles)];
  return uniq.filter((n) => !uniq.some((m) => m !== n && covers(m, n)));
}

const CHUNK = 256;
/** Below this many files, starting a worker costs more than it saves (unless the whole tree is walked). */
const MIN_FILES_FOR_WORKERS = 2000;
/** Chunks that can be claimed (one byte each): 2^20 chunks of 256 files. */
const CLAIM_SLOTS = 1 << 20;
let scans = 0;

/** The worker threads a run of `jobs` threads has besides this one, for `source`: only a tree on disk can be read by them. */
export function helpersFor(source: TreeSource, jobs = 1): Helpers {
  return new Helpers(source.disk ? Math.max(0, jobs - 1) : 0);
}

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
  const prefilter = new Prefilter(needles, spec.hints);
  const disk = source.disk;
  const root = disk?.root;
  const shortReadIsEnd = root !== undefined && shortReadEndsFile(root);
  // A file that cannot be read counts as a hit: the engine reads it again and reports why.
  const scanHere = root
    ? (path: string): FileScan => scanFile(prefilter, `${root}/${path}`, shortReadIsEnd)
    : (path: string): FileScan => {
        const bytes = source.read(path);
        return bytes === undefined ? { hit: true, idents: [] } : prefilter.scanBytes(bytes);
      };
  const own = opts.helpers === undefined;
  const helpers = opts.helpers ?? helpersFor(source, opts.jobs);
  // A whole tree on disk starts its workers at once: a kernel tree may walk
  // through thousands of documentation files before its 2000th C file.
  const pool = new ScanPool(scanHere, onFile, helpers, { root: root ?? '', shortReadIsEnd, needles, hints: [...spec.hints] }, progress);
  if (!files && !source.limited) pool.startWorkers();
  const all: string[] = [];
  const feed = (p: string) => {
    all.push(p);
    pool.add(p);
  };
  if (files) files.forEach(feed);
  else if (disk) disk.walk(feed);
  else source.list().forEach(feed);
  // The workers (if any) have booted by now, and raised it already (tiering.ts).
  optimiseLate();
  try {
    await pool.finish();
  } finally {
    if (own) await helpers.close();
  }
  return all.sort();
}

interface ScanSetup {
  root: string;
  shortReadIsEnd: boolean;
  needles: string[];
  hints: string[];
}

/** The chunks of one scan, claimed by this thread and the workers. */
class ScanPool {
  private readonly scan = scans++;
  private readonly chunks: string[][] = [];
  private readonly claims = new Claims(CLAIM_SLOTS);
  private started = false;
  private queued = 0;
  private done = 0;
  private pending: string[] = [];
  private error: unknown;
  private wake?: () => void;
  private stopListening?: () => void;

  constructor(
    private readonly scanHere: (path: string) => FileScan,
    private readonly onFile: OnFile,
    private readonly helpers: Helpers,
    private readonly setup: ScanSetup,
    private readonly progress?: (done: number, total: number) => void,
  ) {}

  add(path: string): void {
    this.pending.push(path);
    this.queued++;
    if (this.pending.length >= CHUNK) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const id = this.chunks.length;
    this.chunks.push(this.pending);
    this.pending = [];
    if (!this.started && this.queued >= MIN_FILES_FOR_WORKERS) this.startWorkers();
    else if (this.started && id < this.claims.size) this.helpers.post({ kind: 'chunk', scan: this.scan, id, files: this.chunks[id]! });
  }

  startWorkers(): void {
    if (this.started || !this.helpers.available) return;
    this.started = true;
    this.helpers.start();
    this.stopListening = this.helpers.listen(
      (msg) => this.receive(msg),
      (err) => {
        this.error ??= err;
        this.wake?.();
      },
    );
    this.helpers.post({ kind: 'scan-setup', scan: this.scan, ...this.setup, claims: this.claims.bytes });
    for (let id = 0; id < Math.min(this.chunks.length, this.claims.size); id++) {
      this.helpers.post({ kind: 'chunk', scan: this.scan, id, files: this.chunks[id]! });
    }
  }

  private receive(msg: FromWorker): void {
    if (msg.kind !== 'chunk' || msg.scan !== this.scan) return;
    const chunk = this.chunks[msg.id]!;
    const byFile = new Map<number, FileScan>();
    for (const i of msg.hits) byFile.set(i, { hit: true, idents: [] });
    for (const [id, i] of msg.idents) {
      const f = byFile.get(i) ?? byFile.set(i, { hit: false, idents: [] }).get(i)!;
      f.idents.push(id);
    }
    for (const [i, scan] of [...byFile].sort((a, b) => a[0] - b[0])) this.onFile(chunk[i]!, scan);
    this.finished(chunk.length);
  }

  private finished(files: number): void {
    this.done += files;
    this.progress?.(this.done, this.queued);
    if (this.done === this.queued) this.wake?.();
  }

  /** Scan what no worker has claimed, from the last chunk back, then wait for the workers' last replies. */
  async finish(): Promise<void> {
    this.flush();
    try {
      for (const id of this.started ? this.helpers.mine(this.claims, this.chunks.length) : this.claims.fromBack(this.chunks.length)) {
        if (this.error) throw this.error;
        const chunk = this.chunks[id]!;
        for (const path of chunk) {
          const scan = this.scanHere(path);
          if (scan.hit || scan.idents.length > 0) this.onFile(path, scan);
        }
        this.finished(chunk.length);
        // Let the workers' replies in: their hits are parsed between chunks.
        if (this.started) await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (this.error) throw this.error;
      if (this.done < this.queued) await new Promise<void>((resolve) => (this.wake = resolve));
      if (this.error) throw this.error;
    } finally {
      this.stopListening?.();
    }
  }
}
