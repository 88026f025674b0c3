import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../codemods/patch/diff.js';
import {
  addSignoff,
  formatCoverLetter,
  formatPatchEmail,
  formatSeries,
  patchFileName,
  rfc2822Date,
  type SeriesCommit,
} from '../../codemods/patch/format.js';
import { readSeries } from '../../codemods/patch/mail.js';
import { FIXTURES, git, gitRepo, readTree, tempDir } from './helpers.js';

type Tree = Record<string, string>;

/** The diff between two trees, files in path order (as git orders them). */
function treeDiff(before: Tree, after: Tree): string {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return paths.map((p) => unifiedDiff(p, before[p] ?? null, after[p] ?? null)).join('');
}

interface Made {
  hash: string;
  subject: string;
  body: string;
  diff: string;
  authorName: string;
  authorEmail: string;
  date: Date;
  tz: number;
}

/**
 * A scratch repository: a base commit (the kernel's `*.c diff=cpp`
 * attributes plus the fixture tree), then commits made from tree edits.
 */
class Scratch {
  readonly dir = gitRepo();
  tree: Tree;
  readonly base: string;

  constructor() {
    this.tree = { '.gitattributes': '*.c diff=cpp\n*.h diff=cpp\n', ...readTree(path.join(FIXTURES, 'base')) };
    this.write(this.tree, {});
    git(this.dir, ['add', '-A']);
    git(this.dir, ['commit', '-qm', 'base']);
    this.base = git(this.dir, ['rev-parse', 'HEAD']).trim();
  }

  private write(next: Tree, prev: Tree): void {
    for (const p of Object.keys(prev)) if (!(p in next)) fs.rmSync(path.join(this.dir, p));
    for (const [p, text] of Object.entries(next)) {
      fs.mkdirSync(path.dirname(path.join(this.dir, p)), { recursive: true });
      fs.writeFileSync(path.join(this.dir, p), text);
    }
  }

  commit(
    edit: (t: Tree) => Tree,
    subject: string,
    body: string,
    who = { name: 'Jacob Pan', email: 'jacob.jun.pan@linux.intel.com' },
    date = '2021-05-20T10:00:00+0200',
  ): Made {
    const next = edit({ ...this.tree });
    this.write(next, this.tree);
    const diff = treeDiff(this.tree, next);
    this.tree = next;
    git(this.dir, ['add', '-A']);
    git(this.dir, ['commit', '-q', '--cleanup=verbatim', '-F', '-'], { GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_AUTHOR_DATE: date }, body === '' ? `${subject}\n` : `${subject}\n\n${body}`);
    const hash = git(this.dir, ['rev-parse', 'HEAD']).trim();
    const m = /([+-])(\d\d)(\d\d)$/.exec(date)!;
    const tz = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
    return { hash, subject, body, diff, authorName: who.name, authorEmail: who.email, date: new Date(date), tz };
  }

  formatPatch(args: string[]): string {
    return git(this.dir, ['format-patch', ...args]);
  }
}

const asCommit = (m: Made): SeriesCommit => ({
  commitHash: m.hash,
  authorName: m.authorName,
  authorEmail: m.authorEmail,
  date: m.date,
  tzOffsetMinutes: m.tz,
  subject: m.subject,
  body: m.body,
  diff: m.diff,
});

// The signature of the installed git (the format is checked against git 2.39).
const GIT_VERSION = /^git version (\S+)/.exec(git(process.cwd(), ['--version']))![1]!;

const INIT = 'drivers/dma/idxd/init.c';
const IOMMU = 'include/linux/iommu.h';

