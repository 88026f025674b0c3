// A 50 MB file must cost time and memory in proportion: the model finds its
// calls and #defines with the binding's native searches, not by making a
// JavaScript object of every node (which was most of --format json's time
// and memory on a large file).
import { describe, expect, it, vi } from 'vitest';
import { parseC, type SyntaxNode } from '../../codemods/c/index.js';
import { bindCalls } from '../../iommu-model/abstraction.js';
import { macroDefinitions } from '../../iommu-model/macros.js';
import { makeTree, runCli } from '../helpers/cli.js';
import { CALLER, HEADER } from '../helpers/iommu-tree.js';

const filler = (n: number) => Array.from({ length: n }, (_, i) => `static int f${i}(int a, int b)\n{\n\treturn a * ${i} + b;\n}\n`).join('\n');

describe('a large file', () => {
  it('the model finds calls and defines without visiting every node from JavaScript', () => {
    const text = `#define FLAG_A 1\n${filler(3000)}\nint g(struct device *d)\n{\n\treturn IS_ERR(iommu_sva_bind_device(d, NULL, NULL));\n}\n#define FLAG_B 2\n`;
    const tree = parseC(text);
    let proto: object | null = Object.getPrototypeOf(tree.rootNode);
    while (proto && !Object.getOwnPropertyDescriptor(proto, 'namedChildren')) proto = Object.getPrototypeOf(proto);
    const spy = vi.spyOn(proto as { namedChildren: SyntaxNode[] }, 'namedChildren', 'get');
    try {
      const calls = bindCalls(tree);
      const defs = macroDefinitions(tree, 'big.c');
      expect(calls.map((c) => c.startPosition.row)).toEqual([text.split('\n').findIndex((l) => l.includes('iommu_sva_bind_device'))]);
      expect(defs.map((d) => d.name)).toEqual(['FLAG_A', 'FLAG_B']);
      expect(spy.mock.calls.length).toBeLessThan(100);
    } finally {
      spy.mockRestore();
    }
  });

  it("run's summary reports the wall time since the process started", async () => {
    const root = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': CALLER });
    const sinceStart = performance.now() / 1000;
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', root, '--jobs', '1', '--format', 'json']);
    const seconds = Number(/\(([\d.]+) s\)/.exec(r.stderr)![1]);
    expect(seconds).toBeGreaterThanOrEqual(Math.floor(sinceStart * 100) / 100);
  });
});
