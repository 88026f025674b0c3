// What a migration is, as data plus small steps (one folder per migration
// under codemods/migrations/). The engine drives the steps; it knows nothing
// of any particular API.
import type { LineIndex, SyntaxNode, Tree } from '../c/index.js';
import type { Edit, Site } from './types.js';

/**
 * `Step`: the ids of the migration's steps. A TypeScript migration declares
 * its meta with migrationMeta() and its edits as Edit<StepOf<typeof meta>>,
 * so that an edit naming a step that is not declared is a type error (it
 * would be left out of every `format-patch --split` patch).
 */
export interface MigrationMeta<Step extends string = string> {
  /** kebab-case id used on the command line. */
  id: string;
  /** The commit subject, `area: Summary` (what format-patch and `list` print). */
  subject: string;
  /** One line for `kmigrate list`. */
  summary: string;
  /** Commit message body paragraphs, the same words the docs use. */
  rationale: string[];
  /** The upstream change this migration reproduces. */
  reference: string;
  /**
   * The bisectable steps `format-patch --split` makes, in order. Edits carry a
   * step id; an edit without one belongs to the step marked `main`.
   */
  steps: MigrationStep<Step>[];
  /** The model `check` runs (a name in the registry's model table), or absent: `check` says there is none. */
  model?: string;
  /** Behaviour changes the migration declares (ids its model knows). */
  declared?: readonly string[];
  /** Kconfig options that build this migration's drivers, per architecture, on top of defconfig. */
  kconfig?: { x86_64?: readonly string[]; arm64?: readonly string[] };
  /** The subject summary of one patch per driver or subsystem (the prefix comes from the path). */
  patchSummary?: string;
  /** The body paragraphs of one patch per driver or subsystem. */
  patchBody?: string[];
}

export interface MigrationStep<Step extends string = string> {
  id: Step;
  subject: string;
  body: string[];
  main?: boolean;
}

/**
 * The meta as written, with its step ids kept as a type (StepOf), for a
 * migration written in TypeScript (none ships today; test/types/step-ids.test.ts).
 * @public
 */
export function migrationMeta<Step extends string>(meta: MigrationMeta<Step>): MigrationMeta<Step> {
  return meta;
}

/** The step ids a meta declares. @public */
export type StepOf<M> = M extends MigrationMeta<infer Step> ? Step : never;

/** A parsed source file handed to the steps. */
export interface SourceFile {
  path: string;
  text: string;
  tree: Tree;
  root: SyntaxNode;
  lines: LineIndex;
}

/** What a migration's rewrite step returns for one file. */
export interface FileRewrite<Step extends string = string> {
  edits: Edit<Step>[];
  sites: Site[];
}

export interface DiscoverContext {
  /** Read a file of the tree that was not among the candidates (undefined when absent or not UTF-8). */
  readAux(path: string): string | undefined;
  /** For a migration run as jobs: every name `jobs.namesFromText` found in the tree's candidates. */
  names?: ReadonlySet<string>;
}

