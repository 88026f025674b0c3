// `kmigrate check`: pair every call of iommu_sva_bind_device in a "before"
// tree with its counterpart in an "after" tree, run the model on both under
// every environment, and say whether they mean the same.
//
// The era of each side comes from that tree's own prototype in
// include/linux/iommu.h (third parameter `void *` → drvdata, `unsigned int`
// → flags), and its flag values from that tree's own #defines.
//
// The rooms: era.ts (which API each tree speaks), environments.ts (what the
// model is run with), compare.ts (one call site's verdict); here, the pairing
// of the two trees' calls and the result.
import { freeDeadTrees, LARGE_TEXT, LineIndex, parseC } from '../codemods/c/index.js';
import { abstractCall, bindCalls, enclosingFunctionName, BIND_FUNCTION } from './abstraction.js';
import { compareSite, type KeyedCall, type SiteReport, type Verdict } from './compare.js';
import { DECLARED_CHANGES, type DeclaredChange } from './declared.js';
import { checkAfterCall, eraOf, IOMMU_HEADER, lineOfSource, type EraInfo, type Problem } from './era.js';
import { fileMacroTable, headerMacroTable, type MacroTable } from './macros.js';
import type { TreeInput as TreeSource } from './model-shape.js';

export type { EraInfo, Problem } from './era.js';
export type { SiteReport } from './compare.js';

export const CODEMOD_ID = 'iommu-sva-bind-flags';

export interface CheckResult {
  codemod: string;
  before: string;
  after: string;
  eras: { before: EraInfo; after: EraInfo };
  sites: SiteReport[];
  problems: Problem[];
  summary: { equivalent: number; differs: number; unknown: number; declared: number; problems: number };
  /** False when a person must look: a difference not declared, an unknown site, or an error problem. */
  ok: boolean;
}

export interface CheckOptions {
  before: TreeSource;
  after: TreeSource;
  declared?: readonly DeclaredChange[];
}

/**
 * Run the model on every call site of both trees and compare. A large
 * file's tree before is freed before its tree after is parsed (and that
 * one before the next file's), so that one tree is alive at a time.
 */
export async function checkTrees(opts: CheckOptions): Promise<CheckResult> {
  const declared = opts.declared ?? DECLARED_CHANGES;
  const problems: Problem[] = [];
  const beforeSide = new Side(opts.before, problems, 'before');
  const afterSide = new Side(opts.after, problems, 'after');
  const eras = { before: beforeSide.era, after: afterSide.era };
  if (eras.after.kind === 'drvdata') {
    problems.push({ path: IOMMU_HEADER, line: lineOfSource(eras.after.source), severity: 'error', code: 'old-api-prototype', message: `the after tree still declares ${BIND_FUNCTION}(..., ${eras.after.parameter ?? 'void *drvdata'})` });
  }

  const sites: SiteReport[] = [];
  const allPaths = [...new Set([...opts.before.paths, ...opts.after.paths])].sort();
  for (const p of allPaths) {
    const b = beforeSide.calls(p);
    if (beforeSide.parsedChars >= LARGE_TEXT) await freeDeadTrees();
    const a = afterSide.calls(p);
    if (afterSide.parsedChars >= LARGE_TEXT) await freeDeadTrees();
    const afterByKey = new Map(a.map((c) => [c.key, c]));
    for (const call of b) {
      const counterpart = afterByKey.get(call.key);
      afterByKey.delete(call.key);
      sites.push(compareSite(p, call, counterpart, eras, declared));
    }
    for (const call of a) {
      checkAfterCall(p, call.abstraction, eras.after, problems);
      if (afterByKey.has(call.key)) {
        problems.push({ path: p, line: call.abstraction.line, severity: 'note', code: 'new-call', message: `a call in ${call.abstraction.function ?? 'file scope'} that the before tree does not have; not compared` });
      }
    }
  }

  const count = (v: Verdict) => sites.filter((s) => s.verdict === v).length;
  const summary = {
    equivalent: count('equivalent'),
    differs: count('differs'),
    unknown: count('unknown'),
    declared: sites.filter((s) => s.declared).length,
    problems: problems.filter((q) => q.severity === 'error').length,
  };
  return {
    codemod: CODEMOD_ID,
    before: opts.before.label,
    after: opts.after.label,
    eras,
    sites,
    problems,
    summary,
    ok: summary.differs === 0 && summary.unknown === 0 && summary.problems === 0,
  };
}

/** One tree: its era, its macros, its parsed files. */
class Side {
  readonly era: EraInfo;
  private readonly headerMacros: MacroTable;
  /** The length of the text calls() parsed last (0: none). */
  parsedChars = 0;

  constructor(private readonly tree: TreeSource, private readonly problems: Problem[], private readonly name: 'before' | 'after') {
    this.headerMacros = headerMacroTable((p) => tree.read(p));
    this.era = eraOf(tree, this.headerMacros, problems, name);
  }

  calls(p: string): KeyedCall[] {
    this.parsedChars = 0;
    const text = this.tree.read(p);
    if (text === undefined) {
      if (this.tree.paths.includes(p)) this.problems.push({ path: p, line: 1, severity: 'error', code: 'unreadable', message: `cannot read ${p} in the ${this.name} tree (missing, or not valid UTF-8)` });
      return [];
    }
    if (!text.includes(BIND_FUNCTION)) return [];
    this.parsedChars = text.length;
    const tree = parseC(text);
    const macros = fileMacroTable((f) => this.tree.read(f), this.headerMacros, p, text, tree);
    const ordinals = new Map<string, number>();
    // One line index for the file, not one per call (900 calls of a 50 MB file).
    const lines = new LineIndex(text);
    return bindCalls(tree).map((call) => {
      const fn = enclosingFunctionName(call) ?? '<file scope>';
      const n = (ordinals.get(fn) ?? 0) + 1;
      ordinals.set(fn, n);
      return { key: `${fn}#${n}`, abstraction: abstractCall({ call, tree, text, macros, lines }) };
    });
  }
}
