// "Is the tree consistent at this point of the series?": every declaration,
// definition, stub, ops member, implementation and call of the API agrees on
// one signature, and every flag name used is defined.
import { ofType, decodeUtf8, isCommentOrString, parseC } from '../c/index.js';
import type { AnyMigration } from '../engine/migration.js';
import type { Site } from '../engine/types.js';
import type { SeriesProblem } from './types.js';

/** Problems when the sites disagree on the API's era. */
export function eraProblems(migration: AnyMigration, sites: readonly Site[]): SeriesProblem[] {
  const old = sites.filter((s) => migration.eraOf(s) === 'old');
  const neu = sites.filter((s) => migration.eraOf(s) === 'new');
  if (old.length === 0 || neu.length === 0) return [];
  // Name the side that is behind: the fewer sites are the odd ones out.
  const [odd, era, other] = old.length <= neu.length ? [old, 'old', neu] : [neu, 'new', old];
  const first = other[0]!;
  return odd.map((s) => ({
    path: s.path,
    line: s.line,
    code: `mixed-api-${era}`,
    message: `${s.kind} is on the ${era} API (${s.message}) while ${other.length} site(s) are on the ${era === 'old' ? 'new' : 'old'} one, e.g. ${first.path}:${first.line} (${first.kind})`,
    severity: 'error' as const,
  }));
}

/** Flag names (by prefix) used in code but defined nowhere among `files`. */
export function undefinedFlagProblems(prefixes: readonly string[], files: ReadonlyMap<string, Uint8Array | string>): SeriesProblem[] {
  const defined = new Set<string>();
  const uses: { name: string; path: string; line: number }[] = [];
  const re = new RegExp(`\\b(${prefixes.map((p) => p.replace(/[^A-Za-z0-9_]/g, '')).join('|')})\\w*`, 'g');
  for (const [path, content] of files) {
    const text = typeof content === 'string' ? content : decodeUtf8(content);
    if (text === undefined || !re.test(text)) continue;
    re.lastIndex = 0;
    const root = parseC(text).rootNode;
    for (const def of ofType(root, ['preproc_def', 'preproc_function_def'])) {
      const name = def.childForFieldName('name')?.text;
      if (name) defined.add(name);
    }
    for (const m of text.matchAll(re)) {
      const node = root.descendantForIndex(m.index!, m.index! + m[0].length);
      if (isCommentOrString(node)) continue;
      if (node.parent?.type === 'preproc_def' && node.parent.childForFieldName('name')?.id === node.id) continue;
      uses.push({ name: m[0], path, line: node.startPosition.row + 1 });
    }
  }
  return uses
    .filter((u) => !defined.has(u.name))
    .map((u) => ({ path: u.path, line: u.line, code: 'undefined-name', message: `${u.name} is used but defined nowhere in the tree at this point`, severity: 'error' as const }));
}
