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

// ---------------------------------------------------------------------------
// 4. Myers, linear space

function compareSequences(
  A: Int32Array,
  aLo: number,
  aHi: number,
  B: Int32Array,
  bLo: number,
  bHi: number,
  chA: Uint8Array,
  chB: Uint8Array,
): void {
  for (;;) {
    while (aLo < aHi && bLo < bHi && A[aLo] === B[bLo]) {
      aLo++;
      bLo++;
    }
    while (aLo < aHi && bLo < bHi && A[aHi - 1] === B[bHi - 1]) {
      aHi--;
      bHi--;
    }
    if (aLo === aHi) {
      chB.fill(1, bLo, bHi);
      return;
    }
    if (bLo === bHi) {
      chA.fill(1, aLo, aHi);
      return;
    }
    const [x, y] = splitPoint(A, aLo, aHi, B, bLo, bHi);
    compareSequences(A, aLo, x, B, bLo, y, chA, chB);
    aLo = x;
    bLo = y;
  }
}

const FAR = 0x7fffffff;

/**
 * A point (x, y) that an optimal path from (aLo, bLo) to (aHi, bHi) goes
 * through, about halfway along it: search forward from the start and
 * backward from the end, one edit at a time, until the two frontiers meet
 * on a diagonal. Diagonals are k = x - y in absolute indices, kept inside
 * the box. Both ranges are non-empty and their first and last elements
 * differ. Where paths tie, a removal is preferred to an addition (as git).
 */
function splitPoint(A: Int32Array, aLo: number, aHi: number, B: Int32Array, bLo: number, bHi: number): [number, number] {
  const kMin = aLo - bHi;
  const kMax = aHi - bLo;
  const fMid = aLo - bLo;
  const bMid = aHi - bHi;
  const odd = ((fMid - bMid) & 1) !== 0;
  const base = 1 - kMin; // room for a sentinel on either side
  // fwd[base + k]: furthest x reached on diagonal k going forward;
  // bwd[base + k]: smallest x reached on diagonal k going backward.
  const fwd = new Int32Array(kMax - kMin + 3);
  const bwd = new Int32Array(kMax - kMin + 3);
  fwd[base + fMid] = aLo;
  bwd[base + bMid] = aHi;
  let fLo = fMid;
  let fHi = fMid;
  let bLo2 = bMid;
  let bHi2 = bMid;
  for (;;) {
    if (fLo > kMin) fwd[base + --fLo - 1] = -1;
    else ++fLo;
    if (fHi < kMax) fwd[base + ++fHi + 1] = -1;
    else --fHi;
    for (let k = fHi; k >= fLo; k -= 2) {
      const left = fwd[base + k - 1]!;
      const right = fwd[base + k + 1]!;
      let x = left >= right ? left + 1 : right;
      let y = x - k;
      while (x < aHi && y < bHi && A[x] === B[y]) {
        x++;
        y++;
      }
      fwd[base + k] = x;
      if (odd && bLo2 <= k && k <= bHi2 && bwd[base + k]! <= x) return [x, y];
    }

    if (bLo2 > kMin) bwd[base + --bLo2 - 1] = FAR;
    else ++bLo2;
    if (bHi2 < kMax) bwd[base + ++bHi2 + 1] = FAR;
    else --bHi2;
    for (let k = bHi2; k >= bLo2; k -= 2) {
      const left = bwd[base + k - 1]!;
      const right = bwd[base + k + 1]!;
      let x = left < right ? left : right - 1;
      let y = x - k;
      while (x > aLo && y > bLo && A[x - 1] === B[y - 1]) {
        x--;
        y--;
      }
      bwd[base + k] = x;
      if (!odd && fLo <= k && k <= fHi && x <= fwd[base + k]!) return [x, y];
    }
  }
}

// ---------------------------------------------------------------------------
// 5. Sliding changes to a canonical place

