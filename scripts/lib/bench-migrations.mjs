// The migrations scripts/bench.mjs knows how to benchmark: for each, the
// floor (an `rg -l` of the text every candidate file must hold), the
// equivalent Coccinelle semantic patch, an ast-grep rule when there is one,
// and the targets its issue set.
import { join } from 'node:path';

/**
 * - id: the migration kmigrate runs;
 * - needle: the floor's pattern, `rg -l <needle> <tree>`;
 * - cocci: bench/<file>, for spatch -j 2;
 * - astGrepRule: bench/<file>, or undefined;
 * - kmigrateExits: exit codes of a normal dry run (1: some sites need
 *   manual work, which a whole-tree run of a broad migration always has);
 * - scaling: whether to time the 1/4 and 1/2 subtrees too;
 * - spatchWarm: whether spatch gets its own untimed warm-up run (when it
 *   takes minutes, rg's and kmigrate's warm-ups fill the page cache alone);
 * - targets: floorRatio (at most this many times the floor), spatchSpeedup
 *   (at least this many times faster than spatch -j 2), rssMB (peak RSS at
 *   most); a missing one is printed as a ratio, not judged.
 */
export const MIGRATIONS = [
  {
    id: 'iommu-sva-bind-flags',
    needle: 'iommu_sva_bind_device',
    cocci: 'iommu-sva-bind-flags.cocci',
    astGrepRule: 'ast-grep-rule.yml',
    kmigrateExits: [0],
    scaling: true,
    spatchWarm: true,
    issue: 'issue 6',
    targets: { floorRatio: 2.0, spatchSpeedup: 5, rssMB: 300 },
  },
  {
    id: 'platform-remove-void',
    needle: 'struct platform_driver',
    cocci: 'platform-remove-void.cocci',
    astGrepRule: undefined,
    kmigrateExits: [0, 1],
    scaling: false,
    spatchWarm: false,
    issue: 'the speed issue',
    targets: { spatchSpeedup: 5, rssMB: 600 },
  },
];

export const DEFAULT_MIGRATION = MIGRATIONS[0].id;

/** The migrations `--migration <value>` names, or undefined if none. */
export function selectMigrations(value) {
  if (value === 'all') return MIGRATIONS;
  const m = MIGRATIONS.find((x) => x.id === value);
  return m ? [m] : undefined;
}

/** Absolute paths of a migration's bench/ files. */
export function benchFiles(repo, m) {
  return {
    cocci: join(repo, 'bench', m.cocci),
    astGrepRule: m.astGrepRule ? join(repo, 'bench', m.astGrepRule) : undefined,
  };
}