describe('formatPatchEmail against git format-patch', () => {
  it('writes a single patch byte for byte', () => {
    const s = new Scratch();
    const c = s.commit(
      (t) => ({ ...t, [IOMMU]: t[IOMMU]!.replace('void *drvdata);', 'unsigned int flags);') }),
      'iommu/sva: Tighten SVA bind API with explicit flags',
      "The void *drvdata parameter isn't really used in iommu_sva_bind_device()\nAPI.\n\nSigned-off-by: Jacob Pan <jacob.jun.pan@linux.intel.com>\n",
    );
    const expected = s.formatPatch(['--stdout', '-1', c.hash]);
    const ours = formatPatchEmail({
      commitHash: c.hash,
      fromName: c.authorName,
      fromEmail: c.authorEmail,
      date: c.date,
      tzOffsetMinutes: c.tz,
      subject: c.subject,
      body: c.body,
      diff: c.diff,
      gitVersion: GIT_VERSION,
    });
    expect(ours).toBe(expected);
  });

  it('encodes non-ASCII names and subjects, adds MIME headers, folds long subjects, signs off', () => {
    const s = new Scratch();
    const made = [
      s.commit(
        (t) => ({ ...t, 'drivers/x.c': 'int x;\n' }),
        'iommu: Ünïcödé subject that is long enough to need folding across several encoded words é è',
        'Body with é.\n',
        { name: 'Jérôme Glisse, Jr.', email: 'jglisse@example.org' },
        '2026-03-03T01:02:03-0730',
      ),
      s.commit(
        (t) => ({ ...t, 'drivers/x.c': 'int y;\n' }),
        'net: this is a very long subject line that definitely goes past seventy-eight columns in the header',
        'Text.\n\nReviewed-by: X <x@example.org>\n',
        { name: 'J. R. "Bob" Dobbs', email: 'bob@example.org' },
      ),
      s.commit((t) => ({ ...t, 'drivers/x.c': 'int z;\n' }), 'short one', '', { name: 'Jane Dev', email: 'jane@example.org' }),
    ];
    for (const c of made) {
      for (const signoff of [false, true]) {
        const expected = s.formatPatch(['--stdout', '-1', c.hash, ...(signoff ? ['-s'] : [])]);
        // git signs off as the committer (Jane Dev here): with another author, the trailer is added to the body by hand.
        const byCommitter = c.authorName === 'Jane Dev';
        const ours = formatPatchEmail({
          commitHash: c.hash,
          fromName: c.authorName,
          fromEmail: c.authorEmail,
          date: c.date,
          tzOffsetMinutes: c.tz,
          subject: c.subject,
          body: signoff && !byCommitter ? addSignoff(c.body, 'Signed-off-by: Jane Dev <jane@example.org>') : c.body,
          diff: c.diff,
          signoff: signoff && byCommitter,
          gitVersion: GIT_VERSION,
        });
        expect(ours).toBe(expected);
      }
    }
  });
});