/**
 * A run [start, end) of changed lines on one side, possibly empty. Runs are
 * counted by the unchanged lines between them, so run i on one side always
 * faces run i on the other.
 */
interface Run {
  start: number;
  end: number;
}

class Side {
  constructor(
    readonly text: readonly string[],
    readonly h: Int32Array,
    readonly changed: Uint8Array,
  ) {}

  get length(): number {
    return this.h.length;
  }

  first(): Run {
    const r = { start: 0, end: 0 };
    while (r.end < this.length && this.changed[r.end]) r.end++;
    return r;
  }

  /** Move to the run after the next unchanged line; false at the end. */
  next(r: Run): boolean {
    if (r.end >= this.length) return false;
    r.start = r.end + 1;
    r.end = r.start;
    while (r.end < this.length && this.changed[r.end]) r.end++;
    return true;
  }

  /** Move to the run before the previous unchanged line; false at the start. */
  previous(r: Run): boolean {
    if (r.start === 0) return false;
    r.end = r.start - 1;
    r.start = r.end;
    while (r.start > 0 && this.changed[r.start - 1]) r.start--;
    return true;
  }

  /** Shift a non-empty run down by one line when the line after it equals its first line. */
  slideDown(r: Run): boolean {
    if (r.end >= this.length || this.h[r.start] !== this.h[r.end]) return false;
    this.changed[r.start++] = 0;
    this.changed[r.end++] = 1;
    while (r.end < this.length && this.changed[r.end]) r.end++;
    return true;
  }

  /** Shift a non-empty run up by one line when the line before it equals its last line. */
  slideUp(r: Run): boolean {
    if (r.start === 0 || this.h[r.start - 1] !== this.h[r.end - 1]) return false;
    this.changed[--r.start] = 1;
    this.changed[--r.end] = 0;
    while (r.start > 0 && this.changed[r.start - 1]) r.start--;
    return true;
  }
}

function compact(text: readonly string[], h: Int32Array, changed: Uint8Array, otherH: Int32Array, otherChanged: Uint8Array): void {
  const side = new Side(text, h, changed);
  const other = new Side([], otherH, otherChanged);
  const r = side.first();
  const o = other.first();
  const outOfStep = (): never => {
    throw new Error('line diff: runs out of step');
  };
  const up = (): void => {
    if (!side.slideUp(r) || !other.previous(o)) outOfStep();
  };
  for (;;) {
    if (r.end !== r.start) {
      let size: number;
      let earliestEnd: number;
      let endFacingChange: number;
      do {
        size = r.end - r.start;
        endFacingChange = -1;
        while (side.slideUp(r)) if (!other.previous(o)) outOfStep();
        earliestEnd = r.end;
        if (o.end > o.start) endFacingChange = r.end;
        while (side.slideDown(r)) {
          if (!other.next(o)) outOfStep();
          if (o.end > o.start) endFacingChange = r.end;
        }
      } while (size !== r.end - r.start);

      if (r.end === earliestEnd) {
        // It cannot move.
      } else if (endFacingChange !== -1) {
        // Line it up with the change on the other side: one hunk reads as a replacement.
        while (o.end === o.start) up();
      } else {
        const best = bestShift(side, r.end, size, earliestEnd);
        while (r.end > best) up();
      }
    }
    if (!side.next(r)) break;
    if (!other.next(o)) outOfStep();
  }
}

// Weights of the indent heuristic (Michael Haggerty's tuning, git 2.14+).
const MAX_INDENT = 200;
const MAX_BLANKS = 20;
const MAX_SLIDING = 100;
const START_OF_FILE_PENALTY = 1;
const END_OF_FILE_PENALTY = 21;
const TOTAL_BLANK_WEIGHT = -30;
const POST_BLANK_WEIGHT = 6;
const RELATIVE_INDENT_PENALTY = -4;
const RELATIVE_INDENT_WITH_BLANK_PENALTY = 10;
const RELATIVE_OUTDENT_PENALTY = 24;
const RELATIVE_OUTDENT_WITH_BLANK_PENALTY = 17;
const RELATIVE_DEDENT_PENALTY = 23;
const RELATIVE_DEDENT_WITH_BLANK_PENALTY = 17;
const INDENT_WEIGHT = 60;

