// Renderings of a model's verdicts (docs/cli.md and docs/json.md, check),
// for any model: one line per site (declared behaviour changes named), the
// problems, a summary line; or the JSON object with every site's path, line,
// verdict, declared, environment, before, after and reason, and the model's
// own extra fields.
import type { ModelCheckResult } from '../../engine/model.js';
import { plain, type Paint } from '../colour.js';

const zeroSummary = () => ({ equivalent: 0, differs: 0, unknown: 0, declared: 0 });

/** `check --format json` for a migration without a model. */
export function noModelJson(codemod: string): object {
  return { codemod, model: null, sites: [], summary: zeroSummary() };
}

export function checkToJson(codemod: string, c: ModelCheckResult): object {
  return {
    codemod,
    model: c.model,
    before: c.before,
    after: c.after,
    ...(c.eras ? { eras: c.eras } : {}),
    ...(c.details ? { details: c.details } : {}),
    sites: c.sites.map((s) => ({
      // The model's extra fields first: they never hide a field every model has.
      ...s.details,
      path: s.path,
      line: s.line,
      verdict: s.verdict,
      declared: s.declared,
      declaredChanges: s.declaredChanges,
      environment: s.environment ?? '',
      before: s.before ?? '',
      after: s.after ?? '',
      reason: s.reason ?? '',
      ...(s.function !== undefined ? { function: s.function } : {}),
      runs: s.runs,
    })),
    problems: c.problems,
    summary: { equivalent: c.summary.equivalent, differs: c.summary.differs, unknown: c.summary.unknown, declared: c.summary.declared },
    ok: c.ok,
  };
}

/** Verdicts coloured with `paint`: equivalent green, DIFFERS red, unknown yellow. */
export function renderCheckText(c: ModelCheckResult, paint: Paint = plain): string {
  const out: string[] = [];
  out.push(`before: ${c.before}${c.eras ? ` (${c.eras.before})` : ''}`);
  out.push(`after:  ${c.after}${c.eras ? ` (${c.eras.after})` : ''}`);
  for (const s of c.sites) {
    const where = `${s.path}:${s.line}${s.function ? ` in ${s.function}()` : ''}`;
    if (s.verdict === 'equivalent') {
      out.push(`${where}: ${paint.green('equivalent')}${s.declared ? ` (declared change: ${s.declaredChanges.join('; ')})` : ''} [${s.runs} runs]`);
    } else if (s.verdict === 'differs') {
      out.push(`${where}: ${paint.red('DIFFERS')}`);
      out.push(`    environment: ${s.environment ?? ''}`);
      out.push(`    before: ${s.before ?? ''}`);
      out.push(`    after:  ${s.after ?? ''}`);
      if (s.reason) out.push(`    why: ${s.reason}`);
    } else {
      out.push(`${where}: ${paint.yellow('unknown')}: ${s.reason ?? ''}`);
    }
  }
  for (const p of c.problems) out.push(`${p.path ? `${p.path}:${p.line}: ` : ''}${p.severity}: [${p.code}] ${p.message}`);
  const s = c.summary;
  out.push(`${s.equivalent} equivalent (${s.declared} with declared changes), ${s.differs} differ, ${s.unknown} unknown: ${c.ok ? paint.green('OK') : paint.red('FAIL')}`);
  return out.join('\n') + '\n';
}
