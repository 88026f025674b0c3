// Git-style unified diffs of one file, and git's --stat / --summary.
//
// unifiedDiff() prints what `git diff` prints for the same two texts: the
// `diff --git` header, an `index` line with real blob ids, `new file mode` /
// `deleted file mode`, hunks with 3 lines of context merged when their
// contexts touch, the function name after `@@` (git's "cpp" rule for .c/.h,
// which the kernel's .gitattributes selects, the default rule otherwise), and
// `\ No newline at end of file`. The output is accepted by `git apply` and
// `patch -p1` at the tree's root.

import { codePointWidth } from '../c/text.js';
import { changesOf, diffLines, type Change } from './line-diff.js';
import { countChanges, parsePatch, type FilePatch } from './parse.js';
import { blobHash, NULL_HASH, quotePath, splitLines } from './text.js';

export type FuncnameRule = 'auto' | 'cpp' | 'default' | 'none';

export interface DiffOptions {
  /** Lines of context around each change (default 3). */
  context?: number;
  /** `index <old>..<new>` line with blob ids abbreviated to this many hex digits (default 7); false leaves it out. */
  index?: boolean | number;
  /** How to find the function name printed after `@@` (default 'auto': 'cpp' for .c and .h files, else 'default'). */
  funcname?: FuncnameRule;
  /** Always the shortest edit script (`git diff --minimal`); by default git's readability shortcut applies. */
  minimal?: boolean;
  /** File mode before / after (default 100644). */
  oldMode?: string;
  newMode?: string;
}

const DEFAULT_MODE = '100644';

/**
 * The git-style diff of one file; `before` null means the file is created,
 * `after` null that it is deleted. "" when nothing changes.
 */
export function unifiedDiff(path: string, before: string | null, after: string | null, opts: DiffOptions = {}): string {
  const oldMode = opts.oldMode ?? DEFAULT_MODE;
  const newMode = opts.newMode ?? DEFAULT_MODE;
  if (before === after && (before === null || oldMode === newMode)) return '';
  const context = opts.context ?? 3;
  const abbrev = opts.index === false ? 0 : opts.index === true || opts.index === undefined ? 7 : opts.index;
  const a = quotePath('a/', path);
  const b = quotePath('b/', path);

  let out = `diff --git ${a} ${b}\n`;
  const oldId = before === null ? NULL_HASH : blobHash(before);
  const newId = after === null ? NULL_HASH : blobHash(after);
  const ids = `${oldId.slice(0, abbrev)}..${newId.slice(0, abbrev)}`;
  if (before === null) {
    out += `new file mode ${newMode}\n`;
    if (abbrev) out += `index ${ids}\n`;
  } else if (after === null) {
    out += `deleted file mode ${oldMode}\n`;
    if (abbrev) out += `index ${ids}\n`;
  } else {
    if (oldMode !== newMode) out += `old mode ${oldMode}\nnew mode ${newMode}\n`;
    if (abbrev && before !== after) out += `index ${ids}${oldMode === newMode ? ` ${oldMode}` : ''}\n`;
  }
  const oldText = before ?? '';
  const newText = after ?? '';
  // An empty file created or deleted, or a mode change alone: header only, as git prints it.
  if (oldText === newText) return out;

  out += `--- ${before === null ? '/dev/null' : a}\n`;
  out += `+++ ${after === null ? '/dev/null' : b}\n`;
  const rule = opts.funcname ?? 'auto';
  out += renderHunks(splitLines(oldText), splitLines(newText), context, funcnameMatcher(rule, path), opts.minimal ?? false);
  return out;
}

type Funcname = (line: string) => string | undefined;

function renderHunks(a: string[], b: string[], context: number, funcname: Funcname | undefined, minimal: boolean): string {
  const changes = changesOf(diffLines(a, b, { minimal }));
  let out = '';
  let i = 0;
  while (i < changes.length) {
    // Changes whose contexts touch or overlap share one hunk.
    let j = i;
    while (j + 1 < changes.length) {
      const prev = changes[j]!;
      const gap = changes[j + 1]!.aStart - (prev.aStart + prev.delCount);
      if (gap > 2 * context) break;
      j++;
    }
    out += renderHunk(a, b, changes.slice(i, j + 1), context, funcname);
    i = j + 1;
  }
  return out;
}

