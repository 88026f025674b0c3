// kmigrate validate-series on the bundled demo tree, with series written for
// this project (test/series/fixtures/README.md says what each one is). Every
// run is on a fresh copy of demo/before, and every run must leave that copy
// exactly as it was.
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSeries } from '../../codemods/patch/index.js';
import { copyTree, runCli } from '../helpers/cli.js';
import { snapshot } from './snapshot.js';

const CODEMOD = 'iommu-sva-bind-flags';
const DEMO = fileURLToPath(new URL('../../samples/iommu-sva-bind-flags/demo/before', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const fixture = (p: string): string => join(FIXTURES, p);

const SINGLE = 'good/0001-iommu-sva-Tighten-SVA-bind-API-with-explicit-flags.patch';
const SUBJECT = 'iommu/sva: Tighten SVA bind API with explicit flags';
const SPLIT_SUBJECTS = ['iommu: Add IOMMU_SVA_BIND_SUPERVISOR', SUBJECT, 'iommu/vt-d: Remove SVM_FLAG_SUPERVISOR_MODE'];

interface Problem {
  path: string;
  line: number;
  code: string;
  message: string;
  severity?: string;
}
interface PatchJson {
  index: number;
  subject: string;
  author?: string;
  source: string;
  applies: boolean;
  consistent: boolean;
  build: 'pass' | 'fail' | 'skipped';
  buildNote?: string;
  problems: Problem[];
}
interface ReportJson {
  codemod: string;
  cover?: { subject: string; source: string };
  notes: Problem[];
  patches: PatchJson[];
  final: {
    complete: boolean;
    equivalent: boolean;
    problems: Problem[];
    differsFromKmigrate: { path: string; line: number; message: string }[];
    calls: { path: string; line: number; verdict: string; declared: boolean }[];
  };
  verdict: 'pass' | 'fail';
}

interface Validated {
  code: number;
  stdout: string;
  stderr: string;
  json: ReportJson;
  root: string;
}

/**
 * validate-series on `root` (default: a fresh copy of demo/before), checking
 * that the base tree is byte-identical afterwards: every file hashed before
 * and after, modes, links and directories included.
 */
async function validate(inputs: string[], opts: { root?: string; format?: 'json' | 'text'; extra?: string[] } = {}): Promise<Validated> {
  const root = opts.root ?? copyTree(DEMO);
  const format = opts.format ?? 'json';
  const before = snapshot(root);
  const r = await runCli(['validate-series', CODEMOD, ...inputs.map(fixture), '-C', root, '--format', format, ...(opts.extra ?? [])]);
  expect(snapshot(root)).toEqual(before);
  const json = format === 'json' && r.code !== 2 && r.stdout !== '' ? (JSON.parse(r.stdout) as ReportJson) : (undefined as unknown as ReportJson);
  return { ...r, json, root };
}

/** demo/before plus the kernel's BIT() definitions (fixtures/kernel-bits), which the demo tree lacks. */
function demoWithBits(): string {
  const root = copyTree(DEMO);
  cpSync(fixture('kernel-bits'), root, { recursive: true });
  return root;
}

/** A copy of demo/before at <parent>/tree, in a parent that holds nothing else. */
function nestedTree(): { parent: string; root: string } {
  const parent = mkdtempSync(join(tmpdir(), 'kmigrate-series-parent-'));
  const root = join(parent, 'tree');
  cpSync(DEMO, root, { recursive: true });
  return { parent, root };
}

const GOOD = [
  { name: 'one git format-patch file', inputs: [SINGLE], subjects: [SUBJECT], cover: undefined },
  { name: 'a directory of three patches and a cover letter', inputs: ['good-split'], subjects: SPLIT_SUBJECTS, cover: 'good-split/0000-cover-letter.patch:1' },
  { name: 'the same three in one mboxrd file', inputs: ['good-split.mbox'], subjects: SPLIT_SUBJECTS, cover: 'good-split.mbox:1' },
  { name: 'the same three as a quilt directory', inputs: ['good-quilt'], subjects: SPLIT_SUBJECTS, cover: undefined },
] as const;

describe('validate-series: a good series, in every form', () => {
  for (const g of GOOD) {
    it(`${g.name}: every patch applies and is consistent; the end is complete, each call equivalent, identical to kmigrate's own migration`, async () => {
      const { json } = await validate([...g.inputs]);
      expect(json.codemod).toBe(CODEMOD);
      expect(json.patches.map((p) => p.subject)).toEqual(g.subjects);
      expect(json.patches.map((p) => p.index)).toEqual(g.subjects.map((_, i) => i + 1));
      for (const p of json.patches) {
        expect(p).toMatchObject({ applies: true, consistent: true, build: 'skipped', problems: [] });
        // --build was not asked for: skipped, and the report says why.
        expect(p.buildNote).toMatch(/\S/);
      }
      if (g.cover) {
        expect(json.cover).toEqual({ subject: SUBJECT, source: fixture(g.cover) });
      } else {
        expect(json.cover).toBeUndefined();
      }
      expect(json.notes).toEqual([]);
      expect(json.final.complete).toBe(true);
      expect(json.final.differsFromKmigrate).toEqual([]);
      expect(json.final.calls.map((c) => [c.path, c.line, c.verdict, c.declared])).toEqual([
        ['drivers/dma/dsax/init.c', 23, 'equivalent', true],
        ['drivers/misc/accelq/accelq.c', 35, 'equivalent', false],
      ]);
      expect(json.final.problems.filter((p) => /^(old-api-left|meaning-)/.test(p.code))).toEqual([]);
    });

    it(
      `${g.name}: verdict pass, exit 0, final.complete and final.equivalent true (the demo tree defines no BIT(): a note, not an error)`,
      async () => {
        const r = await validate([...g.inputs]);
        expect(r.json.final).toMatchObject({ complete: true, equivalent: true });
        expect(r.json.verdict).toBe('pass');
        expect(r.code).toBe(0);
      },
    );

    it(`${g.name}: passes (exit 0) on demo/before plus the kernel's BIT() headers — the boundary of the bug above`, async () => {
      const r = await validate([...g.inputs], { root: demoWithBits() });
      expect(r.json.final).toMatchObject({ complete: true, equivalent: true, problems: [], differsFromKmigrate: [] });
      expect(r.json.verdict).toBe('pass');
      expect(r.code).toBe(0);
    });
  }

  it('the mbox gives the same report as the directory, patch by patch, with sources at its From_ lines', async () => {
    const dir = await validate(['good-split']);
    const mbox = await validate(['good-split.mbox']);
    const outcome = (j: ReportJson) => ({
      patches: j.patches.map(({ index, subject, author, applies, consistent, build, problems }) => ({ index, subject, author, applies, consistent, build, problems })),
      final: j.final,
      verdict: j.verdict,
    });
    expect(outcome(mbox.json)).toEqual(outcome(dir.json));
    expect(mbox.code).toBe(dir.code);
    const fromLines = readFileSync(fixture('good-split.mbox'), 'utf8')
      .split('\n')
      .flatMap((l, i) => (/^From mboxrd@z /.test(l) ? [i + 1] : []));
    expect(fromLines).toHaveLength(4);
    expect(mbox.json.cover?.source).toBe(`${fixture('good-split.mbox')}:${fromLines[0]}`);
    expect(mbox.json.patches.map((p) => p.source)).toEqual(fromLines.slice(1).map((n) => `${fixture('good-split.mbox')}:${n}`));
  });

  it('the mbox is read as mboxrd: `>From ` and `>>From ` lines of a body lose one level of quoting', async () => {
    const patches = (await readSeries([fixture('good-split.mbox')])).filter((p) => !p.isCover);
    expect(patches).toHaveLength(3);
    expect(patches[1]!.body).toContain("\n\nFrom the callers' point of view only the third argument changes: NULL\n");
    expect(patches[1]!.body).not.toContain('>From');
    expect(patches[2]!.body).toContain('\n>From now on nothing outside VT-d needs the private flag.\n');
    expect(patches[2]!.body).not.toContain('>>From');
  });

  it('the quilt directory: the series file (a comment, a -p1 option) gives the order; each patch is its own source', async () => {
    const { json } = await validate(['good-quilt']);
    expect(json.patches.map((p) => p.source)).toEqual(
      ['iommu-add-sva-bind-supervisor.patch', 'iommu-sva-tighten-bind-api.patch', 'vt-d-remove-svm-flag.patch'].map((n) => `${fixture('good-quilt/patches/' + n)}:1`),
    );
    expect(json.patches.every((p) => p.author === undefined)).toBe(true);
  });
});

describe('validate-series: bad series', () => {
  it('the API changes in the header before its implementations and callers: patch 1 is not consistent, and says where', async () => {
    const { code, json } = await validate(['api-first']);
    expect(code).toBe(1);
    expect(json.verdict).toBe('fail');
    expect(json.patches).toHaveLength(2);
    const [p1, p2] = json.patches;
    expect(p1).toMatchObject({ applies: true, consistent: false });
    // The ops member, the prototype and the !CONFIG_IOMMU_API stub of include/linux/iommu.h (lines after patch 1)
    // are on the new API; the message names an old-API caller.
    expect(p1!.problems.map((p) => [p.path, p.line, p.code])).toEqual([
      ['include/linux/iommu.h', 52, 'mixed-api-new'],
      ['include/linux/iommu.h', 61, 'mixed-api-new'],
      ['include/linux/iommu.h', 70, 'mixed-api-new'],
    ]);
    for (const p of p1!.problems) expect(p.message).toMatch(/on the old one, e\.g\. drivers\/dma\/dsax\/init\.c:23 \(call\)/);
    expect(p2).toMatchObject({ applies: true, consistent: true, problems: [] });
    expect(json.final.complete).toBe(true);
  });

  it('the IDXD-like caller passes 0 instead of IOMMU_SVA_BIND_SUPERVISOR: the end is complete but not equivalent, and the call is named', async () => {
    const { code, json } = await validate(['drop-flag.patch']);
    expect(code).toBe(1);
    expect(json.verdict).toBe('fail');
    expect(json.patches[0]).toMatchObject({ applies: true, consistent: true, problems: [] });
    expect(json.final.complete).toBe(true);
    expect(json.final.equivalent).toBe(false);
    expect(json.final.problems).toContainEqual(expect.objectContaining({ path: 'drivers/dma/dsax/init.c', line: 23, code: 'meaning-differs', severity: 'error' }));
    expect(json.final.problems.filter((p) => p.code === 'meaning-differs').map((p) => p.path)).toEqual(['drivers/dma/dsax/init.c']);
    expect(json.final.calls).toContainEqual(expect.objectContaining({ path: 'drivers/dma/dsax/init.c', line: 23, verdict: 'differs', declared: false }));
    expect(json.final.differsFromKmigrate.map((d) => d.path)).toEqual(['drivers/dma/dsax/init.c']);
  });

  it('the SMMU-like header keeps its #else static inline stub on the old API: the consistency check names the stub', async () => {
    const { code, json } = await validate(['no-stub.patch']);
    expect(code).toBe(1);
    expect(json.verdict).toBe('fail');
    const [p] = json.patches;
    expect(p).toMatchObject({ applies: true, consistent: false });
    expect(p!.problems.map((x) => [x.path, x.line, x.code])).toEqual([['drivers/iommu/arm/smmux/smmux.h', 29, 'mixed-api-old']]);
    expect(p!.problems[0]!.message).toMatch(/^stub /);
    expect(json.final.complete).toBe(false);
    expect(json.final.problems).toContainEqual(expect.objectContaining({ path: 'drivers/iommu/arm/smmux/smmux.h', line: 29, code: 'old-api-left' }));
  });

  it('a hunk whose context does not match: applies false, the file and the hunk named', async () => {
    const { code, json } = await validate(['bad-context.patch']);
    expect(code).toBe(1);
    expect(json.verdict).toBe('fail');
    const [p] = json.patches;
    expect(p).toMatchObject({ applies: false, consistent: false, build: 'skipped' });
    expect(p!.problems).toEqual([expect.objectContaining({ path: 'drivers/misc/accelq/accelq.c', line: 32, code: 'hunk-failed' })]);
    expect(p!.problems[0]!.message).toContain('drivers/misc/accelq/accelq.c: hunk #1 does not apply at line 32');
    expect(json.final.complete).toBe(false);
  });

  it('a patch that does not apply stops the series: the next ones are reported as not tried', async () => {
    const { json } = await validate(['good-split/0001-iommu-Add-IOMMU_SVA_BIND_SUPERVISOR.patch', 'bad-context.patch', 'good-split/0003-iommu-vt-d-Remove-SVM_FLAG_SUPERVISOR_MODE.patch']);
    expect(json.patches.map((p) => [p.applies, p.problems.map((x) => x.code)])).toEqual([
      [true, []],
      [false, ['hunk-failed']],
      [false, ['not-applied']],
    ]);
    expect(json.verdict).toBe('fail');
  });

  for (const t of [
    { file: 'truncated-end.patch', line: 246, header: 233, what: 'a mail cut off inside its last hunk' },
    { file: 'truncated-middle.patch', line: 67, header: 52, what: 'a hunk with a line deleted by hand' },
  ]) {
    it(`${t.what}: the series cannot be read, exit 2, stderr names the file and the line`, async () => {
      const r = await validate([t.file]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`${fixture(t.file)}:${t.line}: truncated hunk (header at line ${t.header})`);
    });
  }

  it('a hunk whose header counts too few lines (changes after them): a corrupt patch, exit 2, the file and line named', async () => {
    const r = await validate(['short-counts.patch']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `kmigrate: ${fixture('short-counts.patch')}:96: corrupt patch: drivers/iommu/arm/smmux/smmux.h: the hunk at line 92 (-26,2 +26,2) goes on after the lines its header counts: "-smmux_sva_bind(struct device *dev, struct mm_struct *mm, vo"\n`,
    );
  });
});

describe('validate-series: a path that escapes the tree is refused and nothing is written anywhere', () => {
  const cases = [
    { name: '`../outside.c` in a git diff', inputs: ['escape-dotdot.patch'], path: '../outside.c', why: /`\.\.`/, elsewhere: undefined, bug: undefined },
    { name: 'an absolute path `/tmp/x.c` in a quilt patch (-p0)', inputs: ['escape-absolute'], path: '/tmp/x.c', why: /absolute/, elsewhere: '/tmp/x.c', bug: undefined },
    {
      name: 'an absolute path `/tmp/x.c` in a git diff (`a//tmp/x.c b//tmp/x.c`)',
      inputs: ['escape-absolute-git.patch'],
      path: '/tmp/x.c',
      why: /absolute/,
      elsewhere: '/tmp/x.c',
      bug: undefined,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: nothing is written next to the tree, at the path, or in the tree`, async () => {
      const { parent, root } = nestedTree();
      const outside = c.elsewhere && existsSync(c.elsewhere) ? readFileSync(c.elsewhere) : undefined;
      const { code, json } = await validate(c.inputs, { root });
      expect(code).toBe(1);
      expect(json.verdict).toBe('fail');
      expect(readdirSync(parent)).toEqual(['tree']);
      if (c.elsewhere) expect(existsSync(c.elsewhere) ? readFileSync(c.elsewhere) : undefined).toEqual(outside);
    });

    it(`${c.name}: refused, applies false, code unsafe-path`, async () => {
      const { json } = await validate(c.inputs);
      const [p] = json.patches;
      expect(p).toMatchObject({ applies: false, consistent: false, build: 'skipped' });
      expect(p!.problems).toEqual([expect.objectContaining({ path: c.path, code: 'unsafe-path' })]);
      expect(p!.problems[0]!.message).toMatch(c.why);
      expect(json.final.complete).toBe(false);
    });
  }

  it('a new file under a symbolic link that leads out of the tree', async () => {
    const { parent, root } = nestedTree();
    symlinkSync('../../../..', join(root, 'drivers/misc/accelq/out'));
    const { json } = await validate(['escape-symlink.patch'], { root });
    expect(json.patches[0]).toMatchObject({ applies: false });
    expect(json.patches[0]!.problems).toEqual([expect.objectContaining({ path: 'drivers/misc/accelq/out/evil.c', code: 'unsafe-path' })]);
    expect(json.patches[0]!.problems[0]!.message).toMatch(/symbolic link/);
    expect(readdirSync(parent)).toEqual(['tree']);
  });

  it('a symbolic link created by patch 1, written through by patch 2: patch 2 refused, as git am refuses it', async () => {
    const { parent, root } = nestedTree();
    const { json } = await validate(['link-then-write'], { root });
    expect(json.patches.map((p) => p.applies)).toEqual([true, false]);
    expect(json.patches[1]!.problems).toEqual([expect.objectContaining({ path: 'drivers/misc/accelq/out/evil.c', code: 'unsafe-path' })]);
    expect(json.patches[1]!.problems[0]!.message).toMatch(/beyond a symbolic link \(drivers\/misc\/accelq\/out, created by a patch\)/);
    expect(json.verdict).toBe('fail');
    expect(readdirSync(parent)).toEqual(['tree']);
    // git am on the same tree: the first applies, the second is refused.
    const repo = copyTree(DEMO);
    const gitIn = (...args: string[]) => spawnSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });
    gitIn('init', '-q');
    gitIn('add', '-A');
    gitIn('commit', '-q', '-m', 'base');
    const dir = fixture('link-then-write');
    expect(gitIn('am', '-q', join(dir, readdirSync(dir).sort()[0]!)).status).toBe(0);
    const second = gitIn('am', '-q', join(dir, readdirSync(dir).sort()[1]!));
    expect(second.status).not.toBe(0);
    expect(second.stderr).toMatch(/beyond a symbolic link/);
  });

  it('a new file through a link in the base that stays inside it: refused (git refuses it too), the base untouched', async () => {
    const root = copyTree(DEMO);
    // drivers/misc/accelq/out -> the tree's own drivers/misc/accelq, absolutely.
    symlinkSync(join(root, 'drivers/misc/accelq'), join(root, 'drivers/misc/accelq/out'));
    const { json } = await validate(['escape-symlink.patch'], { root });
    expect(json.patches[0]).toMatchObject({ applies: false });
    expect(json.patches[0]!.problems[0]!.message).toMatch(/beyond a symbolic link \(drivers\/misc\/accelq\/out\)/);
  });

  it('with --build: nothing is built, and nothing lands in the build cache', async () => {
    const { parent, root } = nestedTree();
    const cache = mkdtempSync(join(tmpdir(), 'kmigrate-series-cache-'));
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = cache;
    try {
      const { json } = await validate(['escape-dotdot.patch'], { root, extra: ['--build'] });
      expect(json.patches[0]).toMatchObject({ applies: false, build: 'skipped' });
      expect(json.patches[0]!.buildNote).toMatch(/refused/);
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
    expect(readdirSync(cache)).toEqual([]);
    expect(readdirSync(parent)).toEqual(['tree']);
  });
});

describe('validate-series: the text report', () => {
  it('one block per patch with PASS per check, the cover letter mentioned, then the verdict', async () => {
    const r = await validate(['good-split'], { root: demoWithBits(), format: 'text' });
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain(`cover letter: ${SUBJECT} (${fixture('good-split/0000-cover-letter.patch')}:1; read, not applied)`);
    SPLIT_SUBJECTS.forEach((s, i) => expect(out).toContain(`\n[${i + 1}/3] ${s}\n`));
    expect(out.match(/^ {2}applies {5}PASS$/gm)).toHaveLength(3);
    expect(out.match(/^ {2}consistent {2}PASS$/gm)).toHaveLength(3);
    expect(out.match(/^ {2}build {7}SKIP \(.+\)$/gm)).toHaveLength(3);
    expect(out).toMatch(/\nverdict: PASS\n$/);
  });

  it('a failure: FAIL under the check, the file and hunk on the line below, and verdict FAIL', async () => {
    const r = await validate(['bad-context.patch'], { format: 'text' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`\n[1/1] ${SUBJECT}\n`);
    expect(r.stdout).toMatch(/\n {2}applies {5}FAIL\n {6}drivers\/misc\/accelq\/accelq\.c:32: \[hunk-failed\] .*hunk #1/);
    expect(r.stdout).toMatch(/\nverdict: FAIL\n$/);
  });

});

describe('validate-series --build on the samples (no kbuild there)', () => {
  const hasBuildTools = ['make', 'gcc', 'flex', 'bison', 'bc'].every((t) => (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, t))));

  /** validate-series --build with the build cache in a temp dir (and PATH as given). */
  async function withBuild(path: string | undefined): Promise<Validated & { cache: string }> {
    const cache = mkdtempSync(join(tmpdir(), 'kmigrate-series-cache-'));
    const saved = { cache: process.env.XDG_CACHE_HOME, path: process.env.PATH };
    process.env.XDG_CACHE_HOME = cache;
    if (path !== undefined) process.env.PATH = path;
    try {
      return { ...(await validate(['good-split'], { extra: ['--build'] })), cache };
    } finally {
      process.env.PATH = saved.path;
      if (saved.cache === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved.cache;
    }
  }

  it('without build tools on PATH: build is skipped for every patch, with a buildNote naming what is missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'kmigrate-empty-path-'));
    const r = await withBuild(empty);
    expect([0, 1]).toContain(r.code);
    for (const p of r.json.patches) {
      expect(p).toMatchObject({ applies: true, consistent: true, build: 'skipped' });
      expect(p.buildNote).toMatch(/missing build tools: .*make/);
    }
    expect(readdirSync(r.cache)).toEqual([]);
  });

  (hasBuildTools ? it : it.skip)(
    '--build on a tree without kbuild, build tools installed: build is skipped with a buildNote, no internal error',
    async () => {
      const r = await withBuild(undefined);
      expect(r.stderr).not.toMatch(/internal error/);
      expect([0, 1]).toContain(r.code);
      for (const p of r.json.patches) {
        expect(p.build).toBe('skipped');
        expect(p.buildNote).toMatch(/\S/);
      }
    },
  );
});

// Keep the helper honest: a snapshot sees a new directory, a changed byte and a changed mode.
describe('snapshot()', () => {
  it('notices every kind of change', () => {
    const root = copyTree(DEMO);
    const a = snapshot(root);
    mkdirSync(join(root, 'x'));
    expect(snapshot(root)).not.toEqual(a);
    const b = snapshot(root);
    const file = join(root, 'drivers/misc/accelq/accelq.c');
    writeFileSync(file, readFileSync(file, 'utf8').replace('NULL', 'NULl'));
    expect(snapshot(root)).not.toEqual(b);
    const c = snapshot(root);
    chmodSync(file, 0o600);
    expect(snapshot(root)).not.toEqual(c);
  });
});
