// format-patch --split-by driver|subsystem on a small tree with MAINTAINERS
// and a get_maintainer.pl stand-in (fixtures/split-tree): one patch per
// driver with its subsystem's prefix, addressed, a cover letter by
// subsystem; git am of the series ends where `run --write` ends; each patch
// applies alone; validate-series accepts the series and names a patch that
// breaks a driver's files apart.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyTree, runCli } from '../helpers/cli.js';
import { treeDifferences } from '../helpers/tree.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/split-tree', import.meta.url));
const CODEMOD = 'platform-remove-void';
const SUMMARY = 'Convert to platform remove callback returning void';

let savedDate: string | undefined;
beforeAll(() => {
  savedDate = process.env.GIT_AUTHOR_DATE;
  process.env.GIT_AUTHOR_DATE = '1700000000 +0000';
});
afterAll(() => {
  if (savedDate === undefined) delete process.env.GIT_AUTHOR_DATE;
  else process.env.GIT_AUTHOR_DATE = savedDate;
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function gitTree(): string {
  const root = copyTree(FIXTURE);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'config', 'user.name', 'Ada Tester');
  git(root, 'config', 'user.email', 'ada@example.org');
  git(root, 'add', '-f', '-A');
  git(root, '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'base');
  return root;
}

async function formatPatch(root: string, ...extra: string[]): Promise<{ code: number; stderr: string; dir: string; names: string[]; mails: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'kmigrate-split-'));
  const r = await runCli(['format-patch', CODEMOD, '-C', root, '-o', dir, ...extra]);
  const names = readdirSync(dir).sort();
  return { code: r.code, stderr: r.stderr, dir, names, mails: names.map((n) => readFileSync(join(dir, n), 'utf8')) };
}

const header = (mail: string, name: string): string[] => {
  const m = new RegExp(`^${name}: ((?:.*,\\n {4})*.*)$`, 'm').exec(mail.split('\n\n')[0]!);
  return m ? m[1]!.split(/,\n {4}/) : [];
};
/** The subject, unfolded (git folds it at 78 columns). */
const subjectOf = (mail: string) => /^Subject: \[PATCH [0-9/]+\] (.*(?:\n .*)*)$/m.exec(mail)![1]!.replace(/\n /g, ' ');

