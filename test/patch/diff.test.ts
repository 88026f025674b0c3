import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffStat, diffStatOfDiff, statFromDiff, summaryLine, unifiedDiff } from '../../codemods/patch/diff.js';
import { changesOf, diffLines } from '../../codemods/patch/line-diff.js';
import { blobHash, splitLines } from '../../codemods/patch/text.js';
import { FIXTURES, git, gitRepo, readTree, run, seeded, tempDir, writeTree } from './helpers.js';

const BASE_INIT = fs.readFileSync(path.join(FIXTURES, 'base/drivers/dma/idxd/init.c'), 'utf8');
const AFTER_INIT = `// SPDX-License-Identifier: GPL-2.0
#include <linux/iommu.h>

static int idxd_enable_system_pasid(struct idxd_device *idxd)
{
	struct iommu_sva *sva;

	sva = iommu_sva_bind_device(&idxd->pdev->dev, NULL,
				    IOMMU_SVA_BIND_SUPERVISOR);
	if (IS_ERR(sva))
		return PTR_ERR(sva);
	return 0;
}
`;

const numbered = (n: number, edit: Record<number, string> = {}): string =>
  Array.from({ length: n }, (_, i) => edit[i + 1] ?? String(i + 1)).join('\n') + '\n';

describe('unifiedDiff', () => {
  it('prints a modification as git does (index line, function name, context)', () => {
    expect(unifiedDiff('drivers/dma/idxd/init.c', BASE_INIT, AFTER_INIT)).toBe(
      `diff --git a/drivers/dma/idxd/init.c b/drivers/dma/idxd/init.c
index c26ccec..9f75e70 100644
--- a/drivers/dma/idxd/init.c
+++ b/drivers/dma/idxd/init.c
@@ -1,15 +1,12 @@
 // SPDX-License-Identifier: GPL-2.0
 #include <linux/iommu.h>
-#include <linux/intel-svm.h>
 
 static int idxd_enable_system_pasid(struct idxd_device *idxd)
 {
-	int flags;
 	struct iommu_sva *sva;
 
-	flags = SVM_FLAG_SUPERVISOR_MODE;
-
-	sva = iommu_sva_bind_device(&idxd->pdev->dev, NULL, &flags);
+	sva = iommu_sva_bind_device(&idxd->pdev->dev, NULL,
+				    IOMMU_SVA_BIND_SUPERVISOR);
 	if (IS_ERR(sva))
 		return PTR_ERR(sva);
 	return 0;
`,
    );
  });

  it('is empty when nothing changes', () => {
    expect(unifiedDiff('x.c', 'a\n', 'a\n')).toBe('');
    expect(unifiedDiff('x.c', null, null)).toBe('');
  });

  it('creates a file from /dev/null', () => {
    expect(unifiedDiff('drivers/x.c', null, 'a\nb\n', { index: false })).toBe(
      'diff --git a/drivers/x.c b/drivers/x.c\nnew file mode 100644\n--- /dev/null\n+++ b/drivers/x.c\n@@ -0,0 +1,2 @@\n+a\n+b\n',
    );
  });

  it('deletes a file to /dev/null', () => {
    expect(unifiedDiff('x.txt', 'only\n', null, { index: false })).toBe(
      'diff --git a/x.txt b/x.txt\ndeleted file mode 100644\n--- a/x.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-only\n',
    );
  });

  it('creates an empty file with the header alone, as git', () => {
    expect(unifiedDiff('e.txt', null, '')).toBe('diff --git a/e.txt b/e.txt\nnew file mode 100644\nindex 0000000..e69de29\n');
  });

  it('marks a missing newline at the end of either side', () => {
    expect(unifiedDiff('t.txt', 'a\nb', 'a\nc', { index: false })).toBe(
      'diff --git a/t.txt b/t.txt\n--- a/t.txt\n+++ b/t.txt\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n',
    );
    expect(unifiedDiff('t.txt', 'a\nb', 'a\nb\n', { index: false })).toBe(
      'diff --git a/t.txt b/t.txt\n--- a/t.txt\n+++ b/t.txt\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n',
    );
  });

  it('merges hunks whose contexts touch (gap of 6) and splits them at a gap of 7', () => {
    const merged = unifiedDiff('n.txt', numbered(20), numbered(20, { 4: 'four', 11: 'eleven' }), { index: false });
    expect(merged).toBe(
      'diff --git a/n.txt b/n.txt\n--- a/n.txt\n+++ b/n.txt\n@@ -1,14 +1,14 @@\n' +
        ' 1\n 2\n 3\n-4\n+four\n 5\n 6\n 7\n 8\n 9\n 10\n-11\n+eleven\n 12\n 13\n 14\n',
    );
    const split = unifiedDiff('n.txt', numbered(20), numbered(20, { 4: 'four', 12: 'twelve' }), { index: false });
    expect(split).toBe(
      'diff --git a/n.txt b/n.txt\n--- a/n.txt\n+++ b/n.txt\n' +
        '@@ -1,7 +1,7 @@\n 1\n 2\n 3\n-4\n+four\n 5\n 6\n 7\n' +
        '@@ -9,7 +9,7 @@\n 9\n 10\n 11\n-12\n+twelve\n 13\n 14\n 15\n',
    );
  });

  it('honours the context option', () => {
    expect(unifiedDiff('n.txt', numbered(5), numbered(5, { 3: 'three' }), { index: false, context: 1 })).toBe(
      'diff --git a/n.txt b/n.txt\n--- a/n.txt\n+++ b/n.txt\n@@ -2,3 +2,3 @@\n 2\n-3\n+three\n 4\n',
    );
  });

  it("names the function after @@: git's cpp rule skips labels in .c files, the default rule does not", () => {
    const before = 'static int foo(void)\n{\n\tint x;\n\nout:\n\ta();\n\tb();\n\tc();\n\td();\n\treturn 0;\n}\n';
    const after = before.replace('\td();\n', '\te();\n');
    const hunkHeader = (p: string): string => unifiedDiff(p, before, after).split('\n').find((l) => l.startsWith('@@'))!;
    expect(hunkHeader('f.c')).toBe('@@ -6,6 +6,6 @@ static int foo(void)');
    expect(hunkHeader('f.txt')).toBe('@@ -6,6 +6,6 @@ out:');
    expect(unifiedDiff('f.c', before, after, { funcname: 'none' })).toContain('\n@@ -6,6 +6,6 @@\n');
  });

  it('quotes paths git would quote', () => {
    expect(unifiedDiff('café.c', 'a\n', 'b\n', { index: false }).split('\n').slice(0, 3)).toEqual([
      'diff --git "a/caf\\303\\251.c" "b/caf\\303\\251.c"',
      '--- "a/caf\\303\\251.c"',
      '+++ "b/caf\\303\\251.c"',
    ]);
  });

  it('writes blob ids that git computes', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'x'), BASE_INIT);
    expect(blobHash(BASE_INIT)).toBe(run('git', ['hash-object', 'x'], dir).output.trim());
  });

  it('is fast enough for a 5,000-line file', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `\tvalue_${i % 997} = ${i % 13};`);
    const edited = lines.map((l, i) => (i % 50 === 0 ? `${l} /* changed */` : l));
    const reversed = [...lines].reverse();
    const t0 = performance.now();
    const d1 = unifiedDiff('big.c', lines.join('\n') + '\n', edited.join('\n') + '\n');
    const d2 = unifiedDiff('big.c', lines.join('\n') + '\n', reversed.join('\n') + '\n');
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(statFromDiff(d1)[0]).toMatchObject({ added: 100, removed: 100 });
    expect(statFromDiff(d2).length).toBe(1);
  });
});

