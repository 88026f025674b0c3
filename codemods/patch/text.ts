// Small text helpers shared by the patch modules: lines with their
// terminators, git's C-style path quoting, blob hashes.

import { createHash } from 'node:crypto';
import { codePointWidth } from '../c/text.js';

/**
 * Split `text` into lines that keep their `\n`. The last line has no `\n`
 * when the text does not end with one; "" gives no lines at all.
 *
 *   "a\nb"   -> ["a\n", "b"]
 *   "a\nb\n" -> ["a\n", "b\n"]
 */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
    lines.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** Lines of a patch or message, without terminators (a final "\n" adds no empty line). CRLF is kept as a trailing "\r". */
export function textLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Would git quote this path (core.quotePath=true)? Non-ASCII, control characters, `"` and `\`. */
export function needsQuoting(path: string): boolean {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) return true;
  }
  return false;
}

const C_ESCAPES: Record<number, string> = {
  0x07: '\\a',
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0b: '\\v',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x5c: '\\\\',
};

/** `prefix + path`, quoted the way git prints it in headers when it must be: `"a/caf\303\251.c"`. */
export function quotePath(prefix: string, path: string): string {
  const full = prefix + path;
  if (!needsQuoting(full)) return full;
  let out = '"';
  for (const byte of Buffer.from(full, 'utf8')) {
    const esc = C_ESCAPES[byte];
    if (esc !== undefined) out += esc;
    else if (byte < 0x20 || byte >= 0x7f) out += '\\' + byte.toString(8).padStart(3, '0');
    else out += String.fromCharCode(byte);
  }
  return out + '"';
}

/**
 * Undo git's C-style quoting. `s` starts with `"`; returns the unquoted
 * string and the index just past the closing quote, or undefined when the
 * quoting is malformed.
 */
export function unquoteCString(s: string, from = 0): { value: string; end: number } | undefined {
  if (s[from] !== '"') return undefined;
  const bytes: number[] = [];
  let i = from + 1;
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '"') {
      return { value: Buffer.from(bytes).toString('utf8'), end: i + 1 };
    }
    if (ch === '\\') {
      const next = s[i + 1];
      if (next === undefined) return undefined;
      if (next in simple) {
        bytes.push(simple[next]!);
        i += 2;
        continue;
      }
      if (/[0-7]/.test(next)) {
        const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1))![0];
        bytes.push(parseInt(oct, 8) & 0xff);
        i += 1 + oct.length;
        continue;
      }
      return undefined;
    }
    for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
    i += 1;
  }
  return undefined;
}

/** git's object id of a blob with this content (what `git hash-object` prints). */
export function blobHash(text: string): string {
  const body = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
}

export const NULL_HASH = '0000000000000000000000000000000000000000';

/** Does the text contain a byte outside ASCII? */
export function hasNonAscii(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(text);
}

/**
 * The one word wrap of mails and commit messages, greedy as git's
 * strbuf_add_wrapped_text (widths in code points, codePointWidth): lines of at most
 * `width` columns; the first line already holds `column` characters;
 * continuation lines are indented by `indent` spaces. In a header (after
 * `Subject: [PATCH] `) even the first word moves to the next line when it
 * does not fit; a word longer than a whole line is never split.
 */
export function wrapWords(text: string, column: number, indent: number, width: number, breakBeforeFirst = true): string {
  let out = '';
  let col = column;
  let onLine = 0;
  for (const word of text.split(' ')) {
    const len = codePointWidth(word);
    const sep = onLine > 0 ? 1 : 0;
    if (col + sep + len > width && (onLine > 0 || breakBeforeFirst)) {
      out += '\n' + ' '.repeat(indent) + word;
      col = indent + len;
    } else {
      out += (sep ? ' ' : '') + word;
      col += sep + len;
    }
    onLine++;
  }
  return out;
}
