// Reading a patch series in the forms kernel developers exchange them:
//
//   - a `git format-patch` file (one message, or several concatenated);
//   - a directory of them, read in name order; `0000-cover-letter.patch` is
//     read and marked as the cover letter;
//   - an mbox: mboxo or mboxrd (`>From ` lines are unquoted one level), such
//     as lore's `t.mbox` of a whole thread, where messages come in any order
//     and replies are mixed in: patches are put in `[PATCH n/N]` order,
//     replies (`Re:`) and other messages without a diff are left out, the
//     `[PATCH 0/N]` cover letter is kept and marked, and when a thread holds
//     several versions (`[PATCH v2 n/N]`) only the newest is kept;
//   - a quilt directory with a `series` file (comments and `-pN` options).
//
// Files are read as bytes and an mbox split into messages first (mbox.ts);
// each message is then decoded on its own by postal-mime (mime.ts: headers,
// multipart, each part's transfer encoding and charset). A message's
// body (the commit message) ends at the `---` line; the diffstat after it is
// dropped; the diff starts at the first `diff --git` line (or `---`/`+++`
// pair) and ends with its last hunk (the `-- ` signature is not part of it).

import fs from 'node:fs';
import path from 'node:path';
import { byteLines, FROM_LINE, looksLikeHeaders, messageBytes, splitMbox, utf8OrLatin1, type Line } from './mbox.js';
import { decodeHeader, decodeMessage, MessageDecodeError } from './mime.js';
import { parsePatchDetailed } from './parse.js';
import { parseSubject } from './subject.js';
import { textLines } from './text.js';

export interface SeriesPatch {
  /** Position in the series: the n of `[PATCH n/N]` when numbered, else 1, 2, ... in reading order; 0 for a cover letter. */
  index: number;
  /** The N of `[PATCH n/N]`. */
  total?: number;
  /** The version of `[PATCH v2 n/N]`. */
  version?: number;
  /** Subject without `Re:` and `[...]` prefixes. */
  subject: string;
  /** Subject as decoded from the header. */
  rawSubject: string;
  /** `Name <email>`, decoded. */
  author?: string;
  date?: string;
  messageId?: string;
  inReplyTo?: string;
  /** The commit message: what comes between the headers and the `---` line ("" when none; ends in "\n" otherwise). */
  body: string;
  /** The diff ("" for a cover letter). */
  diff: string;
  /** 1-based line of `source.file` where `diff` starts (0 without a diff). Approximate for encoded bodies. */
  diffLine: number;
  /** Where the message (or quilt patch) starts. */
  source: { file: string; line: number };
  isCover: boolean;
  /** Leading path components to strip from the diff's names (quilt's `-pN`; 1 otherwise). */
  strip: number;
  /** From a `base-commit: <sha>` line (git format-patch --base), when the message has one. */
  baseCommit?: string;
}

