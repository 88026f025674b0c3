// Text helpers shared by the engine, the migrations and the model: offsets
// are UTF-16 indices into a JS string (what tree-sitter's Node binding
// reports), lines and columns are 1-based.

export interface LineColumn {
  line: number;
  column: number;
}

/** Maps UTF-16 offsets to 1-based line/column and back. */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 1-based line and column (column counted in UTF-16 units) of `offset`. */
  position(offset: number): LineColumn {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }

  /** Offset of the first character of 1-based `line`. */
  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1]!;
  }

  /** Offset just past the newline that ends 1-based `line` (or the text's end). */
  lineEndInclusive(line: number): number {
    return line < this.starts.length ? this.starts[line]! : this.text.length;
  }

  /** The text of 1-based `line`, without its newline. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const end = this.lineEndInclusive(line);
    const raw = this.text.slice(start, end);
    return raw.endsWith('\n') ? raw.slice(0, -1) : raw;
  }
}

/** Offset of the start of the line that contains `offset`. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset of the `\n` that ends the line containing `offset` (or text.length). */
export function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}

/** The text of the line that contains `offset`, without its newline. */
export function lineTextAt(text: string, offset: number): string {
  return text.slice(lineStartOf(text, offset), lineEndOf(text, offset));
}

/**
 * Columns `s` takes on screen from column `startColumn`, a tab reaching the
 * next multiple of 8 (the kernel's tab stops), any other code point one
 * column: how wide a line of C is.
 */
export function tabStopWidth(s: string, startColumn = 0): number {
  let col = startColumn;
  for (const ch of s) {
    if (ch === '\t') col += 8 - (col % 8);
    else col += 1;
  }
  return col - startColumn;
}

/** Columns `s` takes counting one per code point (no tab stops): how wide a path or a word of a mail is, as git counts them for ASCII. */
export function codePointWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Kernel-style indentation reaching display column `column`: tabs, then spaces. */
export function indentTo(column: number): string {
  return '\t'.repeat(Math.floor(column / 8)) + ' '.repeat(column % 8);
}

/** True when the line (without newline) holds only blanks. */
export function isBlankLine(line: string): boolean {
  return /^[ \t\r]*$/.test(line);
}

// The one strict UTF-8 decoder of the project (test/architecture.test.ts
// lets no other module make one). A byte order mark is kept
// (as U+FEFF, one UTF-16 unit at offset 0): the text must encode back to
// the very bytes that were read, or a diff's context and `index` line and a
// written file lose it. tree-sitter skips it; offsets stay right.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decode bytes as UTF-8, or return undefined when they are not valid UTF-8.
 * A leading BOM is kept, unless `opts.dropBom` (text that is not written
 * back: a migration file, a mail's body).
 */
export function decodeUtf8(bytes: Uint8Array, opts: { dropBom?: boolean } = {}): string | undefined {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
  return opts.dropBom && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A reader of a tree's files as text (any tree: io/source.ts's, by shape):
 * undefined when a file is missing or not UTF-8.
 */
export function textReader(tree: { read(path: string): Uint8Array | undefined }): (path: string) => string | undefined {
  return (path) => {
    const bytes = tree.read(path);
    return bytes ? decodeUtf8(bytes) : undefined;
  };
}

/** 1-based line of the first invalid UTF-8 sequence in `bytes` (for error messages). */
export function firstInvalidUtf8Line(bytes: Uint8Array): number {
  let line = 1;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let len = 0;
    if (b < 0x80) len = 1;
    else if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) len = 3;
    else if (b >= 0xf0 && b <= 0xf4) len = 4;
    if (len === 0) return line;
    if (len > 1) {
      try {
        strictUtf8.decode(bytes.subarray(i, i + len));
      } catch {
        return line;
      }
    }
    if (b === 0x0a) line++;
    i += len;
  }
  return line;
}

/** Escape a string for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every offset where `word` occurs as a whole C identifier in `text`. */
export function wordOccurrences(text: string, word: string): number[] {
  const out: number[] = [];
  // charCodeAt past either end is NaN: no word character.
  const isIdent = (at: number) => wordClass(text.charCodeAt(at)) !== 0;
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    if (!isIdent(i - 1) && !isIdent(i + word.length)) out.push(i);
  }
  return out;
}

