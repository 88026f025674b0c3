import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyFilePatch,
  applyToTree,
  PatchApplyError,
  TreeOverlay,
  UnsafePathError,
  type AppliedFile,
} from '../../codemods/patch/apply.js';
import { unifiedDiff } from '../../codemods/patch/diff.js';
import { parsePatch, type FilePatch } from '../../codemods/patch/parse.js';
import { FIXTURES, git, gitRepo, readTree, run, seeded, tempDir, writeTree } from './helpers.js';

const BASE = path.join(FIXTURES, 'base');
const numbered = (n: number, edit: Record<number, string> = {}): string =>
  Array.from({ length: n }, (_, i) => edit[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';

/** The PatchApplyError `fn` throws. */
function applyError(fn: () => unknown): PatchApplyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PatchApplyError) return e;
    throw e;
  }
  throw new Error('expected a PatchApplyError');
}

const one = (diff: string): FilePatch => {
  const files = parsePatch(diff);
  expect(files).toHaveLength(1);
  return files[0]!;
};

describe('applyFilePatch', () => {
  it('round-trips: unifiedDiff → parsePatch → apply gives the new text (400 generated pairs)', () => {
    const rnd = seeded(11);
    const words = ['{', '}', '', '\treturn 0;', '\tif (ret)', '\t\tgoto out;', 'out:', '\tkfree(p);'];
    for (let t = 0; t < 400; t++) {
      const gen = (): string[] => Array.from({ length: Math.floor(rnd() * 30) }, () => words[Math.floor(rnd() * words.length)]!);
      const a = gen();
      const b = rnd() < 0.3 ? gen() : a.map((l) => (rnd() < 0.1 ? `${l} /* x */` : l)).filter(() => rnd() < 0.95);
      const before = rnd() < 0.1 ? null : a.join('\n') + (rnd() < 0.8 ? '\n' : '');
      const after = rnd() < 0.1 ? null : b.join('\n') + (rnd() < 0.8 ? '\n' : '');
      const context = [0, 1, 3][t % 3]!;
      const diff = unifiedDiff('f.c', before, after, { context });
      if (diff === '') {
        expect(before).toBe(after);
        continue;
      }
      expect(applyFilePatch(before, one(diff))).toBe(after);
    }
  });

  it('finds a hunk above or below where its header says, and carries the shift', () => {
    const patch = one(unifiedDiff('n.txt', numbered(30), numbered(30, { 5: 'five', 25: 'twenty-five' })));
    const target = 'new first\nnew second\n' + numbered(30);
    expect(applyFilePatch(target, patch)).toBe('new first\nnew second\n' + numbered(30, { 5: 'five', 25: 'twenty-five' }));
    const shorter = numbered(30).split('\n').slice(2).join('\n');
    const moved = applyFilePatch(shorter, one(unifiedDiff('n.txt', numbered(30), numbered(30, { 10: 'ten' }))));
    expect(moved).toBe(numbered(30, { 10: 'ten' }).split('\n').slice(2).join('\n'));
  });

  it('names the file, the hunk and the line when context does not match', () => {
    const patch = one(unifiedDiff('drivers/x.c', numbered(30), numbered(30, { 5: 'five', 22: 'twenty-two' })));
    const target = numbered(30, { 20: 'changed by someone else' });
    const e = applyError(() => applyFilePatch(target, patch));
    expect(e.code).toBe('hunk-failed');
    expect(e.path).toBe('drivers/x.c');
    expect(e.hunk).toBe(2);
    expect(e.line).toBe(19);
    expect([e.expected, e.actual]).toEqual(['line 20', 'changed by someone else']);
    expect(e.message).toBe('drivers/x.c: hunk #2 does not apply at line 19: the context or removed lines do not match');
  });

  it('makes a hunk without trailing context match at the end of the file, and one at line 1 at its start', () => {
    const append = one(unifiedDiff('t.txt', 'a\nb\n', 'a\nb\nc\n'));
    expect(applyFilePatch('a\nb\n', append)).toBe('a\nb\nc\n');
    expect(applyError(() => applyFilePatch('a\nb\nz\n', append)).hunk).toBe(1);
    const prepend = one(unifiedDiff('t.txt', 'a\nb\n', 'top\na\nb\n'));
    expect(applyError(() => applyFilePatch('x\na\nb\n', prepend)).code).toBe('hunk-failed');
  });

  it('needs exact bytes: a missing newline at the end is a difference', () => {
    const patch = one(unifiedDiff('t.txt', 'a\nb\n', 'a\nc\n'));
    expect(applyError(() => applyFilePatch('a\nb', patch)).code).toBe('hunk-failed');
    const noEol = one(unifiedDiff('t.txt', 'a\nb', 'a\nc'));
    expect(applyFilePatch('a\nb', noEol)).toBe('a\nc');
  });

  it('refuses to create an existing file, change a missing one, or delete a file it does not empty', () => {
    const create = one(unifiedDiff('n.c', null, 'x\n'));
    expect(applyError(() => applyFilePatch('y\n', create)).code).toBe('already-exists');
    const change = one(unifiedDiff('n.c', 'x\n', 'y\n'));
    expect(applyError(() => applyFilePatch(null, change)).code).toBe('missing-file');
    const del = one(unifiedDiff('n.c', 'x\n', null));
    expect(applyFilePatch('x\n', del)).toBeNull();
    expect(applyError(() => applyFilePatch('x\nmore\n', del)).code).toBe('delete-mismatch');
  });
});