/** Width of the leading whitespace (tabs to multiples of 8), or -1 for a blank line. */
function indentOf(line: string): number {
  let width = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x20) width++;
    else if (c === 0x09) width += 8 - (width % 8);
    else if (c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d) continue;
    else return width;
    if (width >= MAX_INDENT) return MAX_INDENT;
  }
  return -1;
}

interface Score {
  effectiveIndent: number;
  penalty: number;
}

/** Add the badness of cutting the file just before line `at` to `score`. */
function scoreSplit(side: Side, at: number, score: Score): void {
  const lines = side.text;
  const n = lines.length;
  const endOfFile = at >= n;
  const indent = endOfFile ? -1 : indentOf(lines[at]!);

  let preBlank = 0;
  let preIndent = -1;
  for (let i = at - 1; i >= 0; i--) {
    preIndent = indentOf(lines[i]!);
    if (preIndent !== -1) break;
    preBlank++;
    if (preBlank === MAX_BLANKS) {
      preIndent = 0;
      break;
    }
  }
  let postBlank = 0;
  let postIndent = -1;
  for (let i = at + 1; i < n; i++) {
    postIndent = indentOf(lines[i]!);
    if (postIndent !== -1) break;
    postBlank++;
    if (postBlank === MAX_BLANKS) {
      postIndent = 0;
      break;
    }
  }

  if (preIndent === -1 && preBlank === 0) score.penalty += START_OF_FILE_PENALTY;
  if (endOfFile) score.penalty += END_OF_FILE_PENALTY;
  // Blank lines after the cut, counting the line right after it.
  const blankAfter = indent === -1 ? 1 + postBlank : 0;
  const totalBlank = preBlank + blankAfter;
  score.penalty += TOTAL_BLANK_WEIGHT * totalBlank + POST_BLANK_WEIGHT * blankAfter;
  const effective = indent !== -1 ? indent : postIndent;
  const anyBlank = totalBlank !== 0;
  score.effectiveIndent += effective;
  if (effective === -1 || preIndent === -1) return;
  if (effective > preIndent) {
    score.penalty += anyBlank ? RELATIVE_INDENT_WITH_BLANK_PENALTY : RELATIVE_INDENT_PENALTY;
  } else if (effective < preIndent) {
    // Less indented than what precedes: the start of a block if what follows is indented more, else the end of one.
    if (postIndent !== -1 && postIndent > effective) {
      score.penalty += anyBlank ? RELATIVE_OUTDENT_WITH_BLANK_PENALTY : RELATIVE_OUTDENT_PENALTY;
    } else {
      score.penalty += anyBlank ? RELATIVE_DEDENT_WITH_BLANK_PENALTY : RELATIVE_DEDENT_PENALTY;
    }
  }
}

/** The end position, among those the run can slide to, whose two cuts look most like block boundaries. */
function bestShift(side: Side, end: number, size: number, earliestEnd: number): number {
  let shift = Math.max(earliestEnd, end - size - 1, end - MAX_SLIDING);
  let best = -1;
  let bestScore: Score = { effectiveIndent: 0, penalty: 0 };
  for (; shift <= end; shift++) {
    const score: Score = { effectiveIndent: 0, penalty: 0 };
    scoreSplit(side, shift, score);
    scoreSplit(side, shift - size, score);
    const cmp =
      INDENT_WEIGHT * Math.sign(score.effectiveIndent - bestScore.effectiveIndent) + (score.penalty - bestScore.penalty);
    if (best === -1 || cmp <= 0) {
      best = shift;
      bestScore = score;
    }
  }
  return best;
}
