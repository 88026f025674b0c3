// Consistency after each patch without migrating the whole tree again: the
// migration ran once on the base; after a patch, only the files it touches
// and the files that share an era group with them (the files defining,
// declaring and registering the functions those files' sites concern) are
// migrated again, and only the groups they hold are checked. For a
// per-function migration that is a handful of files a patch. A migration of
// one API (one group, every site must agree with every other) is migrated
// again on its whole scope, as before: it is small, and its sites may need
// facts from files that hold none.
import type { AnyMigration } from '../engine/migration.js';
import { runMigration } from '../engine/run.js';
import type { TreeSource } from '../io/source.js';
import type { RunResult, Site } from '../engine/types.js';
import { eraProblems } from './consistency.js';
import type { SeriesProblem } from './types.js';

/** The group a site must agree within, or undefined when it shows no era. */
function groupOf(migration: AnyMigration, s: Site): string | undefined {
  if (migration.eraOf(s) === undefined) return undefined;
  return migration.eraGroup ? (migration.eraGroup(s) ?? '') : '';
}

export class IncrementalConsistency {
  /** The sites of each file in the current state of the series. */
  private readonly sites = new Map<string, Site[]>();
  /** Group → files with a site in it (only ever grows: a stale entry costs a re-scan, never a miss). */
  private readonly members = new Map<string, Set<string>>();
  /** Files migrated again, over all patches (for the report's note). */
  rescanned = 0;

  constructor(
    private readonly migration: AnyMigration,
    base: RunResult,
    private readonly rootLabel: string,
  ) {
    for (const s of base.sites) this.add(s);
  }

  private add(s: Site): void {
    (this.sites.get(s.path) ?? this.sites.set(s.path, []).get(s.path)!).push(s);
    const g = groupOf(this.migration, s);
    if (g !== undefined) (this.members.get(g) ?? this.members.set(g, new Set()).get(g)!).add(s.path);
  }

  private groupsOf(paths: Iterable<string>): Set<string> {
    const out = new Set<string>();
    for (const p of paths) {
      for (const s of this.sites.get(p) ?? []) {
        const g = groupOf(this.migration, s);
        if (g !== undefined) out.add(g);
      }
    }
    return out;
  }

  private filesOf(groups: Iterable<string>): Set<string> {
    const out = new Set<string>();
    for (const g of groups) for (const p of this.members.get(g) ?? []) out.add(p);
    return out;
  }

  /**
   * The era problems after a patch that touched `touched`, reading the
   * series' current state from `state`.
   */
  async afterPatch(state: TreeSource, touched: readonly string[]): Promise<SeriesProblem[]> {
    const code = touched.filter((p) => p.endsWith('.c') || p.endsWith('.h'));
    if (code.length === 0) return [];
    if (this.groupsOf(code).has('') || !this.migration.eraGroup) {
      const result = await runMigration(this.migration, state, { rootLabel: this.rootLabel });
      this.sites.clear();
      for (const s of result.sites) this.add(s);
      this.rescanned += result.summary.filesParsed;
      return eraProblems(this.migration, result.sites);
    }
    let scope = new Set([...code, ...this.filesOf(this.groupsOf(code))]);
    // Twice at most: the new sites of the touched files may name groups
    // (a renamed function) whose other files were not in the first scope.
    for (let round = 0; round < 2; round++) {
      const paths = [...scope].filter((p) => state.read(p) !== undefined).sort();
      const source: TreeSource = { limited: false, list: () => paths, read: state.read };
      const result = await runMigration(this.migration, source, { rootLabel: this.rootLabel });
      this.rescanned += paths.length;
      for (const p of scope) this.sites.delete(p);
      for (const s of result.sites) this.add(s);
      const wider = new Set([...scope, ...this.filesOf(this.groupsOf(code))]);
      if (wider.size === scope.size) break;
      scope = wider;
    }
    const groups = this.groupsOf(scope);
    const sites = [...this.filesOf(groups)].flatMap((p) => (this.sites.get(p) ?? []).filter((s) => groups.has(groupOf(this.migration, s)!)));
    return eraProblems(this.migration, sites);
  }
}