describe('applyToTree', () => {
  const SERIES_DIFF = (): string =>
    unifiedDiff('drivers/dma/idxd/init.c', fs.readFileSync(path.join(BASE, 'drivers/dma/idxd/init.c'), 'utf8'), 'replaced\n') +
    unifiedDiff('drivers/new/file.c', null, 'new\n') +
    unifiedDiff('include/linux/iommu.h', fs.readFileSync(path.join(BASE, 'include/linux/iommu.h'), 'utf8'), null);

  const copyBase = (): string => {
    const root = tempDir();
    fs.cpSync(BASE, root, { recursive: true });
    return root;
  };

  it('writes results to disk, creating directories and deleting files, keeping the mode', () => {
    const root = copyBase();
    fs.chmodSync(path.join(root, 'drivers/dma/idxd/init.c'), 0o755);
    const results = applyToTree(root, parsePatch(SERIES_DIFF()));
    expect(results.map((r: AppliedFile) => [r.path, r.status])).toEqual([
      ['drivers/dma/idxd/init.c', 'modified'],
      ['drivers/new/file.c', 'added'],
      ['include/linux/iommu.h', 'deleted'],
    ]);
    expect(readTree(root)).toEqual({ 'drivers/dma/idxd/init.c': 'replaced\n', 'drivers/new/file.c': 'new\n' });
    expect(fs.statSync(path.join(root, 'drivers/dma/idxd/init.c')).mode & 0o777).toBe(0o755);
    expect(fs.readdirSync(path.join(root, 'drivers/dma/idxd'))).toEqual(['init.c']);
  });

  it('changes nothing on a dry run', () => {
    const root = copyBase();
    const before = readTree(root);
    expect(applyToTree(root, parsePatch(SERIES_DIFF()), { dryRun: true })).toHaveLength(3);
    expect(readTree(root)).toEqual(before);
  });

  it('writes only into the overlay, and a later patch sees an earlier one', () => {
    const root = copyBase();
    const before = readTree(root);
    const overlay = new Map<string, string | null>();
    applyToTree(root, parsePatch(SERIES_DIFF()), { overlay });
    applyToTree(root, parsePatch(unifiedDiff('drivers/new/file.c', 'new\n', 'newer\n')), { overlay });
    expect(readTree(root)).toEqual(before);
    expect(Object.fromEntries(overlay)).toEqual({
      'drivers/dma/idxd/init.c': 'replaced\n',
      'drivers/new/file.c': 'newer\n',
      'include/linux/iommu.h': null,
    });
  });

  it('applies all patches or none: a failing hunk leaves disk and overlay as they were', () => {
    const root = copyBase();
    const before = readTree(root);
    const bad = SERIES_DIFF() + unifiedDiff('drivers/new/file.c', 'not what it is\n', 'x\n');
    const e = applyError(() => applyToTree(root, parsePatch(bad)));
    expect([e.code, e.path, e.hunk, e.line]).toEqual(['hunk-failed', 'drivers/new/file.c', 1, 1]);
    expect(readTree(root)).toEqual(before);
    const overlay = new Map<string, string | null>([['keep.c', 'kept\n']]);
    applyError(() => applyToTree(root, parsePatch(bad), { overlay }));
    expect(Object.fromEntries(overlay)).toEqual({ 'keep.c': 'kept\n' });
  });

  it('renames a file', () => {
    const root = tempDir();
    writeTree(root, { 'old/a.c': 'one\ntwo\n' });
    const diff = 'diff --git a/old/a.c b/new/a.c\nsimilarity index 60%\nrename from old/a.c\nrename to new/a.c\n--- a/old/a.c\n+++ b/new/a.c\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n';
    expect(applyToTree(root, parsePatch(diff))[0]).toMatchObject({ path: 'new/a.c', oldPath: 'old/a.c', status: 'renamed' });
    expect(readTree(root)).toEqual({ 'new/a.c': 'one\n2\n' });
  });

  it('refuses a non-UTF-8 file', () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'latin1.c'), Buffer.from([0x63, 0xe9, 0x0a]));
    const e = applyError(() => applyToTree(root, parsePatch(unifiedDiff('latin1.c', 'x\n', 'y\n'))));
    expect([e.code, e.path]).toEqual(['not-utf8', 'latin1.c']);
  });
});

