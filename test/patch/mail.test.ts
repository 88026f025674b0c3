import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TreeOverlay } from '../../codemods/patch/apply.js';
import { decodeHeader, parseSubject, readSeries, readSeriesReport, SeriesReadError, type SeriesNote, type SeriesPatch } from '../../codemods/patch/mail.js';
import { parsePatch } from '../../codemods/patch/parse.js';
import { FIXTURES, git, gitRepo, tempDir, writeTree } from './helpers.js';

const fixture = (p: string): string => path.join(FIXTURES, p);
const read = (p: string): string => fs.readFileSync(fixture(p), 'utf8');

// The diffs of the two patches, as git format-patch wrote them (lines 17-35 and 13-34 of the files).
const PATCH1 = read('fmt/0001-iommu-sva-Tighten-SVA-bind-API-with-explicit-flags.patch');
const PATCH2 = read('fmt/0002-dmaengine-idxd-Use-IOMMU_SVA_BIND_SUPERVISOR.patch');
const DIFF1 = PATCH1.split('\n').slice(16, 35).join('\n') + '\n';
const DIFF2 = PATCH2.split('\n').slice(12, 34).join('\n') + '\n';
const BODY1 =
  'The void *drvdata parameter isn\'t really used in iommu_sva_bind_device()\n' +
  'API, the current IDXD code "borrows" the drvdata for a VT-d private flag\n' +
  'for supervisor SVA usage.\n\n' +
  'From now on, callers pass flags explicitly.\n\n' +
  'Signed-off-by: Jacob Pan <jacob.jun.pan@linux.intel.com>\n';
const AUTHOR = 'Jacob Pan <jacob.jun.pan@linux.intel.com>';

// The tree after both patches, written by hand.
const FINAL = {
  'include/linux/iommu.h':
    '/* SPDX-License-Identifier: GPL-2.0-only */\n#ifndef __LINUX_IOMMU_H\n#define __LINUX_IOMMU_H\n\n' +
    '#define IOMMU_PASID_INVALID\t(-1U)\n\n' +
    "/* Supervisor PASID: kernel's static 1:1 map only; platform specific. */\n" +
    '#define IOMMU_SVA_BIND_SUPERVISOR\tBIT(0)\n\n' +
    '#ifdef CONFIG_IOMMU_API\nstruct iommu_sva *iommu_sva_bind_device(struct device *dev,\n' +
    '\t\t\t\t\tstruct mm_struct *mm,\n\t\t\t\t\tunsigned int flags);\n#endif\n\n#endif /* __LINUX_IOMMU_H */\n',
  'drivers/dma/idxd/init.c':
    '// SPDX-License-Identifier: GPL-2.0\n#include <linux/iommu.h>\n\n' +
    'static int idxd_enable_system_pasid(struct idxd_device *idxd)\n{\n\tstruct iommu_sva *sva;\n\n' +
    '\tsva = iommu_sva_bind_device(&idxd->pdev->dev, NULL,\n\t\t\t\t    IOMMU_SVA_BIND_SUPERVISOR);\n' +
    '\tif (IS_ERR(sva))\n\t\treturn PTR_ERR(sva);\n\treturn 0;\n}\n',
};

/** Apply the non-cover patches of a series to the base fixture tree, in memory. */
function applySeries(patches: SeriesPatch[]): Record<string, string | null> {
  const overlay = new TreeOverlay(fixture('base'));
  for (const p of patches) {
    if (p.isCover) continue;
    overlay.apply(parsePatch(p.diff, { source: p.source.file, firstLine: p.diffLine, strip: p.strip }));
  }
  return Object.fromEntries(overlay.changes);
}

/** The SeriesReadError `fn` throws. */
async function readError(fn: () => Promise<unknown>): Promise<SeriesReadError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof SeriesReadError) return e;
    throw e;
  }
  throw new Error('expected a SeriesReadError');
}

