// --jobs: how many threads a run uses (this one and jobs - 1 workers).
import { availableParallelism } from 'node:os';
import { UsageError } from './io.js';

export function parseJobs(value: string | undefined): number {
  if (value === undefined) return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--jobs takes a whole number from 1 to 256 (got '${value}')`);
  return n;
}
