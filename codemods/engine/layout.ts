// Layout-aware edits shared by migrations: deleting whole-line statements
// without leaving double blank lines, and wrapping a list that grows past 80
// columns the kernel way (break at an argument boundary, continuation aligned
// under the open parenthesis with tabs then spaces).
import { indentTo, isBlankLine, lineEndOf, lineStartOf, tabStopWidth, type SyntaxNode } from '../c/index.js';
import { applyEdits } from './edits.js';
import type { Edit } from './types.js';

export const MAX_COLUMNS = 80;

/** The file's line ending: CRLF when its first line ends so, else LF. */
export function eol(text: string): string {
  const nl = text.indexOf('\n');
  return nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
}

/** Convert a text written with LF to the file's line ending. */
export function withEol(text: string, file: string): string {
  return eol(file) === '\n' ? text : text.replace(/\r?\n/g, '\r\n');
}

interface Range {
  start: number;
  end: number;
}

/**
 * The whole-line range of [start, end) (from its line's start to just past the
 * newline ending its last line), or null when other code shares those lines.
 */
export function wholeLines(text: string, start: number, end: number): Range | null {
  const a = lineStartOf(text, start);
  const lineEnd = lineEndOf(text, end);
  if (!/^[ \t]*$/.test(text.slice(a, start))) return null;
  if (!/^[ \t\r]*$/.test(text.slice(end, lineEnd))) return null;
  return { start: a, end: Math.min(lineEnd + 1, text.length) };
}

function lineBefore(text: string, offset: number): string | null {
  if (offset === 0) return null;
  const start = lineStartOf(text, offset - 1);
  return text.slice(start, offset - 1);
}

function lineAt(text: string, offset: number): string | null {
  if (offset >= text.length) return null;
  return text.slice(offset, lineEndOf(text, offset));
}

/**
 * Edits deleting the given whole-line ranges, merged, with blank-line
 * clean-up: no two blank lines left in a row, none left right after an
 * opening brace or right before a closing one.
 */
export function deleteLineRanges(text: string, ranges: readonly Range[]): Edit<never>[] {
  const merged = mergeRanges(ranges);
  const grown = merged.map((r) => {
    let { start, end } = r;
    const prev = lineBefore(text, start);
    const next = lineAt(text, end);
    const prevBlank = prev !== null && isBlankLine(prev);
    const nextBlank = next !== null && isBlankLine(next);
    const prevOpens = prev !== null && /\{\s*$/.test(prev);
    const nextCloses = next !== null && /^\s*\}/.test(next);
    if ((prevBlank || prevOpens || prev === null) && nextBlank) end = Math.min(lineEndOf(text, end) + 1, text.length);
    else if (prevBlank && nextCloses) start = lineStartOf(text, start - 1);
    return { start, end };
  });
  return mergeRanges(grown).map((r) => ({ start: r.start, end: r.end, text: '' }));
}

function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/**
 * Delete one declarator from a declaration: `int a, flags, b;` → `int a, b;`.
 * When it is the only declarator, the whole declaration goes (its lines).
 * Returns null when the declaration shares its lines with other code.
 */
export function deleteDeclarator(text: string, declaration: SyntaxNode, declarator: SyntaxNode): { edits: Edit<never>[]; lines?: Range } | null {
  const declarators = declaration.childrenForFieldName('declarator');
  if (declarators.length <= 1) {
    const lines = wholeLines(text, declaration.startIndex, declaration.endIndex);
    return lines ? { edits: [], lines } : null;
  }
  const i = declarators.findIndex((d) => d.id === declarator.id);
  if (i < 0) return null;
  // Remove the declarator and the comma (plus blanks) that joins it to a neighbour.
  if (i < declarators.length - 1) {
    return { edits: [{ start: declarator.startIndex, end: declarators[i + 1]!.startIndex, text: '' }] };
  }
  return { edits: [{ start: declarators[i - 1]!.endIndex, end: declarator.endIndex, text: '' }] };
}

/**
 * Separator edits that wrap a list (argument_list or parameter_list) once the
 * item edits in `itemEdits` are applied, if its line then passes 80 columns
 * and got longer. A list on one line is re-filled greedily; a list already
 * spread over several lines gets a break before an edited item whose line
 * became too long. Lists with comments between items are left alone.
 */
export function wrapListEdits(text: string, list: SyntaxNode, itemEdits: readonly Edit[]): Edit<never>[] {
  const items = list.namedChildren.filter((c) => c.type !== 'comment');
  if (items.length < 2) return [];
  if (list.namedChildren.some((c) => c.type === 'comment')) return [];
  const newText = (start: number, end: number) =>
    applyEdits(
      text.slice(start, end),
      itemEdits.filter((e) => e.start >= start && e.end <= end).map((e) => ({ ...e, start: e.start - start, end: e.end - start })),
    );

  const nl = eol(text);
  const width = (line: string) => tabStopWidth(line.replace(/\r$/, ''));
  const open = list.startIndex; // the '('
  const lineStart = lineStartOf(text, open);
  const indentCol = tabStopWidth(text.slice(lineStart, open + 1));
  const out: Edit<never>[] = [];

  if (list.startPosition.row === list.endPosition.row) {
    const lineEnd = lineEndOf(text, open);
    const oldLine = text.slice(lineStart, lineEnd);
    const newLine = newText(lineStart, lineEnd);
    if (width(newLine) <= MAX_COLUMNS || width(newLine) <= width(oldLine)) return [];
    const texts = items.map((it) => newText(it.startIndex, it.endIndex));
    const tail = newText(items[items.length - 1]!.endIndex, lineEnd).replace(/\r$/, '');
    let col = indentCol + tabStopWidth(texts[0]!, indentCol);
    for (let i = 1; i < items.length; i++) {
      const sep = text.slice(items[i - 1]!.endIndex, items[i]!.startIndex);
      if (!/^,[ \t]*$/.test(sep)) return [];
      const piece = texts[i]! + (i === items.length - 1 ? tail : ',');
      if (col + tabStopWidth(', ' + piece, col) > MAX_COLUMNS) {
        out.push({ start: items[i - 1]!.endIndex, end: items[i]!.startIndex, text: ',' + nl + indentTo(indentCol) });
        col = indentCol + tabStopWidth(texts[i]!, indentCol);
      } else {
        col += tabStopWidth(', ' + texts[i]!, col);
      }
    }
    return out;
  }

  for (let i = 1; i < items.length; i++) {
    const item = items[i]!;
    const touched = itemEdits.some((e) => e.start >= item.startIndex && e.end <= item.endIndex);
    if (!touched) continue;
    const prev = items[i - 1]!;
    if (prev.endPosition.row !== item.startPosition.row) continue;
    const ls = lineStartOf(text, item.startIndex);
    const le = lineEndOf(text, item.startIndex);
    const newLine = newText(ls, le);
    if (width(newLine) <= MAX_COLUMNS || width(newLine) <= width(text.slice(ls, le))) continue;
    const sep = text.slice(prev.endIndex, item.startIndex);
    if (!/^,[ \t]*$/.test(sep)) continue;
    out.push({ start: prev.endIndex, end: item.startIndex, text: ',' + nl + indentTo(indentCol) });
  }
  return out;
}
