// The SVA model in the shape every model has (codemods/engine/model.ts): a
// name, a description, and check(before, after, declared ids) → verdicts.
// checkTrees() does the work; this file only translates.
//
// The shapes are restated here, not imported: the model may import only
// codemods/c (an oracle never reaches the engine it judges). TypeScript
// compares them with the engine's where the model is registered
// (codemods/models.ts), so a drift is a type error there.
import { checkTrees, type CheckResult, type EraInfo, type SiteReport } from './check.js';
import { DECLARED_CHANGES } from './declared.js';
import type { TreeInput as TreeSource } from './model-shape.js';

type Verdict = 'equivalent' | 'differs' | 'unknown';

interface SvaModelSite {
  path: string;
  line: number;
  function?: string;
  verdict: Verdict;
  declared: boolean;
  declaredChanges: string[];
  environment?: string;
  before?: string;
  after?: string;
  reason?: string;
  runs: number;
  details?: Record<string, unknown>;
}

interface SvaModelProblem {
  path: string;
  line: number;
  severity: 'error' | 'note';
  code: string;
  message: string;
}

interface SvaModelResult {
  model: string;
  before: string;
  after: string;
  eras?: { before: string; after: string };
  sites: SvaModelSite[];
  problems: SvaModelProblem[];
  summary: { equivalent: number; differs: number; unknown: number; declared: number; problems: number };
  details?: Record<string, unknown>;
  ok: boolean;
}

export interface SvaModel {
  name: string;
  description: string;
  check(opts: { before: TreeSource; after: TreeSource; declared: readonly string[] }): Promise<SvaModelResult>;
}

export const SVA_MODEL_NAME = 'iommu-sva';

/** `drvdata era: void *drvdata`: the era in one line, as `check` prints it. */
export function eraLine(era: EraInfo): string {
  return `${era.kind} era${era.parameter ? `: ${era.parameter}` : ''}`;
}

function siteOf(s: SiteReport): SvaModelSite {
  return {
    path: s.path,
    line: s.line,
    ...(s.function !== null ? { function: s.function } : {}),
    verdict: s.verdict,
    declared: s.declared,
    declaredChanges: s.declaredChanges,
    environment: s.environment,
    before: s.before,
    after: s.after,
    reason: s.reason,
    runs: s.runs,
    details: { afterLine: s.afterLine, arguments: { before: s.beforeArguments, after: s.afterArguments } },
  };
}

/** The generic result of one checkTrees() run, plus problems about the declared ids. */
export function toModelResult(c: CheckResult, unknownIds: readonly string[] = []): SvaModelResult {
  const problems: SvaModelProblem[] = [
    ...unknownIds.map((id) => ({
      path: '',
      line: 0,
      severity: 'error' as const,
      code: 'unknown-declared-change',
      message: `the migration declares '${id}', which the ${SVA_MODEL_NAME} model does not know (it knows: ${DECLARED_CHANGES.map((d) => d.id).join(', ')})`,
    })),
    ...c.problems,
  ];
  const summary = { ...c.summary, problems: c.summary.problems + unknownIds.length };
  return {
    model: SVA_MODEL_NAME,
    before: c.before,
    after: c.after,
    eras: { before: eraLine(c.eras.before), after: eraLine(c.eras.after) },
    sites: c.sites.map(siteOf),
    problems,
    summary,
    details: { eras: c.eras },
    ok: c.ok && unknownIds.length === 0,
  };
}

export const svaModel: SvaModel = {
  name: SVA_MODEL_NAME,
  description:
    'The IOMMU SVA bind API of Linux 6.1 (iommu_sva_bind_device through VT-d and SMMUv3 sva_bind, ' +
    'the Debian CONFIG_X86 backport included): what a call returns or does in every environment',
  async check({ before, after, declared }) {
    const known = DECLARED_CHANGES.filter((d) => declared.includes(d.id));
    const unknownIds = declared.filter((id) => !DECLARED_CHANGES.some((d) => d.id === id));
    return toModelResult(await checkTrees({ before, after, declared: known }), unknownIds);
  },
};
