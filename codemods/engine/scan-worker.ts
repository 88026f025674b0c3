// Worker side of the byte prefilter: reads files, answers which contain a
// needle. Only paths cross the thread boundary, never file contents.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

interface Job {
  id: number;
  files: string[];
}

const { root, needles } = workerData as { root: string; needles: string[] };
const bufs = needles.map((n) => Buffer.from(n, 'utf8'));

parentPort!.on('message', (job: Job) => {
  const hits: number[] = [];
  let bytes = 0;
  for (let i = 0; i < job.files.length; i++) {
    let buf: Buffer;
    try {
      buf = readFileSync(`${root}/${job.files[i]}`);
    } catch {
      hits.push(i); // let the main thread read it again and report why
      continue;
    }
    bytes += buf.length;
    for (const n of bufs) {
      if (buf.indexOf(n) >= 0) {
        hits.push(i);
        break;
      }
    }
  }
  parentPort!.postMessage({ id: job.id, hits, bytes });
});
