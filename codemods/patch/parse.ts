// Reading unified and git diffs into data.
//
// Accepted: `git diff` / `git format-patch` output (extended headers: index,
// modes, new/deleted file, rename/copy, similarity; quoted paths), plain
// `diff -u` / quilt patches (`Index:` and `====` lines, timestamps after a
// tab), and any text around the diffs (a mail's headers and message, the
// diffstat, the `-- ` signature), which is skipped.
//
// Refused with a PatchParseError that names the source and the line: a hunk
// with fewer lines than its header says (truncated), a line inside a hunk
// that is not ' ', '+', '-' or '\', a file header that no hunk follows, a
// hunk outside any file, a hunk with more `-`/`+` lines than its header
// counts (corrupt), and (by default) a text with no diff at all.

import { textLines, unquoteCString } from './text.js';

export interface Hunk {
  /** From the `@@ -oldStart,oldLines +newStart,newLines @@` header. */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** What follows the second `@@` (the function name), without the leading space. */
  section: string;
  /** The hunk's lines without their newline, each starting with ' ', '+', '-' or '\' (for `\ No newline at end of file`). */
  lines: string[];
  /** 1-based line of the `@@` header in the input. */
  line: number;
}

export interface FilePatch {
  /** Path before, prefix (`a/`, or `strip` components) removed; null for a created file. */
  oldPath: string | null;
  /** Path after; null for a deleted file. */
  newPath: string | null;
  hunks: Hunk[];
  isNew: boolean;
  isDelete: boolean;
  isRename: boolean;
  isCopy: boolean;
  similarity?: number;
  oldMode?: string;
  newMode?: string;
  /** Abbreviated blob ids from the `index` line. */
  oldIndex?: string;
  newIndex?: string;
  isBinary?: boolean;
  /** 1-based line of the `diff --git` (or `---`) line that starts this file. */
  headerLine: number;
}

