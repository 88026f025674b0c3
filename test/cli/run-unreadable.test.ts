// A folder the walk cannot list is a site, and the run is partial: no
// decision that needs the whole tree is taken. Tests may run as root, whom
// permissions do not stop, so listing the folder is made to fail here.
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';

const LOCKED = `${join('drivers', 'dma', 'plx')}`;

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const readdirSync = ((path: string, opts?: unknown) => {
    if (String(path).endsWith(LOCKED)) throw Object.assign(new Error(`EACCES: permission denied, scandir '${String(path)}'`), { code: 'EACCES' });
    return (fs.readdirSync as (p: string, o?: unknown) => unknown)(path, opts);
  }) as typeof fs.readdirSync;
  return { ...fs, default: { ...fs, readdirSync }, readdirSync };
});

const SAMPLE = join(import.meta.dirname, '../../samples/iommu-sva-bind-flags/path-limited/before');

describe('an unreadable folder', () => {
  it('is an `unreadable` site (exit 1), and the old flag define its files may use is kept', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kmigrate-unreadable-'));
    cpSync(SAMPLE, root, { recursive: true });
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', root, '--format', 'json', '--jobs', '1', '--write']);
    expect(r.code).toBe(1);
    const sites = JSON.parse(r.stdout).sites as { path: string; code: string; action: string }[];
    expect(sites).toContainEqual(expect.objectContaining({ path: 'drivers/dma/plx', code: 'unreadable', action: 'manual' }));
    expect(sites.filter((s) => s.code === 'define-removed')).toEqual([]);
    expect(readFileSync(join(root, 'include/linux/intel-svm.h'), 'utf8')).toContain('#define SVM_FLAG_SUPERVISOR_MODE');
    // The core header is still migrated: only cross-file removals wait.
    expect(readFileSync(join(root, 'include/linux/iommu.h'), 'utf8')).toContain('IOMMU_SVA_BIND_SUPERVISOR');
  });
});