export interface Migration<Facts, Step extends string = string> {
  meta: MigrationMeta<Step>;
  /**
   * Every diagnostic code the migration's sites may carry, with its message
   * template (its messages.ts); with the engine's own (engine/codes.ts) the
   * catalogue docs/codes.md lists.
   */
  codes?: Readonly<Record<string, string>>;
  /**
   * Byte strings at least one of which a file must contain to be worth
   * parsing. `\\b` in front (`'\\bSVM_FLAG_'`) keeps only occurrences that
   * start a word, as in a regular expression.
   */
  needles: readonly string[];
  /**
   * Substrings the names learned in pass 1 usually contain (`svm_bind` for
   * VT-d's sva_bind implementation): the prefilter indexes every identifier that
   * contains one, so such names need no second read of the tree. Names
   * without a hint still get one; the hint only makes it cheaper, never
   * changes the result.
   */
  nameHints?: readonly string[];
  /**
   * Files that are candidates whatever they hold (an added define's file):
   * parsed when the tree scanned has them, without the needles or the text
   * test, so that what must happen there is done or reported.
   */
  paths?: readonly string[];
  /**
   * A cheap test of a pass-1 candidate's text before it is parsed (a
   * migration about `.remove` of `struct platform_driver` parses only files
   * that also register or call a `remove`). Files learned in pass 2 skip it.
   */
  accepts?(text: string): boolean;
  /**
   * A migration run as jobs (engine/job-run.ts): each file is parsed, learnt
   * from and rewritten by whichever thread takes its job, and no tree
   * outlives its job. Worker threads build the same migration from
   * `module` (which exports `workerMigration(data)`); facts learnt per file
   * are folded together with `mergeFacts`; names the discovery needs are
   * taken from the candidates' text first, before anything is parsed.
   */
  jobs?: {
    module: string;
    data: unknown;
    namesFromText(text: string): string[];
    mergeFacts(into: Facts, from: Facts): void;
    /**
     * The rewrite a discover job may make at once from what its file alone
     * tells (`local`: the facts it learnt from that file), with what the
     * answer relied on; undefined when the file needs the whole tree.
     * Saves parsing the file a second time.
     */
    speculate?(file: SourceFile, local: Facts, names: ReadonlySet<string>): { rewrite: FileRewrite<Step>; deps: unknown } | undefined;
    /** True when the run's facts give the answers a speculation relied on (then its rewrite stands). */
    confirm?(deps: unknown, facts: Facts, path: string): boolean;
  };
  /** Fresh, JSON-serialisable cross-file facts. `limited`: only part of the tree is scanned. */
  createFacts(scope: { limited: boolean }): Facts;
  /** A candidate file that cannot be read as UTF-8 is never rewritten; let the migration account for it. */
  afterUnreadable?(path: string, bytes: Uint8Array, facts: Facts): void;
  /** Pass 1: learn cross-file facts from a candidate file (mutates `facts`). */
  discover(file: SourceFile, facts: Facts, ctx: DiscoverContext): void;
  /** Names learned in pass 1 that pass-1 needles may not cover: the tree is searched again for them. */
  extraNeedles(facts: Facts): string[];
  /** Files whose rewrite depends on every other file's result (rewritten last). */
  isDeferred(path: string, facts: Facts): boolean;
  /** Rewrite one file. `facts` carries pass-1 knowledge and, for deferred files, round-1 results. */
  rewrite(file: SourceFile, facts: Facts): FileRewrite<Step>;
  /**
   * Which side of the migration a site shows: 'old' (the API before), 'new'
   * (already migrated), or undefined (either, or neither). The series
   * validator calls a tree consistent when no two sites disagree.
   */
  eraOf(site: Site): 'old' | 'new' | undefined;
  /**
   * Sites that must agree on the era: those with the same group. A change of
   * one API is one group (undefined); a per-driver conversion through a
   * transitional member (`.remove` → `.remove_new`) groups by function, so
   * converted and unconverted drivers may coexist at any point of a series.
   */
  eraGroup?(site: Site): string | undefined;
  /** Exact names that must stay defined wherever they are used (new defines, replacement helpers). */
  definedNames?: readonly string[];
  /**
   * Called once after pass 2, before any rewrite, with every parsed file:
   * decisions that need the whole tree (is this implementation's value used
   * anywhere?) are taken here.
   */
  afterDiscover?(facts: Facts, files: ReadonlyMap<string, SourceFile>): void;
  /** Prefixes of the flag names the API uses, old and new (every use must have a definition). */
  flagPrefixes?: readonly string[];
  /**
   * Fold a finished (non-deferred) file's outcome into `facts` before deferred
   * files run. `applied` is false when the engine refused the file's edits.
   */
  afterRewrite(file: SourceFile, result: FileRewrite, facts: Facts, applied: boolean): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMigration = Migration<any>;
