// --jobs: how many threads a run uses (this one and jobs - 1 workers).
import { availableParallelism } from 'node:os';
import { UsageError } from './io.js';

export function parseJobs(value: string | undefined): number {
  if (value === undefined) return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--jobs takes a whole number from 1 to 256 (got '${value}')`);
  return n;
}

/**
 * The worker threads to start before the command is parsed (bin.ts): those
 * of a `run` with the default --jobs. Any other command, a --jobs given, or
 * help asked for: none (the command starts what it needs once parsed).
 */
export function earlyWorkers(argv: readonly string[]): number {
  if (argv[0] !== 'run') return 0;
  const end = argv.indexOf('--');
  const options = end < 0 ? argv : argv.slice(0, end);
  if (options.some((a) => a.startsWith('--jobs') || a === '-h' || a === '--help')) return 0;
  return parseJobs(undefined) - 1;
}