describe('formatSeries against git format-patch', () => {
  it('writes a series with cover letter, base-commit and sign-off, file names included', async () => {
    const s = new Scratch();
    const made: Made[] = [];
    made.push(
      s.commit(
        (t) => ({ ...t, [IOMMU]: t[IOMMU]!.replace('void *drvdata);', 'unsigned int flags);') }),
        'iommu/sva: Tighten SVA bind API with explicit flags',
        'Replace drvdata.\n',
      ),
    );
    made.push(
      s.commit(
        (t) => ({ ...t, [INIT]: t[INIT]!.replace('NULL, &flags);', 'NULL,\n\t\t\t\t    IOMMU_SVA_BIND_SUPERVISOR);') }),
        'dmaengine: idxd: Use IOMMU_SVA_BIND_SUPERVISOR',
        'Use the generic flag.\n\nSigned-off-by: Jacob Pan <jacob.jun.pan@linux.intel.com>\n',
      ),
    );
    // A long path and a large change, for the diffstat's name shortening and graph scaling.
    made.push(
      s.commit(
        (t) => ({
          ...t,
          'drivers/iommu/arm/arm-smmu-v3/some/very/deep/directory/arm-smmu-v3-sva.c': Array.from({ length: 150 }, (_, i) => `int v${i};`).join('\n') + '\n',
        }),
        'iommu/arm-smmu-v3: Reject flags... the tightened API does not support.',
        'A message.\n',
        { name: 'Adam Author', email: 'adam@example.org' },
      ),
    );
    const out = tempDir();
    s.formatPatch(['-q', '--cover-letter', `--base=${s.base}`, '-s', '-o', out, `${s.base}..HEAD`]);
    const expected = Object.fromEntries(fs.readdirSync(out).map((f) => [f, fs.readFileSync(path.join(out, f), 'utf8')]));

    const commits = made.map(asCommit);
    const base = readTree(path.join(FIXTURES, 'base'));
    const ours = formatSeries(
      commits.map((c) => ({ ...c, body: addSignoff(c.body, 'Signed-off-by: Jane Dev <jane@example.org>') })),
      {
        cover: {
          date: new Date('2026-11-23T20:31:05Z'),
          fromName: 'Jane Dev',
          fromEmail: 'jane@example.org',
          diff: treeDiff({ '.gitattributes': '*.c diff=cpp\n*.h diff=cpp\n', ...base }, s.tree),
        },
        baseCommit: s.base,
        gitVersion: GIT_VERSION,
      },
    );
    expect(Object.keys(expected).sort()).toEqual(ours.map((f) => f.fileName));
    for (const f of ours) expect(f.text).toBe(expected[f.fileName]);

    // Read back, the series gives the same subjects, bodies and diffs.
    const back = await readSeries([out]);
    expect(back.map((p) => [p.index, p.isCover, p.subject])).toEqual([
      [0, true, '*** SUBJECT HERE ***'],
      [1, false, made[0]!.subject],
      [2, false, made[1]!.subject],
      [3, false, made[2]!.subject],
    ]);
    expect(back.slice(1).map((p) => p.diff)).toEqual(made.map((m) => m.diff));
  });

  it('pads numbers for ten or more patches and puts base-commit on the first patch without a cover letter', () => {
    const s = new Scratch();
    const made = Array.from({ length: 10 }, (_, i) => s.commit((t) => ({ ...t, 'counter.txt': `${i}\n` }), `counter: Step ${i + 1}`, `Step ${i + 1}.\n`));
    const out = tempDir();
    s.formatPatch(['-q', `--base=${s.base}`, '-o', out, `${s.base}..HEAD`]);
    const ours = formatSeries(made.map(asCommit), { baseCommit: s.base, gitVersion: GIT_VERSION });
    expect(ours.map((f) => f.fileName)).toEqual(fs.readdirSync(out).sort());
    for (const f of ours) expect(f.text).toBe(fs.readFileSync(path.join(out, f.fileName), 'utf8'));
    expect(ours[0]!.text).toContain('Subject: [PATCH 01/10] counter: Step 1\n');
    expect(ours[0]!.text).toContain(`\nbase-commit: ${s.base}\n-- \n`);
  });
});

describe('round trip through readSeries', () => {
  it('reads back what formatPatchEmail writes: encoded subject and name, body, diff', async () => {
    const diff = unifiedDiff('drivers/x.c', 'int a;\n', 'int b;\n');
    const text = formatPatchEmail({
      fromName: 'Jérôme Glisse',
      fromEmail: 'jglisse@example.org',
      date: new Date('2021-05-20T08:00:00Z'),
      subject: 'iommu: Ünïcödé subject that is long enough to need folding across several encoded words é è',
      number: 1,
      total: 1,
      body: 'Body with é.\n',
      diff,
      signoff: true,
    });
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '0001.patch'), text);
    const [p] = await readSeries([path.join(dir, '0001.patch')]);
    expect(p).toMatchObject({
      index: 1,
      subject: 'iommu: Ünïcödé subject that is long enough to need folding across several encoded words é è',
      author: 'Jérôme Glisse <jglisse@example.org>',
      body: 'Body with é.\n\nSigned-off-by: Jérôme Glisse <jglisse@example.org>\n',
      diff,
    });
  });
});

