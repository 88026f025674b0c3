// Writing patches as `git format-patch` (git 2.39) writes them, byte for
// byte: the mbox From_ line, From/Date/Subject headers (RFC 2047 encoded
// when not ASCII, folded at 78 columns when long), MIME headers when the
// message is not ASCII, the commit message with an optional Signed-off-by,
// `---`, the diffstat (width 72) and --summary, the diff, `base-commit:`,
// and the `-- ` signature with git's version. Also the cover letter and
// git's file names.

import { diffStat, diffSummary, statFromDiff } from './diff.js';
import { hasNonAscii, NULL_HASH, wrapWords } from './text.js';

/** What `git format-patch` signs its mails with; the version it was checked against. */
export const DEFAULT_GIT_VERSION = '2.39.5';

/** Width git uses for the diffstat and the shortlog in mails. */
const MAIL_WRAP = 72;
/** Width git folds mail headers at. */
const HEADER_WIDTH = 78;
/** Longest file name git writes (`format.filenameMaxLength`), suffix included. */
const FILE_NAME_MAX = 64;

export interface PatchEmail {
  /** Commit id for the From_ line (40 hex digits; default 40 zeros). */
  commitHash?: string;
  fromName: string;
  fromEmail: string;
  date: Date;
  /** Time zone of the Date header, in minutes east of UTC (default 0: `+0000`). */
  tzOffsetMinutes?: number;
  subject: string;
  /** `[PATCH n/N]` when both are given and N > 1 (or `numbered`); `[PATCH]` otherwise. */
  number?: number;
  total?: number;
  /** Number even a single patch (`[PATCH 1/1]`, as `format-patch -n`). */
  numbered?: boolean;
  /** Text inside the brackets before the numbers (default "PATCH"; e.g. "PATCH v2", "RFC PATCH"). */
  subjectPrefix?: string;
  /** The commit message after the subject ("" for none). */
  body: string;
  diff: string;
  /** Append `Signed-off-by: <signoffBy, else fromName <fromEmail>>` unless the trailers already end with it. */
  signoff?: boolean;
  /** Who signs off (format-patch --signoff: the committer); default the From: identity. */
  signoffBy?: { name: string; email: string };
  /** Write `base-commit: <sha>` after the diff (git does so on the cover letter, or on the first patch without one). */
  baseCommit?: string;
  gitVersion?: string;
  /** `To:` and `Cc:` addresses (git's --to/--cc and a get_maintainer.pl run). */
  to?: readonly string[];
  cc?: readonly string[];
}

/** One patch mail, as `git format-patch` writes it. */
export function formatPatchEmail(p: PatchEmail): string {
  let message = normalizeBody(p.body);
  const by = p.signoffBy ?? { name: p.fromName, email: p.fromEmail };
  if (p.signoff) message = addSignoff(message, `Signed-off-by: ${stripCrud(by.name)} <${by.email}>`);
  const subjectText = oneLine(p.subject);
  let out = headers({
    hash: p.commitHash ?? NULL_HASH,
    name: p.fromName,
    email: p.fromEmail,
    date: p.date,
    tz: p.tzOffsetMinutes ?? 0,
    prefix: subjectPrefixOf(p.subjectPrefix ?? 'PATCH', p.number, p.total, p.numbered ?? false),
    subject: subjectText,
    eightBit: hasNonAscii(subjectText) || hasNonAscii(message),
    to: p.to ?? [],
    cc: p.cc ?? [],
  });
  out += '\n' + message + '---\n';
  const files = statFromDiff(p.diff);
  if (files.length > 0) out += diffStat(files, { width: MAIL_WRAP }) + diffSummary(files) + '\n';
  out += p.diff;
  if (p.diff !== '' && !p.diff.endsWith('\n')) out += '\n';
  if (p.baseCommit) out += `\nbase-commit: ${p.baseCommit}\n`;
  out += signature(p.gitVersion);
  return out;
}

export interface CoverLetter {
  /** The From_ line's commit: git uses the series' last commit. */
  commitHash?: string;
  fromName: string;
  fromEmail: string;
  date: Date;
  tzOffsetMinutes?: number;
  /** Default `*** SUBJECT HERE ***`. */
  subject?: string;
  /** Default `*** BLURB HERE ***`. */
  body?: string;
  /** Number of patches in the series. */
  total: number;
  subjectPrefix?: string;
  /** The series' patches, for the shortlog. */
  patches: readonly { authorName: string; subject: string }[];
  /** The diff of the whole series (base to result), for the diffstat. */
  diff: string;
  baseCommit?: string;
  gitVersion?: string;
  to?: readonly string[];
  cc?: readonly string[];
}

