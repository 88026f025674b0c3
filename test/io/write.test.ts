// --write is all or nothing. Tests may run as root, whom a read-only folder
// does not stop, and a full disk cannot be made on demand: the fs calls
// that would fail are made to fail here, for the paths a test names.
import { readFileSync, writeFileSync as realWrite } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTree, runCli } from '../helpers/cli.js';
import { checkTreeWrites, TreeWriteError, writeTreeFiles } from '../../codemods/io/write.js';
import { CALLER, HEADER } from '../helpers/iommu-tree.js';

const fail = vi.hoisted(() => ({ access: [] as string[], write: [] as string[] }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const err = (code: string, what: string, path: string) => Object.assign(new Error(`${code}: ${what}, open '${path}'`), { code });
  const accessSync = ((path: string, mode?: number) => {
    if (fail.access.some((p) => String(path).endsWith(p))) throw err('EACCES', 'permission denied', String(path));
    return fs.accessSync(path, mode);
  }) as typeof fs.accessSync;
  const writeFileSync = ((path: string, data: string, opts?: unknown) => {
    // The temp file beside a target is named `.<name>.kmigrate-…`.
    if (fail.write.some((p) => String(path).includes(`${dirname(p)}/.${basename(p)}.kmigrate-`))) throw err('ENOSPC', 'no space left on device', String(path));
    return (fs.writeFileSync as (p: string, d: string, o?: unknown) => void)(path, data, opts);
  }) as typeof fs.writeFileSync;
  return { ...fs, default: { ...fs, accessSync, writeFileSync }, accessSync, writeFileSync };
});

const DRIVERS = ['a', 'b', 'c', 'd'].map((n) => `drivers/misc/${n}/demo.c`);
const tree = () => makeTree({ 'include/linux/iommu.h': HEADER, ...Object.fromEntries(DRIVERS.map((p) => [p, CALLER])) });
const snapshot = (root: string) => ['include/linux/iommu.h', ...DRIVERS].map((p) => readFileSync(join(root, p), 'utf8'));

beforeEach(() => {
  fail.access = [];
  fail.write = [];
});

describe('run --write: all files or none', () => {
  it('a folder that cannot be written stops the write before the first file (exit 2, one line)', async () => {
    const root = tree();
    const before = snapshot(root);
    fail.access = ['drivers/misc/c'];
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', root, '--write']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('kmigrate: --write: drivers/misc/c/demo.c: its folder cannot be written (EACCES: permission denied); nothing was written\n');
    expect(r.stdout).toBe('');
    expect(snapshot(root)).toEqual(before);
  });

  it('a write that fails midway (full disk) puts back the files already written (exit 2, one line)', async () => {
    const root = tree();
    const before = snapshot(root);
    fail.write = ['drivers/misc/c/demo.c'];
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', root, '--write']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kmigrate: --write: drivers\/misc\/c\/demo\.c: cannot be written \(ENOSPC: no space left on device\); the 2 file\(s\) written before it were put back\n$/);
    expect(snapshot(root)).toEqual(before);
  });
});

describe('checkTreeWrites', () => {
  it('refuses a file that changed since the run read it, before writing anything', () => {
    const root = makeTree({ 'a.c': 'int a;\n', 'b.c': 'int b;\n' });
    realWrite(join(root, 'b.c'), 'int b2;\n');
    const writes = [
      { rel: 'a.c', before: Buffer.from('int a;\n'), after: 'int a1;\n' },
      { rel: 'b.c', before: Buffer.from('int b;\n'), after: 'int b1;\n' },
    ];
    expect(() => checkTreeWrites(root, writes)).toThrow(TreeWriteError);
    expect(() => writeTreeFiles(root, writes)).toThrow(/b\.c: changed since the run read it; nothing was written/);
    expect(readFileSync(join(root, 'a.c'), 'utf8')).toBe('int a;\n');
  });
});