/**
 * Where each of `names` occurs in `text` as a whole identifier, in order:
 * what wordOccurrences gives for each name (a word preceded by a digit, as
 * in `0x1f_remove`, is not one), for all of them in one pass over the
 * text's words instead of one search of the text per name.
 */
export function occurrencesByName(text: string, names: ReadonlySet<string>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const { name, index } of namedWords(text, names)) {
    const before = index > 0 ? text.charCodeAt(index - 1) : 0;
    if (before >= 0x30 && before <= 0x39) continue;
    (out.get(name) ?? out.set(name, []).get(name)!).push(index);
  }
  return out;
}

/** What rules most words out before a set lookup: the names' shortest and longest lengths and their last characters. */
interface NameFilter {
  min: number;
  max: number;
  /** lastChar[c] = 1 when some name ends with the character of code c (names are ASCII words). */
  lastChar: Uint8Array;
}

/** The filter of a set of names (computed per call: a few thousand names cost little beside a file's text). */
function filterOf(names: ReadonlySet<string>): NameFilter {
  const filter: NameFilter = { min: Infinity, max: 0, lastChar: new Uint8Array(128) };
  for (const n of names) {
    filter.min = Math.min(filter.min, n.length);
    filter.max = Math.max(filter.max, n.length);
    const c = n.charCodeAt(n.length - 1);
    // A name that does not end with an ASCII word character is no word: it can never match.
    if (c < 128) filter.lastChar[c] = 1;
  }
  return filter;
}

/** 0: not a word character; 1: a digit; 2: a letter or `_` (what /\w/ matches, without the u flag). */
function wordClass(c: number): number {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f) return 2;
  return c >= 0x30 && c <= 0x39 ? 1 : 0;
}

/**
 * The words of `text` that are in `names`, with their offsets, in order:
 * the words `/[A-Za-z_]\w*\/g` finds (a run of word characters, from its
 * first letter or `_` on: `0x1f_remove` holds `x1f_remove`). A word is cut
 * out and looked up only when its length and last character fit a name, so
 * that most of a file's words cost no string and no hash.
 */
export function namedWords(text: string, names: ReadonlySet<string>): { name: string; index: number }[] {
  const out: { name: string; index: number }[] = [];
  if (names.size === 0) return out;
  if (names.size <= FEW_NAMES) return searchedWords(text, names);
  const { min, max, lastChar } = filterOf(names);
  const n = text.length;
  let i = 0;
  while (i < n) {
    const k = wordClass(text.charCodeAt(i));
    if (k !== 2) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && wordClass(text.charCodeAt(j)) !== 0) j++;
    const len = j - i;
    if (len >= min && len <= max && lastChar[text.charCodeAt(j - 1)] === 1) {
      const w = text.slice(i, j);
      if (names.has(w)) out.push({ name: w, index: i });
    }
    i = j;
  }
  return out;
}

/**
 * Up to this many names, namedWords searches the text for each (indexOf,
 * native) instead of cutting it into words: a file's words cost the
 * tokenizer about 40 ns a character before it is optimised, which is most
 * of a run's few files (the flagship asks for one or two names per file).
 */
const FEW_NAMES = 8;

/**
 * What namedWords gives, found by searching the text for each name: an
 * occurrence is one of the words when no word character follows it and the
 * word characters just before it (if any) are all digits (a word begins at
 * its first letter or `_`).
 */
function searchedWords(text: string, names: ReadonlySet<string>): { name: string; index: number }[] {
  const out: { name: string; index: number }[] = [];
  for (const name of names) {
    if (name.length === 0) continue;
    // A name that is not one word is never one of the words.
    if (wordClass(name.charCodeAt(0)) !== 2) continue;
    let word = true;
    for (let k = 1; k < name.length && word; k++) word = wordClass(name.charCodeAt(k)) !== 0;
    if (!word) continue;
    for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
      const end = i + name.length;
      if (end < text.length && wordClass(text.charCodeAt(end)) !== 0) continue;
      let b = i - 1;
      while (b >= 0 && wordClass(text.charCodeAt(b)) === 1) b--;
      if (b >= 0 && wordClass(text.charCodeAt(b)) === 2) continue;
      out.push({ name, index: i });
    }
  }
  return names.size === 1 ? out : out.sort((x, y) => x.index - y.index);
}