describe('formatCoverLetter', () => {
  it('fills in the subject and blurb, lists authors in order, and shows the combined diffstat', () => {
    const text = formatCoverLetter({
      fromName: 'Jane Dev',
      fromEmail: 'jane@example.org',
      date: new Date('2026-11-23T20:31:05Z'),
      subject: 'iommu/sva: Tighten SVA bind API with explicit flags',
      body: 'The drvdata parameter is replaced by flags.',
      total: 2,
      patches: [
        { authorName: 'Zed', subject: 'dmaengine: idxd: Use IOMMU_SVA_BIND_SUPERVISOR' },
        { authorName: 'Jacob Pan', subject: 'iommu/sva: Tighten SVA bind API with explicit flags' },
      ],
      diff: unifiedDiff('include/linux/iommu.h', 'a\n', 'b\n'),
    });
    expect(text).toBe(
      'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n' +
        'From: Jane Dev <jane@example.org>\n' +
        'Date: Mon, 23 Nov 2026 20:31:05 +0000\n' +
        'Subject: [PATCH 0/2] iommu/sva: Tighten SVA bind API with explicit flags\n' +
        '\n' +
        'The drvdata parameter is replaced by flags.\n' +
        '\n' +
        'Jacob Pan (1):\n' +
        '  iommu/sva: Tighten SVA bind API with explicit flags\n' +
        '\n' +
        'Zed (1):\n' +
        '  dmaengine: idxd: Use IOMMU_SVA_BIND_SUPERVISOR\n' +
        '\n' +
        ' include/linux/iommu.h | 2 +-\n' +
        ' 1 file changed, 1 insertion(+), 1 deletion(-)\n' +
        '\n' +
        '-- \n' +
        '2.39.5\n' +
        '\n',
    );
  });
});

describe('patchFileName', () => {
  it("sanitizes subjects as git does", () => {
    expect(patchFileName(1, 'iommu/sva: Tighten SVA bind API with explicit flags')).toBe('0001-iommu-sva-Tighten-SVA-bind-API-with-explicit-flags.patch');
    expect(patchFileName(2, 'dmaengine: idxd: Use IOMMU_SVA_BIND_SUPERVISOR')).toBe('0002-dmaengine-idxd-Use-IOMMU_SVA_BIND_SUPERVISOR.patch');
    expect(patchFileName(3, 'net: this is a very long subject line that definitely goes past seventy-eight columns')).toBe(
      '0003-net-this-is-a-very-long-subject-line-that-definitely.patch',
    );
    expect(patchFileName(4, '  ...Fix   the ... dots... ')).toBe('0004-.Fix-the-.-dots.patch');
    expect(patchFileName(12, 'Ünïcödé: café')).toBe('0012-n-c-d-caf.patch');
  });

  it('matches the names git format-patch writes', () => {
    const s = new Scratch();
    const subjects = ['iommu/sva: Tighten SVA bind API', '[x] a--b__c..d', 'Ünïcödé: café au lait', 'trailing dots...', 'x'.repeat(80), 'ends with dash at the cut ' + 'y'.repeat(25) + ' z'];
    subjects.forEach((sub, i) => s.commit((t) => ({ ...t, 'n.txt': `${i}\n` }), sub, ''));
    const out = tempDir();
    s.formatPatch(['-q', '-o', out, `${s.base}..HEAD`]);
    expect(subjects.map((sub, i) => patchFileName(i + 1, sub))).toEqual(fs.readdirSync(out).sort());
  });
});

describe('details', () => {
  it('formats dates as git (day not padded, offset from UTC)', () => {
    expect(rfc2822Date(new Date('2026-03-03T08:32:03Z'), -450)).toBe('Tue, 3 Mar 2026 01:02:03 -0730');
    expect(rfc2822Date(new Date('2021-05-20T08:00:00Z'), 120)).toBe('Thu, 20 May 2021 10:00:00 +0200');
  });

  it('adds a Signed-off-by where git would', () => {
    const sob = 'Signed-off-by: Jane Dev <jane@example.org>';
    expect(addSignoff('', sob)).toBe(`${sob}\n`);
    expect(addSignoff('Text.\n', sob)).toBe(`Text.\n\n${sob}\n`);
    expect(addSignoff('Text.\n\nReviewed-by: X <x@y>\n', sob)).toBe(`Text.\n\nReviewed-by: X <x@y>\n${sob}\n`);
    expect(addSignoff(`${sob}\nReviewed-by: X <x@y>\n`, sob)).toBe(`${sob}\nReviewed-by: X <x@y>\n`);
    expect(addSignoff(`Text.\n${sob}\n`, sob)).toBe(`Text.\n${sob}\n`);
  });
});
