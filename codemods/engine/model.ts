// What `kmigrate check` runs: an executable model of the core an API lives in
// (the IOMMU SVA core, the platform bus, the i2c core). A model is found by
// the name a migration gives (docs/migration-format.md, key `model`) in the
// one registry; the engine knows only this shape. A model reads C itself and
// never imports the migration it judges: an oracle that shares code with what
// it checks agrees with it by construction.
import { textReader } from '../c/text.js';
import { overlaySource, type TreeSource } from '../io/source.js';

/** A source tree as a model reads it: on disk, in memory, or one laid over another. */
export interface ModelTree {
  /** How reports name the tree: a directory, `kmigrate's migration`, a series. */
  label: string;
  /** Files (relative, `/`-separated) the model should read: every file the migration parsed. */
  paths: string[];
  /** The text of a file, or undefined when it is missing or not valid UTF-8. */
  read(relativePath: string): string | undefined;
}

export type ModelVerdict = 'equivalent' | 'differs' | 'unknown';

/** The model's verdict on one site (a call, or a converted function). */
export interface ModelSite {
  path: string;
  /** The site's line in the "before" tree. */
  line: number;
  /** The function the site is in, or the function judged. */
  function?: string;
  verdict: ModelVerdict;
  /** True when every difference found is one the migration declares. */
  declared: boolean;
  declaredChanges: string[];
  /** The first environment that differs (or the one that was declared), in words. */
  environment?: string;
  before?: string;
  after?: string;
  /** Why `unknown`, why `differs`, or what the declared change means. */
  reason?: string;
  /** Environments (× paths) the model was run in. */
  runs: number;
  /** Free-form extra fields a model may report (JSON only). */
  details?: Record<string, unknown>;
}

export interface ModelProblem {
  path: string;
  line: number;
  severity: 'error' | 'note';
  code: string;
  message: string;
}

export interface ModelCheckResult {
  /** The model's name. */
  model: string;
  before: string;
  after: string;
  /** One line per tree saying which shape of the API it has, when the model tells. */
  eras?: { before: string; after: string };
  sites: ModelSite[];
  problems: ModelProblem[];
  summary: { equivalent: number; differs: number; unknown: number; declared: number; problems: number };
  /** Free-form extra fields about the whole check (JSON only), e.g. how each tree's era was found. */
  details?: Record<string, unknown>;
  /** False when a person must look: a difference not declared, an unknown site, or an error problem. */
  ok: boolean;
}

export interface MigrationModel {
  /** The name a migration file gives in `model:`. */
  name: string;
  /** One line: what the model models, from which documented behaviour. */
  description: string;
  /**
   * Judge every site of both trees. `declared`: the behaviour changes the
   * migration declares (ids the model knows); any other difference fails.
   * An id the model does not know is an error problem, code
   * `unknown-declared-change`.
   */
  check(opts: { before: ModelTree; after: ModelTree; declared: readonly string[] }): ModelCheckResult | Promise<ModelCheckResult>;
}

/** What a model reads of `tree` (the one tree abstraction, io/source.ts): `paths`, as text. */
export function modelTree(tree: TreeSource, label: string, paths: string[]): ModelTree {
  return { label, paths, read: textReader(tree) };
}

/**
 * `changes` (new text, or null for a deleted file) laid over `tree`, for a
 * model: the paths are `paths` without the deleted ones, plus every changed
 * file.
 */
export function changedModelTree(tree: TreeSource, paths: readonly string[], changes: ReadonlyMap<string, string | null>, label: string): ModelTree {
  const after = new Set(paths.filter((p) => changes.get(p) !== null));
  for (const [p, text] of changes) if (text !== null) after.add(p);
  return modelTree(overlaySource(tree, changes), label, [...after].sort());
}