describe('readSeries: a lore t.mbox thread', () => {
  // thread.mbox holds, in this order: patch 2/2 (with mboxrd-quoted `From `
  // lines), a reply to 1/2 that quotes its diff, the cover letter (subject
  // folded and RFC 2047 encoded), and patch 1/2 (quoted-printable).
  let patches: SeriesPatch[] = [];
  let notes: SeriesNote[] = [];
  beforeAll(async () => {
    ({ patches, notes } = await readSeriesReport([fixture('thread.mbox')]));
  });

  it('orders by [PATCH n/N], keeps the cover letter marked, leaves the reply out', async () => {
    expect(patches.map((p) => [p.index, p.total, p.isCover, p.subject])).toEqual([
      [0, 2, true, 'iommu/sva: Tighten SVA bind API — explicit flags'],
      [1, 2, false, 'iommu/sva: Tighten SVA bind API with explicit flags'],
      [2, 2, false, 'dmaengine: idxd: Use IOMMU_SVA_BIND_SUPERVISOR'],
    ]);
    expect(notes).toEqual([
      {
        code: 'reply-dropped',
        file: fixture('thread.mbox'),
        line: 44,
        message: 'reply left out: Re: [PATCH 1/2] iommu/sva: Tighten SVA bind API with explicit flags',
      },
    ]);
  });

  it('decodes the folded, encoded subject of the cover letter', async () => {
    expect(patches[0]!.rawSubject).toBe('[PATCH 0/2] iommu/sva: Tighten SVA bind API — explicit flags');
    expect(patches[0]!.diff).toBe('');
    expect(patches[0]!.body).toBe(
      'IDXD borrows the drvdata of the SVA bind API to pass a VT-d flag.\nThis series replaces it with explicit flags.\n\n' +
        'Jacob Pan (2):\n  iommu/sva: Tighten SVA bind API with explicit flags\n  dmaengine: idxd: Use IOMMU_SVA_BIND_SUPERVISOR\n\n' +
        ' include/linux/iommu.h   | 5 ++++-\n drivers/dma/idxd/init.c | 7 ++-----\n 2 files changed, 6 insertions(+), 6 deletions(-)\n',
    );
  });

  it('decodes the quoted-printable patch, splits message, diffstat and diff, and drops the signature', async () => {
    const p = patches[1]!;
    expect(p.body).toBe(BODY1);
    expect(p.diff).toBe(DIFF1);
    expect(p).toMatchObject({
      author: AUTHOR,
      date: 'Thu, 20 May 2021 10:00:00 +0200',
      messageId: '<20210520080000.1-jacob@example.org>',
      inReplyTo: '<20210520080000.0-jacob@example.org>',
      source: { file: fixture('thread.mbox'), line: 85 },
      diffLine: 106,
      strip: 1,
    });
  });

  it('unquotes mboxrd `>From ` lines one level', async () => {
    expect(patches[2]!.body).toBe(
      'Replace the VT-d private flag with the generic one.\n\n' +
        'From the VT-d spec, a supervisor PASID may only access the kernel map.\n' +
        '>From a quoted mail: keep the second level.\n\n' +
        'Signed-off-by: Jacob Pan <jacob.jun.pan@linux.intel.com>\n',
    );
    expect(patches[2]!.diff).toBe(DIFF2);
    expect(patches[2]!.diffLine).toBe(18);
  });

  it('applies, in memory, to the base tree', async () => {
    expect(applySeries(patches)).toEqual(FINAL);
  });
});