function renderHunk(a: string[], b: string[], group: Change[], context: number, funcname: Funcname | undefined): string {
  const first = group[0]!;
  const last = group[group.length - 1]!;
  const lead = Math.min(context, first.aStart, first.bStart);
  const aFrom = first.aStart - lead;
  const bFrom = first.bStart - lead;
  const trail = Math.min(context, a.length - (last.aStart + last.delCount), b.length - (last.bStart + last.addCount));
  const aTo = last.aStart + last.delCount + trail;
  const bTo = last.bStart + last.addCount + trail;

  let body = '';
  let ai = aFrom;
  for (const c of group) {
    for (; ai < c.aStart; ai++) body += hunkLine(' ', a[ai]!);
    for (let k = 0; k < c.delCount; k++) body += hunkLine('-', a[c.aStart + k]!);
    for (let k = 0; k < c.addCount; k++) body += hunkLine('+', b[c.bStart + k]!);
    ai = c.aStart + c.delCount;
  }
  for (; ai < aTo; ai++) body += hunkLine(' ', a[ai]!);

  let header = `@@ -${range(aFrom, aTo - aFrom)} +${range(bFrom, bTo - bFrom)} @@`;
  if (funcname) {
    // git looks for it in the old file, above the hunk's first line.
    for (let k = aFrom - 1; k >= 0; k--) {
      const name = funcname(a[k]!);
      if (name !== undefined) {
        header += ` ${name}`;
        break;
      }
    }
  }
  return `${header}\n${body}`;
}

/** `start,count` as in a hunk header: 1-based, `,1` left out, and the line before when the range is empty. */
function range(start0: number, count: number): string {
  if (count === 0) return `${start0},0`;
  if (count === 1) return `${start0 + 1}`;
  return `${start0 + 1},${count}`;
}

function hunkLine(prefix: string, line: string): string {
  if (line.endsWith('\n')) return prefix + line;
  return `${prefix}${line}\n\\ No newline at end of file\n`;
}

