// What the engine keeps of a file's rewrite when it must refuse some of it
// (two edits overlap, or the rewritten text parses worse than the original).
// Edits name the sites they serve (Edit.sites); a refusal spreads through
//
//   edit ── serves ── site ── same era group ── site ── served by ── edit
//     └── same top-level declaration (function, initializer, #define) ── edit
//
// so that what must change together is kept or refused together: a site's
// edits all stand or all go; the sites of one era group (one driver's
// function, its prototype and its registration) agree; and edits inside one
// function (a wrapper whose forwarded argument a call drops) are never
// split. The rest of the file keeps its edits. A site marked `needsFile`
// (an include nothing uses once the others are applied) goes with any
// refusal. An edit that names no site serves the whole file, so a migration
// that links nothing is refused file by file, as before.
import { countErrorKinds, parseC, type ErrorKinds, type SyntaxNode } from '../c/index.js';
import { renderEngine } from './codes.js';
import { applyEdits } from './edits.js';
import { newParseErrors } from './guard.js';
import type { Edit, Site } from './types.js';

export type RefusalCode = 'edit-overlap' | 'reparse-error';

interface Reason {
  code: RefusalCode;
  why: string;
}

/** A byte range of the text: [start, end). */
export interface Range {
  start: number;
  end: number;
}

const CONTAINERS = new Set(['translation_unit', 'preproc_ifdef', 'preproc_if', 'preproc_else', 'preproc_elif', 'preproc_elifdef', 'linkage_specification', 'declaration_list']);

/**
 * The top-level declarations of a tree (functions, initializers, defines,
 * comments), looking through the #if/#ifdef blocks that wrap them (a header's
 * include guard, a config section), in order.
 */
export function declarationsOf(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const walk = (node: SyntaxNode) => {
    for (const child of node.namedChildren) {
      if (CONTAINERS.has(child.type)) walk(child);
      else if (child.type !== 'identifier' && child.type !== 'preproc_arg') out.push(child);
    }
  };
  walk(root);
  return out;
}

/** Indices of the edits that overlap another (identical edits are one edit, not an overlap). */
export function overlapping(edits: readonly Edit[]): number[] {
  const order = edits.map((_, i) => i).sort((a, b) => edits[a]!.start - edits[b]!.start || edits[a]!.end - edits[b]!.end);
  const bad = new Set<number>();
  let active: number[] = [];
  for (const i of order) {
    const e = edits[i]!;
    active = active.filter((j) => edits[j]!.end > e.start || edits[j]!.start === e.start);
    for (const j of active) {
      const p = edits[j]!;
      if (p.start === e.start && p.end === e.end && p.text === e.text) continue;
      if (e.start < p.end || (e.start === p.start && e.start === e.end && p.start === p.end)) bad.add(i).add(j);
    }
    active.push(i);
  }
  return [...bad].sort((a, b) => a - b);
}

/** Throws on an edit outside the text or naming a site the rewrite does not have (a migration's bug). */
export function checkLinks(text: string, edits: readonly Edit[], sites: readonly Site[]): void {
  for (const e of edits) if (!(e.start >= 0 && e.start <= e.end && e.end <= text.length)) throw new RangeError(`bad edit range [${e.start},${e.end}) in a text of ${text.length}`);
  const ids = new Set<string>();
  for (const s of sites) {
    if (s.id === undefined) continue;
    if (ids.has(s.id)) throw new Error(`two sites have the id ${s.id}`);
    ids.add(s.id);
  }
  for (const e of edits) for (const id of e.sites ?? []) if (!ids.has(id)) throw new Error(`an edit at [${e.start},${e.end}) serves site ${id}, which the rewrite does not report`);
}