describe('readSeries: other forms', () => {
  it('reads a directory of format-patch files in name order, the cover letter marked', async () => {
    const patches = await readSeries([fixture('fmt')]);
    expect(patches.map((p) => [p.index, p.isCover, p.subject, p.source.file])).toEqual([
      [0, true, '*** SUBJECT HERE ***', fixture('fmt/0000-cover-letter.patch')],
      [1, false, 'iommu/sva: Tighten SVA bind API with explicit flags', fixture('fmt/0001-iommu-sva-Tighten-SVA-bind-API-with-explicit-flags.patch')],
      [2, false, 'dmaengine: idxd: Use IOMMU_SVA_BIND_SUPERVISOR', fixture('fmt/0002-dmaengine-idxd-Use-IOMMU_SVA_BIND_SUPERVISOR.patch')],
    ]);
    expect(patches[0]!.baseCommit).toBe('87693115106cb2e600d36ea691eafbb2ca5fb0bc');
    expect(patches[1]).toMatchObject({ body: BODY1, diff: DIFF1, diffLine: 17, author: AUTHOR });
    expect(patches[2]).toMatchObject({ diff: DIFF2, diffLine: 13 });
    expect(applySeries(patches)).toEqual(FINAL);
  });

  it('puts single files given out of order back in [PATCH n/N] order', async () => {
    const patches = await readSeries([
      fixture('fmt/0002-dmaengine-idxd-Use-IOMMU_SVA_BIND_SUPERVISOR.patch'),
      fixture('fmt/0001-iommu-sva-Tighten-SVA-bind-API-with-explicit-flags.patch'),
    ]);
    expect(patches.map((p) => p.index)).toEqual([1, 2]);
  });

  it('reads a quilt series: order from the series file, comments ignored, -pN kept', async () => {
    const patches = await readSeries([fixture('quilt')]);
    expect(patches.map((p) => [p.index, p.subject, p.strip, p.source.file, p.diffLine])).toEqual([
      [1, 'iommu/sva: Tighten SVA bind API with explicit flags', 1, fixture('quilt/sva-flags.patch'), 12],
      [2, 'dmaengine: idxd: Use IOMMU_SVA_BIND_SUPERVISOR', 0, fixture('quilt/idxd-flag.patch'), 6],
    ]);
    expect(patches[0]!.body).toBe('The void *drvdata parameter is replaced by unsigned int flags.\n\nSigned-off-by: Jacob Pan <jacob.jun.pan@linux.intel.com>\n');
    expect(patches[1]!.author).toBe(AUTHOR);
    expect(applySeries(patches)).toEqual(FINAL);
    expect((await readSeries([fixture('quilt/series')])).map((p) => p.index)).toEqual([1, 2]);
  });

  it('keeps only the newest version of a series found in one thread', async () => {
    const dir = tempDir();
    const msg = (subject: string, id: string): string =>
      `From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: A <a@example.org>\nSubject: ${subject}\nMessage-Id: <${id}>\n\nText.\n---\n${DIFF2}\n`;
    writeTree(dir, {
      't.mbox': msg('[PATCH 2/2] old', 'v1-2') + msg('[PATCH v2 2/2] new two', 'v2-2') + msg('[PATCH v2 1/2] new one', 'v2-1'),
    });
    const { patches, notes } = await readSeriesReport([path.join(dir, 't.mbox')]);
    expect(patches.map((p) => [p.index, p.version, p.subject])).toEqual([
      [1, 2, 'new one'],
      [2, 2, 'new two'],
    ]);
    expect(notes.map((n) => [n.code, n.line])).toEqual([['old-version-dropped', 1]]);
  });

  it('notes a patch missing from a numbered series', async () => {
    const { patches, notes } = await readSeriesReport([fixture('fmt/0002-dmaengine-idxd-Use-IOMMU_SVA_BIND_SUPERVISOR.patch')]);
    expect(patches.map((p) => p.index)).toEqual([2]);
    expect(notes.map((n) => [n.code, n.message])).toEqual([['missing-patch', 'patch 1/2 is not in the input']]);
  });

  it('takes the patch part of a multipart message and honours in-body From:', async () => {
    const dir = tempDir();
    writeTree(dir, {
      'm.eml':
        'From: Sender <s@example.org>\nSubject: [PATCH] dmaengine: idxd: Use the flag\nMIME-Version: 1.0\n' +
        'Content-Type: multipart/mixed; boundary="XYZ"\n\n' +
        'This is a multi-part message in MIME format.\n--XYZ\nContent-Type: text/plain; charset=UTF-8\n\n' +
        'From: Jacob Pan <jacob.jun.pan@linux.intel.com>\n\nReplace the flag.\n---\n' +
        '--XYZ\nContent-Type: text/x-patch; name="fix.patch"\nContent-Transfer-Encoding: base64\n\n' +
        Buffer.from(DIFF2).toString('base64').replace(/.{76}/g, '$&\n') +
        '\n--XYZ--\n',
    });
    const [p] = await readSeries([path.join(dir, 'm.eml')]);
    expect(p).toMatchObject({ index: 1, subject: 'dmaengine: idxd: Use the flag', author: AUTHOR, body: 'Replace the flag.\n', diff: DIFF2 });
  });
});