describe('format-patch --split-by driver', () => {
  it('one patch per driver, coupled files together, kernel-style subjects, addressed from MAINTAINERS, cover letter by subsystem', async () => {
    const root = gitTree();
    const { code, stderr, names, mails } = await formatPatch(root, '--split-by', 'driver', '--to', 'Series Lead <lead@example.org>', '--cc', 'extra@example.org');
    expect(code).toBe(0);
    expect(stderr).toContain('split by driver: 5 patch(es), 5 with a subsystem prefix, 0 subject(s) over 75 characters, 5 with a To:');
    expect(names[0]).toBe('0000-cover-letter.patch');
    const [lone, ...patches] = mails.slice(1);
    expect(subjectOf(lone!)).toBe(`char: lone: ${SUMMARY}`);
    // Only a list covers it: the list is who it goes to.
    expect(header(lone!, 'To')).toEqual(['Series Lead <lead@example.org>', 'linux-kernel@example.org']);
    expect(header(lone!, 'Cc')).toEqual(['extra@example.org']);
    expect(patches.map(subjectOf)).toEqual([`gpio: baz: ${SUMMARY}`, `i2c: bar: ${SUMMARY}`, `i2c: foo: ${SUMMARY}`, `mfd: qbr: ${SUMMARY}`]);
    // The qbr callback is defined, declared and registered in three files: one patch.
    expect(patches[3]!).toMatch(/^ drivers\/mfd\/qbr\/qbr-core\.c +\|/m);
    expect(patches[3]!).toMatch(/^ drivers\/mfd\/qbr\/qbr-drv\.c +\|/m);
    expect(patches[3]!).toMatch(/^ drivers\/mfd\/qbr\/qbr\.h +\|/m);
    // --to first, then the people get_maintainer.pl names; lists on Cc after --cc.
    expect(header(patches[2]!, 'To')).toEqual(['Series Lead <lead@example.org>', 'Fay Foo <fay@example.org>', 'Ian Host <ian@example.org>']);
    expect(header(patches[2]!, 'Cc')).toEqual(['extra@example.org', 'linux-i2c@example.org', 'linux-kernel@example.org']);
    expect(header(patches[0]!, 'To')).toEqual(['Series Lead <lead@example.org>', 'Gil Pio <gil@example.org>', 'Rey Viewer <rey@example.org>']);
    // The body is the migration's per-patch text, signed off.
    expect(patches[1]).toContain('Trivially convert this driver from always returning zero in the remove\ncallback to the void returning variant.\n\nSigned-off-by: Ada Tester <ada@example.org>\n---\n');
    const cover = mails[0]!;
    expect(header(cover, 'To')).toEqual(['Series Lead <lead@example.org>']);
    expect(cover).toContain(`GPIO SUBSYSTEM (1):\n  2 gpio: baz: ${SUMMARY}\n\nI2C SUBSYSTEM HOST DRIVERS (1):\n  3 i2c: bar: ${SUMMARY}\n`);
    expect(cover).toContain(`FOO I2C DRIVER (1):\n  4 i2c: foo: ${SUMMARY}\n`);
    expect(cover).toContain(`QBR BOARD CONTROLLER (1):\n  5 mfd: qbr: ${SUMMARY}\n\nTHE REST (1):\n  1 char: lone: ${SUMMARY}\n`);
    expect(cover).toMatch(/ 7 files changed, \d+ insertions?\(\+\), \d+ deletions?\(-\)\n/);
    expect(cover).toContain(`\nbase-commit: ${git(root, 'rev-parse', 'HEAD')}\n`);
  });

  it('git am of the whole series ends exactly where run --write ends, and every patch applies alone to the base', async () => {
    const root = gitTree();
    const { dir, names } = await formatPatch(root, '--split-by', 'driver');
    const written = copyTree(FIXTURE);
    expect((await runCli(['run', CODEMOD, '-C', written, '--write'])).code).toBe(0);
    for (const n of names.slice(1)) {
      const alone = gitTree();
      git(alone, 'am', '-q', join(dir, n));
    }
    git(root, 'am', '-q', ...names.slice(1).map((n) => join(dir, n)));
    expect(git(root, 'log', '--format=%s', '-6').split('\n')).toHaveLength(6);
    expect(treeDifferences(root, written).filter((d) => !d.includes('.git/'))).toEqual([]);
  });

  it('validate-series accepts the series, and names a patch that leaves the registration of a converted callback behind', async () => {
    const root = gitTree();
    const { dir, names } = await formatPatch(root, '--split-by', 'driver');
    const good = await runCli(['validate-series', CODEMOD, dir, '-C', root, '--format', 'json']);
    const report = JSON.parse(good.stdout) as { verdict: string; patches: { consistent: boolean }[] };
    expect(report.patches.map((p) => p.consistent)).toEqual([true, true, true, true, true]);
    expect(report.verdict).toBe('pass');
    // The qbr patch without qbr-drv.c: qbr_remove() returns void, its registration still says .remove.
    const qbr = readFileSync(join(dir, names[5]!), 'utf8');
    const sections = qbr.split(/(?=^diff --git )/m);
    const broken = sections.filter((s) => !s.startsWith('diff --git a/drivers/mfd/qbr/qbr-drv.c')).join('');
    const bad = mkdtempSync(join(tmpdir(), 'kmigrate-split-bad-'));
    writeFileSync(join(bad, '0001-qbr.patch'), broken);
    const r = await runCli(['validate-series', CODEMOD, bad, '-C', root, '--format', 'json']);
    const rep = JSON.parse(r.stdout) as { verdict: string; patches: { consistent: boolean; problems: { path: string; code: string }[] }[] };
    expect(r.code).toBe(1);
    expect(rep.patches[0]!.consistent).toBe(false);
    expect(rep.patches[0]!.problems.map((p) => p.path)).toContain('drivers/mfd/qbr/qbr-drv.c');
  });
});

describe('format-patch --split-by subsystem and the options', () => {
  it('one patch per MAINTAINERS entry, a --prefix-map override in the subject', async () => {
    const root = gitTree();
    const map = join(mkdtempSync(join(tmpdir(), 'kmigrate-map-')), 'map.json');
    writeFileSync(map, JSON.stringify({ 'drivers/i2c/busses/': 'i2c: host' }));
    const { code, mails } = await formatPatch(root, '--split-by', 'subsystem', '--prefix-map', map);
    expect(code).toBe(0);
    expect(mails.slice(1).map(subjectOf)).toEqual([`char: lone: ${SUMMARY}`, `gpio: baz: ${SUMMARY}`, `i2c: host: ${SUMMARY}`, `i2c: host: ${SUMMARY}`, `mfd: qbr: ${SUMMARY}`]);
  });

  it('--split stays the steps; a bad --split-by or prefix map is exit 2 with one line', async () => {
    const root = gitTree();
    expect((await formatPatch(root, '--split')).names).toEqual(['0001-treewide-Convert-platform-drivers-to-the-remove-call.patch']);
    const bad = await runCli(['format-patch', CODEMOD, '-C', root, '--split-by', 'file']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("kmigrate: --split-by must be driver, subsystem or step (got 'file')\n");
    const map = join(mkdtempSync(join(tmpdir(), 'kmigrate-map-')), 'map.json');
    writeFileSync(map, '["x"]');
    const badMap = await runCli(['format-patch', CODEMOD, '-C', root, '--split-by', 'driver', '--prefix-map', map]);
    expect(badMap.code).toBe(2);
    expect(badMap.stderr).toBe(`kmigrate: --prefix-map ${map}: must be a JSON object of path prefix to subject prefix\n`);
  });
});