/** Rewritten sites that a kept edit marked `changesBehaviour` serves are marked too. */
export function markBehaviour(edits: readonly Edit[], sites: Site[]): Site[] {
  const marked = new Set(edits.filter((e) => e.changesBehaviour).flatMap((e) => e.sites ?? []));
  if (marked.size === 0) return sites;
  return sites.map((s) => (s.action === 'rewritten' && s.id !== undefined && marked.has(s.id) ? { ...s, changesBehaviour: true } : s));
}

/**
 * A file's edits and sites, and the refusals made so far. `declarations`
 * gives the original text's top-level declarations; it is asked only when
 * something is refused.
 */
export class EditPlan {
  private units: number[] | undefined;
  private readonly refusedUnits = new Map<number, Reason>();
  /** Set when nothing of the file can be kept. */
  whole: Reason | undefined;

  constructor(
    readonly edits: readonly Edit[],
    readonly sites: readonly Site[],
    private readonly groupOf: (site: Site) => string | undefined,
    private readonly declarations: () => readonly Range[],
  ) {}

  /** Refuse the given edits, with everything that must go with them. */
  refuse(indices: readonly number[], code: RefusalCode, why: string): void {
    if (indices.length === 0 || this.whole) return;
    const units = this.unitsOf();
    if (!units) {
      this.whole = { code, why };
      return;
    }
    const reason = { code, why };
    for (const i of indices) if (!this.refusedUnits.has(units[i]!)) this.refusedUnits.set(units[i]!, reason);
    const E = this.edits.length;
    this.sites.forEach((s, j) => {
      if (s.needsFile && s.action === 'rewritten' && !this.refusedUnits.has(units[E + j]!)) this.refusedUnits.set(units[E + j]!, reason);
    });
    if (this.kept().length === 0) this.whole = reason;
  }

  /** Refuse the whole file. */
  refuseAll(code: RefusalCode, why: string): void {
    this.whole ??= { code, why };
  }

  /** The indices of the edits still standing. */
  keptIndices(): number[] {
    if (this.whole) return [];
    const units = this.units;
    return this.edits.map((_, i) => i).filter((i) => !units || !this.refusedUnits.has(units[i]!));
  }

  kept(): Edit[] {
    return this.keptIndices().map((i) => this.edits[i]!);
  }

  /** True when something was refused. */
  get refusedAny(): boolean {
    return this.whole !== undefined || this.refusedUnits.size > 0;
  }

  /** The sites, the refused rewritten ones turned manual with the reason; marks from the kept edits. */
  result(): Site[] {
    const E = this.edits.length;
    const out = this.sites.map((s, j) => {
      if (s.action !== 'rewritten') return s;
      const reason = this.whole ?? (this.units ? this.refusedUnits.get(this.units[E + j]!) : undefined);
      if (!reason) return s;
      const left = this.whole ? 'file left untouched' : 'left as it was, with the rewrites that go with it; the rest of the file is rewritten';
      const { changesBehaviour: _dropped, ...rest } = s;
      return { ...rest, action: 'manual' as const, code: reason.code, message: renderEngine(reason.code, { why: reason.why, left, was: s.message }) };
    });
    return markBehaviour(this.kept(), out);
  }

  /**
   * The kept edits that an erroneous top-level declaration of the rewritten
   * text (`after`, parsed into `root`) holds or touches: the suspects when
   * the rewrite parses worse.
   */
  suspects(root: SyntaxNode): number[] {
    const bad = declarationsOf(root).filter((d) => d.hasError).map((d) => ({ start: d.startIndex, end: d.endIndex }));
    if (bad.length === 0) return [];
    const out: number[] = [];
    for (const [i, at] of afterRanges(this.edits, this.keptIndices())) if (bad.some((r) => at.start <= r.end && at.end >= r.start)) out.push(i);
    return out;
  }

