// The byte prefilter: read each file once and keep those that contain one of
// the needles. Single-threaded here; see scan-pool.ts for the worker version.
import type { TreeSource } from './source.js';

export interface ScanOptions {
  /** Worker threads for the prefilter (1 = in this thread). */
  jobs?: number;
  /** Absolute root on disk, required for worker threads. */
  diskRoot?: string;
}

export interface ScanResult {
  /** Files that contain at least one needle, with their bytes. */
  hits: Map<string, Uint8Array>;
}

export function containsAny(bytes: Uint8Array, needles: readonly Buffer[]): boolean {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return needles.some((n) => buf.indexOf(n) >= 0);
}

export async function scanForNeedles(
  source: TreeSource,
  files: readonly string[],
  needles: readonly string[],
  _opts: ScanOptions,
  progress?: (done: number, total: number) => void,
): Promise<ScanResult> {
  const bufs = needles.map((n) => Buffer.from(n, 'utf8'));
  const hits = new Map<string, Uint8Array>();
  let done = 0;
  for (const path of files) {
    const bytes = source.read(path);
    if (bytes && containsAny(bytes, bufs)) hits.set(path, bytes);
    if (++done % 2000 === 0) progress?.(done, files.length);
  }
  progress?.(files.length, files.length);
  return { hits };
}