describe('path safety', () => {
  /** A tree, a directory beside it with a file, and a symlink from the tree to that directory. */
  const setup = (): { root: string; outside: string } => {
    const parent = tempDir();
    const root = path.join(parent, 'tree');
    const outside = path.join(parent, 'outside');
    writeTree(root, { 'ok.c': 'ok\n', 'drivers/a.c': 'a\n' });
    writeTree(outside, { 'victim.c': 'victim\n' });
    fs.symlinkSync('../outside', path.join(root, 'link'));
    fs.symlinkSync(path.join(outside, 'victim.c'), path.join(root, 'drivers/victim-link.c'));
    return { root, outside };
  };

  const refuses = (diff: string, expected: RegExp, strip = 1): void => {
    const { root, outside } = setup();
    const before = { tree: readTree(root), outside: readTree(outside) };
    // A harmless change first: it must not be written either.
    const patches = [...parsePatch(unifiedDiff('ok.c', 'ok\n', 'changed\n')), ...parsePatch(diff, { strip })];
    for (const overlay of [undefined, new Map<string, string | null>()]) {
      let err: unknown;
      try {
        applyToTree(root, patches, overlay ? { overlay } : {});
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UnsafePathError);
      expect((err as UnsafePathError).code).toBe('unsafe-path');
      expect((err as UnsafePathError).reason).toMatch(expected);
      if (overlay) expect(overlay.size).toBe(0);
    }
    expect(readTree(root)).toEqual(before.tree);
    expect(readTree(outside)).toEqual(before.outside);
    expect(fs.readdirSync(path.dirname(root)).sort()).toEqual(['outside', 'tree']);
  };

  it('refuses ../ paths', () => {
    refuses(unifiedDiff('../outside/victim.c', 'victim\n', 'owned\n'), /`\.\.`/);
    refuses(unifiedDiff('drivers/../../x.c', null, 'x\n'), /`\.\.`/);
  });

  it('refuses absolute paths', () => {
    refuses('--- /etc/passwd\n+++ /etc/passwd\n@@ -1 +1 @@\n-root\n+owned\n', /absolute/, 0);
    refuses('diff --git a/x b/x\nrename from ok.c\nrename to /tmp/owned.c\n', /absolute/);
  });

  it('refuses paths through a symlink that leads out of the tree, and writing through a symlink', () => {
    refuses(unifiedDiff('link/victim.c', 'victim\n', 'owned\n'), /outside the tree/);
    refuses(unifiedDiff('link/new.c', null, 'owned\n'), /outside the tree/);
    refuses(unifiedDiff('drivers/victim-link.c', 'victim\n', 'owned\n'), /symbolic link/);
  });

  it('refuses .git', () => {
    refuses(unifiedDiff('.git/hooks/pre-commit', null, 'owned\n'), /\.git/);
  });
});

