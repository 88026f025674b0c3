// The data the engine produces. Nothing here prints or exits.

export type SiteKind =
  | 'call'
  | 'definition'
  | 'prototype'
  | 'stub'
  | 'ops-member'
  | 'implementation'
  | 'define'
  | 'macro-body'
  | 'fn-pointer'
  | 'other';

export type SiteAction = 'rewritten' | 'manual' | 'unchanged';

/** One occurrence of the API, and what became of it. Lines/columns: 1-based, in the tree before the rewrite. */
export interface Site {
  path: string;
  line: number;
  column: number;
  kind: SiteKind;
  action: SiteAction;
  code: string;
  message: string;
  /** The function the site concerns (a converted implementation, a caller), when there is one. */
  symbol?: string;
  /** Sites that must agree on the API's era share a group (see Migration.eraGroup); not printed. */
  group?: string;
  /**
   * The rewrite changes what the code does (a declared behaviour change):
   * shown in text and JSON. Set by the migration, or by the engine on a
   * rewritten site that an edit marked `changesBehaviour` serves.
   */
  changesBehaviour?: boolean;
  /**
   * The site's id in its file, which the edits that serve it name
   * (Edit.sites); unique within the file's rewrite (not printed).
   */
  id?: string;
  /**
   * The rewrite stands only when no other edit of its file is refused:
   * an include or a define removed because the other edits took away
   * its last use.
   */
  needsFile?: boolean;
  /**
   * An unchanged site every reader must see (the migration does not apply to
   * this tree, and why): printed with the manual ones, said once per run.
   */
  notice?: boolean;
  /** UTF-16 offset of the occurrence in the original text (not printed). */
  offset?: number;
}

/**
 * Replace `text.slice(start, end)` with `text`. Offsets are UTF-16 indices.
 * `Step`: the migration's step ids, so that a step that is not one of them
 * is a type error.
 */
export interface Edit<Step extends string = string> {
  start: number;
  end: number;
  text: string;
  /** The migration step (MigrationMeta.steps id) this edit belongs to; the main step when absent. */
  step?: Step;
  /**
   * The ids of the sites this edit serves (Site.id). When the engine refuses
   * an edit, every site it serves becomes manual and every other edit of
   * those sites is dropped too; the rest of the file keeps its edits. An
   * edit that names no site serves the whole file: refusing it, or any
   * other edit of the file, refuses them all.
   */
  sites?: readonly string[];
  /** This edit changes what the code does: the sites it serves are marked `changesBehaviour`. */
  changesBehaviour?: boolean;
}

export type FileStatus = 'changed' | 'unchanged' | 'refused' | 'error';

export interface FileResult {
  path: string;
  status: FileStatus;
  /** Present when status is 'changed'. */
  before?: string;
  after?: string;
  /** The edits that turn `before` into `after` (present when status is 'changed'). */
  edits?: Edit[];
  sites: Site[];
}

export interface RunSummary {
  filesScanned: number;
  /** .c/.h symlinks inside the tree, not followed (their targets in the tree are scanned). */
  symlinksSkipped: number;
  filesParsed: number;
  filesChanged: number;
  rewritten: number;
  manual: number;
  unchanged: number;
}

export interface RunResult {
  codemod: string;
  root: string;
  files: FileResult[];
  sites: Site[];
  summary: RunSummary;
  /** ERROR-node statistics over the files parsed (`errorNodes` only when counted: RunOptions.countErrors). */
  parse: { files: number; bytes: number; filesWithErrors: number; errorNodes?: number; parseMs: number };
}