describe('line diff', () => {
  const lcs = (a: string[], b: string[]): number => {
    const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        dp[i]![j] = a[i - 1] === b[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
      }
    }
    return dp[a.length]![b.length]!;
  };

  it('finds a shortest edit script with `minimal`, and a valid one by default (checked against an LCS table on 500 random pairs)', () => {
    const rnd = seeded(42);
    const alphabet = ['{', '}', '', 'a', 'b', 'c', 'return 0;', '\tx++;'];
    for (let t = 0; t < 500; t++) {
      const gen = (): string[] => Array.from({ length: Math.floor(rnd() * 25) }, () => alphabet[Math.floor(rnd() * alphabet.length)]! + '\n');
      const a = gen();
      const b = rnd() < 0.5 ? gen() : a.filter(() => rnd() < 0.8).concat(gen().slice(0, 3));
      const shortest = a.length + b.length - 2 * lcs(a, b);
      for (const minimal of [true, false]) {
        const { changedA, changedB } = diffLines(a, b, { minimal });
        const removed = changedA.reduce((s, v) => s + v, 0);
        const added = changedB.reduce((s, v) => s + v, 0);
        if (minimal) expect(removed + added).toBe(shortest);
        else expect(removed + added).toBeGreaterThanOrEqual(shortest);
        // The kept lines pair up in order and are equal.
        const keptA = a.filter((_, i) => !changedA[i]);
        const keptB = b.filter((_, j) => !changedB[j]);
        expect(keptA).toEqual(keptB);
        expect(changesOf({ changedA, changedB }).every((c) => c.delCount + c.addCount > 0)).toBe(true);
      }
    }
  });

  it('keeps the line terminator in the comparison', () => {
    const { changedA, changedB } = diffLines(splitLines('a\nb'), splitLines('a\nb\n'));
    expect([...changedA]).toEqual([0, 1]);
    expect([...changedB]).toEqual([0, 1]);
  });
});