/** The `[PATCH 0/N]` cover letter, as `git format-patch --cover-letter` writes it, with the subject and blurb filled in. */
export function formatCoverLetter(c: CoverLetter): string {
  const subject = oneLine(c.subject ?? '*** SUBJECT HERE ***');
  const blurb = normalizeBody(c.body ?? '*** BLURB HERE ***');
  let out = headers({
    hash: c.commitHash ?? NULL_HASH,
    name: c.fromName,
    email: c.fromEmail,
    date: c.date,
    tz: c.tzOffsetMinutes ?? 0,
    prefix: subjectPrefixOf(c.subjectPrefix ?? 'PATCH', 0, c.total, true),
    subject,
    eightBit: hasNonAscii(subject) || hasNonAscii(blurb),
    to: c.to ?? [],
    cc: c.cc ?? [],
  });
  out += '\n' + blurb + '\n' + shortlog(c.patches) + '\n';
  const files = statFromDiff(c.diff);
  if (files.length > 0) out += diffStat(files, { width: MAIL_WRAP }) + diffSummary(files) + '\n';
  if (c.baseCommit) out += `\nbase-commit: ${c.baseCommit}\n`;
  out += signature(c.gitVersion);
  return out;
}

export interface SeriesCommit {
  commitHash?: string;
  authorName: string;
  authorEmail: string;
  date: Date;
  tzOffsetMinutes?: number;
  subject: string;
  body: string;
  diff: string;
  /** This patch's own recipients (get_maintainer.pl's), before the series' `to`/`cc`. */
  to?: readonly string[];
  cc?: readonly string[];
}

export interface SeriesOptions {
  /** Write a cover letter (its date, and optionally subject and blurb) as `0000-cover-letter.patch`. */
  cover?: { date: Date; tzOffsetMinutes?: number; subject?: string; body?: string; diff: string; fromName?: string; fromEmail?: string; to?: readonly string[]; cc?: readonly string[] };
  /** Added to every mail, cover letter included, as git's --to/--cc. */
  to?: readonly string[];
  cc?: readonly string[];
  baseCommit?: string;
  signoff?: boolean;
  /** Who signs off (the committer); default each commit's author. */
  signoffBy?: { name: string; email: string };
  subjectPrefix?: string;
  gitVersion?: string;
}

/** A whole series as `git format-patch [--cover-letter] [--base] [-s]` writes it: file names and contents. */
export function formatSeries(commits: readonly SeriesCommit[], opts: SeriesOptions = {}): { fileName: string; text: string }[] {
  const total = commits.length;
  const numbered = total > 1 || opts.cover !== undefined;
  const files: { fileName: string; text: string }[] = [];
  if (opts.cover) {
    const last = commits[commits.length - 1];
    const letter: CoverLetter = {
      fromName: opts.cover.fromName ?? last?.authorName ?? '',
      fromEmail: opts.cover.fromEmail ?? last?.authorEmail ?? '',
      date: opts.cover.date,
      total,
      patches: commits.map((c) => ({ authorName: c.authorName, subject: c.subject })),
      diff: opts.cover.diff,
    };
    if (last?.commitHash) letter.commitHash = last.commitHash;
    if (opts.cover.tzOffsetMinutes !== undefined) letter.tzOffsetMinutes = opts.cover.tzOffsetMinutes;
    if (opts.cover.subject !== undefined) letter.subject = opts.cover.subject;
    if (opts.cover.body !== undefined) letter.body = opts.cover.body;
    if (opts.baseCommit) letter.baseCommit = opts.baseCommit;
    if (opts.subjectPrefix) letter.subjectPrefix = opts.subjectPrefix;
    if (opts.gitVersion) letter.gitVersion = opts.gitVersion;
    letter.to = mergeAddresses(opts.to, opts.cover.to);
    letter.cc = mergeAddresses(opts.cc, opts.cover.cc);
    files.push({ fileName: '0000-cover-letter.patch', text: formatCoverLetter(letter) });
  }
  commits.forEach((c, i) => {
    const mail: PatchEmail = {
      fromName: c.authorName,
      fromEmail: c.authorEmail,
      date: c.date,
      subject: c.subject,
      number: i + 1,
      total,
      numbered,
      body: c.body,
      diff: c.diff,
      signoff: opts.signoff ?? false,
    };
    if (c.commitHash) mail.commitHash = c.commitHash;
    if (opts.signoffBy) mail.signoffBy = opts.signoffBy;
    if (c.tzOffsetMinutes !== undefined) mail.tzOffsetMinutes = c.tzOffsetMinutes;
    if (opts.subjectPrefix) mail.subjectPrefix = opts.subjectPrefix;
    if (opts.gitVersion) mail.gitVersion = opts.gitVersion;
    mail.to = mergeAddresses(opts.to, c.to);
    mail.cc = mergeAddresses(opts.cc, c.cc);
    // git 2.39 writes base-commit on the cover letter, or on the first patch when there is none.
    if (opts.baseCommit && !opts.cover && i === 0) mail.baseCommit = opts.baseCommit;
    files.push({ fileName: patchFileName(i + 1, c.subject), text: formatPatchEmail(mail) });
  });
  return files;
}