describe('TreeOverlay', () => {
  it('reads through to the base tree and writes only to itself', () => {
    const root = tempDir();
    writeTree(root, { 'a.c': 'a\n', 'dir/b.c': 'b\n' });
    const o = new TreeOverlay(root);
    expect(o.read('a.c')).toBe('a\n');
    expect(o.read('missing.c')).toBeUndefined();
    o.write('a.c', 'A\n');
    o.write('dir/new.c', 'new\n');
    o.remove('dir/b.c');
    expect([o.read('a.c'), o.read('dir/b.c'), o.exists('dir/new.c')]).toEqual(['A\n', undefined, true]);
    expect(o.changedPaths()).toEqual(['a.c', 'dir/b.c', 'dir/new.c']);
    expect(readTree(root)).toEqual({ 'a.c': 'a\n', 'dir/b.c': 'b\n' });
    expect(() => o.read('../x')).toThrow(UnsafePathError);
    expect(() => o.write('/etc/passwd', 'x')).toThrow(UnsafePathError);
  });

  it('applies patches on top, snapshots, and materializes a copy without touching the base', () => {
    const root = tempDir();
    writeTree(root, { 'a.c': 'a\n', 'dir/b.c': 'b\n' });
    const o = new TreeOverlay(root);
    o.apply(parsePatch(unifiedDiff('a.c', 'a\n', 'a2\n')));
    const before = o.snapshot();
    o.apply(parsePatch(unifiedDiff('a.c', 'a2\n', 'a3\n') + unifiedDiff('dir/b.c', 'b\n', null)));
    expect(before.read('a.c')).toBe('a2\n');
    expect(o.read('a.c')).toBe('a3\n');

    const out = path.join(tempDir(), 'copy');
    o.materialize(out);
    expect(readTree(out)).toEqual({ 'a.c': 'a3\n' });
    expect(readTree(root)).toEqual({ 'a.c': 'a\n', 'dir/b.c': 'b\n' });
    expect(() => o.materialize(path.join(root, 'inside'))).toThrow(UnsafePathError);
  });

  it('materializes over hard links without writing through them', () => {
    const root = tempDir();
    writeTree(root, { 'a.c': 'a\n', 'dir/b.c': 'b\n' });
    fs.symlinkSync('a.c', path.join(root, 'alias.c'));
    const o = new TreeOverlay(root);
    o.write('a.c', 'changed\n');
    const out = path.join(tempDir(), 'linked');
    o.materialize(out, { base: 'hardlink' });
    expect(readTree(out)).toEqual({ 'a.c': 'changed\n', 'dir/b.c': 'b\n' });
    expect(fs.readlinkSync(path.join(out, 'alias.c'))).toBe('a.c');
    expect(fs.statSync(path.join(out, 'dir/b.c')).ino).toBe(fs.statSync(path.join(root, 'dir/b.c')).ino);
    expect(readTree(root)).toEqual({ 'a.c': 'a\n', 'dir/b.c': 'b\n' });
  });

  it('agrees with git apply on where a shifted patch goes', () => {
    const root = tempDir();
    const target = 'extra 1\nextra 2\n' + numbered(40);
    writeTree(root, { 'n.txt': target });
    const diff = unifiedDiff('n.txt', numbered(40), numbered(40, { 5: 'five', 30: 'thirty' }));
    const ours = applyFilePatch(target, one(diff));
    expect(run('git', ['apply', '-'], root, diff).status).toBe(0);
    expect(fs.readFileSync(path.join(root, 'n.txt'), 'utf8')).toBe(ours);
    // A hunk that starts at line 1 must stay at line 1, for both.
    writeTree(root, { 'n.txt': target });
    const atTop = unifiedDiff('n.txt', numbered(40), numbered(40, { 3: 'three' }));
    expect(applyError(() => applyFilePatch(target, one(atTop)))).toMatchObject({ hunk: 1, line: 1 });
    expect(run('git', ['apply', '--check', '-'], root, atTop).status).not.toBe(0);
  });
});

