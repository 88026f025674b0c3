// The series report: a CI bot's text (a summary table, then one block per
// failing patch with PASS/FAIL per check and the reason under each failure,
// then the passing patches: in full for a short series, one line each for a
// long one) and the JSON of docs/json.md.
import type { PatchReport, SeriesProblem, SeriesReport } from '../../series/types.js';
import { plain, type Paint } from '../colour.js';

/** A series longer than this lists its passing patches one line each. */
const FULL_BLOCKS = 20;


function problemLine(p: SeriesProblem): string {
  // A problem of the whole series (no model, say) names no file.
  return `      ${p.path ? `${p.path}${p.line ? `:${p.line}` : ''}: ` : ''}[${p.code}] ${p.message}`;
}

/** PASS green, FAIL red, SKIP yellow, with `paint`. */
export function renderSeriesText(r: SeriesReport, paint: Paint = plain): string {
  const mark = (ok: boolean) => (ok ? paint.green('PASS') : paint.red('FAIL'));
  const skip = paint.yellow('SKIP');
  const out: string[] = [];
  out.push(`kmigrate validate-series ${r.codemod}: ${r.patches.length} patch(es) on ${r.base}`);
  if (r.cover) out.push(`cover letter: ${r.cover.subject} (${r.cover.source}; read, not applied)`);
  for (const n of r.notes) out.push(`note: ${n.path}${n.line ? `:${n.line}` : ''}: ${n.message}`);
  const total = r.patches.length;
  const failed = (p: PatchReport) => !p.applies || !p.consistent || p.build === 'fail';
  const count = (f: (p: PatchReport) => boolean) => String(r.patches.filter(f).length).padStart(6);
  out.push('');
  out.push('  check        pass  fail  skip');
  out.push(`  applies    ${count((p) => p.applies)}${count((p) => !p.applies && !p.problems.some((x) => x.code === 'not-applied'))}${count((p) => p.problems.some((x) => x.code === 'not-applied'))}`);
  out.push(`  consistent ${count((p) => p.applies && p.consistent)}${count((p) => p.applies && !p.consistent)}${count((p) => !p.applies)}`);
  out.push(`  build      ${count((p) => p.build === 'pass')}${count((p) => p.build === 'fail')}${count((p) => p.build === 'skipped')}`);
  const failing = r.patches.filter(failed);
  const passing = r.patches.filter((p) => !failed(p));
  if (failing.length > 0) {
    out.push('');
    out.push(`failing patches: ${failing.length}`);
  }
  const blocks = total <= FULL_BLOCKS ? [...failing, ...passing] : failing;
  for (const p of blocks) {
    out.push('');
    out.push(`[${p.index}/${total}] ${p.subject}`);
    out.push(`  from ${p.source}${p.author ? `, by ${p.author}` : ''}`);
    const byCheck = (codes: (c: string) => boolean) => p.problems.filter((x) => codes(x.code));
    const applyProblems = byCheck((c) => ['hunk-failed', 'missing-file', 'already-exists', 'not-a-file', 'not-utf8', 'binary', 'delete-mismatch', 'unsafe-path', 'not-applied'].includes(c));
    const buildProblems = byCheck((c) => c === 'build-failed' || c === 'new-warning');
    const consistencyProblems = p.problems.filter((x) => !applyProblems.includes(x) && !buildProblems.includes(x));
    out.push(`  applies     ${mark(p.applies)}`);
    out.push(...applyProblems.map(problemLine));
    out.push(`  consistent  ${p.applies ? mark(p.consistent) : skip}`);
    out.push(...consistencyProblems.map(problemLine));
    out.push(`  build       ${p.build === 'skipped' ? skip : mark(p.build === 'pass')}${p.buildNote ? ` (${p.buildNote})` : ''}`);
    out.push(...buildProblems.map(problemLine));
  }
  if (total > FULL_BLOCKS && passing.length > 0) {
    out.push('');
    out.push(`passing patches: ${passing.length} (every check PASS or SKIP)`);
    for (const p of passing) out.push(`  [${p.index}/${total}] ${p.subject}`);
  }
  out.push('');
  out.push('end of series');
  const f = r.final;
  out.push(`  complete    ${mark(f.complete)}`);
  out.push(...f.problems.filter((p) => p.code === 'old-api-left').map(problemLine));
  out.push(`  equivalent  ${mark(f.equivalent)}`);
  for (const c of f.calls) {
    out.push(`      ${c.path}:${c.line}: ${c.verdict}${c.declared ? ' (declared change)' : ''}${c.verdict === 'differs' ? `: ${c.environment}: before ${c.before}; after ${c.after}` : c.verdict === 'unknown' ? `: ${c.reason}` : ''}`);
  }
  out.push(...f.problems.filter((p) => p.code !== 'old-api-left' && p.code !== 'differs-from-kmigrate' && !p.code.startsWith('meaning-')).map(problemLine));
  out.push(`  vs kmigrate ${f.differsFromKmigrate.length === 0 ? 'identical to kmigrate\'s own migration' : `${f.differsFromKmigrate.length} file(s) differ from kmigrate's own migration`}`);
  for (const d of f.differsFromKmigrate) out.push(`      ${d.path}${d.line ? `:${d.line}` : ''}: ${d.message}`);
  out.push('');
  out.push(`verdict: ${r.verdict === 'pass' ? paint.green('PASS') : paint.red(r.verdict.toUpperCase())}`);
  return out.join('\n') + '\n';
}

export function seriesToJson(r: SeriesReport): object {
  return {
    codemod: r.codemod,
    base: r.base,
    ...(r.cover ? { cover: r.cover } : {}),
    notes: r.notes,
    patches: r.patches.map((p) => ({
      index: p.index,
      subject: p.subject,
      ...(p.author ? { author: p.author } : {}),
      source: p.source,
      applies: p.applies,
      consistent: p.consistent,
      build: p.build,
      ...(p.buildNote ? { buildNote: p.buildNote } : {}),
      problems: p.problems.map(({ path, line, code, message }) => ({ path, line, code, message })),
    })),
    final: {
      complete: r.final.complete,
      equivalent: r.final.equivalent,
      problems: r.final.problems.map(({ path, line, code, message, severity }) => ({ path, line, code, message, severity })),
      differsFromKmigrate: r.final.differsFromKmigrate,
      calls: r.final.calls,
    },
    verdict: r.verdict,
  };
}
