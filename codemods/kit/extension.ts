// TypeScript steps beside a bundled migration file: what data cannot say
// (a dataflow fold, a new rejection in one driver) written as code that runs
// inside the kit's migration, on the same files, facts and sites.
//
// A bundled migration's YAML names its steps by id (`extensions: [sva-fold]`);
// the folder's index.ts exports them as a BundledExtensions, which the
// registry hands to the kit with the file. A file from elsewhere may name
// none (spec-rules.ts): running code is for what ships with kmigrate.
import type { DiscoverContext, FileRewrite, SourceFile } from '../engine/migration.js';
import type { Site } from '../engine/types.js';
import type { KitFile } from './context.js';

/**
 * One TypeScript step. Its facts live beside the kit's (KitFacts.ext[id]),
 * are learnt per file and folded together like the kit's, so that a worker
 * thread can take any job. Every hook is optional but `createFacts`,
 * `discover` and `mergeFacts`.
 */
export interface KitExtension<F = unknown> {
  /** Byte strings that make a file a candidate, besides the kit's (`\\b` in front: at a word start). */
  needles?: readonly string[];
  /** Substrings of the names it learns (see Migration.nameHints). */
  nameHints?: readonly string[];
  /** Names a candidate's text holds that it needs before any parse (their files become candidates too). */
  namesFromText?(text: string): string[];
  createFacts(scope: { limited: boolean }): F;
  discover(file: SourceFile, facts: F, ctx: DiscoverContext): void;
  mergeFacts(into: F, from: F): void;
  /**
   * False when the tree is past the migration (its API already moved on):
   * then the kit's primitives change nothing, and the step explains every
   * occurrence. Asked with the whole tree's facts, before each file's rewrite.
   */
  applies?(facts: F): boolean;
  /** A file whose rewrite needs every other file's outcome. */
  isDeferred?(path: string, facts: F): boolean;
  /**
   * Runs before the kit's primitives on the same file: the occurrences it
   * ends (k.end) and the edits it plans are the kit's too, and the kit
   * leaves an ended occurrence alone.
   */
  rewrite?(k: KitFile, facts: F): void;
  /** Runs after the kit's primitives: what needs their edits and sites. */
  finish?(k: KitFile, facts: F): void;
  afterRewrite?(file: SourceFile, result: FileRewrite, facts: F, applied: boolean): void;
  afterUnreadable?(path: string, bytes: Uint8Array, facts: F): void;
  /**
   * The era of a site this step reported (see Migration.eraOf): `neither`
   * for its own site that shows no era, undefined for a site not its own.
   */
  eraOf?(site: Site): 'old' | 'new' | 'neither' | undefined;
  /**
   * The era group of any site of the migration (see Migration.eraGroup),
   * instead of the site's `group`: undefined puts every site in one group,
   * which the series validator re-checks on the whole tree after each patch
   * (for a step whose facts about a file come from other files).
   */
  eraGroup?(site: Site): string | undefined;
  /** The codes of the sites this step reports, with their message templates (docs/codes.md). */
  codes?: Readonly<Record<string, string>>;
  /** Prefixes of the API's flag names, old and new (see Migration.flagPrefixes). */
  flagPrefixes?: readonly string[];
}

/** What a bundled migration's folder exports for its YAML: its steps by id, and the module a worker thread loads. */
export interface BundledExtensions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  steps: Readonly<Record<string, KitExtension<any>>>;
  /**
   * The URL of a module exporting `workerMigration(data)` that builds the same
   * migration with these steps (the folder's index.js): worker threads load it.
   */
  module: string;
}