// git's "cpp" diff driver: a label (`out:`, `err_free_irq:`) is not a function line ...
const CPP_NOT_FUNCNAME = /^[ \t]*[A-Za-z_][A-Za-z_0-9]*:\s*($|\/[/*])/;
// ... anything else that starts an identifier at column 0 is.
const CPP_FUNCNAME = /^((::\s*)?[A-Za-z_].*)$/;
// git's default rule: a line that starts with a letter, `_` or `$`.
const DEFAULT_FUNCNAME = /^[A-Za-z_$]/;
/** git keeps at most this many bytes of a function line. */
const FUNCNAME_BYTES = 80;

function funcnameMatcher(rule: FuncnameRule, path: string): Funcname | undefined {
  const effective = rule === 'auto' ? (/\.[ch]$/.test(path) ? 'cpp' : 'default') : rule;
  if (effective === 'none') return undefined;
  return (raw: string) => {
    let line = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
    if (effective === 'cpp') {
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (CPP_NOT_FUNCNAME.test(line) || !CPP_FUNCNAME.test(line)) return undefined;
    } else if (!DEFAULT_FUNCNAME.test(line)) {
      return undefined;
    }
    const bytes = Buffer.from(line, 'utf8');
    if (bytes.length > FUNCNAME_BYTES) line = bytes.subarray(0, FUNCNAME_BYTES).toString('utf8');
    return line.replace(/\s+$/, '');
  };
}

// ---------------------------------------------------------------------------
// Statistics

export interface FileStat {
  /** Path after the change (before it, for a deleted file). */
  path: string;
  added: number;
  removed: number;
  /** Set for a rename or copy: the path before. */
  oldPath?: string;
  isBinary?: boolean;
  isNew?: boolean;
  isDelete?: boolean;
  isRename?: boolean;
  isCopy?: boolean;
  similarity?: number;
  oldMode?: string;
  newMode?: string;
}

/**
 * Per-file counts of added and removed lines, read from a unified or git
 * diff text, in the order the files appear. Text around the diffs (a mail's
 * message, a `-- ` signature) is ignored; a malformed diff throws
 * PatchParseError.
 */
export function statFromDiff(diff: string): FileStat[] {
  return parsePatch(diff, { requireDiff: false }).map(statOfFilePatch);
}

/** The FileStat of one parsed file patch. */
export function statOfFilePatch(fp: FilePatch): FileStat {
  const { added, removed } = countChanges(fp);
  const path = (fp.newPath ?? fp.oldPath)!;
  const stat: FileStat = { path, added, removed };
  if ((fp.isRename || fp.isCopy) && fp.oldPath !== null) stat.oldPath = fp.oldPath;
  if (fp.isRename) stat.isRename = true;
  if (fp.isCopy) stat.isCopy = true;
  if (fp.similarity !== undefined) stat.similarity = fp.similarity;
  if (fp.isBinary) stat.isBinary = true;
  if (fp.isNew) stat.isNew = true;
  if (fp.isDelete) stat.isDelete = true;
  if (fp.oldMode !== undefined) stat.oldMode = fp.oldMode;
  if (fp.newMode !== undefined) stat.newMode = fp.newMode;
  return stat;
}

export interface StatOptions {
  /**
   * Total width of a line (default 72: what `git format-patch` uses; `git
   * diff --stat` uses 80, or the terminal's width).
   */
  width?: number;
}

/**
 * git's `--stat` block: one ` path | N ++--` line per file, then the
 * ` N files changed, ...` line, each line ending in "\n". Names that do not
 * fit are shortened from the left to a `/` behind `...`; long graphs are
 * scaled, as git does.
 */
export function diffStat(files: readonly FileStat[], opts: StatOptions = {}): string {
  const names = files.map(statName);
  const binWidth = 0; // `Bin X -> Y bytes` is never printed: sizes are not known here.
  let maxLen = 0;
  let maxChange = 0;
  let numberWidth = files.some((f) => f.isBinary) ? 3 : 0;
  files.forEach((f, i) => {
    maxLen = Math.max(maxLen, codePointWidth(names[i]!));
    if (!f.isBinary) maxChange = Math.max(maxChange, f.added + f.removed);
  });
  numberWidth = Math.max(numberWidth, String(maxChange).length);

  let width = opts.width ?? 72;
  if (width < 16 + 6 + numberWidth) width = 16 + 6 + numberWidth;
  let graphWidth = maxChange + 4 > binWidth ? maxChange : binWidth - 4;
  let nameWidth = maxLen;
  if (nameWidth + numberWidth + 6 + graphWidth > width) {
    const cap = Math.floor((width * 3) / 8) - numberWidth - 6;
    if (graphWidth > cap) graphWidth = Math.max(cap, 6);
    if (nameWidth > width - numberWidth - 6 - graphWidth) nameWidth = width - numberWidth - 6 - graphWidth;
    else graphWidth = width - numberWidth - 6 - nameWidth;
  }

  let out = '';
  let adds = 0;
  let dels = 0;
  files.forEach((f, i) => {
    let name = names[i]!;
    let prefix = '';
    let len = nameWidth;
    if (codePointWidth(name) > len) {
      // Keep the tail, behind "...", from a directory boundary when there is one.
      prefix = '...';
      len -= 3;
      name = tailOfWidth(name, len);
      const slash = name.indexOf('/');
      if (slash >= 0) name = name.slice(slash);
    }
    const pad = ' '.repeat(Math.max(0, len - codePointWidth(name)));
    if (f.isBinary) {
      out += ` ${prefix}${name}${pad} | ${'Bin'.padStart(numberWidth)}\n`;
      return;
    }
    let add = f.added;
    let del = f.removed;
    adds += add;
    dels += del;
    out += ` ${prefix}${name}${pad} | ${String(add + del).padStart(numberWidth)}`;
    if (graphWidth <= maxChange) {
      let total = scaleLinear(add + del, graphWidth, maxChange);
      if (total < 2 && add && del) total = 2;
      if (add < del) {
        add = scaleLinear(add, graphWidth, maxChange);
        del = total - add;
      } else {
        del = scaleLinear(del, graphWidth, maxChange);
        add = total - del;
      }
    }
    out += add + del > 0 ? ` ${'+'.repeat(add)}${'-'.repeat(del)}\n` : '\n';
  });
  out += summaryLine(files.length, adds, dels);
  return out;
}

/** ` 3 files changed, 10 insertions(+), 12 deletions(-)` plus "\n", worded as git words it. */
export function summaryLine(fileCount: number, insertions: number, deletions: number): string {
  let s = ` ${fileCount} ${fileCount === 1 ? 'file' : 'files'} changed`;
  if (insertions || !deletions) s += `, ${insertions} ${insertions === 1 ? 'insertion' : 'insertions'}(+)`;
  if (deletions || !insertions) s += `, ${deletions} ${deletions === 1 ? 'deletion' : 'deletions'}(-)`;
  return s + '\n';
}

/**
 * git's `--summary` lines (` create mode 100644 path`, ` delete mode ...`,
 * ` mode change 100644 => 100755 path`, ` rename a/{x => y}.c (95%)`), each
 * ending in "\n"; "" when there is nothing to say.
 */
export function diffSummary(files: readonly FileStat[]): string {
  let out = '';
  for (const f of files) {
    if (f.isNew) out += ` create mode ${f.newMode ?? DEFAULT_MODE} ${f.path}\n`;
    else if (f.isDelete) out += ` delete mode ${f.oldMode ?? DEFAULT_MODE} ${f.path}\n`;
    else {
      if (f.isRename || f.isCopy) out += ` ${f.isCopy ? 'copy' : 'rename'} ${renameName(f.oldPath ?? f.path, f.path)} (${f.similarity ?? 100}%)\n`;
      if (f.oldMode && f.newMode && f.oldMode !== f.newMode) {
        out += ` mode change ${f.oldMode} => ${f.newMode} ${f.isRename || f.isCopy ? '' : f.path}\n`.replace(/ \n$/, '\n');
      }
    }
  }
  return out;
}

/** --stat of a diff text and its --summary, as `git format-patch` prints them under `---`. */
export function diffStatOfDiff(diff: string, opts: StatOptions = {}): string {
  const files = statFromDiff(diff);
  if (files.length === 0) return '';
  return diffStat(files, opts) + diffSummary(files);
}

function statName(f: FileStat): string {
  if (f.oldPath !== undefined && f.oldPath !== f.path) return renameName(f.oldPath, f.path);
  return quotePath('', f.path);
}

/** `a/{old => new}/c` as git shortens renames: common leading and trailing directories stay outside the braces. */
function renameName(from: string, to: string): string {
  let pfx = 0;
  // Longest common prefix that ends with '/'.
  for (let i = 0; i < Math.min(from.length, to.length) && from[i] === to[i]; i++) if (from[i] === '/') pfx = i + 1;
  let sfx = 0;
  // Longest common suffix that starts with '/', not overlapping the prefix.
  for (let i = 1; i <= Math.min(from.length, to.length) - pfx && from[from.length - i] === to[to.length - i]; i++) {
    if (from[from.length - i] === '/') sfx = i;
  }
  if (pfx === 0 && sfx === 0) return `${from} => ${to}`;
  const a = from.slice(pfx, from.length - sfx);
  const b = to.slice(pfx, to.length - sfx);
  return `${from.slice(0, pfx)}{${a} => ${b}}${from.slice(from.length - sfx)}`;
}

function scaleLinear(it: number, width: number, maxChange: number): number {
  if (!it) return 0;
  // At least one '+' or '-' for any change.
  return 1 + Math.floor((it * (width - 1)) / maxChange);
}

function tailOfWidth(s: string, width: number): string {
  const chars = [...s];
  return chars.slice(Math.max(0, chars.length - width)).join('');
}
