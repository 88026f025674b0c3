// A 50 MB file must cost time and memory in proportion: the model finds its
// calls and #defines with the binding's native searches, not by making a
// JavaScript object of every node (which was most of --format json's time
// and memory on a large file).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { parseC, type SyntaxNode } from '../../codemods/c/index.js';
import { bindCalls } from '../../iommu-model/abstraction.js';
import { macroDefinitions } from '../../iommu-model/macros.js';
import { runCommand } from '../../codemods/cli/commands/run.js';
import { Helpers } from '../../codemods/engine/helpers.js';
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

  it('the process ends with its output: work left on the event loop (a large run\'s syntax trees to collect) runs after no summary', () => {
    const repo = fileURLToPath(new URL('../..', import.meta.url));
    const root = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': CALLER + filler(2000) });
    // Stands for what a run leaves behind: after a 10 MB file, 13 s of
    // collecting its syntax trees and their native finalizers, which ran
    // after the summary had reported the time.
    const script = join(mkdtempSync(join(tmpdir(), 'kmigrate-exit-')), 'entry.ts');
    writeFileSync(
      script,
      `import { runAsProcess } from ${JSON.stringify(join(repo, 'codemods/cli/main.ts'))};\n` +
        `setTimeout(() => process.stderr.write('left-over work ran\\n'), 30_000);\n` +
        `void runAsProcess(process.argv.slice(2));\n`,
    );
    const r = spawnSync(join(repo, 'node_modules/.bin/vite-node'), [script, 'run', 'iommu-sva-bind-flags', '-C', root, '--jobs', '1', '--format', 'text'], {
      encoding: 'utf8',
      cwd: repo,
    });
    expect(r.stderr).toMatch(/^kmigrate iommu-sva-bind-flags: 2 files scanned.*\([\d.]+ s\)$/m);
    expect(r.stderr).not.toContain('left-over work ran');
    expect(r.status).toBe(0);
  }, 60_000);

  it('the summary waits for the worker threads to stop (a worker\'s exit frees the syntax trees it parsed)', async () => {
    const root = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': CALLER });
    const helpers = new Helpers(0);
    const events: string[] = [];
    vi.spyOn(helpers, 'close').mockImplementation(async () => {
      events.push('close');
      await new Promise((resolve) => setTimeout(resolve, 50));
      events.push('closed');
    });
    const io = {
      stdout: () => {},
      stderr: (s: string) => void events.push(/files scanned/.test(s) ? 'summary' : 'stderr'),
      stdoutIsTTY: false,
      stderrIsTTY: false,
      cwd: process.cwd(),
    };
    await runCommand('iommu-sva-bind-flags', [], { dir: root, format: 'text', jobs: '1' }, io, helpers);
    expect(events.filter((e) => e !== 'stderr')).toEqual(['close', 'closed', 'summary']);
  });
});