describe('readSeries errors', () => {
  it('names a missing input', async () => {
    const e = await readError(() => readSeries(['/nonexistent/x.mbox']));
    expect([e.file, e.reason]).toEqual(['/nonexistent/x.mbox', 'no such file or directory']);
  });

  it('refuses a directory without patches, and an mbox without a patch', async () => {
    const dir = tempDir();
    expect((await readError(() => readSeries([dir]))).file).toBe(dir);
    writeTree(dir, { 'reply.mbox': 'From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: B <b@example.org>\nSubject: Re: [PATCH 1/2] x\n\nLooks good.\n' });
    const e = await readError(() => readSeries([path.join(dir, 'reply.mbox')]));
    expect([e.line, e.reason]).toEqual([1, 'no patch found (no message or file with a diff)']);
  });

  it('names the series line of a quilt patch that does not exist', async () => {
    const dir = tempDir();
    writeTree(dir, { series: '# first\nmissing.patch\n' });
    const e = await readError(() => readSeries([dir]));
    expect([e.file, e.line, e.reason]).toEqual([path.join(dir, 'series'), 2, 'patch missing.patch listed in the series does not exist']);
  });

  it('refuses two messages that claim the same number', async () => {
    const dir = tempDir();
    const msg = `From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: A <a@example.org>\nSubject: [PATCH 1/1] x\n\n---\n${DIFF2}\n`;
    writeTree(dir, { 't.mbox': msg + msg });
    expect((await readError(() => readSeries([path.join(dir, 't.mbox')]))).reason).toMatch(/^two messages claim to be patch 1\/1/);
  });
});

describe('headers', () => {
  it('decodes RFC 2047 words: Q and B, underscores, other charsets, no space between adjacent words', () => {
    expect(decodeHeader('=?UTF-8?q?J=C3=A9r=C3=B4me_Glisse?= <j@example.org>')).toBe('Jérôme Glisse <j@example.org>');
    expect(decodeHeader('[PATCH] =?utf-8?B?w7xtbGF1dA==?= =?UTF-8?q?=20subject?=')).toBe('[PATCH] ümlaut subject');
    expect(decodeHeader('=?ISO-8859-1?Q?caf=E9?=')).toBe('café');
    expect(decodeHeader('plain text')).toBe('plain text');
  });

  it('takes numbers, version and RFC out of subject prefixes', () => {
    expect(parseSubject('[PATCH v2 3/7] iommu: x')).toEqual({ subject: 'iommu: x', n: 3, total: 7, version: 2, isRfc: false, isReply: false });
    expect(parseSubject('[RFC PATCH net-next 01/10] net: y')).toMatchObject({ subject: 'net: y', n: 1, total: 10, isRfc: true });
    expect(parseSubject('Re: Re: [PATCH] z')).toMatchObject({ subject: 'z', isReply: true });
    expect(parseSubject('[PATCH] [media] w').subject).toBe('w');
  });
});

