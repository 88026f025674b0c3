// The kernel's MAINTAINERS file, read the way scripts/get_maintainer.pl
// reads it: sections of `X:\tvalue` fields under a title line; a file
// belongs to a section when one of its F: patterns matches and none of its
// X: patterns does (or an N: regex matches the path). The most specific
// section is the one whose matching pattern is deepest, measured as
// get_maintainer.pl does: the number of `/` in the pattern, plus one when
// the pattern names a file rather than a directory.

import { escapeRegExp } from '../c/index.js';

export interface MaintainersSection {
  /** The title line (`I2C SUBSYSTEM HOST DRIVERS`). */
  name: string;
  /** 1-based line of the title in MAINTAINERS. */
  line: number;
  /** M: and R: addresses, as written. */
  people: string[];
  /** L: addresses (the first word of the value). */
  lists: string[];
  status?: string;
  files: string[];
  excludes: string[];
  /** N: regular expressions on the path. */
  names: string[];
  /** K: regular expressions on a file's content (Perl's /x: blanks ignored). */
  keywords: string[];
}

interface Pattern {
  section: number;
  re: RegExp;
  /** get_maintainer.pl's depth: `/` count, +1 for a file pattern; -1 for a leading `*`. */
  depth: number;
  dirPattern: boolean;
  slashes: number;
}

export interface SectionMatch {
  section: MaintainersSection;
  depth: number;
}

const FIELD = /^([A-Z]):\s*(.*?)\s*$/;

/** Sections of a MAINTAINERS text, in file order. */
export function parseMaintainers(text: string): MaintainersSection[] {
  const out: MaintainersSection[] = [];
  let cur: MaintainersSection | undefined;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') {
      cur = undefined;
      return;
    }
    const f = FIELD.exec(line);
    if (!f) {
      // A title: a line of its own that is not a field (the intro's
      // indented lines start with a tab and are not titles).
      if (/^\s/.test(line)) return;
      cur = { name: line.trim(), line: i + 1, people: [], lists: [], files: [], excludes: [], names: [], keywords: [] };
      out.push(cur);
      return;
    }
    if (!cur) return;
    const [, type, value] = f as unknown as [string, string, string];
    if (type === 'M' || type === 'R') cur.people.push(value);
    else if (type === 'L') cur.lists.push(value.split(/\s+/)[0]!);
    else if (type === 'S') cur.status = value;
    else if (type === 'F') cur.files.push(value);
    else if (type === 'X') cur.excludes.push(value);
    else if (type === 'N') cur.names.push(value);
    else if (type === 'K') cur.keywords.push(value);
  });
  return out.filter((s) => s.files.length > 0 || s.names.length > 0 || s.people.length > 0 || s.lists.length > 0);
}

