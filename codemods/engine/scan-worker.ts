// Worker side of the byte prefilter: reads files into one reused buffer and
// answers which contain a needle and which hinted identifiers they hold. Only
// paths and names cross the thread boundary, never file contents.
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { compileNeedle, scanBuffer } from './scan-core.js';

interface Job {
  id: number;
  files: string[];
}

const { root, needles, hints } = workerData as { root: string; needles: string[]; hints: string[] };
const compiled = needles.map(compileNeedle);
const hintBufs = hints.map((h) => Buffer.from(h, 'utf8'));
let buffer = Buffer.allocUnsafe(1 << 22);

/** Read a whole file into the reused buffer (no fstat: read until EOF, growing when full). */
function readInto(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    let got = 0;
    for (;;) {
      if (got === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, got);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, got, buffer.length - got, null);
      if (n === 0) break;
      got += n;
    }
    return buffer.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

parentPort!.on('message', (job: Job) => {
  const hits: number[] = [];
  const idents: [string, number][] = [];
  for (let i = 0; i < job.files.length; i++) {
    let buf: Buffer;
    try {
      buf = readInto(`${root}/${job.files[i]}`);
    } catch {
      hits.push(i); // the main thread reads it again and reports why
      continue;
    }
    const r = scanBuffer(buf, compiled, hintBufs);
    if (r.hit) hits.push(i);
    for (const id of r.idents) idents.push([id, i]);
  }
  parentPort!.postMessage({ id: job.id, hits, idents });
});
