// Edits are data: steps return {start, end, text}; this is the one place
// that sorts them, refuses overlaps, and splices.
import type { Edit } from './types.js';

export class EditOverlapError extends Error {
  constructor(
    readonly first: Edit,
    readonly second: Edit,
  ) {
    super(`overlapping edits at [${first.start},${first.end}) and [${second.start},${second.end})`);
    this.name = 'EditOverlapError';
  }
}

/** Sort edits by position; throw EditOverlapError when two overlap. Identical edits are merged. */
export function normalizeEdits(edits: readonly Edit[]): Edit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Edit[] = [];
  for (const e of sorted) {
    if (e.start > e.end || e.start < 0) throw new RangeError(`bad edit range [${e.start},${e.end})`);
    const prev = out[out.length - 1];
    if (prev) {
      if (prev.start === e.start && prev.end === e.end && prev.text === e.text) continue;
      // Two insertions at one point, or a range that starts inside the previous one.
      if (e.start < prev.end || (e.start === prev.start && e.start === e.end && prev.start === prev.end)) {
        throw new EditOverlapError(prev, e);
      }
    }
    out.push(e);
  }
  return out;
}

/** Apply edits to `text`. Throws on overlap; offsets refer to the original text. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = normalizeEdits(edits);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.end > text.length) throw new RangeError(`edit past end of text [${e.start},${e.end})`);
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + text.slice(pos);
}

/** True when [start, end) intersects one of `edits` (used to avoid editing inside a deletion). */
export function isClaimed(edits: readonly Edit[], start: number, end: number): boolean {
  return edits.some((e) => start < e.end && end > e.start);
}

/** The text after applying only the edits of the given steps (others left out). */
export function applySteps(text: string, edits: readonly Edit[], steps: ReadonlySet<string>, mainStep: string): string {
  return applyEdits(
    text,
    edits.filter((e) => steps.has(e.step ?? mainStep)),
  );
}
