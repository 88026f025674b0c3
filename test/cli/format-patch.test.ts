// kmigrate format-patch on a git repository made from the demo tree: the mails
// git am takes, their headers, a --split series that validate-series accepts,
// and the two ways it writes nothing (nothing to change, no identity).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyTree, runCli } from '../helpers/cli.js';
import { fileBytes, snapshot } from '../series/snapshot.js';

const CODEMOD = 'iommu-sva-bind-flags';
const DEMO_BEFORE = fileURLToPath(new URL('../../samples/iommu-sva-bind-flags/demo/before', import.meta.url));
const DEMO_AFTER = fileURLToPath(new URL('../../samples/iommu-sva-bind-flags/demo/after', import.meta.url));

const NAME = 'Ada Tester';
const EMAIL = 'ada@example.org';
const SUBJECT = 'iommu/sva: Tighten SVA bind API with explicit flags';
const SINGLE = '0001-iommu-sva-Tighten-SVA-bind-API-with-explicit-flags.patch';
const SPLIT = [
  '0000-cover-letter.patch',
  '0001-iommu-Add-IOMMU_SVA_BIND_SUPERVISOR.patch',
  '0002-iommu-sva-Tighten-SVA-bind-API-with-explicit-flags.patch',
  '0003-iommu-vt-d-Remove-SVM_FLAG_SUPERVISOR_MODE.patch',
];
const SPLIT_SUBJECTS = ['iommu: Add IOMMU_SVA_BIND_SUPERVISOR', SUBJECT, 'iommu/vt-d: Remove SVM_FLAG_SUPERVISOR_MODE'];

// A fixed author date, so that the mails are the same on every run.
const DATE = '1700000000 +0000';
const DATE_HEADER = 'Tue, 14 Nov 2023 22:13:20 +0000';
let savedDate: string | undefined;
beforeAll(() => {
  savedDate = process.env.GIT_AUTHOR_DATE;
  process.env.GIT_AUTHOR_DATE = DATE;
});
afterAll(() => {
  if (savedDate === undefined) delete process.env.GIT_AUTHOR_DATE;
  else process.env.GIT_AUTHOR_DATE = savedDate;
});

/** `s` as a regular expression that matches it literally. */
const re = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A copy of `src` as a git repository with one commit; user.name/email in its config unless `identity` is false. */
function gitTree(src = DEMO_BEFORE, identity = true): string {
  const root = copyTree(src);
  git(root, 'init', '-q', '-b', 'main');
  if (identity) {
    git(root, 'config', 'user.name', NAME);
    git(root, 'config', 'user.email', EMAIL);
  }
  git(root, 'add', '-f', '-A');
  git(root, '-c', `user.name=${NAME}`, '-c', `user.email=${EMAIL}`, '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'base');
  return root;
}

interface Formatted {
  code: number;
  stdout: string;
  stderr: string;
  out: string;
  /** The names in the output directory (none when it was not created). */
  files: string[];
  read: (name: string) => string;
}

async function formatPatch(root: string, ...args: string[]): Promise<Formatted> {
  const out = join(mkdtempSync(join(tmpdir(), 'kmigrate-fp-out-')), 'out');
  const r = await runCli(['format-patch', CODEMOD, '-C', root, '-o', out, ...args]);
  return { ...r, out, files: existsSync(out) ? readdirSync(out).sort() : [], read: (n) => readFileSync(join(out, n), 'utf8') };
}

/** git format-patch with no user or system config but the repository's (no format.* settings from elsewhere). */
function gitFormatPatch(root: string, ...args: string[]): string {
  const home = mkdtempSync(join(tmpdir(), 'kmigrate-empty-home-'));
  return execFileSync('git', ['format-patch', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), GIT_CONFIG_NOSYSTEM: '1' },
  });
}

/** `git am` one mail on the current branch (the committer is the repo's identity). */
function am(root: string, file: string): void {
  git(root, '-c', 'commit.gpgsign=false', 'am', '-q', file);
}

