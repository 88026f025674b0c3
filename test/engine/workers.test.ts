// The engine's worker threads under the tests: `npm test` starts real ones
// (the TypeScript sources, through test/helpers/worker-loader.mjs), so the
// shared-memory claims, the messages both ways and the worker side of the
// re-parse guard run here as they do in production. Each run below is
// compared with the same run on one thread, byte for byte.
//
// The tree: a sample's before/ plus filler files, enough for several scan
// chunks of 256 files, so that the prefilter's chunks are shared too.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Helpers, workerActivity } from '../../codemods/engine/helpers.js';
import { runMigration } from '../../codemods/engine/run.js';
import { diskSource } from '../../codemods/io/source.js';
import { resolveMigration } from '../../codemods/registry.js';
import { runCli } from '../helpers/cli.js';
import { copyTree, removeTree, tempDir } from '../helpers/tree.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FILLER = 600;
const temps: string[] = [];
afterAll(() => temps.forEach(removeTree));

/** samples/<migration>/<case>/before, plus FILLER files the prefilter rejects. */
function sampleTree(migration: string, sample: string): string {
  const dir = tempDir('kmigrate-workers-');
  temps.push(dir);
  const root = join(dir, 'tree');
  copyTree(join(ROOT, 'samples', migration, sample, 'before'), root);
  mkdirSync(join(root, 'drivers', 'filler'), { recursive: true });
  for (let i = 0; i < FILLER; i++) writeFileSync(join(root, 'drivers', 'filler', `f${i}.c`), `static int filler_${i}(void)\n{\n\treturn ${i};\n}\n`);
  return root;
}

/** Timings are the only thing two runs may print differently: the summary's seconds and the parse time. */
const untimed = (text: string) => text.replace(/ \(\d+(\.\d+)? s\)$/m, ' (… s)').replace(/"parseMs": ?[\d.]+/g, '"parseMs":…');

const snapshot = () => ({ ...workerActivity });
const since = (before: typeof workerActivity) => ({
  started: workerActivity.started - before.started,
  chunks: workerActivity.chunks - before.chunks,
  counts: workerActivity.counts - before.counts,
  jobs: workerActivity.jobs - before.jobs,
});

// The flagship runs in the main thread (the scan and the guard shared);
// platform-remove-void, a migration file, runs as jobs.
const cases = [
  { migration: 'iommu-sva-bind-flags', sample: 'demo', jobMode: true },
  { migration: 'platform-remove-void', sample: 'plain', jobMode: true },
];

describe.each(cases)('worker threads: $migration ($sample)', ({ migration, sample, jobMode }) => {
  it.each(['diff', 'json'])('run --jobs 2 --format %s starts a worker thread and prints what --jobs 1 prints', async (format) => {
    const root = sampleTree(migration, sample);
    const one = snapshot();
    const single = await runCli(['run', migration, '-C', root, '--format', format, '--jobs', '1']);
    expect(since(one).started).toBe(0);
    const two = snapshot();
    const shared = await runCli(['run', migration, '-C', root, '--format', format, '--jobs', '2']);
    const activity = since(two);
    console.log(`${migration} --jobs 2 --format ${format}: worker threads started ${activity.started}, replies: ${JSON.stringify(activity)}`);
    expect(activity.started).toBe(1);
    expect(untimed(shared.stderr)).toBe(untimed(single.stderr));
    expect(shared.code).toBe(single.code);
    expect(single.stdout.length).toBeGreaterThan(0);
    expect(untimed(shared.stdout)).toBe(untimed(single.stdout));
  });

  it('every job left to the worker: it scans every chunk, does every job but the largest candidate\'s, and the result is the one-thread result', async () => {
    const root = sampleTree(migration, sample);
    const mig = () => resolveMigration(migration, ROOT);
    const single = await runMigration(mig(), diskSource(root, []), { rootLabel: '.', jobs: 1 });
    const helpers = new Helpers(1, { leaveToWorkers: true });
    const before = snapshot();
    let shared;
    try {
      shared = await runMigration(mig(), diskSource(root, []), { rootLabel: '.', helpers });
    } finally {
      await helpers.close();
    }
    const activity = since(before);
    console.log(`${migration}, every job left to the worker: ${JSON.stringify(activity)}`);
    expect(activity.started).toBe(1);
    // Every chunk of the walk was claimed and scanned by the worker.
    expect(activity.chunks).toBe(Math.ceil(single.summary.filesScanned / 256));
    expect(single.summary.filesScanned).toBeGreaterThan(FILLER);
    const changed = single.files.filter((f) => f.status === 'changed').length;
    expect(changed).toBeGreaterThan(1);
    if (jobMode) {
      // A discover job per parsed file, and a rewrite job per file not settled by its speculation,
      // but for the largest candidate: the main thread's in both phases (parsed once).
      expect(activity.jobs).toBeGreaterThanOrEqual(single.summary.filesParsed - 1);
      expect(activity.counts).toBe(0);
    } else {
      // The guard's count of every rewritten file.
      expect(activity.counts).toBe(changed);
      expect(activity.jobs).toBe(0);
    }
    expect(untimed(JSON.stringify(shared))).toBe(untimed(JSON.stringify(single)));
  });
});