describe('charsets: each message by its own, the diff by its bytes (as git am)', () => {
  // A UTF-8 file whose comment line the patch changes: the diff carries UTF-8 bytes.
  const BEFORE = '/* Jérôme: first */\nint a;\n';
  const AFTER = '/* Jérôme: second */\nint a;\n';
  const DIFF = 'diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @@\n-/* Jérôme: first */\n+/* Jérôme: second */\n int a;\n';
  const mail = (subject: string, message: Buffer, charset?: string): Buffer =>
    Buffer.concat([
      Buffer.from(
        `From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nFrom: A U Thor <a@example.org>\nDate: Tue, 14 Nov 2023 22:13:20 +0000\nSubject: ${subject}\n` +
          (charset ? `MIME-Version: 1.0\nContent-Type: text/plain; charset=${charset}\nContent-Transfer-Encoding: 8bit\n` : '') +
          '\n',
      ),
      message,
      Buffer.from(`\n---\n${DIFF}-- \n2.39.5\n\n`),
    ]);
  const latin1Message = Buffer.from('Caf\xe9 owners asked for it.\n\nSigned-off-by: A U Thor <a@example.org>\n', 'latin1');

  it('a Latin-1 byte in the commit message: the message decoded by its charset, the UTF-8 diff applies (git am applies it too)', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'm.patch'), mail('[PATCH] x: change the comment', latin1Message, 'ISO-8859-1'));
    const [p] = await readSeries([path.join(dir, 'm.patch')]);
    expect(p!.body).toBe('Café owners asked for it.\n\nSigned-off-by: A U Thor <a@example.org>\n');
    expect(p!.diff).toBe(DIFF);
    const tree = tempDir();
    writeTree(tree, { 'x.c': BEFORE });
    const o = new TreeOverlay(tree);
    o.apply(parsePatch(p!.diff));
    expect(o.changes.get('x.c')).toBe(AFTER);
    // git am on the same mail and tree.
    const repo = gitRepo();
    writeTree(repo, { 'x.c': BEFORE });
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'base']);
    git(repo, ['am', '-q', path.join(dir, 'm.patch')]);
    expect(fs.readFileSync(path.join(repo, 'x.c'), 'utf8')).toBe(AFTER);
    expect(git(repo, ['log', '-1', '--format=%B'])).toContain('Café owners asked for it.');
  });

  it('one Latin-1 reply in a t.mbox does not turn the UTF-8 patches into mojibake', async () => {
    const dir = tempDir();
    const reply = Buffer.concat([
      Buffer.from('From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: R <r@example.org>\nSubject: Re: [PATCH 1/1] x: change the comment\n\n', 'latin1'),
      Buffer.from('Merci, \xe7a marche.\n\n', 'latin1'),
    ]);
    const patch = Buffer.concat([
      Buffer.from('From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: =?UTF-8?q?J=C3=A9r=C3=B4me?= <j@example.org>\nSubject: [PATCH 1/1] x: change the comment\n\n'),
      Buffer.from('Jérôme\'s comment, in UTF-8.\n\n---\n' + DIFF + '-- \n2.39.5\n\n'),
    ]);
    fs.writeFileSync(path.join(dir, 't.mbox'), Buffer.concat([reply, patch]));
    const { patches, notes } = await readSeriesReport([path.join(dir, 't.mbox')]);
    expect(notes.map((n) => n.code)).toEqual(['reply-dropped']);
    expect(patches.map((p) => [p.author, p.body, p.diff])).toEqual([['Jérôme <j@example.org>', 'Jérôme\'s comment, in UTF-8.\n', DIFF]]);
  });

  it('keeps text/html parts out of the message and the patch', async () => {
    const dir = tempDir();
    writeTree(dir, {
      'm.eml':
        'From: A U Thor <a@example.org>\nSubject: [PATCH] x: change the comment\nMIME-Version: 1.0\n' +
        'Content-Type: multipart/alternative; boundary="B"\n\n' +
        '--B\nContent-Type: text/html; charset=UTF-8\n\n<html><body><p>Change the comment.</p></body></html>\n' +
        '--B\nContent-Type: text/plain; charset=UTF-8\n\nChange the comment.\n---\n' + DIFF + '\n--B--\n',
    });
    const [p] = await readSeries([path.join(dir, 'm.eml')]);
    expect(p!.body).toBe('Change the comment.\n');
    expect(p!.diff).toBe(DIFF);
  });
});