/**
 * git's file name for patch `n`: `0001-iommu-sva-Tighten-SVA-bind-API-with-explicit-flags.patch`.
 * Letters, digits, `.` and `_` are kept; every other run of characters
 * becomes one `-`; runs of dots become one; leading separators and trailing
 * `.`/`-` go; the name (without `.patch`) is cut at 64 - 7 characters.
 */
export function patchFileName(n: number, subject: string): string {
  let name = '';
  let pending = false; // a separator is owed before the next kept character
  const s = oneLine(subject);
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (/[A-Za-z0-9._]/.test(ch)) {
      if (pending && name !== '') name += '-';
      pending = false;
      name += ch;
      if (ch === '.') while (s[i + 1] === '.') i++;
    } else {
      pending = true;
    }
  }
  name = name.replace(/[.-]+$/, '');
  const suffix = '.patch';
  const full = `${String(n).padStart(4, '0')}-${name}`;
  return full.slice(0, FILE_NAME_MAX - (suffix.length + 1)) + suffix;
}

// ---------------------------------------------------------------------------
// Pieces

/** The series' addresses then the mail's own, each once (compared without case). */
function mergeAddresses(first: readonly string[] = [], then: readonly string[] = []): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const a of [...first, ...then]) {
    const key = a.trim().toLowerCase();
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(a.trim());
  }
  return out;
}

/** `To: a,\n    b\n` as git writes extra recipients: one per line, continuation lines indented. */
function addressHeader(name: string, list: readonly string[]): string {
  return list.map((a, i) => `${i === 0 ? `${name}: ` : '    '}${a}${i + 1 < list.length ? ',' : ''}\n`).join('');
}

interface HeaderFields {
  hash: string;
  name: string;
  email: string;
  date: Date;
  tz: number;
  prefix: string;
  subject: string;
  eightBit: boolean;
  to: readonly string[];
  cc: readonly string[];
}

function headers(h: HeaderFields): string {
  let out = `From ${h.hash} Mon Sep 17 00:00:00 2001\n`;
  out += fromHeader(h.name, h.email);
  out += `Date: ${rfc2822Date(h.date, h.tz)}\n`;
  const start = `Subject: ${h.prefix}`;
  if (needsEncoding(h.subject)) out += start + encodeWord(h.subject, start.length, false) + '\n';
  else out += start + wrapWords(h.subject, start.length, 1, HEADER_WIDTH) + '\n';
  out += addressHeader('To', h.to) + addressHeader('Cc', h.cc);
  if (h.eightBit) out += 'MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n';
  return out;
}

/** `[PATCH]`, `[PATCH 3/7]`, `[PATCH 03/10]` plus a space. */
function subjectPrefixOf(prefix: string, n: number | undefined, total: number | undefined, numbered: boolean): string {
  if (n === undefined || total === undefined || (total <= 1 && !numbered)) return `[${prefix}] `;
  const width = String(total).length;
  return `[${prefix} ${String(n).padStart(width, '0')}/${total}] `;
}

