// The series validator's report (docs/json.md, validate-series).

export interface SeriesProblem {
  path: string;
  line: number;
  code: string;
  message: string;
  /** 'error' fails the check it belongs to; 'note' is information. */
  severity?: 'error' | 'note';
}

export type BuildVerdict = 'pass' | 'fail' | 'skipped';

export interface PatchReport {
  index: number;
  subject: string;
  author?: string;
  source: string;
  applies: boolean;
  consistent: boolean;
  build: BuildVerdict;
  /** Why the build was skipped, or which architectures were built. */
  buildNote?: string;
  problems: SeriesProblem[];
}

export interface FinalReport {
  complete: boolean;
  equivalent: boolean;
  problems: SeriesProblem[];
  /** Files where the series' result differs from kmigrate's own migration of the base tree. */
  differsFromKmigrate: { path: string; line: number; message: string }[];
  /** The model's per-call verdicts between the base and the result. */
  calls: { path: string; line: number; verdict: string; declared: boolean; environment: string; before: string; after: string; reason: string }[];
}

export interface SeriesReport {
  codemod: string;
  base: string;
  cover?: { subject: string; source: string };
  notes: SeriesProblem[];
  patches: PatchReport[];
  final: FinalReport;
  verdict: 'pass' | 'fail';
}
