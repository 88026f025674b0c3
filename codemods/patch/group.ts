// Cutting a treewide change into the patches maintainers take: one per
// driver (a .c file with the files that must change with it), or one per
// MAINTAINERS entry. Files travel together when
//  - the migration says their sites must agree (the same era group: a
//    function defined in one file and registered in another), or
//  - a changed header is included by changed .c files of one group only.
// A changed header that .c files of several groups include becomes its own
// patch, placed first; the patches of those groups depend on it.
import { posix } from 'node:path';
import type { Maintainers } from './maintainers.js';

export interface ChangedFile {
  path: string;
  /** The text before the change (its #include lines are read). */
  before: string;
}

export interface PatchGroup {
  /** Paths of the group, sorted. */
  files: string[];
  /** Indices (in the returned order) of the groups this one needs applied first. */
  dependsOn: number[];
  /** The MAINTAINERS entry of the group's first .c file (or first file). */
  entry?: string;
}

export type SplitMode = 'driver' | 'subsystem';

class UnionFind {
  private parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p !== x) {
      p = this.find(p);
      this.parent.set(x, p);
    }
    return p;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
}

const isC = (p: string) => p.endsWith('.c');
const isH = (p: string) => p.endsWith('.h');

/** The changed headers a .c file includes, resolved as kbuild's -I would (its directory, include/, arch/<arch>/include/). */
export function includedHeaders(file: ChangedFile, headers: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  const dir = posix.dirname(file.path);
  for (const m of file.before.matchAll(/^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]/gm)) {
    const name = m[2]!.trim();
    const tries = m[1] === '"' ? [posix.normalize(posix.join(dir, name)), `include/${name}`] : [`include/${name}`, `include/uapi/${name}`];
    for (const t of tries) if (headers.has(t)) out.add(t);
    for (const h of headers) if (/^arch\/[^/]+\/include\/(?:uapi\/)?/.test(h) && h.replace(/^arch\/[^/]+\/include\/(?:uapi\/)?/, '') === name) out.add(h);
  }
  return [...out];
}

/**
 * The groups, in series order: shared headers first, then the rest by
 * their first path. `couplings` are sets of paths that must be in one patch.
 */
export function groupFiles(files: readonly ChangedFile[], couplings: Iterable<Iterable<string>>, mode: SplitMode, maintainers?: Maintainers): PatchGroup[] {
  const paths = new Set(files.map((f) => f.path));
  const uf = new UnionFind();
  for (const set of couplings) {
    let first: string | undefined;
    for (const p of set) {
      if (!paths.has(p)) continue;
      if (first === undefined) first = p;
      else uf.union(first, p);
    }
  }
  const entryOf = (p: string) => maintainers?.entryOf(p)?.name;
  if (mode === 'subsystem') {
    // One patch per MAINTAINERS entry: every .c file with the others of its entry.
    const byEntry = new Map<string, string>();
    for (const f of files) {
      if (isH(f.path)) continue;
      const e = entryOf(f.path) ?? '';
      const seen = byEntry.get(e);
      if (seen === undefined) byEntry.set(e, f.path);
      else uf.union(seen, f.path);
    }
  }

  // Headers: with the one group that includes them, or alone.
  const headers = new Set([...paths].filter(isH));
  const includers = new Map<string, Set<string>>();
  for (const f of files) {
    if (!isC(f.path)) continue;
    for (const h of includedHeaders(f, headers)) (includers.get(h) ?? includers.set(h, new Set()).get(h)!).add(f.path);
  }
  const shared = new Map<string, Set<string>>(); // header → .c files that need it
  for (const h of [...headers].sort()) {
    // A header coupled to a .c file by the migration already has its group.
    const coupled = [...paths].some((p) => isC(p) && uf.find(p) === uf.find(h));
    if (coupled) continue;
    const users = [...(includers.get(h) ?? [])];
    const roots = new Set(users.map((u) => uf.find(u)));
    if (roots.size === 1) uf.union(users[0]!, h);
    else if (roots.size > 1) shared.set(h, new Set(users));
  }

  const members = new Map<string, string[]>();
  for (const p of [...paths].sort()) {
    const r = uf.find(p);
    (members.get(r) ?? members.set(r, []).get(r)!).push(p);
  }
  const groups = [...members.values()];
  const isShared = (g: string[]) => g.every((p) => shared.has(p));
  const order = [...groups.filter(isShared), ...groups.filter((g) => !isShared(g))];
  const indexOf = new Map<string, number>();
  order.forEach((g, i) => g.forEach((p) => indexOf.set(p, i)));
  return order.map((g, i) => {
    const needs = new Set<number>();
    for (const [h, users] of shared) {
      const hi = indexOf.get(h)!;
      if (hi !== i && g.some((p) => users.has(p))) needs.add(hi);
    }
    const main = g.find(isC) ?? g[0]!;
    const entry = entryOf(main);
    return { files: g, dependsOn: [...needs].sort((a, b) => a - b), ...(entry ? { entry } : {}) };
  });
}
