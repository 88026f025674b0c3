// `run` must never write where the walk would not go, never leave a tree
// half-written, and never keep quiet about what it could not read.
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTree, runCli } from '../helpers/cli.js';
import { CALLER, HEADER } from '../helpers/iommu-tree.js';

describe('explicit paths obey the walk: no symlink inside the tree is followed', () => {
  for (const [what, path] of [
    ['a file under a linked folder', 'drivers/outside/demo.c'],
    ['a linked folder', 'drivers/outside'],
    ['a folder under a linked folder', 'drivers/outside/.'],
  ] as const) {
    it(`refuses ${what} (exit 2) and writes nothing outside the tree`, async () => {
      const outside = makeTree({ 'demo.c': CALLER });
      const root = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': CALLER });
      symlinkSync(outside, join(root, 'drivers/outside'));
      const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', root, '--write', path]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/goes through the symbolic link drivers\/outside inside the tree/);
      expect(readFileSync(join(outside, 'demo.c'), 'utf8')).toBe(CALLER);
    });
  }

  it('the walk of the whole tree skips the linked folder too', async () => {
    const outside = makeTree({ 'demo.c': CALLER });
    const root = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': CALLER });
    symlinkSync(outside, join(root, 'drivers/outside'));
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', root, '--write']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(outside, 'demo.c'), 'utf8')).toBe(CALLER);
    expect(readFileSync(join(root, 'drivers/misc/demo.c'), 'utf8')).not.toBe(CALLER);
  });
});