export class SeriesReadError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}${line > 0 ? `:${line}` : ''}: ${reason}`);
    this.name = 'SeriesReadError';
  }
}

/** Something left out or odd in a series, that a report should mention. */
export interface SeriesNote {
  code: 'reply-dropped' | 'not-a-patch' | 'old-version-dropped' | 'missing-patch' | 'total-mismatch' | 'encoded-body';
  file: string;
  line: number;
  message: string;
}

export interface SeriesReadResult {
  patches: SeriesPatch[];
  notes: SeriesNote[];
}

/** Read the series that `inputs` (files and directories, in order) hold. Cover letters are included, marked isCover. */
export async function readSeries(inputs: readonly string[]): Promise<SeriesPatch[]> {
  return (await readSeriesReport(inputs)).patches;
}

/** readSeries, plus notes about what was left out. */
export async function readSeriesReport(inputs: readonly string[]): Promise<SeriesReadResult> {
  if (inputs.length === 0) throw new SeriesReadError('<series>', 0, 'no input given');
  const notes: SeriesNote[] = [];
  const candidates: Candidate[] = [];
  for (const input of inputs) await readInput(input, candidates, notes);
  return assemble(candidates, notes);
}

// ---------------------------------------------------------------------------
// Inputs

interface Candidate extends SeriesPatch {
  isReply: boolean;
  numbered: boolean;
  order: number;
  fromQuilt: boolean;
}

const MESSAGE_FILE = /\.(patch|diff|eml|mbox|mbx)$/i;

async function readInput(input: string, out: Candidate[], notes: SeriesNote[]): Promise<void> {
  let st: fs.Stats;
  try {
    st = fs.statSync(input);
  } catch {
    throw new SeriesReadError(input, 0, 'no such file or directory');
  }
  if (st.isDirectory()) {
    const seriesFile = [path.join(input, 'series'), path.join(input, 'patches', 'series')].find((f) => fs.existsSync(f));
    if (seriesFile) {
      await readQuilt(seriesFile, out, notes);
      return;
    }
    const files = fs
      .readdirSync(input)
      .filter((n) => MESSAGE_FILE.test(n) && fs.statSync(path.join(input, n)).isFile())
      .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    if (files.length === 0) throw new SeriesReadError(input, 0, 'directory holds no *.patch, *.diff, *.eml or *.mbox file and no quilt `series` file');
    for (const f of files) await readFile(path.join(input, f), out, notes);
    return;
  }
  if (path.basename(input) === 'series' && !MESSAGE_FILE.test(input)) {
    await readQuilt(input, out, notes);
    return;
  }
  await readFile(input, out, notes);
}

function readBytes(file: string, line = 0): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new SeriesReadError(file, line, `cannot read: ${(e as Error).message}`);
  }
}

/** Lines of a file without mail headers (a quilt patch, a series file): UTF-8 when valid, else Latin-1, bytes kept. */
function plainLines(lines: Line[]): Line[] {
  return lines.map((l) => ({ text: utf8OrLatin1(l.text), no: l.no, raw: l.text }));
}

async function readFile(file: string, out: Candidate[], notes: SeriesNote[]): Promise<void> {
  // Bytes first: an mbox is split into messages before any charset is applied.
  const lines = byteLines(readBytes(file));
  const isCoverFile = /^0000-cover-letter\.patch$/.test(path.basename(file));
  if (lines.length > 0 && lines[0]!.text.startsWith('From ')) {
    for (const m of splitMbox(lines)) out.push(await messageCandidate(file, m.start, m.lines, out.length, isCoverFile, notes));
  } else if (looksLikeHeaders(lines)) {
    out.push(await messageCandidate(file, 1, lines, out.length, isCoverFile, notes));
  } else {
    out.push(plainCandidate(file, plainLines(lines), out.length, 1, false));
  }
}

// ---------------------------------------------------------------------------
// Messages

async function messageCandidate(file: string, startLine: number, lines: Line[], order: number, isCoverFile: boolean, notes: SeriesNote[]): Promise<Candidate> {
  let message;
  try {
    message = await decodeMessage(messageBytes(lines));
  } catch (e) {
    if (e instanceof MessageDecodeError) throw new SeriesReadError(file, startLine, e.message);
    throw e;
  }
  const { headers } = message;
  let rawSubject = decodeHeader(headers.get('subject') ?? '');
  let author = headers.get('from') !== undefined ? decodeHeader(headers.get('from')!) : undefined;
  let date = headers.get('date');

  // The text of the kept parts, each line with its bytes when the part's
  // text and bytes have the same lines (always, but for format=flowed).
  let body: Line[] = [];
  for (const part of message.parts) {
    const text = textLines(part.text).map(dropCr);
    const raw = textLines(Buffer.from(part.bytes).toString('latin1')).map(dropCr);
    text.forEach((t, i) => body.push(raw.length === text.length ? { text: t, no: 0, raw: raw[i]! } : { text: t, no: 0 }));
  }

  // In-body headers (git am honours them): `From:`, `Subject:`, `Date:` at the very top of the body.
  let k = 0;
  while (k < body.length && body[k]!.text === '') k++;
  const inBody: string[] = [];
  while (k < body.length && /^(From|Subject|Date): /.test(body[k]!.text)) inBody.push(body[k++]!.text);
  if (inBody.length > 0 && (k >= body.length || body[k]!.text === '')) {
    for (const h of inBody) {
      const [, name, value] = /^(From|Subject|Date): (.*)$/.exec(h)!;
      if (name === 'From') author = decodeHeader(value!);
      else if (name === 'Subject') rawSubject = decodeHeader(value!);
      else date = value!.trim();
    }
    body = body.slice(k);
  }

  const parts = splitPatchBody(body, file);
  const prefix = parseSubject(rawSubject);
  const isCover = isCoverFile || prefix.n === 0 || /\*\*\* SUBJECT HERE \*\*\*/.test(rawSubject);
  const c: Candidate = {
    index: prefix.n ?? 0,
    subject: prefix.subject,
    rawSubject,
    body: parts.body,
    diff: isCover ? '' : parts.diff,
    diffLine: isCover || parts.diffStart < 0 ? 0 : diffLineInFile(lines, body, parts.diffStart, file, notes),
    source: { file, line: startLine },
    isCover,
    strip: 1,
    isReply: prefix.isReply,
    numbered: prefix.n !== undefined,
    order,
    fromQuilt: false,
  };
  if (prefix.total !== undefined) c.total = prefix.total;
  if (prefix.version !== undefined) c.version = prefix.version;
  if (author !== undefined) c.author = author;
  if (date !== undefined) c.date = date;
  const base = body.find((l) => /^base-commit: [0-9a-f]{7,64}$/.test(l.text));
  if (base) c.baseCommit = base.text.slice('base-commit: '.length);
  const id = headers.get('message-id');
  if (id !== undefined) c.messageId = id.trim();
  const reply = headers.get('in-reply-to');
  if (reply !== undefined) c.inReplyTo = reply.trim();
  return c;
}

/** A patch file without mail headers (quilt): description, then the diff. */
function plainCandidate(file: string, lines: Line[], order: number, strip: number, fromQuilt: boolean): Candidate {
  const parts = splitPatchBody(lines, file);
  // The description's first paragraph is the subject when there is one (as a commit's); else the file's name.
  const desc = parts.body.split('\n');
  let k = 0;
  while (k < desc.length && desc[k]!.trim() !== '') k++;
  const subject = desc.slice(0, k).map((l) => l.trim()).join(' ') || path.basename(file).replace(/\.(patch|diff)$/i, '');
  while (k < desc.length && desc[k]!.trim() === '') k++;
  const body = desc.slice(k).join('\n');
  return {
    index: 0,
    subject,
    rawSubject: subject,
    body,
    diff: parts.diff,
    diffLine: parts.diffStart >= 0 ? lines[parts.diffStart]!.no : 0,
    source: { file, line: 1 },
    isCover: false,
    strip,
    isReply: false,
    numbered: false,
    order,
    fromQuilt,
  };
}

/**
 * Split a message body into the commit message and the diff. The message
 * ends at the first `---` line (what follows, up to the diff, is the
 * diffstat) or, without one, where the diff starts.
 */
function splitPatchBody(body: Line[], file: string): { body: string; diff: string; diffStart: number } {
  const isDiffStart = (i: number): boolean => {
    const t = body[i]!.text;
    return t.startsWith('diff --git ') || (t.startsWith('--- ') && (body[i + 1]?.text.startsWith('+++ ') ?? false));
  };
  let sep = body.findIndex((l) => l.text === '---');
  let diffStart = -1;
  for (let i = sep >= 0 ? sep + 1 : 0; i < body.length; i++) {
    if (isDiffStart(i)) {
      diffStart = i;
      break;
    }
  }
  if (sep < 0 || (diffStart >= 0 && diffStart < sep)) sep = diffStart >= 0 ? diffStart : body.length;
  // Without a diff, a closing `-- ` signature (a cover letter's git version) is not part of the message.
  if (diffStart < 0) {
    const sig = body.findIndex((l, i) => l.text === '-- ' && i < sep && body.length - i <= 4);
    if (sig >= 0) sep = sig;
  }
  // An `Index:` / `====` pair just above a quilt diff is not part of the message.
  let msgEnd = sep;
  while (msgEnd > 0 && (/^Index: /.test(body[msgEnd - 1]!.text) || /^=+$/.test(body[msgEnd - 1]!.text))) msgEnd--;
  let end = msgEnd;
  while (end > 0 && body[end - 1]!.text.trim() === '') end--;
  let begin = 0;
  while (begin < end && body[begin]!.text.trim() === '') begin++;
  const message = body.slice(begin, end).map((l) => l.text);
  const bodyText = message.length > 0 ? message.join('\n') + '\n' : '';
  if (diffStart < 0) return { body: bodyText, diff: '', diffStart: -1 };

  // The diff from its bytes, as git am takes it (only the message is converted from its charset).
  const rest = body.slice(diffStart).map((l) => (l.raw !== undefined ? utf8OrLatin1(l.raw) : l.text));
  let last = rest.length;
  try {
    // The diff ends with its last hunk; what follows (`-- `, the git version) is the signature.
    const parsed = parsePatchDetailed(rest.join('\n') + '\n', { requireDiff: false, source: file });
    if (parsed.endLine > 0) last = parsed.endLine;
  } catch {
    // A broken diff is kept whole: the validator reports it with its line.
  }
  return { body: bodyText, diff: rest.slice(0, last).join('\n') + '\n', diffStart };
}

const dropCr = (t: string): string => (t.endsWith('\r') ? t.slice(0, -1) : t);

/**
 * The line of the file where a message's diff starts: the diff's first line
 * found among the message's lines as they are in the file (the same
 * occurrence, when the line comes more than once), or its quoted-printable
 * soft-broken start. A diff in a base64 part is not found: then the line
 * after the message's headers, and a note that line numbers are approximate.
 * Inside a quoted-printable diff, a soft line break shifts the numbers after it.
 */
function diffLineInFile(lines: Line[], body: Line[], diffStart: number, file: string, notes: SeriesNote[]): number {
  const bytesOf = (l: Line): string => l.raw ?? Buffer.from(l.text).toString('latin1');
  const want = bytesOf(body[diffStart]!);
  let skip = 0;
  for (let i = 0; i < diffStart; i++) if (bytesOf(body[i]!) === want) skip++;
  let headerEnd = lines.findIndex((l) => l.text === '');
  if (headerEnd < 0) headerEnd = lines.length;
  for (let i = headerEnd + 1; i < lines.length; i++) {
    const t = lines[i]!.text;
    if (t === want || (t.length > 1 && t.endsWith('=') && want.startsWith(t.slice(0, -1)))) {
      if (skip-- === 0) return lines[i]!.no;
    }
  }
  const line = lines[Math.min(headerEnd + 1, lines.length - 1)]?.no ?? 0;
  notes.push({ code: 'encoded-body', file, line, message: 'the diff is transfer-encoded (base64): line numbers inside it are approximate' });
  return line;
}

// ---------------------------------------------------------------------------
// Quilt

async function readQuilt(seriesFile: string, out: Candidate[], notes: SeriesNote[]): Promise<void> {
  const dir = path.dirname(seriesFile);
  const lines = textLines(utf8OrLatin1(readBytes(seriesFile).toString('latin1')));
  let position = 0;
  for (const [i, raw] of lines.entries()) {
    const text = raw.replace(/#.*$/, '').trim();
    if (text === '') continue;
    const [name, ...options] = text.split(/\s+/);
    let strip = 1;
    for (const o of options) {
      const m = /^-p(\d+)$/.exec(o);
      if (m) strip = Number(m[1]);
      else throw new SeriesReadError(seriesFile, i + 1, `unsupported quilt option ${o} for ${name}`);
    }
    const file = path.join(dir, name!);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      throw new SeriesReadError(seriesFile, i + 1, `patch ${name} listed in the series does not exist`);
    }
    const plines = byteLines(readBytes(file, i + 1));
    position++;
    let c: Candidate;
    if (plines[0]?.text.startsWith('From ') && FROM_LINE.test(plines[0].text)) {
      c = await messageCandidate(file, 1, splitMbox(plines)[0]!.lines, out.length, false, notes);
    } else if (looksLikeHeaders(plines)) {
      c = await messageCandidate(file, 1, plines, out.length, false, notes);
    } else {
      c = plainCandidate(file, plainLines(plines), out.length, strip, true);
    }
    c.strip = strip;
    c.fromQuilt = true;
    c.numbered = false;
    c.index = position;
    delete c.total;
    out.push(c);
  }
}

// ---------------------------------------------------------------------------
// Putting the series in order

function assemble(all: Candidate[], notes: SeriesNote[]): SeriesReadResult {
  const kept: Candidate[] = [];
  for (const c of all) {
    if (c.isReply) {
      notes.push({ code: 'reply-dropped', file: c.source.file, line: c.source.line, message: `reply left out: ${c.rawSubject}` });
    } else if (!c.isCover && c.diff === '' && !c.numbered && !c.fromQuilt) {
      notes.push({ code: 'not-a-patch', file: c.source.file, line: c.source.line, message: `message without a diff left out: ${c.rawSubject}` });
    } else {
      kept.push(c);
    }
  }

  // Several versions of a series in one thread: keep the newest.
  const versions = new Set(kept.filter((c) => c.numbered || c.isCover).map((c) => c.version ?? 1));
  let chosen = kept;
  if (versions.size > 1) {
    const newest = Math.max(...versions);
    chosen = kept.filter((c) => {
      if (!(c.numbered || c.isCover) || (c.version ?? 1) === newest) return true;
      notes.push({ code: 'old-version-dropped', file: c.source.file, line: c.source.line, message: `v${c.version ?? 1} left out (the thread also holds v${newest}): ${c.rawSubject}` });
      return false;
    });
  }

  const covers = chosen.filter((c) => c.isCover);
  const patches = chosen.filter((c) => !c.isCover);
  if (patches.length === 0) {
    const where = all[0]?.source ?? { file: '<series>', line: 0 };
    throw new SeriesReadError(where.file, where.line, 'no patch found (no message or file with a diff)');
  }

  const allNumbered = patches.every((c) => c.numbered);
  if (allNumbered) {
    const seen = new Map<number, Candidate>();
    for (const c of patches) {
      const other = seen.get(c.index);
      if (other) {
        throw new SeriesReadError(
          c.source.file,
          c.source.line,
          `two messages claim to be patch ${c.index}${c.total ? `/${c.total}` : ''} (the other at ${other.source.file}:${other.source.line})`,
        );
      }
      seen.set(c.index, c);
    }
    patches.sort((x, y) => x.index - y.index || x.order - y.order);
    const totals = new Set(patches.map((c) => c.total).filter((t) => t !== undefined));
    if (totals.size > 1) {
      const c = patches[0]!;
      notes.push({ code: 'total-mismatch', file: c.source.file, line: c.source.line, message: `patches disagree on the series length: ${[...totals].join(', ')}` });
    }
    const total = Math.max(...patches.map((c) => c.total ?? 0));
    for (let n = 1; n <= total; n++) {
      if (!seen.has(n)) {
        const c = patches[0]!;
        notes.push({ code: 'missing-patch', file: c.source.file, line: c.source.line, message: `patch ${n}/${total} is not in the input` });
      }
    }
  } else {
    patches.sort((x, y) => x.order - y.order);
    patches.forEach((c, i) => {
      c.index = i + 1;
    });
  }
  covers.forEach((c) => {
    c.index = 0;
  });
  const result = [...covers.slice(0, 1), ...patches].map(publicPatch);
  return { patches: result, notes };
}

function publicPatch(c: Candidate): SeriesPatch {
  const { isReply: _r, numbered: _n, order: _o, fromQuilt: _q, ...rest } = c;
  return rest;
}

export { decodeHeader } from './mime.js';
export { parseSubject } from './subject.js';
