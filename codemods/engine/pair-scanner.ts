// The inner loop of the byte prefilter, in WebAssembly SIMD: one pass over a
// file that stops only where one of a few two-byte "windows" occurs (`sv`
// for `iommu_sva`, `bi` for `bind`, ...). Node's Buffer#indexOf searches one
// pattern per pass and stops at every occurrence of the pattern's first
// byte; on kernel C one pass here costs about what one indexOf pass with a
// rare first byte costs, whatever the number of windows (bench/README.md).
//
// The module is a few hundred bytes, generated here for the windows at hand
// rather than shipped as a binary, so that what it does can be read below.

// The few names of the WebAssembly JavaScript API used here: TypeScript
// declares them only in its DOM libraries.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: object);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  function validate(bytes: Uint8Array): boolean;
}

/** One or two bytes, compared at offsets 0 and 1 of each position. */
export type Window = readonly [number] | readonly [number, number];

/**
 * ASCII case folding as the scanner does it: bit 0x20 set. A letter folds
 * to its lower case; other bytes to bytes that are not letters, so that a
 * folded window of letters stops only where those letters are, in any case.
 */
export const fold = (b: number): number => b | 0x20;

/** Bytes readable past the end of the data: the last loads (two 16-byte blocks, then a prefix) may overrun it. */
export const SLACK = 64;

// WebAssembly encoding, only what the scanner needs.
const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  i64Const: 0x42,
  i32GeU: 0x4f,
  i64Eq: 0x51,
  i32Ctz: 0x68,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32And: 0x71,
  i32Or: 0x72,
  i32Shl: 0x74,
  i64Load: 0x29,
  i64And: 0x83,
  void: 0x40,
};
/** SIMD instructions: the 0xfd prefix, then the opcode as a LEB128 number. */
const simd = {
  load: [0xfd, 0x00],
  const: [0xfd, 0x0c],
  eq: [0xfd, 0x23],
  and: [0xfd, 0x4e],
  or: [0xfd, 0x50],
  bitmask: [0xfd, 0x64],
};

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

/** A 64-bit constant as signed LEB128 (its two's complement bits). */
function sleb64(n: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asIntN(64, n);
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

/**
 * A target the scanner checks before it stops: its first bytes (up to 8)
 * lie at `at` bytes before the position where its window matches. A
 * position is returned only when some target's first bytes are there, so
 * that the windows' many chance matches (`bi` of `bit`, for `bind`) never
 * leave WebAssembly.
 */
export interface Prefix {
  bytes: Uint8Array;
  at: number;
}

/** The first bytes of a prefix as one little-endian i64 compare: (load & mask) == value. */
function prefixCompare(p: Prefix): { mask: bigint; value: bigint } {
  const n = Math.min(8, p.bytes.length);
  let value = 0n;
  for (let k = 0; k < n; k++) value |= BigInt(p.bytes[k]!) << BigInt(8 * k);
  return { mask: (1n << BigInt(8 * n)) - 1n, value };
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'latin1')];

/**
 * The module, in the text format (a folded window is compared with the
 * loads OR-ed with 0x20 in every lane, $f0 and $f1, made once per block):
 *
 *   (memory (export "mem") 1)
 *   (func (export "find") (param $start i32) (param $end i32) (result i32)
 *     ;; $c_b = i8x16.splat(b) for each byte b of the windows
 *     (local.set $i (local.get $start))
 *     (block $out (loop $next
 *       (br_if $out (i32.ge_u (local.get $i) (local.get $end)))
 *       ;; a block: 16 positions, one lane each
 *       (local.set $v0 (v128.load (local.get $i)))
 *       (local.set $v1 (v128.load offset=1 (local.get $i)))
 *       ;; OR over windows of (v0 == a) AND (v1 == b), then its bitmask;
 *       ;; the same at offset=16 and offset=17, shifted 16 bits left
 *       (if (local.tee $m (i32.or (i8x16.bitmask ...) (i32.shl (i8x16.bitmask ...) 16)))
 *         (then (return (i32.add (local.get $i) (i32.ctz (local.get $m))))))
 *       (local.set $i (i32.add (local.get $i) (i32.const 32)))
 *       (br $next)))
 *     (i32.const -1))
 *
 * With prefixes, the `then` arm walks the set bits of $m instead, and
 * returns a position $p only when, for some prefix, $p >= at and
 *
 *   (i64.and (i64.load (i32.sub $p at)) mask) == value
 *
 * (its first bytes as they are); otherwise it clears the bit and goes on.
 *
 * `find` returns the first position at or after $start where a window
 * matches (and a prefix with it), or -1 when there is none before $end. It
 * reads up to 40 bytes past $end, and positions it returns may lie past
 * $end: the caller keeps SLACK bytes of memory after the data and treats
 * such positions as none. Two blocks a turn, one branch: on kernel C the
 * loop runs about a fifth faster than with one block a turn (the branch
 * and its bookkeeping cost what a block's compares cost).
 */
