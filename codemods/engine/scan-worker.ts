// Worker side of the byte prefilter. Every worker is sent every chunk of
// paths; the first thread to claim a chunk (a compare-and-swap on shared
// memory) scans it, the others skip it. A worker is never left waiting on the
// main thread, which may be busy parsing, and the threads finish together
// however unevenly the big files fall. Only paths and names cross the thread
// boundary, never file contents.
import { parentPort, workerData } from 'node:worker_threads';
import { Prefilter, readFileInto } from './scan-core.js';

export interface ScanJob {
  id: number;
  files: string[];
}

export interface ScanReply {
  id: number;
  /** Indexes into the job's files. */
  hits: number[];
  idents: [string, number][];
}

const { root, needles, hints, claims } = workerData as { root: string; needles: string[]; hints: string[]; claims: Uint8Array };
const prefilter = new Prefilter(needles, hints);

parentPort!.on('message', (job: ScanJob) => {
  if (Atomics.compareExchange(claims, job.id, 0, 1) !== 0) return;
  const hits: number[] = [];
  const idents: [string, number][] = [];
  for (let i = 0; i < job.files.length; i++) {
    const len = readFileInto(prefilter, `${root}/${job.files[i]}`);
    if (len === undefined) {
      hits.push(i); // the main thread reads it again and reports why
      continue;
    }
    const r = prefilter.scan(len);
    if (r.hit) hits.push(i);
    for (const id of r.idents) idents.push([id, i]);
  }
  parentPort!.postMessage({ id: job.id, hits, idents } satisfies ScanReply);
});
