import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePatch, parsePatchDetailed, PatchParseError, stripComponents } from '../../codemods/patch/parse.js';
import { FIXTURES } from './helpers.js';

const PATCH1 = fs.readFileSync(path.join(FIXTURES, 'fmt/0001-iommu-sva-Tighten-SVA-bind-API-with-explicit-flags.patch'), 'utf8');

/** The PatchParseError `fn` throws (fails the test when it does not throw one). */
function parseError(fn: () => unknown): PatchParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PatchParseError) return e;
    throw e;
  }
  throw new Error('expected a PatchParseError');
}

describe('parsePatch', () => {
  it('reads a git format-patch mail, skipping the message and the signature', () => {
    const files = parsePatch(PATCH1, { source: '0001.patch' });
    expect(files).toEqual([
      {
        oldPath: 'include/linux/iommu.h',
        newPath: 'include/linux/iommu.h',
        isNew: false,
        isDelete: false,
        isRename: false,
        isCopy: false,
        oldIndex: '0142967',
        newIndex: '5bbda32',
        oldMode: '100644',
        newMode: '100644',
        headerLine: 17,
        hunks: [
          {
            oldStart: 4,
            oldLines: 10,
            newStart: 4,
            newLines: 13,
            section: '',
            line: 21,
            lines: [
              ' ',
              ' #define IOMMU_PASID_INVALID\t(-1U)',
              ' ',
              "+/* Supervisor PASID: kernel's static 1:1 map only; platform specific. */",
              '+#define IOMMU_SVA_BIND_SUPERVISOR\tBIT(0)',
              '+',
              ' #ifdef CONFIG_IOMMU_API',
              ' struct iommu_sva *iommu_sva_bind_device(struct device *dev,',
              ' \t\t\t\t\tstruct mm_struct *mm,',
              '-\t\t\t\t\tvoid *drvdata);',
              '+\t\t\t\t\tunsigned int flags);',
              ' #endif',
              ' ',
              ' #endif /* __LINUX_IOMMU_H */',
            ],
          },
        ],
      },
    ]);
    const detailed = parsePatchDetailed(PATCH1);
    expect([detailed.startLine, detailed.endLine]).toEqual([17, 35]);
    expect(PATCH1.split('\n')[35]).toBe('-- ');
  });

  it('reads git extended headers: rename, mode change, empty new file, binary, quoted delete', () => {
    const text = [
      'diff --git a/old/name.c b/new/name.c',
      'similarity index 90%',
      'rename from old/name.c',
      'rename to new/name.c',
      'index 1111111..2222222 100644',
      '--- a/old/name.c',
      '+++ b/new/name.c',
      '@@ -1 +1 @@ int main(void)',
      '-a',
      '+b',
      'diff --git a/script.sh b/script.sh',
      'old mode 100644',
      'new mode 100755',
      'diff --git a/empty.txt b/empty.txt',
      'new file mode 100644',
      'index 0000000..e69de29',
      'diff --git a/logo.png b/logo.png',
      'index 3333333..4444444 100644',
      'Binary files a/logo.png and b/logo.png differ',
      'diff --git "a/caf\\303\\251.c" "b/caf\\303\\251.c"',
      'deleted file mode 100644',
      'index 5555555..0000000',
      '--- "a/caf\\303\\251.c"',
      '+++ /dev/null',
      '@@ -1,2 +0,0 @@',
      '-x',
      '-y',
      '\\ No newline at end of file',
      '',
    ].join('\n');
    const files = parsePatch(text);
    expect(files.map((f) => [f.oldPath, f.newPath, f.isNew, f.isDelete, f.isRename, f.headerLine])).toEqual([
      ['old/name.c', 'new/name.c', false, false, true, 1],
      ['script.sh', 'script.sh', false, false, false, 11],
      [null, 'empty.txt', true, false, false, 14],
      ['logo.png', 'logo.png', false, false, false, 17],
      ['café.c', null, false, true, false, 20],
    ]);
    expect(files[0]).toMatchObject({ similarity: 90, oldIndex: '1111111', newIndex: '2222222' });
    expect(files[0]!.hunks[0]).toMatchObject({ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, section: 'int main(void)', line: 8 });
    expect(files[1]).toMatchObject({ oldMode: '100644', newMode: '100755', hunks: [] });
    expect(files[2]).toMatchObject({ newMode: '100644', hunks: [] });
    expect(files[3]).toMatchObject({ isBinary: true, hunks: [] });
    expect(files[4]!.hunks[0]!.lines).toEqual(['-x', '-y', '\\ No newline at end of file']);
  });

  it('reads a plain quilt diff: Index lines, timestamps, -pN stripping, hunks without counts', () => {
    const text = [
      'Fix the flags.',
      '',
      'Index: linux/include/linux/iommu.h',
      '===================================================================',
      '--- linux.orig/include/linux/iommu.h\t2021-05-20 10:00:00.000000000 +0200',
      '+++ linux/include/linux/iommu.h\t2021-05-20 10:05:00.000000000 +0200',
      '@@ -3 +3 @@',
      '-void *drvdata);',
      '+unsigned int flags);',
      '',
    ].join('\n');
    const [fp] = parsePatch(text);
    expect(fp).toMatchObject({ oldPath: 'include/linux/iommu.h', newPath: 'include/linux/iommu.h', headerLine: 5 });
    expect(fp!.hunks[0]).toMatchObject({ oldStart: 3, oldLines: 1, newStart: 3, newLines: 1, line: 7 });
    expect(parsePatch(text, { strip: 2 })[0]!.newPath).toBe('linux/iommu.h');
    expect(parsePatch('--- a.c\n+++ a.c\n@@ -1 +1 @@\n-x\n+y\n', { strip: 0 })[0]!.newPath).toBe('a.c');
  });

  it('takes an empty line inside a hunk as an empty context line', () => {
    const [fp] = parsePatch('--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n');
    expect(fp!.hunks[0]!.lines).toEqual([' a', ' ', '-b', '+c']);
  });

  it('strips path components like patch -pN', () => {
    expect(stripComponents('a/b/c.c', 1)).toBe('b/c.c');
    // GNU patch reads a//b/c.c as b/c.c; git apply calls it an invalid
    // (absolute) path. We follow git, which maintainers apply series with:
    // the leading slash stays, and the path guard refuses the file.
    expect(stripComponents('a//b/c.c', 1)).toBe('/b/c.c');
    expect(stripComponents('a/b//c.c', 2)).toBe('/c.c');
    expect(stripComponents('c.c', 1)).toBeUndefined();
  });
});

