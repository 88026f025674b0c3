// What `run` does before its run: the worker threads it starts before the
// command is parsed (bin.ts, cli/jobs.ts earlyWorkers), and the diffs it
// makes while the run goes on (reporters/diff.ts FileDiffs).
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { earlyWorkers } from '../../codemods/cli/jobs.js';
import { FileDiffs, renderDiff } from '../../codemods/cli/reporters/diff.js';
import type { FileResult, RunResult } from '../../codemods/engine/types.js';
import { unifiedDiff } from '../../codemods/patch/diff.js';

describe('workers started before the command is parsed', () => {
  it('are those of a run with the default --jobs, and none otherwise', () => {
    const cores = availableParallelism();
    expect(earlyWorkers(['run', 'iommu-sva-bind-flags', '-C', 'linux'])).toBe(cores - 1);
    expect(earlyWorkers(['run', 'x', '--', '--jobs'])).toBe(cores - 1);
    for (const argv of [
      ['run', 'x', '--jobs', '1'],
      ['run', 'x', '--jobs=4'],
      ['run', '--help'],
      ['run', 'x', '-h'],
      ['check', 'x'],
      ['format-patch', 'x'],
      ['list'],
      [],
    ])
      expect(earlyWorkers(argv)).toBe(0);
  });
});

describe('diffs made while the run goes on', () => {
  const changed = (path: string, before: string, after: string): FileResult => ({ path, status: 'changed', before, after, sites: [] });
  const result = (files: FileResult[]) => ({ files }) as unknown as RunResult;

  it('give the diff of a file whose texts are the same, and a fresh one when they are not', () => {
    const diffs = new FileDiffs();
    const a = changed('a.c', 'int x;\n', 'int y;\n');
    diffs.add(a);
    diffs.add({ path: 'b.c', status: 'unchanged', sites: [] });
    expect(diffs.get(a)).toBe(unifiedDiff('a.c', 'int x;\n', 'int y;\n'));
    // Reported again with another outcome: the diff made earlier is not used.
    const again = changed('a.c', 'int x;\n', 'long y;\n');
    expect(diffs.get(again)).toBeUndefined();
    expect(renderDiff(result([again]), diffs)).toBe(unifiedDiff('a.c', 'int x;\n', 'long y;\n'));
    expect(renderDiff(result([a, changed('c.c', '', 'int z;\n')]), diffs)).toBe(renderDiff(result([a, changed('c.c', '', 'int z;\n')])));
  });
});
