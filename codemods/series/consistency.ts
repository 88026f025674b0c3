// "Is the tree consistent at this point of the series?": every declaration,
// definition, stub, ops member, implementation and call of the API agrees on
// one signature (within each group the migration names), and every name the
// migration needs defined is defined.
import { ofType, decodeUtf8, escapeRegExp, isCommentOrString, parseC, type SyntaxNode } from '../c/index.js';
import type { AnyMigration } from '../engine/migration.js';
import type { Site } from '../engine/types.js';
import type { SeriesProblem } from './types.js';

/**
 * Problems when sites that must agree (the same `eraGroup`; one group when
 * the migration gives none) are on different eras of the API.
 */
export function eraProblems(migration: AnyMigration, sites: readonly Site[]): SeriesProblem[] {
  const groups = new Map<string | undefined, Site[]>();
  for (const s of sites) {
    const g = migration.eraGroup?.(s);
    (groups.get(g) ?? groups.set(g, []).get(g)!).push(s);
  }
  return [...groups].flatMap(([group, members]) => groupProblems(migration, members, group));
}

function groupProblems(migration: AnyMigration, sites: readonly Site[], group: string | undefined): SeriesProblem[] {
  const old = sites.filter((s) => migration.eraOf(s) === 'old');
  const neu = sites.filter((s) => migration.eraOf(s) === 'new');
  if (old.length === 0 || neu.length === 0) return [];
  // Name the side that is behind: the fewer sites are the odd ones out.
  const [odd, era, other] = old.length <= neu.length ? [old, 'old', neu] : [neu, 'new', old];
  const first = other[0]!;
  const where = group === undefined ? '' : ` (${group})`;
  return odd.map((s) => ({
    path: s.path,
    line: s.line,
    code: `mixed-api-${era}`,
    message: `${s.kind} is on the ${era} API (${s.message}) while ${other.length} site(s)${where} are on the ${era === 'old' ? 'new' : 'old'} one, e.g. ${first.path}:${first.line} (${first.kind})`,
    severity: 'error' as const,
  }));
}

/** The names a migration needs defined: any name starting with a prefix, and exact names. */
export interface NeededNames {
  flagPrefixes?: readonly string[];
  definedNames?: readonly string[];
}


/** The names a tree defines: #defines, function declarations and definitions, enumerators. */
function definitionsIn(root: SyntaxNode, into: Set<string>): void {
  for (const def of ofType(root, ['preproc_def', 'preproc_function_def', 'enumerator'])) {
    const name = def.childForFieldName('name')?.text;
    if (name) into.add(name);
  }
  for (const fn of ofType(root, 'function_declarator')) {
    const name = fn.childForFieldName('declarator');
    if (name?.type === 'identifier') into.add(name.text);
  }
}

/** The definitions and the uses of the needed names in one file. */
interface NameFacts {
  defs: Set<string>;
  uses: { name: string; line: number }[];
}

/**
 * Uses of the needed names (in code: not in comments, strings, or an
 * #ifdef / defined() test) that nothing in the tree defines, kept file by
 * file so that a series validator updates only the files a patch touches.
 * A migration that needs no name gets no problem: without prefixes or names
 * there is nothing to look for.
 */
export class NameIndex {
  private readonly re: RegExp | undefined;
  private readonly facts = new Map<string, NameFacts>();

  constructor(needed: NeededNames) {
    const prefixes = (needed.flagPrefixes ?? []).filter((p) => p.length > 0).map(escapeRegExp);
    const names = (needed.definedNames ?? []).filter((n) => n.length > 0).map(escapeRegExp);
    const alternatives = [...(prefixes.length ? [`(?:${prefixes.join('|')})\\w*`] : []), ...(names.length ? [`(?:${names.join('|')})\\b`] : [])];
    this.re = alternatives.length > 0 ? new RegExp(`\\b(?:${alternatives.join('|')})`, 'g') : undefined;
  }

  /** False when the migration needs no name: nothing to index. */
  get enabled(): boolean {
    return this.re !== undefined;
  }

  /** The file's content now (undefined: deleted). */
  update(path: string, content: Uint8Array | string | undefined): void {
    this.facts.delete(path);
    if (!this.re || content === undefined) return;
    const text = typeof content === 'string' ? content : decodeUtf8(content);
    this.re.lastIndex = 0;
    if (text === undefined || !this.re.test(text)) return;
    this.re.lastIndex = 0;
    const root = parseC(text).rootNode;
    const defs = new Set<string>();
    definitionsIn(root, defs);
    const uses: NameFacts['uses'] = [];
    for (const m of text.matchAll(this.re)) {
      const node = root.descendantForIndex(m.index!, m.index! + m[0].length);
      if (isCommentOrString(node)) continue;
      if (node.parent && ['preproc_ifdef', 'preproc_defined'].includes(node.parent.type)) continue;
      uses.push({ name: m[0], line: node.startPosition.row + 1 });
    }
    this.facts.set(path, { defs, uses });
  }

  problems(): SeriesProblem[] {
    const defined = new Set<string>();
    for (const f of this.facts.values()) for (const d of f.defs) defined.add(d);
    const out: SeriesProblem[] = [];
    for (const [path, f] of [...this.facts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      for (const u of f.uses) {
        if (!defined.has(u.name)) out.push({ path, line: u.line, code: 'undefined-name', message: `${u.name} is used but defined nowhere in the tree at this point`, severity: 'error' });
      }
    }
    return out;
  }
}

/** The undefined-name problems of a whole set of files at once. */
export function undefinedNameProblems(needed: NeededNames, files: ReadonlyMap<string, Uint8Array | string>): SeriesProblem[] {
  const index = new NameIndex(needed);
  for (const [path, content] of files) index.update(path, content);
  return index.problems();
}