describe('parsePatch errors', () => {
  it('refuses a truncated hunk, naming the line where the patch ends', () => {
    const text = 'diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n';
    const e = parseError(() => parsePatch(text, { source: 'series/0001.patch' }));
    expect(e.source).toBe('series/0001.patch');
    expect(e.line).toBe(8);
    expect(e.message).toBe('series/0001.patch:8: truncated hunk (header at line 4): 1 old line and 1 new line missing at the end of the patch');
  });

  it('refuses a truncated hunk followed by the next file', () => {
    const text = '--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n a\n-b\n+c\ndiff --git a/y.c b/y.c\n';
    const e = parseError(() => parsePatch(text));
    expect([e.line, e.reason]).toEqual([7, 'truncated hunk (header at line 3): 1 old line and 1 new line missing before this line']);
  });

  it('refuses garbage inside a hunk, at its line', () => {
    const text = '--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n a\n*b\n c\n';
    const e = parseError(() => parsePatch(text));
    expect(e.line).toBe(5);
    expect(e.reason).toMatch(/^garbage in hunk \(header at line 3\)/);
  });

  it('refuses a hunk with more lines than its header says', () => {
    const e = parseError(() => parsePatch('--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n-b\n+c\n'));
    expect([e.line, e.reason]).toEqual([5, 'hunk (header at line 3) has more old lines than its header says']);
  });

  it('refuses a hunk whose header counts too few lines, with -/+ lines after them: a corrupt patch naming the file and line', () => {
    // Counts 2/2, but the hunk goes on with a change: git does not apply the rest either.
    const text = 'diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @@\n a\n-b\n+B\n-c\n+C\n d\n';
    const e = parseError(() => parsePatch(text, { source: 's.patch' }));
    expect(e.message).toBe('s.patch:8: corrupt patch: x.c: the hunk at line 4 (-1,2 +1,2) goes on after the lines its header counts: "-c"');
    // Context lines first, then the change: the same.
    const plain = '--- a/x.c\n+++ b/x.c\n@@ -1,1 +1,1 @@\n a\n b\n+new\n';
    expect(parseError(() => parsePatch(plain)).line).toBe(6);
    // A signature and the next file's header are not part of a hunk.
    const sig = '--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n-- \n2.39.5\n--- a/y.c\n+++ b/y.c\n@@ -1 +1 @@\n-a\n+b\n';
    expect(parsePatch(sig).map((f) => f.newPath)).toEqual(['x.c', 'y.c']);
  });

  it('refuses a file header without hunks', () => {
    const e = parseError(() => parsePatch('--- a/x\n+++ b/x\nnot a hunk\n'));
    expect(e.line).toBe(3);
    expect(e.reason).toMatch(/^file header without hunks/);
    const g = parseError(() => parsePatch('diff --git a/x b/x\nindex 1111111..2222222 100644\ndiff --git a/y b/y\n'));
    expect(g.line).toBe(1);
  });

  it('refuses a hunk outside any file, and text with no diff', () => {
    expect(parseError(() => parsePatch('Subject: hi\n\n@@ -1 +1 @@\n-a\n+b\n')).line).toBe(3);
    const e = parseError(() => parsePatch('just a message\n', { source: 'm.eml' }));
    expect(e.message).toBe('m.eml:1: no diff found (no `diff --git` or `---`/`+++` header)');
    expect(parsePatch('just a message\n', { requireDiff: false })).toEqual([]);
  });

  it('reports lines in the source when the diff was cut out of a larger file', () => {
    const e = parseError(() => parsePatch('--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n', { firstLine: 40, source: 't.mbox' }));
    expect(e.line).toBe(44);
  });
});
