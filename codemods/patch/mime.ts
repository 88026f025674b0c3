// MIME decoding of one mail message, for the series reader (mail.ts).
//
// A message comes in as byte lines: each line a string of code points
// 0-255, one per byte (latin1), split per message before anything is
// decoded, so that one message's charset never touches another's. Here its
// headers are unfolded and RFC 2047 words decoded (postal-mime's
// `decodeWords`), the transfer encoding is undone (quoted-printable line by
// line, so line numbers survive; base64), multipart messages are reduced to
// their plain-text and patch parts (never text/html), and every line is
// decoded to text by its part's own charset.
//
// Decoded lines keep their bytes (`raw`): the series reader takes the diff
// from the bytes, as `git am` does (it converts only the commit message to
// UTF-8, never the patch).

import { decodeWords } from 'postal-mime';
import { decodeUtf8 } from '../c/text.js';
import { textLines } from './text.js';

export interface Line {
  text: string;
  /** 1-based line in the file. */
  no: number;
  /** The line's bytes after transfer decoding, one code point per byte; absent when `text` is them as read. */
  raw?: string;
}

export interface Headers {
  get(name: string): string | undefined;
}

/** A file's bytes as byte lines (carriage returns at line ends dropped, as `git am` does). */
export function byteLines(bytes: Buffer): Line[] {
  return textLines(bytes.toString('latin1')).map((t, i) => ({ text: t.endsWith('\r') ? t.slice(0, -1) : t, no: i + 1 }));
}

/** Bytes (one code point per byte) as UTF-8 when they are valid UTF-8, else as Latin-1. */
export function utf8OrLatin1(raw: string): string {
  if (!/[\x80-\xff]/.test(raw)) return raw;
  return decodeUtf8(Buffer.from(raw, 'latin1'), { dropBom: true }) ?? raw;
}

/** Bytes in a declared charset; without one (or for UTF-8 and ASCII), UTF-8 when valid, else Latin-1. */
export function decodeCharset(raw: string, charset: string | undefined): string {
  if (!/[\x80-\xff]/.test(raw)) return raw;
  if (!charset || /^(utf-?8|us-ascii|ascii)$/i.test(charset)) return utf8OrLatin1(raw);
  try {
    return new TextDecoder(charset.toLowerCase()).decode(Buffer.from(raw, 'latin1'));
  } catch {
    return utf8OrLatin1(raw); // an unknown label: the bytes as they most likely are
  }
}

/** Unfolded headers (first occurrence of each name wins) and the index of the body's first line. */
export function parseHeaders(lines: Line[]): { headers: Headers; bodyStart: number } {
  const map = new Map<string, string>();
  let i = 0;
  let last: string | undefined;
  for (; i < lines.length; i++) {
    const t = lines[i]!.text;
    if (t === '') {
      i++;
      break;
    }
    if (/^[ \t]/.test(t) && last !== undefined) {
      map.set(last, map.get(last)! + t);
      continue;
    }
    const m = /^([!-9;-~]+):[ \t]*(.*)$/.exec(t);
    if (!m) break; // not a header: the body starts here (a sloppy message without the blank line)
    last = m[1]!.toLowerCase();
    // Keep the first occurrence of a header; a later one (and its continuation lines) goes under another key.
    if (map.has(last)) last = `${last}\0${i}`;
    map.set(last, m[2]!);
  }
  return { headers: { get: (n) => map.get(n.toLowerCase()) }, bodyStart: i };
}

/** Decode RFC 2047 encoded words (`=?UTF-8?q?...?=`, `=?utf-8?B?...?=`) in an unfolded header value (text, not bytes). */
export function decodeHeader(value: string): string {
  return decodeWords(value).trim();
}

/** A raw header value (bytes: an 8-bit header is taken as UTF-8, else Latin-1), RFC 2047 words decoded. */
export function decodeRawHeader(raw: string): string {
  return decodeHeader(utf8OrLatin1(raw));
}

/**
 * Undo Content-Transfer-Encoding (quoted-printable, base64), keep the
 * plain-text and patch parts of a multipart message (text/html never), and
 * decode each line by its part's charset. `encoded` says that line numbers
 * were lost (base64); quoted-printable keeps them.
 */
export function decodeBody(headers: Headers, body: Line[]): { lines: Line[]; encoded: boolean } {
  const type = headers.get('content-type') ?? 'text/plain';
  const cte = (headers.get('content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const parts: Line[][] = [];
    let cur: Line[] | undefined;
    for (const l of body) {
      if (l.text === `--${boundary}` || l.text === `--${boundary}--`) {
        cur = l.text === `--${boundary}--` ? undefined : [];
        if (cur) parts.push(cur);
        continue;
      }
      cur?.push(l);
    }
    const out: Line[] = [];
    let encoded = false;
    for (const p of parts) {
      const { headers: ph, bodyStart } = parseHeaders(p);
      const ptype = ph.get('content-type') ?? 'text/plain';
      const name = /name="?([^";]+)"?/i.exec(ptype + ';' + (ph.get('content-disposition') ?? ''))?.[1] ?? '';
      // HTML is a rendering of the plain part (or no patch at all): never patch text.
      if (/^text\/html/i.test(ptype)) continue;
      if (!/^(text|multipart)\//i.test(ptype) && !/\.(patch|diff)$/i.test(name)) continue;
      const d = decodeBody(ph, p.slice(bodyStart));
      encoded ||= d.encoded;
      out.push(...d.lines);
    }
    return { lines: out, encoded };
  }
  const charset = /charset="?([^";\s]+)"?/i.exec(type)?.[1];
  const decoded = (raw: string, no: number): Line => ({ text: decodeCharset(raw, charset), no, raw });
  const firstNo = body[0]?.no ?? 0;
  if (cte === 'base64') {
    const bytes = Buffer.from(body.map((l) => l.text.trim()).join(''), 'base64');
    return { lines: byteLines(bytes).map((l) => decoded(l.text, firstNo)), encoded: true };
  }
  if (cte !== 'quoted-printable') return { lines: body.map((l) => decoded(l.text, l.no)), encoded: false };
  // Quoted-printable, line by line, so that each decoded line keeps the number of the line it starts on.
  const out: Line[] = [];
  let pending = '';
  let pendingNo = firstNo;
  let open = false;
  for (const l of body) {
    if (!open) pendingNo = l.no;
    let t = l.text.replace(/[ \t]+$/, '');
    const soft = t.endsWith('=');
    if (soft) t = t.slice(0, -1);
    pending += t.replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    open = soft;
    if (!soft) {
      for (const piece of pending.split('\n')) out.push(decoded(piece.endsWith('\r') ? piece.slice(0, -1) : piece, pendingNo));
      pending = '';
    }
  }
  if (open) for (const piece of pending.split('\n')) out.push(decoded(piece, pendingNo));
  return { lines: out, encoded: false };
}