describe('unifiedDiff against git diff', () => {
  // Generated C-like files and edits: what `git diff` prints (with the kernel's
  // `*.c diff=cpp` attribute) must be what unifiedDiff prints.
  it('matches git byte for byte on 300 generated edits', () => {
    const rnd = seeded(7);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const stmts = ['\tret = foo(dev);', '\tif (ret)', '\t\treturn ret;', '', '}', '{', '\tint ret;', '\tkfree(p);', '\tgoto out;', 'out:', '\treturn 0;', '\tmutex_lock(&lock);', '\tmutex_unlock(&lock);'];
    const gen = (): string[] =>
      Array.from({ length: 5 + Math.floor(rnd() * 80) }, (_, i) => (rnd() < 0.1 ? `static int fn_${i}(struct device *dev)` : rnd() < 0.3 ? `\tx${Math.floor(rnd() * 20)} = ${i};` : pick(stmts)));
    const mutate = (lines: string[]): string[] => {
      const out = [...lines];
      for (let e = 0, k = 1 + Math.floor(rnd() * 6); e < k; e++) {
        const at = Math.floor(rnd() * (out.length + 1));
        const r = rnd();
        if (r < 0.33) out.splice(at, Math.floor(rnd() * 3));
        else if (r < 0.66) out.splice(at, 0, ...Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => (rnd() < 0.5 ? pick(stmts) : `\tnew_${Math.floor(rnd() * 5)}();`)));
        else out.splice(at, 1, pick(stmts));
      }
      return out;
    };
    const join = (ls: string[], nl: boolean): string => ls.join('\n') + (ls.length && nl ? '\n' : '');

    const repo = gitRepo();
    fs.writeFileSync(path.join(repo, '.gitattributes'), '*.c diff=cpp\n*.h diff=cpp\n');
    const cases: { name: string; before: string | null; after: string | null }[] = [];
    for (let i = 0; i < 300; i++) {
      const a = gen();
      const before = join(a, rnd() < 0.9);
      const after = join(mutate(a), rnd() < 0.9);
      cases.push({ name: i % 4 === 0 ? `t${i}.txt` : `drivers/f${i}.c`, before, after });
    }
    cases.push({ name: 'new.c', before: null, after: 'int x;\n' }, { name: 'gone.c', before: 'int y;\n', after: null });
    cases.push({ name: 'init.c', before: BASE_INIT, after: AFTER_INIT });
    writeTree(repo, Object.fromEntries(cases.filter((c) => c.before !== null).map((c) => [c.name, c.before!])));
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-qm', 'before']);
    for (const c of cases) {
      const abs = path.join(repo, c.name);
      if (c.after === null) fs.rmSync(abs);
      else writeTree(repo, { [c.name]: c.after });
    }
    git(repo, ['add', '-A']);
    const gitDiff = git(repo, ['diff', '--cached']);
    const ours = [...cases]
      .sort((x, y) => (x.name < y.name ? -1 : 1))
      .map((c) => unifiedDiff(c.name, c.before, c.after))
      .join('');
    expect(ours).toBe(gitDiff);
  });
});

