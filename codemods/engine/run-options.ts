// The options of a run (runMigration), apart from run.ts so that job-run.ts,
// which run.ts calls, can take them without importing run.ts back.
import type { ScanOptions } from './scan.js';
import type { FileResult } from './types.js';

export interface RunOptions extends ScanOptions {
  /** Printed back in the result (`root` as the user gave it). */
  rootLabel: string;
  /** Progress: files scanned of those found so far, candidate files parsed, sites reported. */
  onProgress?: (p: { phase: string; done: number; total: number; sites: number; candidates: number }) => void;
  /** Characters of source whose trees each thread may keep from discover to rewrite (job-run.ts KEEP_CHARS; 0: only the largest's). */
  keepChars?: number;
  /**
   * Count the ERROR and MISSING nodes of every file parsed, for the
   * statistics (`parse.errorNodes`; default true). The re-parse guard counts
   * what it needs either way; a diff, which prints no statistics, spares
   * the count of files it does not change.
   */
  countErrors?: boolean;
  /**
   * A file's result, as soon as a run that works as jobs (job-run.ts) has
   * it, while the other threads go on: the caller may start on it (`run`
   * renders its diff then, instead of after the run). Only a head start:
   * the run's result is what counts, and may hold other files.
   */
  onFileResult?: (file: FileResult) => void;
}
