// format-patch --split-by driver|subsystem: a run's changed files cut into
// the patches maintainers take (codemods/patch/group.ts), each with its
// subsystem's subject prefix, the migration's per-patch body, who it goes
// to, and a cover letter that lists the patches by MAINTAINERS entry.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyMigration } from '../engine/migration.js';
import type { RunResult } from '../engine/types.js';
import { groupFiles, type PatchGroup, type SplitMode } from '../patch/group.js';
import { Maintainers } from '../patch/maintainers.js';
import { commonPrefix, filePrefix, subjectOf, type PrefixMap } from '../patch/prefix.js';
import { unifiedDiff } from '../patch/index.js';
import { wrapWords } from '../patch/text.js';
import { MaintainerLookup, type Recipients } from './get-maintainer.js';

export interface SplitPatch {
  subject: string;
  body: string;
  diff: string;
  files: string[];
  entry: string;
  /** The subject has a subsystem prefix from the path or the map (not the migration's own). */
  prefixed: boolean;
  recipients: Recipients;
}

export interface SplitSeries {
  patches: SplitPatch[];
  /** The cover letter's blurb: the migration's rationale, then the patches by subsystem. */
  coverBody: string;
  lookup?: { runs: number; reused: number };
}

/** Sets of changed files whose sites the migration says must agree (one era group). */
export function couplings(migration: AnyMigration, result: RunResult): string[][] {
  const changed = new Set(result.files.filter((f) => f.status === 'changed').map((f) => f.path));
  const byGroup = new Map<string, Set<string>>();
  for (const s of result.sites) {
    if (!changed.has(s.path) || migration.eraOf(s) === undefined) continue;
    // An API without groups is one group: its files cannot be split.
    const g = migration.eraGroup ? (migration.eraGroup(s) ?? '') : '';
    (byGroup.get(g) ?? byGroup.set(g, new Set()).get(g)!).add(s.path);
  }
  return [...byGroup.values()].map((s) => [...s]);
}

/** The body paragraphs, wrapped at 72 columns (checkpatch wants at most 75). */
function wrapParagraph(p: string): string {
  return wrapWords(p.split(/\s+/).filter((w) => w !== '').join(' '), 0, 0, 72, false);
}

export async function splitSeries(
  migration: AnyMigration,
  result: RunResult,
  root: string,
  mode: SplitMode,
  prefixMap: PrefixMap,
  cacheDir: string | undefined,
  say: (m: string) => void,
): Promise<SplitSeries> {
  const changed = result.files.filter((f) => f.status === 'changed' && f.before !== undefined && f.after !== undefined);
  const maintainersPath = join(root, 'MAINTAINERS');
  const maintainers = existsSync(maintainersPath) ? new Maintainers(readFileSync(maintainersPath, 'utf8')) : undefined;
  const groups: PatchGroup[] = groupFiles(
    changed.map((f) => ({ path: f.path, before: f.before! })),
    couplings(migration, result),
    mode,
    maintainers,
  );
  const byPath = new Map(changed.map((f) => [f.path, f]));
  const meta = migration.meta;
  const summary = meta.patchSummary ?? meta.subject.replace(/^[^:]*:\s*/, '');
  const paragraphs = (meta.patchBody ?? meta.rationale).map((p) => p.trim()).filter((p) => p !== '');

  const lookup = maintainers && MaintainerLookup.available(root) ? new MaintainerLookup(root, maintainers, (p) => byPath.get(p)?.before, cacheDir) : undefined;
  let done = 0;
  const recipients = await Promise.all(
    groups.map(async (g) => {
      let r = lookup ? await lookup.recipients(g.files) : { to: [], cc: [] };
      // No person for these files (a list that is its own maintainer, or
      // THE REST only): the lists are who the patch goes to.
      if (r.to.length === 0) r = { to: r.cc, cc: [] };
      done++;
      if (done % 50 === 0 || done === groups.length) say(`get_maintainer.pl: ${done}/${groups.length} patches addressed`);
      return r;
    }),
  );
  lookup?.save();

  const patches = groups.map((g, i): SplitPatch => {
    const mains = g.files.filter((p) => p.endsWith('.c'));
    const prefix = commonPrefix((mains.length > 0 ? mains : g.files).map((p) => filePrefix(p, prefixMap)));
    const needs = g.dependsOn.map((d) => `Depends on patch ${d + 1} of this series (${groups[d]!.files.join(', ')}), which changes a header this patch needs.`);
    return {
      subject: subjectOf(prefix, summary),
      body: [...paragraphs, ...needs].map(wrapParagraph).join('\n\n') + '\n',
      diff: g.files.map((p) => unifiedDiff(p, byPath.get(p)!.before!, byPath.get(p)!.after!)).join(''),
      files: g.files,
      entry: g.entry ?? 'THE REST',
      prefixed: prefix.parts.length > 0,
      recipients: recipients[i]!,
    };
  });

  // The cover letter: the rationale, then each MAINTAINERS entry with its patches.
  const byEntry = new Map<string, number[]>();
  patches.forEach((p, i) => (byEntry.get(p.entry) ?? byEntry.set(p.entry, []).get(p.entry)!).push(i));
  const width = String(patches.length).length;
  const listing = [...byEntry.keys()]
    .sort()
    .map((e) => `${e} (${byEntry.get(e)!.length}):\n` + byEntry.get(e)!.map((i) => `  ${String(i + 1).padStart(width, '0')} ${patches[i]!.subject}`).join('\n'))
    .join('\n\n');
  const independent = `The ${patches.length} patches are independent of each other${patches.some((_, i) => groups[i]!.dependsOn.length > 0) ? ', except where a patch says it depends on an earlier one' : ''}: each maintainer can take theirs. By subsystem:`;
  const coverBody = [...meta.rationale.map(wrapParagraph), wrapParagraph(independent), listing].join('\n\n') + '\n';
  return { patches, coverBody, ...(lookup ? { lookup: { runs: lookup.runs, reused: lookup.reused } } : {}) };
}
