// Text renderings of sites: one line per site (file:line:col: ..., for grep
// and editors) and a code frame for the ones a person must look at.
import type { RunResult, Site } from '../../engine/types.js';
import { plain, type Paint } from '../colour.js';

/** The action word of a site line: rewritten green, manual red. */
function action(s: Site, paint: Paint): string {
  return s.action === 'rewritten' ? paint.green(s.action) : s.action === 'manual' ? paint.red(s.action) : s.action;
}

/** `[changes behaviour]` at the end marks a rewrite that changes what the code does (a declared change). */
export function siteLine(s: Site, paint: Paint = plain): string {
  return `${s.path}:${s.line}:${s.column}: ${action(s, paint)} ${s.kind} [${s.code}] ${s.message}${s.changesBehaviour ? ' [changes behaviour]' : ''}`;
}

/** A few lines of context around a site, with a caret under its column. */
export function codeFrame(text: string, line: number, column: number, context = 2): string {
  const lines = text.split('\n');
  const from = Math.max(1, line - context);
  const to = Math.min(lines.length, line + context);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const marker = n === line ? '>' : ' ';
    out.push(`${marker} ${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`);
    if (n === line) {
      const prefix = (lines[n - 1] ?? '').slice(0, column - 1).replace(/[^\t]/g, ' ');
      out.push(`  ${' '.repeat(width)} | ${prefix}^`);
    }
  }
  return out.join('\n');
}

export function summaryLine(r: RunResult, seconds: number, wrote: boolean): string {
  const s = r.summary;
  return (
    `kmigrate ${r.codemod}: ${s.filesScanned} files scanned${s.symlinksSkipped ? ` (${s.symlinksSkipped} symlinks not followed)` : ''}, ${s.filesParsed} parsed, ${s.filesChanged} ${wrote ? 'written' : 'to change'}; ` +
    `${s.rewritten} rewritten, ${s.manual} need manual work, ${s.unchanged} unchanged (${seconds.toFixed(2)} s)`
  );
}

/** The `--format text` report: every site, code frames for manual ones. */
export function renderText(r: RunResult, readOriginal: (path: string) => string | undefined, paint: Paint = plain): string {
  const out: string[] = [];
  for (const s of r.sites) {
    out.push(siteLine(s, paint));
    if (s.action === 'manual') {
      const text = readOriginal(s.path);
      if (text !== undefined) out.push(codeFrame(text, s.line, s.column));
    }
  }
  return out.join('\n') + (out.length ? '\n' : '');
}