describe('diffs are accepted by git apply and patch', () => {
  it('applies with `git apply --check`, `patch -p1 --dry-run`, and gives the new tree', () => {
    const before: Record<string, string | null> = {
      'drivers/dma/idxd/init.c': BASE_INIT,
      'a.txt': 'one\ntwo',
      'gone.c': 'int y;\n',
      'n.txt': numbered(40),
      'added.c': null,
    };
    const after: Record<string, string | null> = {
      'drivers/dma/idxd/init.c': AFTER_INIT,
      'a.txt': 'one\ntwo\nthree\n',
      'gone.c': null,
      'n.txt': numbered(40, { 2: 'two', 20: 'twenty', 39: 'thirty-nine' }),
      'added.c': '#include <linux/iommu.h>\n',
    };
    const diff = Object.keys(before)
      .map((p) => unifiedDiff(p, before[p]!, after[p]!))
      .join('');
    const root = tempDir();
    writeTree(root, Object.fromEntries(Object.entries(before).filter(([, v]) => v !== null)) as Record<string, string>);

    const check = run('git', ['apply', '--check', '-'], root, diff);
    expect(check.output).toBe('');
    expect(check.status).toBe(0);
    const dry = run('patch', ['-p1', '--dry-run', '-s', '-f'], root, diff);
    expect(dry.output).toBe('');
    expect(dry.status).toBe(0);

    expect(run('git', ['apply', '-'], root, diff).status).toBe(0);
    expect(readTree(root)).toEqual(Object.fromEntries(Object.entries(after).filter(([, v]) => v !== null)));
  });
});

describe('diffStat', () => {
  it('counts a mode change and an empty new file as 0, with their --summary lines', () => {
    const diff =
      'diff --git a/big.txt b/big.txt\nold mode 100644\nnew mode 100755\n' +
      'diff --git a/empty.txt b/empty.txt\nnew file mode 100644\nindex 0000000..e69de29\n';
    expect(diffStatOfDiff(diff)).toBe(
      ' big.txt   | 0\n' +
        ' empty.txt | 0\n' +
        ' 2 files changed, 0 insertions(+), 0 deletions(-)\n' +
        ' mode change 100644 => 100755 big.txt\n' +
        ' create mode 100644 empty.txt\n',
    );
  });

  it('prints the stat block of git format-patch', () => {
    expect(
      diffStat([
        { path: 'drivers/dma/idxd/init.c', added: 1, removed: 6 },
        { path: 'include/linux/iommu.h', added: 4, removed: 1 },
      ]),
    ).toBe(
      ' drivers/dma/idxd/init.c | 7 +------\n' + ' include/linux/iommu.h   | 5 ++++-\n' + ' 2 files changed, 5 insertions(+), 7 deletions(-)\n',
    );
  });

  it('shortens long names from the left and scales long graphs (width 72, and 80)', () => {
    const files = [
      { path: 'a/very/long/directory/name/that/goes/on/and/on/for/quite/a/while/file.c', added: 5, removed: 0 },
      { path: 'big.txt', added: 200, removed: 0 },
    ];
    // Both expectations are git 2.39's own output for these two files.
    expect(diffStat(files)).toBe(
      ' .../goes/on/and/on/for/quite/a/while/file.c   |   5 +\n' +
        ' big.txt                                       | 200 ++++++++++++++++++\n' +
        ' 2 files changed, 205 insertions(+)\n',
    );
    expect(diffStat(files, { width: 80 })).toBe(
      ' .../that/goes/on/and/on/for/quite/a/while/file.c   |   5 +\n' +
        ' big.txt                                            | 200 +++++++++++++++++++++\n' +
        ' 2 files changed, 205 insertions(+)\n',
    );
  });

  it('words the summary line as git', () => {
    expect(summaryLine(1, 1, 0)).toBe(' 1 file changed, 1 insertion(+)\n');
    expect(summaryLine(2, 0, 3)).toBe(' 2 files changed, 3 deletions(-)\n');
    expect(summaryLine(1, 0, 0)).toBe(' 1 file changed, 0 insertions(+), 0 deletions(-)\n');
  });

  it('counts lines of a diff text, ignoring the mail around it, and adds --summary', () => {
    const diff =
      'Some message\n---\n' +
      unifiedDiff('drivers/dma/idxd/init.c', BASE_INIT, AFTER_INIT) +
      unifiedDiff('new.c', null, 'a\n') +
      unifiedDiff('old.c', 'x\ny\n', null) +
      '-- \n2.39.5\n';
    expect(statFromDiff(diff).map((f) => [f.path, f.added, f.removed])).toEqual([
      ['drivers/dma/idxd/init.c', 2, 5],
      ['new.c', 1, 0],
      ['old.c', 0, 2],
    ]);
    expect(diffStatOfDiff(diff)).toBe(
      ' drivers/dma/idxd/init.c | 7 ++-----\n' +
        ' new.c                   | 1 +\n' +
        ' old.c                   | 2 --\n' +
        ' 3 files changed, 3 insertions(+), 7 deletions(-)\n' +
        ' create mode 100644 new.c\n' +
        ' delete mode 100644 old.c\n',
    );
  });
});
