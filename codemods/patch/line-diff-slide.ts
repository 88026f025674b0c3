// Step 5 of the line diff (line-diff.ts): each run of changed lines slid up
// or down over identical lines to a canonical place, next to a change on the
// other side if it can be, else where git's indent heuristic says a block
// begins or ends.

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

export function compact(text: readonly string[], h: Int32Array, changed: Uint8Array, otherH: Int32Array, otherChanged: Uint8Array): void {
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

/**
 * From line `from`, going `step` (1 or -1): how many blank lines there are
 * (at most MAX_BLANKS), and the indent of the first line that is not blank
 * (-1 when the file ends first, 0 when MAX_BLANKS were counted).
 */
function blanksFrom(lines: readonly string[], from: number, step: 1 | -1): { blank: number; indent: number } {
  let blank = 0;
  for (let i = from; i >= 0 && i < lines.length; i += step) {
    const indent = indentOf(lines[i]!);
    if (indent !== -1) return { blank, indent };
    if (++blank === MAX_BLANKS) return { blank, indent: 0 };
  }
  return { blank, indent: -1 };
}

/** Add the badness of cutting the file just before line `at` to `score`. */
function scoreSplit(side: Side, at: number, score: Score): void {
  const lines = side.text;
  const n = lines.length;
  const endOfFile = at >= n;
  const indent = endOfFile ? -1 : indentOf(lines[at]!);

  const { blank: preBlank, indent: preIndent } = blanksFrom(lines, at - 1, -1);
  const { blank: postBlank, indent: postIndent } = blanksFrom(lines, at + 1, 1);

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
