// The line diff behind unifiedDiff: which lines of `a` were removed and which
// lines of `b` were added.
//
// Pipeline, chosen so that the output matches what kernel developers see
// from `git diff` in the common case:
//
//   1. lines become integer ids (equal text + terminator = equal id);
//   2. the common prefix and suffix are set aside;
//   3. lines that cannot match anything on the other side are set aside
//      too (they are changes anyway), as are runs of very common lines
//      ("}" and blank lines) that sit among such unmatched lines: this is
//      what keeps a diff of a rewritten function from being threaded
//      through every blank line of it;
//   4. Myers' O(ND) algorithm, in its linear-space form (bidirectional
//      search for a middle snake, then recursion on both halves), finds a
//      shortest edit script on what is left;
//   5. each run of changed lines is slid up or down over identical lines
//      to a canonical place: next to a change on the other side if it can
//      be, else where the indentation of the surrounding code says a block
//      begins or ends (the "indent heuristic" git uses by default since
//      2.14, with its published weights).
//
// Deterministic, and fast on kernel-sized files: the cost is O((N+M)·D)
// time and O(N+M) memory where D is the number of changed lines.
//
// Step 4 lives in line-diff-myers.ts, step 5 in line-diff-slide.ts.
import { compareSequences } from './line-diff-myers.js';
import { compact } from './line-diff-slide.js';

export interface LineChanges {
  /** changedA[i] = 1 when line i of `a` is removed. */
  changedA: Uint8Array;
  /** changedB[j] = 1 when line j of `b` is added. */
  changedB: Uint8Array;
}

/** One change: `delCount` lines of `a` at `aStart` replaced by `addCount` lines of `b` at `bStart` (0-based). */
export interface Change {
  aStart: number;
  delCount: number;
  bStart: number;
  addCount: number;
}

export interface LineDiffOptions {
  /**
   * A shortest edit script, always. By default frequent lines among
   * unmatched ones are set aside (step 3), as git does: the result can be a
   * few lines longer than the shortest, and reads better.
   */
  minimal?: boolean;
}

/** Compare two arrays of lines (each with its terminator, if any). */
export function diffLines(a: readonly string[], b: readonly string[], opts: LineDiffOptions = {}): LineChanges {
  const ids = new Map<string, number>();
  const idOf = (line: string): number => {
    let id = ids.get(line);
    if (id === undefined) {
      id = ids.size;
      ids.set(line, id);
    }
    return id;
  };
  const ha = Int32Array.from(a, idOf);
  const hb = Int32Array.from(b, idOf);
  const changedA = new Uint8Array(a.length);
  const changedB = new Uint8Array(b.length);

  // 2. common prefix and suffix
  let start = 0;
  while (start < ha.length && start < hb.length && ha[start] === hb[start]) start++;
  let endA = ha.length;
  let endB = hb.length;
  while (endA > start && endB > start && ha[endA - 1] === hb[endB - 1]) {
    endA--;
    endB--;
  }

  // 3. set aside lines that have no partner
  const countA = new Int32Array(ids.size);
  const countB = new Int32Array(ids.size);
  for (const id of ha) countA[id]!++;
  for (const id of hb) countB[id]!++;
  const minimal = opts.minimal ?? false;
  const keptA = keepMatchable(ha, start, endA, countB, changedA, minimal);
  const keptB = keepMatchable(hb, start, endB, countA, changedB, minimal);

  // 4. Myers on what is left
  const subA = Int32Array.from(keptA, (i) => ha[i]!);
  const subB = Int32Array.from(keptB, (j) => hb[j]!);
  const subChangedA = new Uint8Array(subA.length);
  const subChangedB = new Uint8Array(subB.length);
  compareSequences(subA, 0, subA.length, subB, 0, subB.length, subChangedA, subChangedB);
  for (let i = 0; i < keptA.length; i++) if (subChangedA[i]) changedA[keptA[i]!] = 1;
  for (let j = 0; j < keptB.length; j++) if (subChangedB[j]) changedB[keptB[j]!] = 1;

  // 5. canonical placement of each change
  compact(a, ha, changedA, hb, changedB);
  compact(b, hb, changedB, ha, changedA);
  return { changedA, changedB };
}

/** The changes, in order, from the two change maps. */
export function changesOf(lc: LineChanges): Change[] {
  const { changedA, changedB } = lc;
  const out: Change[] = [];
  let i = 0;
  let j = 0;
  while (i < changedA.length || j < changedB.length) {
    if ((i < changedA.length && changedA[i]) || (j < changedB.length && changedB[j])) {
      const aStart = i;
      const bStart = j;
      while (i < changedA.length && changedA[i]) i++;
      while (j < changedB.length && changedB[j]) j++;
      out.push({ aStart, delCount: i - aStart, bStart, addCount: j - bStart });
    } else {
      i++;
      j++;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// 3. Lines without a partner

/** Lines this common on the other side count as "frequent" (integer √n, rounded up to a power of two). */
function frequentLimit(n: number): number {
  let limit = 1;
  for (let v = n; v > 0; v >>= 2) limit <<= 1;
  return Math.min(limit, 1024);
}

const NO_MATCH = 0;
const ONE_MATCH = 1;
const MANY_MATCHES = 2;
const SCAN_WINDOW = 100;

/**
 * Indices in [start, end) worth giving to Myers. A line that never occurs on
 * the other side is marked changed at once. A frequent line is marked too
 * when it sits in a run made mostly of unmatched lines (at least 3 in 4):
 * such a line would only tie the diff to an accidental "}" or blank line.
 */
function keepMatchable(
  h: Int32Array,
  start: number,
  end: number,
  otherCount: Int32Array,
  changed: Uint8Array,
  minimal: boolean,
): number[] {
  // Lines that never occur on the other side cannot be part of any common subsequence: setting them aside keeps the script shortest.
  const limit = minimal ? Infinity : frequentLimit(h.length);
  const kind = new Uint8Array(h.length);
  for (let i = start; i < end; i++) {
    const n = otherCount[h[i]!]!;
    kind[i] = n === 0 ? NO_MATCH : n >= limit ? MANY_MATCHES : ONE_MATCH;
  }
  const kept: number[] = [];
  for (let i = start; i < end; i++) {
    const k = kind[i];
    if (k === ONE_MATCH || (k === MANY_MATCHES && !amongUnmatched(kind, i, start, end - 1))) kept.push(i);
    else changed[i] = 1;
  }
  return kept;
}

/** Is the frequent line `i` surrounded (on both sides) by runs that are mostly unmatched lines? */
function amongUnmatched(kind: Uint8Array, i: number, first: number, last: number): boolean {
  const lo = Math.max(first, i - SCAN_WINDOW);
  const hi = Math.min(last, i + SCAN_WINDOW);
  let unmatchedBefore = 0;
  let frequent = 1; // line i itself
  for (let r = i - 1; r >= lo; r--) {
    if (kind[r] === NO_MATCH) unmatchedBefore++;
    else if (kind[r] === MANY_MATCHES) frequent++;
    else break;
  }
  if (unmatchedBefore === 0) return false;
  let unmatchedAfter = 0;
  for (let r = i + 1; r <= hi; r++) {
    if (kind[r] === NO_MATCH) unmatchedAfter++;
    else if (kind[r] === MANY_MATCHES) frequent++;
    else break;
  }
  if (unmatchedAfter === 0) return false;
  const unmatched = unmatchedBefore + unmatchedAfter;
  return frequent * 4 < frequent + unmatched;
}