  /** Union-find of edits [0, E), sites [E, E+S) and declarations [E+S, …): each node's root, or undefined when an edit names no site. */
  private unitsOf(): number[] | undefined {
    if (this.units) return this.units;
    if (this.edits.some((e) => !e.sites || e.sites.length === 0)) return undefined;
    const E = this.edits.length;
    const S = this.sites.length;
    const decls = [...this.declarations()].sort((a, b) => a.start - b.start);
    const parent = Array.from({ length: E + S + decls.length }, (_, i) => i);
    const find = (x: number): number => {
      while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
      return x;
    };
    const union = (a: number, b: number) => {
      parent[find(a)] = find(b);
    };
    const siteOf = new Map<string, number>();
    this.sites.forEach((s, j) => s.id !== undefined && siteOf.set(s.id, E + j));
    const same = new Map<string, number>();
    this.edits.forEach((e, i) => {
      for (const id of e.sites ?? []) union(i, siteOf.get(id)!);
      // Identical edits are applied once: they stand or go together.
      const key = `${e.start}:${e.end}:${e.text}`;
      if (same.has(key)) union(i, same.get(key)!);
      else same.set(key, i);
      // A declaration an edit changes; an insertion between two belongs to neither.
      for (let d = firstEndingAfter(decls, e.start); d < decls.length && decls[d]!.start <= e.end; d++) {
        const r = decls[d]!;
        if (e.end > e.start ? e.start < r.end && e.end > r.start : e.start > r.start && e.start < r.end) union(i, E + S + d);
      }
    });
    const groups = new Map<string, number>();
    this.sites.forEach((s, j) => {
      if (s.action !== 'rewritten') return;
      const key = this.groupOf(s) ?? '';
      if (groups.has(key)) union(E + j, groups.get(key)!);
      else groups.set(key, E + j);
    });
    this.units = parent.map((_, i) => find(i));
    return this.units;
  }
}

/** The first declaration (sorted by start, disjoint) that ends after `at`. */
function firstEndingAfter(decls: readonly Range[], at: number): number {
  let lo = 0;
  let hi = decls.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (decls[mid]!.end <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where each of the chosen edits lands in the text they produce. */
function afterRanges(edits: readonly Edit[], chosen: readonly number[]): [number, Range][] {
  const order = [...chosen].sort((a, b) => edits[a]!.start - edits[b]!.start || edits[a]!.end - edits[b]!.end);
  let delta = 0;
  let last: [Edit, Range] | undefined;
  const out: [number, Range][] = [];
  for (const i of order) {
    const e = edits[i]!;
    // An identical edit is applied once (normalizeEdits): it lands where the first did.
    if (last && last[0].start === e.start && last[0].end === e.end && last[0].text === e.text) {
      out.push([i, last[1]]);
      continue;
    }
    const at = { start: e.start + delta, end: e.start + delta + e.text.length };
    out.push([i, at]);
    delta += e.text.length - (e.end - e.start);
    last = [e, at];
  }
  return out;
}

/**
 * The re-parse guard found the rewrite `worse` (parsed into `afterRoot`):
 * refuse the edits in or at the declarations that now hold errors, apply
 * the rest and parse again. The text kept, or undefined when the whole file
 * is refused (no suspect, or still worse without them).
 */
export function narrowToSuspects(plan: EditPlan, text: string, errorsBefore: ErrorKinds, afterRoot: SyntaxNode, worse: string): string | undefined {
  const seeds = plan.suspects(afterRoot);
  if (seeds.length === 0) {
    plan.refuseAll('reparse-error', worse);
    return undefined;
  }
  plan.refuse(seeds, 'reparse-error', worse);
  if (plan.whole) return undefined;
  const after = applyEdits(text, plan.kept());
  const again = newParseErrors(errorsBefore, countErrorKinds(parseC(after).rootNode));
  if (again) {
    plan.refuseAll('reparse-error', again);
    return undefined;
  }
  return after;
}

/** The ranges of a tree's top-level declarations (EditPlan's `declarations`). */
export function declarationRanges(root: SyntaxNode): Range[] {
  return declarationsOf(root).map((d) => ({ start: d.startIndex, end: d.endIndex }));
}
