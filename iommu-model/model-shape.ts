// The shapes `kmigrate check` exchanges with a model, declared again here.
// codemods/engine/model.ts holds the originals; the model may not import
// the engine (test/architecture.test.ts), so these are structural copies:
// a model built from them satisfies MigrationModel without naming it.

/** A source tree as a model reads it (ModelTree). */
export interface TreeInput {
  label: string;
  /** Files (relative, `/`-separated) the model should read. */
  paths: string[];
  /** The text of a file, or undefined when it is missing or not valid UTF-8. */
  read(relativePath: string): string | undefined;
}

export type SiteVerdict = 'equivalent' | 'differs' | 'unknown';

/** One judged function (ModelSite). */
export interface SiteResult {
  path: string;
  /** The site's line in the "before" tree. */
  line: number;
  function?: string;
  verdict: SiteVerdict;
  declared: boolean;
  declaredChanges: string[];
  environment?: string;
  before?: string;
  after?: string;
  reason?: string;
  runs: number;
  details?: Record<string, unknown>;
}

/** ModelProblem. */
export interface ProblemResult {
  path: string;
  line: number;
  severity: 'error' | 'note';
  code: string;
  message: string;
}

/** ModelCheckResult. */
export interface CheckResultShape {
  model: string;
  before: string;
  after: string;
  eras?: { before: string; after: string };
  sites: SiteResult[];
  problems: ProblemResult[];
  summary: { equivalent: number; differs: number; unknown: number; declared: number; problems: number };
  ok: boolean;
}

/** What check() is given (MigrationModel.check's argument). */
export interface CheckInput {
  before: TreeInput;
  after: TreeInput;
  declared: readonly string[];
}

/** MigrationModel. */
export interface ModelShape {
  name: string;
  description: string;
  /** A model that parses large files may free each tree before the next parse: it answers asynchronously. */
  check(opts: CheckInput): CheckResultShape | Promise<CheckResultShape>;
}

/** Summary and `ok` from sites and problems, as every model computes them. */
export function finishResult(model: string, opts: CheckInput, sites: SiteResult[], problems: ProblemResult[], eras?: { before: string; after: string }): CheckResultShape {
  const count = (v: SiteVerdict) => sites.filter((s) => s.verdict === v).length;
  const summary = {
    equivalent: count('equivalent'),
    differs: count('differs'),
    unknown: count('unknown'),
    declared: sites.filter((s) => s.declared).length,
    problems: problems.filter((p) => p.severity === 'error').length,
  };
  return {
    model,
    before: opts.before.label,
    after: opts.after.label,
    ...(eras ? { eras } : {}),
    sites,
    problems,
    summary,
    ok: summary.differs === 0 && summary.unknown === 0 && summary.problems === 0,
  };
}