/** Run `fn` with environment variables changed (undefined: unset), restoring them afterwards. */
async function withEnv<T>(changes: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = new Map(Object.keys(changes).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** No identity anywhere: an empty HOME and XDG config, no system config, no GIT_AUTHOR_* / GIT_COMMITTER_* / GIT_CONFIG_*. */
function noIdentityEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const home = mkdtempSync(join(tmpdir(), 'kmigrate-empty-home-'));
  const env: Record<string, string | undefined> = { HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
  for (const k of Object.keys(process.env)) {
    if (/^GIT_(AUTHOR|COMMITTER)_/.test(k) && k !== 'GIT_AUTHOR_DATE') env[k] = undefined;
    if (/^GIT_CONFIG/.test(k)) env[k] = undefined;
  }
  env.GIT_CONFIG_NOSYSTEM = '1';
  return { ...env, ...extra };
}

describe('kmigrate format-patch: one patch', () => {
  it('writes one mail with git format-patch headers, the sign-off from git config and the base commit, leaving the tree alone', async () => {
    const root = gitTree();
    const before = snapshot(root);
    const r = await formatPatch(root);
    expect(r.code).toBe(0);
    expect(r.files).toEqual([SINGLE]);
    expect(r.stdout).toBe(join(r.out, SINGLE) + '\n');
    expect(snapshot(root)).toEqual(before);

    const mail = r.read(SINGLE);
    expect(mail).toMatch(
      new RegExp(`^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001\n${re(`From: ${NAME} <${EMAIL}>\nDate: ${DATE_HEADER}\nSubject: [PATCH] ${SUBJECT}\n\n`)}`),
    );
    expect(mail).toContain(`\n\nSigned-off-by: ${NAME} <${EMAIL}>\n---\n`);
    expect(mail.match(/^Signed-off-by: /gm)).toHaveLength(1);
    expect(mail).toContain(`\nbase-commit: ${git(root, 'rev-parse', 'HEAD')}\n`);
    expect(mail).toMatch(/\n-- \n.+\n\n?$/);

    // The same bytes on a second run.
    const again = await formatPatch(root);
    expect(again.read(SINGLE)).toBe(mail);
  });

  it('git am applies it on a branch; the tree is then demo/after byte for byte, and what run --write makes', async () => {
    const root = gitTree();
    const r = await formatPatch(root);
    git(root, 'checkout', '-q', '-b', 'migrated');
    am(root, join(r.out, SINGLE));
    expect(git(root, 'log', '-1', '--date=raw', '--format=%an <%ae>%n%ad%n%s')).toBe(`${NAME} <${EMAIL}>\n${DATE}\n${SUBJECT}`);
    expect(git(root, 'status', '--porcelain')).toBe('');
    const migrated = fileBytes(root, ['.git']);
    expect(migrated).toEqual(fileBytes(DEMO_AFTER));

    const written = copyTree(DEMO_BEFORE);
    const w = await runCli(['run', CODEMOD, '-C', written, '--write']);
    expect(w.code).toBe(0);
    expect(fileBytes(written)).toEqual(migrated);
  });

  it('git format-patch --zero-commit of the commit git am made gives back the same mail, byte for byte', async () => {
    const root = gitTree();
    const r = await formatPatch(root);
    const mail = r.read(SINGLE);
    am(root, join(r.out, SINGLE));
    const sig = /\n-- \n(.*)\n\n$/.exec(mail)![1]!;
    expect(gitFormatPatch(root, '--zero-commit', `--signature=${sig}`, '--base=HEAD~1', '-1', '--stdout')).toBe(mail);
  });

  it('--no-signoff: no Signed-off-by, the same diff', async () => {
    const root = gitTree();
    const signed = (await formatPatch(root)).read(SINGLE);
    const r = await formatPatch(root, '--no-signoff');
    expect(r.code).toBe(0);
    const mail = r.read(SINGLE);
    expect(mail).not.toContain('Signed-off-by');
    expect(mail.slice(mail.indexOf('\n---\n'))).toBe(signed.slice(signed.indexOf('\n---\n')));
  });
});

describe('kmigrate format-patch --split', () => {
  it('a cover letter and three numbered patches, each taken by git am in order, ending where the single patch ends', async () => {
    const root = gitTree();
    const base = git(root, 'rev-parse', 'HEAD');
    const r = await formatPatch(root, '--split');
    expect(r.code).toBe(0);
    expect(r.files).toEqual(SPLIT);
    expect(r.stdout).toBe(SPLIT.map((f) => join(r.out, f) + '\n').join(''));

    const subjects = SPLIT.map((f) => /^Subject: (.*)$/m.exec(r.read(f))?.[1]);
    expect(subjects).toEqual([`[PATCH 0/3] ${SUBJECT}`, ...SPLIT_SUBJECTS.map((s, i) => `[PATCH ${i + 1}/3] ${s}`)]);
    for (const f of SPLIT) {
      expect(r.read(f)).toMatch(new RegExp(`^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001\n${re(`From: ${NAME} <${EMAIL}>\nDate: ${DATE_HEADER}\n`)}`));
    }
    for (const f of SPLIT.slice(1)) expect(r.read(f)).toContain(`\nSigned-off-by: ${NAME} <${EMAIL}>\n---\n`);
    expect(r.read(SPLIT[0]!)).not.toContain('diff --git');
    // As git 2.39 does with a cover letter: the base commit on the cover letter only.
    expect(SPLIT.map((f) => r.read(f).includes(`\nbase-commit: ${base}\n`))).toEqual([true, false, false, false]);

    git(root, 'checkout', '-q', '-b', 'split');
    SPLIT.slice(1).forEach((f, i) => {
      am(root, join(r.out, f));
      expect(git(root, 'log', '-1', '--format=%s')).toBe(SPLIT_SUBJECTS[i]);
    });
    expect(git(root, 'rev-list', '--count', `${base}..HEAD`)).toBe('3');

    const single = gitTree();
    const s = await formatPatch(single);
    am(single, join(s.out, SINGLE));
    expect(fileBytes(root, ['.git'])).toEqual(fileBytes(single, ['.git']));
    expect(fileBytes(root, ['.git'])).toEqual(fileBytes(DEMO_AFTER));
  });

  it('git format-patch --zero-commit --cover-letter of the three commits git am made gives back the same patches, byte for byte', async () => {
    const root = gitTree();
    const r = await formatPatch(root, '--split');
    for (const f of SPLIT.slice(1)) am(root, join(r.out, f));
    const sig = /\n-- \n(.*)\n\n$/.exec(r.read(SPLIT[1]!))![1]!;
    const out = mkdtempSync(join(tmpdir(), 'kmigrate-git-fp-'));
    gitFormatPatch(root, '--zero-commit', `--signature=${sig}`, '--cover-letter', '--base=HEAD~3', '-3', '-o', out);
    expect(readdirSync(out).sort()).toEqual(SPLIT);
    // git's cover letter has placeholders for the subject and blurb, and today's date: compared from the shortlog on.
    const shortlog = (s: string) => s.slice(s.indexOf(`\n${NAME} (3):\n`));
    expect(shortlog(readFileSync(join(out, SPLIT[0]!), 'utf8'))).toBe(shortlog(r.read(SPLIT[0]!)));
    expect(shortlog(r.read(SPLIT[0]!))).toMatch(/^\nAda Tester \(3\):\n/);
  });

  it('--split --no-signoff: no Signed-off-by in any mail', async () => {
    const r = await formatPatch(gitTree(), '--split', '--no-signoff');
    expect(r.files).toEqual(SPLIT);
    for (const f of SPLIT) expect(r.read(f)).not.toContain('Signed-off-by');
  });

  it('validate-series reads the directory (cover read, not applied): each patch applies and is consistent, the end is complete and is kmigrate\'s own', async () => {
    const r = await formatPatch(gitTree(), '--split');
    const base = copyTree(DEMO_BEFORE);
    const v = await runCli(['validate-series', CODEMOD, r.out, '-C', base, '--format', 'json']);
    const json = JSON.parse(v.stdout);
    expect(json.cover).toEqual({ subject: SUBJECT, source: `${join(r.out, SPLIT[0]!)}:1` });
    expect(json.patches.map((p: { subject: string }) => p.subject)).toEqual(SPLIT_SUBJECTS);
    for (const p of json.patches) expect(p).toMatchObject({ applies: true, consistent: true, problems: [] });
    expect(json.final.complete).toBe(true);
    expect(json.final.differsFromKmigrate).toEqual([]);
  });

  it(
    'validate-series accepts the --split directory with verdict pass (on demo/before, which defines no BIT())',
    async () => {
      const r = await formatPatch(gitTree(), '--split');
      const v = await runCli(['validate-series', CODEMOD, r.out, '-C', copyTree(DEMO_BEFORE), '--format', 'json']);
      const json = JSON.parse(v.stdout);
      expect(json.final).toMatchObject({ complete: true, equivalent: true });
      expect(json.verdict).toBe('pass');
      expect(v.code).toBe(0);
    },
  );
});

describe('kmigrate format-patch: when it writes nothing', () => {
  it('a tree with nothing to change (demo/after): exit 0, no file, not even the output directory', async () => {
    const r = await formatPatch(gitTree(DEMO_AFTER));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/changes nothing/);
    expect(existsSync(r.out)).toBe(false);
  });

  for (const kind of ['a git repository without user.name/user.email', 'a plain directory']) {
    it(`no identity (${kind}, no global config, no GIT_AUTHOR_*): exit 2, a message saying what to set, no file`, async () => {
      const root = kind === 'a plain directory' ? copyTree(DEMO_BEFORE) : gitTree(DEMO_BEFORE, false);
      const r = await withEnv(noIdentityEnv(), () => formatPatch(root));
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/no identity/);
      expect(r.stderr).toContain('user.name');
      expect(r.stderr).toContain('GIT_AUTHOR_NAME');
      expect(existsSync(r.out)).toBe(false);
    });
  }

  it('GIT_AUTHOR_* and GIT_COMMITTER_* win over the git config, as in git (From: the author, Signed-off-by: the committer)', async () => {
    const root = gitTree(DEMO_BEFORE, true);
    const env = noIdentityEnv({
      GIT_AUTHOR_NAME: 'Env Author',
      GIT_AUTHOR_EMAIL: 'author@example.org',
      GIT_COMMITTER_NAME: 'Env Committer',
      GIT_COMMITTER_EMAIL: 'committer@example.org',
    });
    const r = await withEnv(env, () => formatPatch(root));
    expect(r.code).toBe(0);
    const mail = r.read(SINGLE);
    expect(mail).toContain('\nFrom: Env Author <author@example.org>\n');
    expect(mail).toContain('\nSigned-off-by: Env Committer <committer@example.org>\n');
    expect(mail).not.toContain(NAME);
    // git itself: a commit made under the same environment, then format-patch -s.
    const gitEnv = { ...process.env, ...env } as NodeJS.ProcessEnv;
    writeFileSync(join(root, 'probe.txt'), 'probe\n');
    execFileSync('git', ['add', 'probe.txt'], { cwd: root, env: gitEnv });
    execFileSync('git', ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'probe'], { cwd: root, env: gitEnv });
    const theirs = execFileSync('git', ['format-patch', '-1', '-s', '--stdout'], { cwd: root, encoding: 'utf8', env: gitEnv });
    expect(theirs).toContain('\nFrom: Env Author <author@example.org>\n');
    expect(theirs).toContain('\nSigned-off-by: Env Committer <committer@example.org>\n');
  });

  it('without git config, GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL give the identity', async () => {
    const root = gitTree(DEMO_BEFORE, false);
    const r = await withEnv(noIdentityEnv({ GIT_AUTHOR_NAME: 'Env Author', GIT_AUTHOR_EMAIL: 'env@example.org' }), () => formatPatch(root));
    expect(r.code).toBe(0);
    const mail = r.read(SINGLE);
    expect(mail).toContain('\nFrom: Env Author <env@example.org>\n');
    expect(mail).toContain('\nSigned-off-by: Env Author <env@example.org>\n');
  });
});
