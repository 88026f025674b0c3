// V8's interrupt budget is raised once per process, after the threads boot
// (engine/tiering.ts): the scan raises it after its walk, a worker as it
// starts; a second call changes nothing.
import { describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => [] as string[]);

vi.mock('node:v8', async (importOriginal) => {
  const v8 = await importOriginal<typeof import('node:v8')>();
  const setFlagsFromString = (flags: string) => void calls.push(flags);
  return { ...v8, default: { ...v8, setFlagsFromString }, setFlagsFromString };
});

describe('V8 optimising late', () => {
  it('raises the interrupt budget once, to 3,000,000', async () => {
    const { optimiseLate } = await import('../../codemods/engine/tiering.js');
    optimiseLate();
    optimiseLate();
    expect(calls).toEqual(['--interrupt-budget=3000000']);
  });

  it('is raised by a scan (after its walk: the files are listed by then)', async () => {
    vi.resetModules();
    calls.length = 0;
    const { scanTree } = await import('../../codemods/engine/scan.js');
    const { memorySource } = await import('../../codemods/io/source.js');
    const seen: string[] = [];
    expect(calls).toEqual([]);
    await scanTree(memorySource(new Map([['a.c', 'int sva_bind;\n']])), { needles: ['sva_bind'], hints: [] }, { jobs: 1 }, (path) => void seen.push(path));
    expect(seen).toEqual(['a.c']);
    expect(calls).toEqual(['--interrupt-budget=3000000']);
  });
});