function fromHeader(rawName: string, email: string): string {
  const name = stripCrud(rawName);
  let line = 'From: ';
  let max = HEADER_WIDTH;
  if (needsEncoding(name)) {
    line += encodeWord(name, line.length, true);
    max = 76;
  } else if (/[()<>[\]:;@,."\\]/.test(name)) {
    line += wrapWords(`"${name.replace(/["\\]/g, (c) => '\\' + c)}"`, line.length, 1, max);
  } else {
    line += wrapWords(name, line.length, 1, max);
  }
  const lastLine = line.slice(line.lastIndexOf('\n') + 1);
  if (max < lastLine.length + 2 + email.length + 1) line += '\n';
  return `${line} <${email}>\n`;
}

/** git trims these from both ends of an identity's name. */
function stripCrud(name: string): string {
  return name.replace(/^[\s.,:;<>"\\']+/, '').replace(/[\s.,:;<>"\\']+$/, '');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Mon, 3 Nov 2026 20:31:05 +0100` (git's RFC 2822 form: the day is not padded). */
export function rfc2822Date(date: Date, tzOffsetMinutes = 0): string {
  const t = new Date(date.getTime() + tzOffsetMinutes * 60_000);
  const pad = (v: number): string => String(v).padStart(2, '0');
  const sign = tzOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(tzOffsetMinutes);
  return (
    `${DAYS[t.getUTCDay()]}, ${t.getUTCDate()} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()} ` +
    `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

function needsEncoding(s: string): boolean {
  return hasNonAscii(s) || s.includes('=?') || s.includes('\n');
}

/**
 * RFC 2047 "Q" encoding as git writes it: whole value in `=?UTF-8?q?...?=`
 * words of at most 76 columns, never splitting a character; space is `=20`;
 * in a name every character but letters, digits and `!*+-/` is encoded.
 */
function encodeWord(s: string, column: number, isAddress: boolean): string {
  let out = '=?UTF-8?q?';
  let len = column + out.length;
  for (const ch of s) {
    const bytes = Buffer.from(ch, 'utf8');
    const code = ch.codePointAt(0)!;
    const special =
      bytes.length > 1 ||
      code < 0x21 ||
      code > 0x7e ||
      ch === '=' ||
      ch === '?' ||
      ch === '_' ||
      (isAddress && !/[A-Za-z0-9!*+\-/]/.test(ch));
    const piece = special ? [...bytes].map((b) => '=' + b.toString(16).toUpperCase().padStart(2, '0')).join('') : ch;
    if (len + piece.length + 2 > 76) {
      out += '?=\n =?UTF-8?q?';
      len = ' =?UTF-8?q?'.length;
    }
    out += piece;
    len += piece.length;
  }
  return out + '?=';
}

/** The shortlog of a cover letter: authors sorted, each with `Name (n):` and its subjects wrapped at 72. */
function shortlog(patches: readonly { authorName: string; subject: string }[]): string {
  const byAuthor = new Map<string, string[]>();
  for (const p of patches) {
    const list = byAuthor.get(p.authorName) ?? [];
    list.push(oneLine(p.subject));
    byAuthor.set(p.authorName, list);
  }
  const authors = [...byAuthor.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return authors
    .map((a) => {
      const subjects = byAuthor.get(a)!;
      return `${a} (${subjects.length}):\n` + subjects.map((s) => '  ' + wrapWords(s, 2, 4, MAIL_WRAP, false) + '\n').join('');
    })
    .join('\n');
}

function signature(version: string | undefined): string {
  return `-- \n${version ?? DEFAULT_GIT_VERSION}\n\n`;
}

/** A subject that spans lines reads as one line, as git joins a multi-line first paragraph. */
function oneLine(s: string): string {
  return s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
}

/** The message as git keeps it: no leading or trailing blank lines, trailing spaces cut, ending in "\n" ("" when empty). */
function normalizeBody(body: string): string {
  const lines = body.split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

const TRAILER = /^[A-Za-z0-9-]+\s*:/;
const GIT_TRAILER = /^(Signed-off-by: |\(cherry picked from commit )/;

/**
 * Add a Signed-off-by as git does: not when the message's trailer block
 * already has it; at the end of the trailer block when there is one; else
 * after a blank line.
 */
export function addSignoff(message: string, sob: string): string {
  const lines = message === '' ? [] : message.replace(/\n$/, '').split('\n');
  let start = lines.length;
  while (start > 0 && lines[start - 1]!.trim() !== '') start--;
  const block = lines.slice(start);
  let trailers = 0;
  let others = 0;
  let recognized = false;
  for (let i = 0; i < block.length; i++) {
    const l = block[i]!;
    if (/^\s/.test(l) && i > 0) continue; // continuation of the trailer above
    if (TRAILER.test(l)) {
      trailers++;
      if (GIT_TRAILER.test(l)) recognized = true;
    } else if (GIT_TRAILER.test(l)) {
      trailers++;
      recognized = true;
    } else {
      others++;
    }
  }
  const isTrailerBlock = block.length > 0 && ((recognized && trailers * 3 >= others) || (trailers > 0 && others === 0));
  if (isTrailerBlock) {
    if (block.includes(sob)) return message;
    return lines.join('\n') + '\n' + sob + '\n';
  }
  if (lines.length === 0) return sob + '\n';
  return lines.join('\n') + '\n\n' + sob + '\n';
}
