// The byte prefilter: read each file once and keep those that contain one of
// the needles. With jobs > 1 and a tree on disk, worker threads read and
// search; only the paths of hits come back, and the main thread reads those
// few again. Memory stays flat: no worker keeps a file after searching it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TreeSource } from './source.js';

export interface ScanOptions {
  /** Worker threads for the prefilter (1 = in this thread). */
  jobs?: number;
  /** Absolute root on disk; workers are used only when it is given. */
  diskRoot?: string;
}

export interface ScanResult {
  /** Files that contain at least one needle, with their bytes. */
  hits: Map<string, Uint8Array>;
}

/** Drop needles that contain another needle: finding the shorter one suffices. */
export function minimalNeedles(needles: readonly string[]): string[] {
  const uniq = [...new Set(needles)];
  return uniq.filter((n) => !uniq.some((m) => m !== n && n.includes(m)));
}

export function containsAny(bytes: Uint8Array, needles: readonly Buffer[]): boolean {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return needles.some((n) => buf.indexOf(n) >= 0);
}

const workerUrl = new URL('./scan-worker.js', import.meta.url);

export async function scanForNeedles(
  source: TreeSource,
  files: readonly string[],
  needles: readonly string[],
  opts: ScanOptions,
  progress?: (done: number, total: number) => void,
): Promise<ScanResult> {
  const minimal = minimalNeedles(needles);
  const jobs = opts.jobs ?? 1;
  const hits = new Map<string, Uint8Array>();
  if (jobs > 1 && opts.diskRoot && files.length > 2000 && existsSync(fileURLToPath(workerUrl))) {
    const paths = await scanInWorkers(opts.diskRoot, files, minimal, jobs, progress);
    for (const p of paths) {
      const bytes = source.read(p);
      if (bytes) hits.set(p, bytes);
    }
    return { hits };
  }
  const bufs = minimal.map((n) => Buffer.from(n, 'utf8'));
  let done = 0;
  for (const path of files) {
    const bytes = source.read(path);
    if (bytes && containsAny(bytes, bufs)) hits.set(path, bytes);
    if (++done % 2000 === 0) progress?.(done, files.length);
  }
  progress?.(files.length, files.length);
  return { hits };
}

const CHUNK = 256;

function scanInWorkers(
  root: string,
  files: readonly string[],
  needles: string[],
  jobs: number,
  progress?: (done: number, total: number) => void,
): Promise<string[]> {
  return new Promise((resolvePaths, reject) => {
    const found: string[] = [];
    const chunks: { id: number; files: string[] }[] = [];
    for (let i = 0; i < files.length; i += CHUNK) chunks.push({ id: chunks.length, files: files.slice(i, i + CHUNK) as string[] });
    let next = 0;
    let done = 0;
    let finished = 0;
    const workers: Worker[] = [];
    const count = Math.min(jobs, chunks.length);
    const stopAll = () => workers.forEach((w) => void w.terminate());
    for (let w = 0; w < count; w++) {
      const worker = new Worker(workerUrl, { workerData: { root, needles } });
      workers.push(worker);
      const feed = () => {
        if (next < chunks.length) worker.postMessage(chunks[next++]);
        else {
          void worker.terminate();
          if (++finished === count) resolvePaths(found.sort());
        }
      };
      worker.on('message', (msg: { id: number; hits: number[] }) => {
        const chunk = chunks[msg.id]!;
        for (const i of msg.hits) found.push(chunk.files[i]!);
        done += chunk.files.length;
        progress?.(done, files.length);
        feed();
      });
      worker.on('error', (err) => {
        stopAll();
        reject(err);
      });
      feed();
    }
  });
}
