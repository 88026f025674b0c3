// Step 4 of the line diff (line-diff.ts): Myers' O(ND) algorithm in its
// linear-space form, a bidirectional search for a middle snake and then
// recursion on both halves, marking the changed lines of each side.

export function compareSequences(
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