/** A F:/X: pattern as get_maintainer.pl turns it into a regex: `.` literal, `*` any run, `?` one character. */
function patternRe(value: string): RegExp {
  const body = value.replace(/[\\^$+()[\]{}|]/g, '\\$&').replace(/\./g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp('^' + body);
}

const slashCount = (s: string): number => s.split('/').length - 1;

/**
 * Does `file` match the pattern? A directory pattern (trailing `/`, or a
 * pattern without wildcards naming a directory) matches everything under
 * it; a file pattern matches only at its own depth, as in get_maintainer.pl.
 */
function matches(p: Pick<Pattern, 're' | 'dirPattern' | 'slashes'>, file: string): boolean {
  if (!p.re.test(file)) return false;
  return p.dirPattern || slashCount(file) === p.slashes;
}

/**
 * A K: pattern (Perl, matched with /x) as a JavaScript regex that matches
 * exactly the same texts: blanks dropped, a leading `(?i)` made the `i`
 * flag, a `(?i:…)` group spelled with both cases of each letter. Anything
 * else JavaScript rejects throws.
 */
export function perlRegex(pattern: string): RegExp {
  let src = pattern.replace(/(\\.)|\s+/g, (_m, esc: string | undefined) => esc ?? '');
  let flags = '';
  if (src.startsWith('(?i)')) {
    flags = 'i';
    src = src.slice(4);
  }
  for (let at = src.indexOf('(?i:'); at >= 0; at = src.indexOf('(?i:')) {
    let depth = 0;
    let end = at;
    for (; end < src.length; end++) {
      if (src[end] === '\\') end++;
      else if (src[end] === '(') depth++;
      else if (src[end] === ')' && --depth === 0) break;
    }
    const body = src.slice(at + 4, end);
    if (/[[\\]/.test(body.replace(/\\[bBwWdDsS]/g, ''))) throw new Error(`cannot fold case of ${body}`);
    const folded = body.replace(/(\\.)|([A-Za-z])/g, (_m, esc: string | undefined, ch: string) => esc ?? `[${ch.toLowerCase()}${ch.toUpperCase()}]`);
    src = src.slice(0, at) + '(?:' + folded + src.slice(end);
  }
  return new RegExp(src, flags);
}

/** MAINTAINERS, indexed for matching many files. */
export class Maintainers {
  readonly sections: MaintainersSection[];
  /** Every L: address of the file: what get_maintainer.pl prints for a list. */
  readonly lists: ReadonlySet<string>;
  private readonly byDir = new Map<string, Pattern[]>();
  private readonly excludes: Pattern[][];
  private readonly nameRes: { section: number; re: RegExp }[] = [];

  constructor(text: string) {
    this.sections = parseMaintainers(text);
    this.lists = new Set(this.sections.flatMap((s) => s.lists.map((l) => l.toLowerCase())));
    this.excludes = this.sections.map((s) => s.excludes.map((x) => this.compile(-1, x)));
    this.sections.forEach((s, i) => {
      for (const value of s.files) {
        const p = this.compile(i, value);
        // Index by the directory part of the literal prefix: a file is
        // tried only against patterns whose fixed part is one of its
        // ancestors.
        const literal = value.split(/[*?]/)[0]!;
        const dir = literal.slice(0, literal.lastIndexOf('/') + 1);
        (this.byDir.get(dir) ?? this.byDir.set(dir, []).get(dir)!).push(p);
      }
      for (const n of s.names) {
        try {
          this.nameRes.push({ section: i, re: new RegExp(n) });
        } catch {
          // A Perl-only construct: get_maintainer.pl would still use it; we
          // cannot, and the section is then found by its F: lines only.
        }
      }
    });
  }

  private compile(section: number, value: string): Pattern {
    const wild = /[*?]/.test(value);
    const trailing = value.endsWith('/');
    // Without wildcards and without a trailing slash, a pattern may still
    // name a directory (get_maintainer.pl asks the file system): match the
    // name itself and everything under it.
    const dirPattern = trailing || !wild;
    const re = trailing || wild ? patternRe(value) : new RegExp('^' + escapeRegExp(value) + '(?:/|$)');
    let depth = slashCount(value) + (trailing ? 0 : 1);
    if (value.startsWith('*')) depth = -1;
    return { section, re, depth, dirPattern, slashes: slashCount(value) };
  }

  /** Every section that covers `file`, deepest first (ties in file order). */
  match(file: string): SectionMatch[] {
    const best = new Map<number, number>();
    const dirs = [''];
    for (let i = file.indexOf('/'); i >= 0; i = file.indexOf('/', i + 1)) dirs.push(file.slice(0, i + 1));
    for (const d of dirs) {
      for (const p of this.byDir.get(d) ?? []) {
        if (!matches(p, file)) continue;
        if (this.excludes[p.section]!.some((x) => matches(x, file))) continue;
        best.set(p.section, Math.max(best.get(p.section) ?? -2, p.depth));
      }
    }
    for (const n of this.nameRes) if (n.re.test(file) && !best.has(n.section)) best.set(n.section, 0);
    return [...best]
      .map(([i, depth]) => ({ section: this.sections[i]!, depth, i }))
      .sort((a, b) => b.depth - a.depth || a.i - b.i)
      .map(({ section, depth }) => ({ section, depth }));
  }

  /** The most specific section for `file` (not THE REST when anything else matches), or undefined. */
  entryOf(file: string): MaintainersSection | undefined {
    return this.match(file)[0]?.section;
  }

  /**
   * What get_maintainer.pl's answer for `file` depends on: the sections it
   * matches, at which depth, and the K: keywords its content matches. Two
   * files with the same key get the same addresses, so one run of the
   * script serves both. A keyword JavaScript cannot compile makes the key
   * the file's own.
   */
  answerKey(file: string, content: string | undefined): string {
    const parts = this.match(file).map((m) => `${m.section.line}:${m.depth}`);
    if (content !== undefined) {
      for (const k of this.keywordRes()) {
        if (!k.re) return `file:${file}`;
        if (k.re.test(content)) parts.push(`k${k.line}`);
      }
    }
    return parts.join(',');
  }

  private keywordCache?: { line: number; re: RegExp | undefined }[];
  private keywordRes(): { line: number; re: RegExp | undefined }[] {
    if (!this.keywordCache) {
      this.keywordCache = this.sections.flatMap((s) =>
        s.keywords.map((k) => {
          try {
            return { line: s.line, re: perlRegex(k) };
          } catch {
            return { line: s.line, re: undefined };
          }
        }),
      );
    }
    return this.keywordCache;
  }

  /** Is this address (`Name <a@b>` or `a@b`) a mailing list of the file? */
  isList(address: string): boolean {
    const m = /<([^>]+)>/.exec(address);
    return this.lists.has((m ? m[1]! : address).trim().toLowerCase());
  }
}
