// Object planning: which kernel objects a set of changed files touches on an
// arch (a .c file is its own object; a header, the candidates that include
// it), leaving out what kbuild would not build with the build's .config.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { kbuildBuilds, type ParsedKbuild } from './makefile.js';
import { srcArch, type KernelArch } from './toolchain.js';

export interface ObjectsForOptions {
  /** The tree's root; needed to find a header's users and to read kbuild Makefiles. */
  srcDir?: string;
  /** More .c files (relative to the root) that may include a changed header, e.g. the API's known users. */
  candidates?: readonly string[];
  /**
   * The build's Kconfig values (readBuildConfig(buildDir)). With it (and
   * srcDir), objects that kbuild would not build with this config are left out.
   */
  config?: ReadonlyMap<string, string>;
}

export interface ObjectPlan {
  objects: string[];
  skipped: { path: string; reason: string }[];
}

function posix(p: string): string {
  const n = path.posix.normalize(p.replace(/\\/g, '/'));
  return n.startsWith('./') ? n.slice(2) : n;
}

function isIncludeDir(dir: string): boolean {
  return dir === 'include' || dir.startsWith('include/') || /^arch\/[^/]+\/include(\/|$)/.test(dir);
}

class IncludeGraph {
  private readonly direct = new Map<string, string[]>();
  private readonly reaches = new Map<string, boolean>();

  constructor(
    private readonly srcDir: string,
    private readonly srcarch: string,
  ) {}

  /** The tree files a file's #include lines name (quoted: its own folder first; angle: include/ and the arch's include/). */
  private includes(file: string): string[] {
    const cached = this.direct.get(file);
    if (cached) return cached;
    let text = '';
    try {
      text = readFileSync(path.join(this.srcDir, file), 'latin1');
    } catch {
      // unreadable: no includes
    }
    const found: string[] = [];
    for (const m of text.matchAll(/^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]/gm)) {
      const name = m[2] ?? '';
      const dirs = m[1] === '"' ? [path.posix.dirname(file)] : [];
      dirs.push('include', `arch/${this.srcarch}/include`, 'include/uapi', `arch/${this.srcarch}/include/uapi`);
      for (const d of dirs) {
        const candidate = posix(path.posix.join(d, name));
        if (!candidate.startsWith('../') && existsSync(path.join(this.srcDir, candidate))) {
          found.push(candidate);
          break;
        }
      }
    }
    this.direct.set(file, found);
    return found;
  }

  /** Does `file` include `header`, directly or through other headers of the tree (depth ≤ 8)? */
  includesHeader(file: string, header: string): boolean {
    const seen = new Set<string>();
    const visit = (f: string, depth: number): boolean => {
      const key = `${f}\0${header}`;
      const known = this.reaches.get(key);
      if (known !== undefined) return known;
      if (seen.has(f) || depth > 8) return false;
      seen.add(f);
      const result = this.includes(f).some((inc) => inc === header || visit(inc, depth + 1));
      // Memoize only full answers (a cut by `seen` or depth is not one).
      if (result) this.reaches.set(key, true);
      return result;
    };
    return visit(file, 0);
  }
}

/**
 * Which objects the changed `paths` touch on `arch`, and why others are left out.
 *
 * The rule, kept simple on purpose:
 *   - a changed .c or .S file is its own object (x.c → x.o);
 *   - a changed header touches the .c files, among the candidates, that
 *     #include it (directly or through other headers of the tree); the
 *     candidates are the changed .c files, `options.candidates` (for example
 *     the API's known users), and, for a header outside include/ and
 *     arch/×/include/ (a driver's private header), every .c file in the
 *     header's own folder;
 *   - files under another arch's arch/ folder, and host code in scripts/ and
 *     tools/, are left out;
 *   - with `options.config`, an object that kbuild's Makefiles do not build
 *     with that config is left out (read from obj-$(CONFIG_…) lines; an
 *     object the reading cannot decide is kept).
 * Other files (Kconfig, Makefiles, docs) touch no object.
 */
export function planObjects(paths: readonly string[], arch: KernelArch, options: ObjectsForOptions = {}): ObjectPlan {
  const objects = new Set<string>();
  const skipped: ObjectPlan['skipped'] = [];
  const srcarch = srcArch(arch);
  const changed = paths.map(posix);
  const sources = changed.filter((p) => /\.[cS]$/.test(p));
  const graph = options.srcDir ? new IncludeGraph(options.srcDir, srcarch) : undefined;

  const wantSource = (file: string, why: string): void => {
    const archDir = /^arch\/([^/]+)\//.exec(file)?.[1];
    if (archDir !== undefined && archDir !== srcarch) {
      skipped.push({ path: file, reason: `${why}: under arch/${archDir}/, not built for ${arch}` });
      return;
    }
    if (/^(scripts|tools)\//.test(file)) {
      skipped.push({ path: file, reason: `${why}: host code, not a kernel object` });
      return;
    }
    objects.add(file.replace(/\.[cS]$/, '.o'));
  };

  for (const file of sources) wantSource(file, file);

  for (const header of changed.filter((p) => p.endsWith('.h'))) {
    if (!graph || !options.srcDir) {
      skipped.push({ path: header, reason: 'header: no source dir given to find the files that include it' });
      continue;
    }
    const candidates = new Set<string>([...sources, ...(options.candidates ?? []).map(posix).filter((p) => p.endsWith('.c'))]);
    const dir = path.posix.dirname(header);
    if (!isIncludeDir(dir)) {
      try {
        for (const entry of readdirSync(path.join(options.srcDir, dir))) {
          if (entry.endsWith('.c')) candidates.add(path.posix.join(dir, entry));
        }
      } catch {
        // the folder is gone: only the other candidates
      }
    }
    const users = [...candidates].filter((c) => graph.includesHeader(c, header));
    if (users.length === 0) skipped.push({ path: header, reason: 'header: no candidate .c file includes it' });
    for (const user of users.sort()) wantSource(user, `${user} (includes ${header})`);
  }

  let result = [...objects];
  if (options.config && options.srcDir) {
    const cache = new Map<string, ParsedKbuild | undefined>();
    result = result.filter((object) => {
      const e = kbuildBuilds(options.srcDir as string, object, arch, options.config as ReadonlyMap<string, string>, cache);
      if (e.built === false) skipped.push({ path: object, reason: e.reason });
      return e.built !== false;
    });
  }
  return { objects: result.sort(), skipped };
}

/** The objects of planObjects(), without the reasons for what was left out. */
export function objectsFor(paths: readonly string[], arch: KernelArch, options: ObjectsForOptions = {}): string[] {
  return planObjects(paths, arch, options).objects;
}