describe('symbolic links: nothing is written beyond one, as git', () => {
  /** Two patches made by git: the first creates `out` -> `../outside` (mode 120000), the second `out/evil.c`. */
  const linkThenWrite = (): { repo: string; first: string; second: string } => {
    const repo = gitRepo();
    writeTree(repo, { 'ok.c': 'ok\n' });
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'base']);
    fs.symlinkSync('../outside', path.join(repo, 'out'));
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'link']);
    const first = git(repo, ['diff', 'HEAD~1', 'HEAD']);
    // The second patch: what a diff creating out/evil.c looks like (git itself could not commit it).
    const second = 'diff --git a/out/evil.c b/out/evil.c\nnew file mode 100644\n--- /dev/null\n+++ b/out/evil.c\n@@ -0,0 +1 @@\n+owned\n';
    git(repo, ['reset', '-q', '--hard', 'HEAD~1']);
    return { repo, first, second };
  };

  it('a link created by an earlier patch (mode 120000): a later patch writing through it is refused, as git apply refuses it', () => {
    const { repo, first, second } = linkThenWrite();
    expect(first).toContain('new file mode 120000');
    const o = new TreeOverlay(repo);
    o.apply(parsePatch(first));
    expect(o.links).toEqual(new Set(['out']));
    const err = applyError(() => o.apply(parsePatch(second)));
    expect(err).toBeInstanceOf(UnsafePathError);
    expect(err.reason).toMatch(/beyond a symbolic link \(out, created by a patch\)/);
    // In one call, too; and on disk nothing is written.
    expect(applyError(() => applyToTree(repo, parsePatch(first + second))).reason).toMatch(/beyond a symbolic link/);
    expect(fs.existsSync(path.join(repo, 'out'))).toBe(false);
    // git: the same two patches, one after the other.
    expect(run('git', ['apply', '-'], repo, first).status).toBe(0);
    const theirs = run('git', ['apply', '-'], repo, second);
    expect(theirs.status).not.toBe(0);
    expect(theirs.output).toMatch(/beyond a symbolic link/);
  });

  it('a link in the tree that stays inside it (absolute): writing through it is refused, as git apply refuses it', () => {
    const repo = gitRepo();
    writeTree(repo, { 'include/real.h': 'real\n' });
    fs.symlinkSync(path.join(repo, 'include'), path.join(repo, 'inc'));
    const creates = unifiedDiff('inc/new.h', null, 'new\n');
    const changes = unifiedDiff('inc/real.h', 'real\n', 'changed\n');
    for (const diff of [creates, changes]) {
      expect(applyError(() => applyToTree(repo, parsePatch(diff), { overlay: new Map() })).reason).toMatch(/beyond a symbolic link \(inc\)/);
      const theirs = run('git', ['apply', '--check', '-'], repo, diff);
      expect(theirs.status).not.toBe(0);
      expect(theirs.output).toMatch(/beyond a symbolic link/);
    }
    expect(readTree(repo)).toEqual({ 'include/real.h': 'real\n' });
  });

  it('materialize with hard links: an absolute link into the base points into the copy, so the base is never written', () => {
    const root = tempDir();
    writeTree(root, { 'include/real.h': 'real\n', 'a/b.c': 'b\n' });
    fs.symlinkSync(path.join(root, 'include'), path.join(root, 'inc'));
    fs.symlinkSync(path.join(root, 'a', 'b.c'), path.join(root, 'include', 'b-alias.c'));
    fs.symlinkSync('/usr', path.join(root, 'usr-link'));
    const o = new TreeOverlay(root);
    o.write('include/real.h', 'changed\n');
    const out = path.join(tempDir(), 'copy');
    o.materialize(out, { base: 'hardlink' });
    expect(fs.readlinkSync(path.join(out, 'inc'))).toBe('include');
    expect(fs.readlinkSync(path.join(out, 'include/b-alias.c'))).toBe('../a/b.c');
    expect(fs.readlinkSync(path.join(out, 'usr-link'))).toBe('/usr');
    // The copy's view through the link is the copy's file.
    expect(fs.readFileSync(path.join(out, 'inc/real.h'), 'utf8')).toBe('changed\n');
    expect(fs.realpathSync(path.join(out, 'inc'))).toBe(fs.realpathSync(path.join(out, 'include')));
    expect(fs.readFileSync(path.join(root, 'include/real.h'), 'utf8')).toBe('real\n');
  });
});
