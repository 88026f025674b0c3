import { describe, expect, it } from 'vitest';
import { diskSource, overlaySource } from '../../codemods/io/source.js';
import { makeTree } from '../helpers/cli.js';

describe('tree sources', () => {
  const root = makeTree({ 'include/linux/a.h': 'int a;\n', 'drivers/x/b.c': 'int b;\n', 'drivers/x/notes.txt': 'no\n' });

  it('counts a scan limited by paths as limited, and `.` as the whole tree', () => {
    expect(diskSource(root).limited).toBe(false);
    expect(diskSource(root, ['.']).limited).toBe(false);
    expect(diskSource(root, ['drivers']).limited).toBe(true);
  });

  it('lists only .c/.h files, relative and sorted, and the same through the streaming walk', () => {
    const src = diskSource(root);
    expect(src.list()).toEqual(['drivers/x/b.c', 'include/linux/a.h']);
    const walked: string[] = [];
    src.disk!.walk((p) => walked.push(p));
    expect(walked.sort()).toEqual(src.list());
    const limited: string[] = [];
    diskSource(root, ['drivers']).disk!.walk((p) => limited.push(p));
    expect(limited).toEqual(['drivers/x/b.c']);
  });

  it('lays an overlay over a tree: changed, added and deleted files', () => {
    const src = overlaySource(diskSource(root), new Map<string, string | null>([
      ['drivers/x/b.c', 'int c;\n'],
      ['drivers/y/new.c', 'int n;\n'],
      ['include/linux/a.h', null],
    ]));
    expect(src.list()).toEqual(['drivers/x/b.c', 'drivers/y/new.c']);
    expect(Buffer.from(src.read('drivers/x/b.c')!).toString()).toBe('int c;\n');
    expect(src.read('include/linux/a.h')).toBeUndefined();
  });
});