describe('MIME bodies: decoded by postal-mime, part by part', () => {
  const BEFORE = '/* Jérôme: first */\nint a;\n';
  const AFTER = '/* Jérôme: second */\nint a;\n';
  const LONG = 'drivers/gpu/drm/amd/display/dc/dcn20/dcn20_hwseq_long_name.c';
  const diffOf = (p: string): string =>
    `diff --git a/${p} b/${p}\n--- a/${p}\n+++ b/${p}\n@@ -1,2 +1,2 @@\n-/* Jérôme: first */\n+/* Jérôme: second */\n int a;\n`;
  const applied = (diff: string, p: string): string | null | undefined => {
    const tree = tempDir();
    writeTree(tree, { [p]: BEFORE });
    const o = new TreeOverlay(tree);
    o.apply(parsePatch(diff));
    return o.changes.get(p);
  };

  it('quoted-printable: soft breaks joined (one inside the diff --git line), the Latin-1 message by its charset, the UTF-8 diff by its bytes', async () => {
    const dir = tempDir();
    const head = `From: A U Thor <a@example.org>\nSubject: [PATCH] x: change the comment\nMIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n`;
    const qp =
      'Caf=E9 owners asked for it, in a line long enough that the mailer broke i=\nt softly.\n\n---\n' +
      `diff --git a/${LONG} b/drivers/gpu/drm/amd=\n/display/dc/dcn20/dcn20_hwseq_long_name.c\n` +
      `--- a/${LONG}\n+++ b/${LONG}\n@@ -1,2 +1,2 @@\n-/* J=C3=A9r=C3=B4me: first */\n+/* J=C3=A9r=C3=B4me: second */\n int a;\n-- \n2.39.5\n`;
    fs.writeFileSync(path.join(dir, 'm.eml'), Buffer.from(head + qp, 'latin1'));
    const { patches, notes } = await readSeriesReport([path.join(dir, 'm.eml')]);
    expect(notes).toEqual([]);
    expect(patches[0]!.body).toBe('Café owners asked for it, in a line long enough that the mailer broke it softly.\n');
    expect(patches[0]!.diff).toBe(diffOf(LONG));
    // The file's line where the (soft-broken) diff --git line starts.
    expect(patches[0]!.diffLine).toBe((head + qp).split('\n').findIndex((l) => l.startsWith('diff --git')) + 1);
    expect(applied(patches[0]!.diff, LONG)).toBe(AFTER);
  });

  it('base64: an ISO-8859-15 message part and a patch attached as application/octet-stream with an RFC 2231 file name', async () => {
    const dir = tempDir();
    const b64 = (b: Buffer): string => b.toString('base64').replace(/.{76}/g, '$&\n');
    const mail =
      'From: A U Thor <a@example.org>\nSubject: [PATCH] x: change the comment\nMIME-Version: 1.0\n' +
      'Content-Type: multipart/mixed;\n boundary="==B=="\n\n' +
      '--==B==\nContent-Type: text/plain; charset=ISO-8859-15\nContent-Transfer-Encoding: base64\n\n' +
      b64(Buffer.from('The \xa4 sign, caf\xe9.\n', 'latin1')) +
      '\n--==B==\nContent-Type: application/octet-stream;\n name*=UTF-8\'\'0001-x-change-the-comment.patch\n' +
      'Content-Disposition: attachment;\n filename*=UTF-8\'\'0001-x-change-the-comment.patch\nContent-Transfer-Encoding: base64\n\n' +
      b64(Buffer.from(diffOf('x.c'))) +
      '\n--==B==--\n';
    fs.writeFileSync(path.join(dir, 'm.eml'), mail);
    const { patches, notes } = await readSeriesReport([path.join(dir, 'm.eml')]);
    expect(patches[0]!.body).toBe('The € sign, café.\n');
    expect(patches[0]!.diff).toBe(diffOf('x.c'));
    expect(notes.map((n) => n.code)).toEqual(['encoded-body']);
    expect(applied(patches[0]!.diff, 'x.c')).toBe(AFTER);
  });

  it('text/html is never patch text: an HTML-only mail is not a patch, and an HTML part of a mixed mail adds nothing', async () => {
    const dir = tempDir();
    const htmlDiff = diffOf('x.c').replace(/\n/g, '<br>\n');
    writeTree(dir, {
      'html.eml': `From: A <a@example.org>\nSubject: [PATCH] x: html only\nContent-Type: text/html; charset=UTF-8\n\n<p>Change it.</p>\n---\n${diffOf('x.c')}`,
      'mixed.eml':
        'From: A <a@example.org>\nSubject: [PATCH] x: change the comment\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="B"\n\n' +
        `--B\nContent-Type: text/plain; charset=UTF-8\n\nChange the comment.\n---\n${diffOf('x.c')}` +
        `--B\nContent-Type: text/html; charset=UTF-8\n\n<p>Signature</p>\n---\n${htmlDiff}\n--B--\n`,
    });
    const { patches, notes } = await readSeriesReport([path.join(dir, 'html.eml'), path.join(dir, 'mixed.eml')]);
    expect(notes.map((n) => [n.code, n.message])).toEqual([['not-a-patch', 'message without a diff left out: [PATCH] x: html only']]);
    expect(patches.map((p) => [p.subject, p.body, p.diff])).toEqual([['x: change the comment', 'Change the comment.\n', diffOf('x.c')]]);
  });
});
