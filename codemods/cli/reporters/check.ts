// Renderings of the model's verdicts (SPEC §3).
import type { CheckResult } from '../../../iommu-model/index.js';

export function checkToJson(codemod: string, c: CheckResult): object {
  return {
    codemod,
    before: c.before,
    after: c.after,
    eras: c.eras,
    sites: c.sites.map((s) => ({
      path: s.path,
      line: s.line,
      verdict: s.verdict,
      declared: s.declared,
      declaredChanges: s.declaredChanges,
      environment: s.environment,
      before: s.before,
      after: s.after,
      reason: s.reason,
      function: s.function,
      afterLine: s.afterLine,
      arguments: { before: s.beforeArguments, after: s.afterArguments },
      runs: s.runs,
    })),
    problems: c.problems,
    summary: { equivalent: c.summary.equivalent, differs: c.summary.differs, unknown: c.summary.unknown, declared: c.summary.declared },
    ok: c.ok,
  };
}

export function renderCheckText(c: CheckResult): string {
  const out: string[] = [];
  out.push(`before: ${c.before} (${c.eras.before.kind} era${c.eras.before.parameter ? `: ${c.eras.before.parameter}` : ''})`);
  out.push(`after:  ${c.after} (${c.eras.after.kind} era${c.eras.after.parameter ? `: ${c.eras.after.parameter}` : ''})`);
  for (const s of c.sites) {
    const where = `${s.path}:${s.line}${s.function ? ` in ${s.function}()` : ''}`;
    if (s.verdict === 'equivalent') {
      out.push(`${where}: equivalent${s.declared ? ` (declared change: ${s.declaredChanges.join('; ')})` : ''} [${s.runs} runs]`);
    } else if (s.verdict === 'differs') {
      out.push(`${where}: DIFFERS`);
      out.push(`    environment: ${s.environment}`);
      out.push(`    before: ${s.before}`);
      out.push(`    after:  ${s.after}`);
      if (s.reason) out.push(`    why: ${s.reason}`);
    } else {
      out.push(`${where}: unknown: ${s.reason}`);
    }
  }
  for (const p of c.problems) out.push(`${p.path}:${p.line}: ${p.severity}: [${p.code}] ${p.message}`);
  const s = c.summary;
  out.push(`${s.equivalent} equivalent (${s.declared} with declared changes), ${s.differs} differ, ${s.unknown} unknown: ${c.ok ? 'OK' : 'FAIL'}`);
  return out.join('\n') + '\n';
}