export class PatchParseError extends Error {
  constructor(
    /** File (or other name) the text came from. */
    readonly source: string,
    /** 1-based line in that source. */
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${source}:${line}: ${reason}`);
    this.name = 'PatchParseError';
  }
}

export interface ParseOptions {
  /** Name used in errors (default "<patch>"). */
  source?: string;
  /** Leading path components to remove, as `patch -pN` (default 1). */
  strip?: number;
  /** Line number, in the source, of the text's first line (default 1): for a diff cut out of a mail. */
  firstLine?: number;
  /** Throw when the text holds no diff at all (default true). */
  requireDiff?: boolean;
}

export interface ParsedPatch {
  files: FilePatch[];
  /** 1-based source line of the first line that belongs to a diff (0 when there is none). */
  startLine: number;
  /** 1-based source line of the last line that belongs to a diff (0 when there is none). */
  endLine: number;
}

/** Parse every file diff in `text`. */
export function parsePatch(text: string, opts: ParseOptions = {}): FilePatch[] {
  return parsePatchDetailed(text, opts).files;
}

/** parsePatch, plus where in the text the diff starts and ends. */
export function parsePatchDetailed(text: string, opts: ParseOptions = {}): ParsedPatch {
  return new Parser(text, opts).run();
}

const EXTENDED_HEADER =
  /^(old mode|new mode|deleted file mode|new file mode|copy from|copy to|rename from|rename to|rename old|rename new|similarity index|dissimilarity index|index) (.*)$/;
const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;

class Parser {
  private readonly lines: string[];
  private readonly source: string;
  private readonly strip: number;
  private readonly first: number;
  private startLine = 0;
  private endLine = 0;

  constructor(
    text: string,
    private readonly opts: ParseOptions,
  ) {
    this.lines = textLines(text);
    this.source = opts.source ?? '<patch>';
    this.strip = opts.strip ?? 1;
    this.first = opts.firstLine ?? 1;
  }

  private fail(index: number, reason: string): never {
    throw new PatchParseError(this.source, index + this.first, reason);
  }

  private mark(from: number, to: number): void {
    if (this.startLine === 0) this.startLine = from + this.first;
    this.endLine = to + this.first;
  }

  run(): ParsedPatch {
    const files: FilePatch[] = [];
    const { lines } = this;
    let i = 0;
    while (i < lines.length) {
      const line = lines[i]!;
      if (line.startsWith('diff --git ')) {
        const [fp, next] = this.gitFile(i);
        files.push(fp);
        i = next;
      } else if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
        const [fp, next] = this.plainFile(i);
        files.push(fp);
        i = next;
      } else if (HUNK_HEADER.test(line)) {
        this.fail(i, 'hunk without a file header (`diff --git` or `---`/`+++` lines) before it');
      } else {
        i++;
      }
    }
    if (files.length === 0 && (this.opts.requireDiff ?? true)) {
      this.fail(0, 'no diff found (no `diff --git` or `---`/`+++` header)');
    }
    return { files, startLine: this.startLine, endLine: this.endLine };
  }

  /** `diff --git a/x b/x`, its extended headers, then `---`/`+++` and hunks (or nothing, for metadata-only changes). */
  private gitFile(start: number): [FilePatch, number] {
    const { lines } = this;
    const fp: FilePatch = {
      oldPath: null,
      newPath: null,
      hunks: [],
      isNew: false,
      isDelete: false,
      isRename: false,
      isCopy: false,
      headerLine: start + this.first,
    };
    const names = this.gitHeaderNames(lines[start]!.slice('diff --git '.length));
    let oldName = names?.[0];
    let newName = names?.[1];
    let i = start + 1;
    let m: RegExpExecArray | null;
    while (i < lines.length && (m = EXTENDED_HEADER.exec(lines[i]!))) {
      const value = m[2]!;
      switch (m[1]) {
        case 'old mode':
          fp.oldMode = value;
          break;
        case 'new mode':
          fp.newMode = value;
          break;
        case 'deleted file mode':
          fp.isDelete = true;
          fp.oldMode = value;
          break;
        case 'new file mode':
          fp.isNew = true;
          fp.newMode = value;
          break;
        case 'copy from':
          fp.isCopy = true;
          oldName = this.name(value, i, 0);
          break;
        case 'copy to':
          newName = this.name(value, i, 0);
          break;
        case 'rename from':
        case 'rename old':
          fp.isRename = true;
          oldName = this.name(value, i, 0);
          break;
        case 'rename to':
        case 'rename new':
          newName = this.name(value, i, 0);
          break;
        case 'similarity index':
        case 'dissimilarity index':
          if (m[1] === 'similarity index') fp.similarity = parseInt(value, 10);
          break;
        case 'index': {
          const idx = /^([0-9a-f]+)\.\.([0-9a-f]+)(?: (\d+))?$/.exec(value);
          if (!idx) this.fail(i, `malformed index line: ${lines[i]}`);
          fp.oldIndex = idx[1];
          fp.newIndex = idx[2];
          if (idx[3] && !fp.oldMode) fp.oldMode = fp.newMode = idx[3];
          break;
        }
      }
      i++;
    }

    const line = lines[i];
    if (line === 'GIT binary patch' || line?.startsWith('Binary files ')) {
      fp.isBinary = true;
      i++;
      // Skip the base85 data (`literal N` / `delta N` blocks) up to the next file.
      if (line === 'GIT binary patch') {
        while (i < lines.length && !lines[i]!.startsWith('diff --git ')) {
          if (lines[i] === '' && !/^(literal|delta) \d+$/.test(lines[i + 1] ?? '')) {
            i++;
            break;
          }
          i++;
        }
      }
    } else if (line?.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const from = this.headerName(line.slice(4), i);
      const to = this.headerName(lines[i + 1]!.slice(4), i + 1);
      if (from === null) fp.isNew = true;
      else oldName = from;
      if (to === null) fp.isDelete = true;
      else newName = to;
      i += 2;
      i = this.hunks(fp, i, start, (to ?? from ?? newName ?? oldName) || '?');
    } else if (!fp.isNew && !fp.isDelete && !fp.isRename && !fp.isCopy && fp.oldMode === fp.newMode) {
      this.fail(start, 'file header without hunks: `diff --git` is followed by neither `---`/`+++` and hunks nor a mode, rename or copy');
    }

    if (oldName === undefined || newName === undefined) {
      oldName ??= newName;
      newName ??= oldName;
    }
    if (oldName === undefined) this.fail(start, 'cannot tell the file name from the `diff --git` line');
    fp.oldPath = fp.isNew ? null : oldName;
    fp.newPath = fp.isDelete ? null : (newName ?? oldName);
    this.mark(start, i - 1);
    return [fp, i];
  }

  /** `--- x` / `+++ y` without a `diff --git` line before them. */
  private plainFile(start: number): [FilePatch, number] {
    const { lines } = this;
    const from = this.headerName(lines[start]!.slice(4), start);
    const to = this.headerName(lines[start + 1]!.slice(4), start + 1);
    const fp: FilePatch = {
      oldPath: from,
      newPath: to,
      hunks: [],
      isNew: from === null,
      isDelete: to === null,
      isRename: false,
      isCopy: false,
      headerLine: start + this.first,
    };
    if (from === null && to === null) this.fail(start, 'both sides of the diff are /dev/null');
    const next = this.hunks(fp, start + 2, start, to ?? from ?? '?');
    this.mark(start, next - 1);
    return [fp, next];
  }

  /** Hunks from line `i` on; at least one is required. Returns the index after the last. */
  private hunks(fp: FilePatch, i: number, headerIndex: number, name: string): number {
    const { lines } = this;
    if (i >= lines.length || !lines[i]!.startsWith('@@')) {
      this.fail(i < lines.length ? i : headerIndex, `file header without hunks: expected \`@@\` after the \`---\`/\`+++\` lines of ${name}`);
    }
    while (i < lines.length && lines[i]!.startsWith('@@')) {
      const m = HUNK_HEADER.exec(lines[i]!);
      if (!m) this.fail(i, `malformed hunk header: ${lines[i]}`);
      const hunk: Hunk = {
        oldStart: Number(m[1]),
        oldLines: m[2] === undefined ? 1 : Number(m[2]),
        newStart: Number(m[3]),
        newLines: m[4] === undefined ? 1 : Number(m[4]),
        section: m[5] ?? '',
        lines: [],
        line: i + this.first,
      };
      const headerAt = i;
      let oldLeft = hunk.oldLines;
      let newLeft = hunk.newLines;
      i++;
      while (oldLeft > 0 || newLeft > 0) {
        if (i >= lines.length) {
          this.fail(i, `truncated hunk (header at line ${headerAt + this.first}): ${describeMissing(oldLeft, newLeft)} missing at the end of the patch`);
        }
        const l = lines[i]!;
        const c = l[0];
        if (c === ' ' || l === '') {
          // An empty line is a context line whose leading space a mailer or editor stripped (git apply reads it so too).
          oldLeft--;
          newLeft--;
          hunk.lines.push(l === '' ? ' ' : l);
        } else if (c === '-') {
          oldLeft--;
          hunk.lines.push(l);
        } else if (c === '+') {
          newLeft--;
          hunk.lines.push(l);
        } else if (c === '\\') {
          if (hunk.lines.length === 0) this.fail(i, '`\\ No newline at end of file` before any line of the hunk');
          hunk.lines.push(l);
        } else if (l.startsWith('diff --git ') || l.startsWith('@@')) {
          this.fail(i, `truncated hunk (header at line ${headerAt + this.first}): ${describeMissing(oldLeft, newLeft)} missing before this line`);
        } else {
          this.fail(i, `garbage in hunk (header at line ${headerAt + this.first}): a line must start with ' ', '+', '-' or '\\': ${JSON.stringify(l.slice(0, 60))}`);
        }
        if (oldLeft < 0 || newLeft < 0) {
          this.fail(i, `hunk (header at line ${headerAt + this.first}) has more ${oldLeft < 0 ? 'old' : 'new'} lines than its header says`);
        }
        i++;
      }
      if (i < lines.length && lines[i]!.startsWith('\\')) hunk.lines.push(lines[i++]!);
      this.checkOverrun(name, hunk, i);
      fp.hunks.push(hunk);
    }
    return i;
  }

  /**
   * A hunk whose header counts too few lines: right after its counted lines
   * (and any context lines) comes a `-` or `+` line. That is a corrupt
   * patch, not text between diffs; applying the shortened hunk would only
   * report a misleading mismatch, or change less than the patch shows. A
   * `-- ` signature and the next `---`/`+++` header are not part of it.
   */
  private checkOverrun(name: string, hunk: Hunk, i: number): void {
    const { lines } = this;
    let j = i;
    while (j < lines.length && lines[j]!.startsWith(' ')) j++;
    const l = lines[j];
    if (l === undefined || (l[0] !== '-' && l[0] !== '+')) return;
    if (/^--\s*$/.test(l)) return;
    if (l.startsWith('--- ') && lines[j + 1]?.startsWith('+++ ')) return;
    const counts = `-${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines}`;
    this.fail(
      j,
      `corrupt patch: ${name}: the hunk at line ${hunk.line} (${counts}) goes on after the lines its header counts: ${JSON.stringify(l.slice(0, 60))}`,
    );
  }

  /** Names from the rest of a `diff --git` line; undefined when they cannot be told apart (spaces in unquoted names). */
  private gitHeaderNames(rest: string): [string, string] | undefined {
    if (rest.startsWith('"') || rest.endsWith('"')) {
      let a: string;
      let tail: string;
      if (rest.startsWith('"')) {
        const q = unquoteCString(rest);
        if (!q || rest[q.end] !== ' ') return undefined;
        a = q.value;
        tail = rest.slice(q.end + 1);
      } else {
        const open = rest.lastIndexOf(' "');
        if (open < 0) return undefined;
        a = rest.slice(0, open);
        tail = rest.slice(open + 1);
      }
      const b = tail.startsWith('"') ? unquoteCString(tail)?.value : tail;
      if (b === undefined) return undefined;
      const x = stripComponents(a, this.strip);
      const y = stripComponents(b, this.strip);
      return x !== undefined && y !== undefined ? [x, y] : undefined;
    }
    // Unquoted names may contain spaces: take the split whose two names agree.
    for (let at = rest.indexOf(' '); at >= 0; at = rest.indexOf(' ', at + 1)) {
      const x = stripComponents(rest.slice(0, at), this.strip);
      const y = stripComponents(rest.slice(at + 1), this.strip);
      if (x !== undefined && x === y) return [x, y];
    }
    const parts = rest.split(' ');
    if (parts.length === 2) {
      const x = stripComponents(parts[0]!, this.strip);
      const y = stripComponents(parts[1]!, this.strip);
      if (x !== undefined && y !== undefined) return [x, y];
    }
    return undefined;
  }

  /** The name on a `---` / `+++` line: null for /dev/null; timestamps after a tab dropped; `strip` components removed. */
  private headerName(raw: string, index: number): string | null {
    let name: string;
    if (raw.startsWith('"')) {
      const q = unquoteCString(raw);
      if (!q) this.fail(index, `malformed quoted file name: ${raw}`);
      name = q.value;
    } else {
      const tab = raw.indexOf('\t');
      name = (tab >= 0 ? raw.slice(0, tab) : raw).replace(/\s+$/, '');
      // diff -u without a tab: `--- a/x 2021-01-01 10:00:00.000000000 +0100`
      const stamp = / \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4}$/.exec(name);
      if (stamp) name = name.slice(0, stamp.index);
    }
    if (name === '/dev/null') return null;
    return this.name(name, index, this.strip);
  }

  private name(raw: string, index: number, strip: number): string {
    let name = raw;
    if (name.startsWith('"')) {
      const q = unquoteCString(name);
      if (!q) this.fail(index, `malformed quoted file name: ${raw}`);
      name = q.value;
    }
    const stripped = stripComponents(name, strip);
    if (stripped === undefined || stripped === '') this.fail(index, `file name ${JSON.stringify(raw)} has fewer than ${strip} leading directories to strip`);
    return stripped;
  }
}

function describeMissing(oldLeft: number, newLeft: number): string {
  const parts: string[] = [];
  if (oldLeft > 0) parts.push(`${oldLeft} old line${oldLeft === 1 ? '' : 's'}`);
  if (newLeft > 0) parts.push(`${newLeft} new line${newLeft === 1 ? '' : 's'}`);
  return parts.join(' and ');
}

/** Remove `n` leading components (`patch -pN`); undefined when there are not enough. */
export function stripComponents(path: string, n: number): string | undefined {
  let rest = path;
  for (let k = 0; k < n; k++) {
    const slash = rest.indexOf('/');
    if (slash < 0) return undefined;
    // `a//tmp/x.c` names the absolute path /tmp/x.c (git apply calls it an
    // invalid path): keep its leading slash so that the path guard refuses it.
    rest = rest.slice(slash + 1);
    if (k < n - 1) rest = rest.replace(/^\/+/, '');
  }
  return rest;
}

/** Numbers of '+' and '-' lines of a file patch. */
export function countChanges(fp: FilePatch): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const h of fp.hunks) {
    for (const l of h.lines) {
      if (l[0] === '+') added++;
      else if (l[0] === '-') removed++;
    }
  }
  return { added, removed };
}