export function scannerModule(windows: readonly Window[], folded: boolean | readonly boolean[] = false, prefixes: readonly Prefix[] = []): Uint8Array {
  if (windows.length === 0) throw new Error('scannerModule: no window');
  const isFolded = windows.map((_, k) => (typeof folded === 'boolean' ? folded : (folded[k] ?? false)));
  if (windows.some((w, k) => isFolded[k] && w.some((b) => b !== fold(b)))) throw new Error('scannerModule: a folded window holds an unfolded byte');
  const anyFolded = isFolded.some(Boolean);
  const bytes = [...new Set([...windows.flat(), ...(anyFolded ? [0x20] : [])])];
  const [START, END, I, M, P, V0, V1, F0, F1] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const constant = (b: number) => 9 + bytes.indexOf(b);
  const code: number[] = [];
  for (const b of bytes) code.push(...simd.const, ...new Array<number>(16).fill(b), op.localSet, ...uleb(constant(b)));
  code.push(op.localGet, START, op.localSet, I);
  code.push(op.block, op.void, op.loop, op.void);
  code.push(op.localGet, I, op.localGet, END, op.i32GeU, op.brIf, 1);
  const blockMask = (off: number) => {
    code.push(op.localGet, I, ...simd.load, 0, ...uleb(off), op.localSet, V0);
    if (windows.some((w) => w.length === 2)) code.push(op.localGet, I, ...simd.load, 0, ...uleb(off + 1), op.localSet, V1);
    // The folded loads, when a window needs them: bit 0x20 set in every lane.
    if (anyFolded) {
      code.push(op.localGet, V0, op.localGet, ...uleb(constant(0x20)), ...simd.or, op.localSet, F0);
      code.push(op.localGet, V1, op.localGet, ...uleb(constant(0x20)), ...simd.or, op.localSet, F1);
    }
    windows.forEach((w, k) => {
      const [a, b] = isFolded[k] ? [F0, F1] : [V0, V1];
      code.push(op.localGet, a, op.localGet, ...uleb(constant(w[0])), ...simd.eq);
      if (w.length === 2) code.push(op.localGet, b, op.localGet, ...uleb(constant(w[1])), ...simd.eq, ...simd.and);
      if (k > 0) code.push(...simd.or);
    });
    code.push(...simd.bitmask);
  };
  // Two blocks a turn: $m = bitmask(block at $i) | bitmask(block at $i + 16) << 16.
  blockMask(0);
  blockMask(16);
  code.push(op.i32Const, 16, op.i32Shl, op.i32Or, op.localTee, M, op.if, op.void);
  if (prefixes.length === 0) code.push(op.localGet, I, op.localGet, M, op.i32Ctz, op.i32Add, op.return);
  else {
    code.push(op.loop, op.void);
    code.push(op.localGet, I, op.localGet, M, op.i32Ctz, op.i32Add, op.localSet, P);
    const seen = new Set<string>();
    for (const prefix of prefixes) {
      const { mask, value } = prefixCompare(prefix);
      const key = `${prefix.at},${mask},${value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      code.push(op.localGet, P, op.i32Const, ...sleb(prefix.at), op.i32GeU, op.if, op.void);
      code.push(op.localGet, P, op.i32Const, ...sleb(prefix.at), op.i32Sub, op.i64Load, 0, 0);
      code.push(op.i64Const, ...sleb64(mask), op.i64And, op.i64Const, ...sleb64(value), op.i64Eq);
      code.push(op.if, op.void, op.localGet, P, op.return, op.end, op.end);
    }
    // $m &= $m - 1: the next set bit, if any.
    code.push(op.localGet, M, op.localGet, M, op.i32Const, 1, op.i32Sub, op.i32And, op.localTee, M, op.brIf, 0, op.end);
  }
  code.push(op.end);
  code.push(op.localGet, I, op.i32Const, ...sleb(32), op.i32Add, op.localSet, I, op.br, 0);
  code.push(op.end, op.end, op.i32Const, ...sleb(-1), op.end);

  const locals = vec([
    [...uleb(3), I32], // $i, $m, $p
    [...uleb(4 + bytes.length), V128], // $v0, $v1, $f0, $f1, one splat per byte
  ]);
  const body = [...locals, ...code];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec([[I32], [I32]]), ...vec([[I32]])]])), // type 0: (i32, i32) -> i32
    ...section(3, vec([[0]])), // function 0 has type 0
    ...section(5, vec([[0x00, 1]])), // memory 0: 1 page, no maximum
    ...section(7, vec([[...name('mem'), 0x02, 0], [...name('find'), 0x00, 0]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

/** True when this runtime runs WebAssembly SIMD (Node 16.4 and later on x86-64 and arm64). */
export function hasSimd(): boolean {
  try {
    return WebAssembly.validate(scannerModule([[0x61, 0x62]]));
  } catch {
    return false;
  }
}

/** A compiled scanner and the memory it searches. */
export class PairScanner {
  private readonly memory: WebAssembly.Memory;
  private readonly find: (start: number, end: number) => number;
  private view: Buffer;

  /**
   * `folded`: which windows (all, none, or each) are folded bytes (fold),
   * matched in any case. `prefixes`: when given, a position is found only
   * where one of them is too (see Prefix).
   */
  constructor(windows: readonly Window[], folded: boolean | readonly boolean[] = false, prefixes: readonly Prefix[] = []) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(scannerModule(windows, folded, prefixes)), {});
    this.memory = instance.exports.mem as WebAssembly.Memory;
    this.find = instance.exports.find as (start: number, end: number) => number;
    this.view = Buffer.from(this.memory.buffer);
  }

  /** The scanner's memory, grown to hold at least `size` bytes (contents kept); valid until the next call. */
  room(size: number): Buffer {
    const need = size + SLACK;
    if (need > this.view.length) {
      this.memory.grow(Math.ceil((need - this.view.length) / 65536));
      this.view = Buffer.from(this.memory.buffer);
    }
    return this.view;
  }

  /**
   * First position in [start, end) of room() where a window matches, or -1.
   * A window may take its second byte from past `end` (stale bytes): callers
   * check that what they verify lies before `end`.
   */
  next(start: number, end: number): number {
    const p = this.find(start, end);
    return p >= 0 && p < end ? p : -1;
  }
}
