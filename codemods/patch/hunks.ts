// Applying one file patch to a file's text, hunk by hunk.
//
// Exactness, as `git apply` without options: every context and removed line
// must match byte for byte (no fuzz, no whitespace leniency). A hunk may be
// found above or below the line its header names (the nearest match wins,
// and the shift carries over to later hunks), but never before the end of
// the previous hunk; a hunk that starts at line 1 (or 0) must match at the
// top of the file, and one without trailing context at its end. A hunk with
// no context at all (`diff -U0`) applies only exactly where its header says
// (git needs --unidiff-zero for those).

import { PatchApplyError } from './apply-errors.js';
import type { FilePatch, Hunk } from './parse.js';
import { splitLines } from './text.js';

/**
 * Apply one file patch to `text` (null: the file does not exist). Returns
 * the new text, or null when the patch deletes the file. `name` is used in
 * errors (default: the patch's path).
 */
export function applyFilePatch(text: string | null, fp: FilePatch, name?: string): string | null {
  const where = name ?? fp.newPath ?? fp.oldPath ?? '?';
  if (fp.isBinary) throw new PatchApplyError('binary', where, 'binary patches are not supported');
  if (fp.isNew && text !== null) throw new PatchApplyError('already-exists', where, 'the patch creates this file, but it already exists');
  if (!fp.isNew && text === null) throw new PatchApplyError('missing-file', where, 'the patch changes this file, but it does not exist');

  const src = splitLines(text ?? '');
  const out: string[] = [];
  let pos = 0; // next unconsumed line of src
  let shift = 0; // how far the previous hunk was from where its header said
  fp.hunks.forEach((h, n) => {
    const { preimage, postimage, leading, trailing } = images(h);
    // Where the header says the hunk's first old line is (0-based).
    const nominal = (h.oldLines === 0 ? h.oldStart : h.oldStart - 1) + shift;
    // A hunk without any context (`diff -U0`) can only go exactly where its header says.
    const zeroContext = leading === 0 && trailing === 0;
    const matchStart = zeroContext ? h.oldStart === 0 : h.oldStart <= 1;
    const matchEnd = !zeroContext && trailing === 0;
    const at = zeroContext
      ? exactlyAt(src, preimage, Math.max(nominal, 0), pos)
      : findHunk(src, preimage, nominal, pos, matchStart, matchEnd);
    if (at < 0) {
      const expectedAt = Math.max(0, Math.min(nominal, src.length));
      const [expected, actual] = firstDifference(src, preimage, expectedAt);
      let reason = 'the context or removed lines do not match';
      if (matchStart && leading === 0 && nominal !== 0) reason = 'the hunk must apply at the start of the file';
      if (preimage.length + expectedAt > src.length) reason = 'the file ends before the hunk does';
      throw new PatchApplyError('hunk-failed', where, reason, n + 1, expectedAt + 1, expected, actual);
    }
    for (; pos < at; pos++) out.push(src[pos]!);
    out.push(...postimage);
    pos = at + preimage.length;
    shift = at - (h.oldLines === 0 ? h.oldStart : h.oldStart - 1);
  });
  for (; pos < src.length; pos++) out.push(src[pos]!);

  const result = out.join('');
  if (fp.isDelete) {
    if (result !== '') {
      throw new PatchApplyError('delete-mismatch', where, 'the patch deletes this file, but the file has lines the patch does not remove');
    }
    return null;
  }
  return result;
}

/** Old and new lines of a hunk, with their newlines (none where `\ No newline at end of file` says so). */
function images(h: Hunk): { preimage: string[]; postimage: string[]; leading: number; trailing: number } {
  const preimage: string[] = [];
  const postimage: string[] = [];
  let leading = 0;
  let trailing = 0;
  let seenChange = false;
  let last: 'both' | 'old' | 'new' | undefined;
  for (const l of h.lines) {
    const c = l[0];
    const body = l.slice(1) + '\n';
    if (c === '\\') {
      if (last === 'both' || last === 'old') preimage[preimage.length - 1] = preimage[preimage.length - 1]!.slice(0, -1);
      if (last === 'both' || last === 'new') postimage[postimage.length - 1] = postimage[postimage.length - 1]!.slice(0, -1);
      continue;
    }
    if (c === '-') {
      preimage.push(body);
      last = 'old';
      seenChange = true;
      trailing = 0;
    } else if (c === '+') {
      postimage.push(body);
      last = 'new';
      seenChange = true;
      trailing = 0;
    } else {
      preimage.push(body);
      postimage.push(body);
      last = 'both';
      if (seenChange) trailing++;
      else leading++;
    }
  }
  return { preimage, postimage, leading, trailing };
}

/** `at` when `pre` matches `src` there (and not before `from`); else -1. */
function exactlyAt(src: string[], pre: string[], at: number, from: number): number {
  if (at < from || at + pre.length > src.length) return -1;
  for (let k = 0; k < pre.length; k++) if (src[at + k] !== pre[k]) return -1;
  return at;
}

/** Index where `pre` matches `src` nearest to `nominal`, not before `from`; -1 when nowhere. */
function findHunk(src: string[], pre: string[], nominal: number, from: number, matchStart: boolean, matchEnd: boolean): number {
  const fits = (at: number): boolean => {
    if (at < from || at + pre.length > src.length) return false;
    if (matchStart && at !== 0) return false;
    if (matchEnd && at + pre.length !== src.length) return false;
    for (let k = 0; k < pre.length; k++) if (src[at + k] !== pre[k]) return false;
    return true;
  };
  const start = Math.max(from, Math.min(nominal, src.length));
  if (fits(start)) return start;
  for (let d = 1; start - d >= from || start + d <= src.length; d++) {
    if (fits(start - d)) return start - d;
    if (fits(start + d)) return start + d;
  }
  return -1;
}

function firstDifference(src: string[], pre: string[], at: number): [string | undefined, string | undefined] {
  for (let k = 0; k < pre.length; k++) {
    if (src[at + k] !== pre[k]) return [chomp(pre[k]), chomp(src[at + k])];
  }
  return [undefined, undefined];
}

function chomp(s: string | undefined): string | undefined {
  return s === undefined ? undefined : s.endsWith('\n') ? s.slice(0, -1) : s;
}
