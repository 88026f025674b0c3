// Framing of mail files, before any decoding: a file as byte lines, where
// the messages of an mbox start (on byte lines, so that each message is
// decoded by its own charset afterwards, mime.ts), and whether a file starts
// with mail headers.
import { decodeUtf8 } from '../c/text.js';
import { textLines } from './text.js';

export interface Line {
  /** The line: its bytes, one code point per byte (latin1), until decoded. */
  text: string;
  /** 1-based line in the file (0 when unknown). */
  no: number;
  /** The line's bytes after transfer decoding, one code point per byte; absent when `text` is them. */
  raw?: string;
}

/** A file's bytes as byte lines (carriage returns at line ends dropped, as `git am` does). */
export function byteLines(bytes: Buffer): Line[] {
  return textLines(bytes.toString('latin1')).map((t, i) => ({ text: t.endsWith('\r') ? t.slice(0, -1) : t, no: i + 1 }));
}

/** One message's byte lines back as its bytes, for the MIME decoder. */
export function messageBytes(lines: readonly Line[]): Buffer {
  return Buffer.from(lines.map((l) => l.text + '\n').join(''), 'latin1');
}

/**
 * Bytes that no MIME header describes (a quilt patch, a series file, a
 * diff's bytes), one code point per byte: UTF-8 when they are valid UTF-8,
 * else Latin-1, one character per byte.
 */
export function utf8OrLatin1(raw: string): string {
  if (!/[\x80-\xff]/.test(raw)) return raw;
  // TextDecoder's default drops a leading BOM: so does this, as before.
  return decodeUtf8(Buffer.from(raw, 'latin1'), { dropBom: true }) ?? raw;
}

// A mbox "From_" line: `From <sender> <asctime date>`.
export const FROM_LINE = /^From \S+ +[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d{1,2}:\d\d/;

/**
 * Messages of an mbox: where each starts (its From_ line) and its lines,
 * From_ line left out and `>From ` unquoted as mboxrd. A From_ line is one
 * that follows a blank line and looks like `From <sender> <date>`: a commit
 * message's unquoted "From now on ..." (git format-patch does not quote)
 * stays text.
 */
export function splitMbox(lines: Line[]): { start: number; lines: Line[] }[] {
  const messages: { start: number; lines: Line[] }[] = [];
  let cur: Line[] = [];
  lines.forEach((l, i) => {
    if (i === 0 || (FROM_LINE.test(l.text) && lines[i - 1]!.text === '')) {
      cur = [];
      messages.push({ start: l.no, lines: cur });
      return;
    }
    // mboxrd: ">From " → "From ", ">>From " → ">From " (for mboxo, the same on the only level it quotes).
    cur.push(/^>+From /.test(l.text) ? { text: l.text.slice(1), no: l.no } : l);
  });
  for (const m of messages) {
    // The blank line that separates messages belongs to none of them.
    if (m.lines.length > 0 && m.lines[m.lines.length - 1]!.text === '') m.lines.pop();
  }
  return messages;
}

export function looksLikeHeaders(lines: Line[]): boolean {
  let sawKey = false;
  for (const l of lines) {
    if (l.text === '') return sawKey;
    if (/^[ \t]/.test(l.text)) continue;
    const m = /^([!-9;-~]+):/.exec(l.text);
    if (!m) return false;
    if (/^(from|subject|date|message-id)$/i.test(m[1]!)) sawKey = true;
  }
  return sawKey;
}
