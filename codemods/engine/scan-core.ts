// The byte-level prefilter, shared by the worker threads and the in-thread
// path. It answers two questions about a file's raw bytes in one pass:
// - does it contain one of the needles (the migration's identifiers, or
//   prefixes of them; `\b` in front of a needle means "at the start of a
//   word": not preceded by a letter, digit or underscore)?
// - which identifiers containing a name hint (e.g. `bind`) does it hold?
//   Names learned later (implementations found through an ops table) are
//   then looked up in that index instead of reading the tree again.
//
// Each needle and hint is found through a two-byte window (pair-scanner.ts)
// and verified in place.
import { closeSync, openSync, readSync, statfsSync } from 'node:fs';
import { fold, hasSimd, PairScanner, SLACK, type Window } from './pair-scanner.js';
import { pairFrequency } from './pair-table.js';

export interface FileScan {
  hit: boolean;
  idents: string[];
}

interface Target {
  bytes: Buffer;
  isNeedle: boolean;
  wordStart: boolean;
  /** The window: its bytes (w1 = -1 for a one-byte window), whether folded, and its offset in `bytes`. */
  folded: boolean;
  w0: number;
  w1: number;
  at: number;
}

/** `\bSVM_FLAG_` → a needle that must start a word. */
export function parseNeedle(needle: string): { text: string; wordStart: boolean } {
  return needle.startsWith('\\b') ? { text: needle.slice(2), wordStart: true } : { text: needle, wordStart: false };
}

/** True when every file holding needle `n` also holds needle `m`. */
export function covers(m: string, n: string): boolean {
  const a = parseNeedle(m);
  const b = parseNeedle(n);
  return a.wordStart ? b.wordStart && b.text.startsWith(a.text) : b.text.includes(a.text);
}

/**
 * How often each identifier byte occurs in kernel C, per thousand bytes
 * (measured on a tenth of linux-source-6.1's .c/.h files). A window of two
 * rare bytes stops the scan rarely.
 */
const PER_MILLE: Record<string, number> = {
  ...Object.fromEntries(
    'a18 b6 c16 d19 e41 f14 g6 h6 i25 j0.3 k3 l12 m9 n22 o15 p11 q1.4 r22 s20 t28 u11 v6 w3 x9 y2.5 z0.7 _68'
      .split(' ')
      .map((e) => [e[0]!, Number(e.slice(1))]),
  ),
  ...Object.fromEntries(
    'A16 B4 C16 D12 E18 F9 G6 H4 I14 J0.1 K3 L12 M11 N12 O10 P12 Q1 R15 S17 T17 U6 V3 W2 X4 Y2 Z0.7'.split(' ').map((e) => [e[0]!, Number(e.slice(1))]),
  ),
};

function frequency(b: number): number {
  if (b >= 0x30 && b <= 0x39) return 4; // digits
  return PER_MILLE[String.fromCharCode(b)] ?? 10;
}

/** The same for a folded byte: both cases of a letter; `_` folds to 0x7f. */
function foldedFrequency(b: number): number {
  if (b === 0x7f) return frequency(0x5f);
  return b >= 0x61 && b <= 0x7a ? frequency(b) + frequency(b - 0x20) : frequency(b);
}

/**
 * What a window costs, in stops per million bytes of kernel C: its
 * compares, counted as WINDOW_COST stops (measured: one more window costs
 * about what 2,000 stops per million bytes cost, or a pair as common as
 * `bi` twice over), plus how often it occurs (pair-table.ts). Folding the
 * loads (two instructions per block, once for all folded windows) costs
 * about half a window.
 */
const WINDOW_COST = 2000;
const FOLD_COST = 1000;

/** The share of a byte's occurrences, folded, that are in this case (1 for a byte that is not a letter). */
function caseShare(b: number): number {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) ? frequency(b) / foldedFrequency(fold(b)) : 1;
}

function windowScore(w: Window, folded: boolean): number {
  if (w.length === 1) return (folded ? foldedFrequency(w[0]) : frequency(w[0])) * 1000;
  const any = pairFrequency(fold(w[0]), fold(w[1]));
  if (any === undefined) return folded ? foldedFrequency(w[0]) * foldedFrequency(w[1]) : frequency(w[0]) * frequency(w[1]);
  return folded ? any : any * caseShare(w[0]) * caseShare(w[1]);
}

/** A window: one or two bytes, compared as they are or folded (any case). */
export interface ScanWindow {
  bytes: Window;
  folded: boolean;
}

export interface WindowChoice {
  /** For each target, its window and where in the target the window starts. */
  windows: { window: ScanWindow; at: number }[];
  /** The estimated cost: WINDOW_COST per window plus their expected stops, per million bytes. */
  cost: number;
}

/**
 * Windows for all targets at once, few and rare: a greedy weighted set
 * cover over the byte pairs of the targets, as they are and folded. Folded,
 * a pair found in several targets serves them all (`sv` for `iommu_sva`,
 * `sva_bind` and `SVM_FLAG_`); as it is, a lower-case pair does not stop at
 * upper-case text (`bi` of `bind` and `BIT()`). A cover with folded windows
 * is kept when it is cheaper, folding counted, than the best without.
 */
export function chooseWindows(targets: readonly Uint8Array[]): WindowChoice {
  const exact = coverWith(targets, false);
  const mixed = coverWith(targets, true);
  const folds = mixed.windows.some((w) => w.window.folded);
  return folds && mixed.cost + FOLD_COST >= exact.cost ? exact : mixed;
}

function coverWith(targets: readonly Uint8Array[], mayFold: boolean): WindowChoice {
  // Every window each target holds, with where it starts in it (its first place).
  const options = new Map<string, { window: ScanWindow; score: number; at: Map<number, number> }>();
  const add = (i: number, bytes: Window, folded: boolean, at: number) => {
    const w = folded ? (bytes.map(fold) as unknown as Window) : bytes;
    const key = `${folded ? 'f' : 'e'}${w.join(',')}`;
    const o = options.get(key) ?? options.set(key, { window: { bytes: w, folded }, score: windowScore(w, folded), at: new Map() }).get(key)!;
    if (!o.at.has(i)) o.at.set(i, at);
  };
  targets.forEach((t, i) => {
    for (const folded of mayFold ? [false, true] : [false]) {
      if (t.length === 1) add(i, [t[0]!], folded, 0);
      for (let k = 0; k + 1 < t.length; k++) add(i, [t[k]!, t[k + 1]!], folded, k);
    }
  });
  const chosen: ({ window: ScanWindow; at: number } | undefined)[] = targets.map(() => undefined);
  let left = targets.length;
  let cost = 0;
  while (left > 0) {
    let best: { window: ScanWindow; score: number; at: Map<number, number> } | undefined;
    let bestRatio = Infinity;
    for (const o of options.values()) {
      let gain = 0;
      for (const i of o.at.keys()) if (!chosen[i]) gain++;
      if (gain === 0) continue;
      const ratio = (WINDOW_COST + o.score) / gain;
      if (ratio < bestRatio) [best, bestRatio] = [o, ratio];
    }
    if (!best) throw new Error('prefilter: empty needle');
    for (const [i, at] of best.at) if (!chosen[i]) [chosen[i], left] = [{ window: best.window, at }, left - 1];
    cost += WINDOW_COST + best.score;
  }
  return { windows: chosen as { window: ScanWindow; at: number }[], cost };
}

function isIdentByte(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b === 0x5f);
}

/** The identifier around [start, end) of buf[0..len). */
function identifierAround(buf: Buffer, start: number, end: number, len: number): string {
  while (start > 0 && isIdentByte(buf[start - 1])) start--;
  while (end < len && isIdentByte(buf[end])) end++;
  return buf.toString('latin1', start, end);
}

function matchesAt(buf: Buffer, t: Target, start: number, len: number): boolean {
  const n = t.bytes.length;
  if (start < 0 || start + n > len) return false;
  for (let k = 0; k < n; k++) if (buf[start + k] !== t.bytes[k]) return false;
  return !(t.wordStart && start > 0 && isIdentByte(buf[start - 1]));
}

/**
 * A prefilter for one set of needles and hints. It owns the buffer files
 * are read into (the scanner's memory), so that a worker reads each file
 * straight where it is searched.
 */
export class Prefilter {
  private readonly targets: Target[];
  private readonly hasHints: boolean;
  private readonly scanner: PairScanner | undefined;
  private plain = Buffer.alloc(0);

  constructor(needles: readonly string[], hints: readonly string[], useSimd = hasSimd()) {
    const texts = [...needles.map((n) => ({ ...parseNeedle(n), isNeedle: true })), ...hints.map((h) => ({ text: h, wordStart: false, isNeedle: false }))];
    const bytes = texts.map((t) => Buffer.from(t.text, 'utf8'));
    if (bytes.some((b) => b.length === 0)) throw new Error('prefilter: empty needle');
    const choice = chooseWindows(bytes);
    this.targets = texts.map((t, i) => {
      const { window, at } = choice.windows[i]!;
      return { bytes: bytes[i]!, isNeedle: t.isNeedle, wordStart: t.wordStart, folded: window.folded, w0: window.bytes[0], w1: window.bytes[1] ?? -1, at };
    });
    this.hasHints = hints.length > 0;
    const windows = new Map<string, ScanWindow>(this.targets.map((t) => [`${t.folded},${t.w0},${t.w1}`, { bytes: t.w1 < 0 ? [t.w0] : [t.w0, t.w1], folded: t.folded }]));
    const list = [...windows.values()];
    // The scanner stops only where a target's first bytes are (as they are, even for a folded window).
    const prefixes = this.targets.map((t) => ({ bytes: t.bytes, at: t.at }));
    this.scanner = useSimd && list.length > 0 ? new PairScanner(list.map((w) => w.bytes), list.map((w) => w.folded), prefixes) : undefined;
  }

  /** A buffer to read a file of up to `size` bytes into (contents kept when it grows); valid until the next call. */
  room(size: number): Buffer {
    if (this.scanner) return this.scanner.room(size);
    if (size + SLACK > this.plain.length) {
      const bigger = Buffer.alloc(Math.max(size + SLACK, this.plain.length * 2));
      this.plain.copy(bigger);
      this.plain = bigger;
    }
    return this.plain;
  }

  /** Search the first `len` bytes of room(). */
  scan(len: number): FileScan {
    return this.scanner ? this.scanPairs(len) : this.scanPlain(len);
  }

  /** Copy `bytes` in, then search them. */
  scanBytes(bytes: Uint8Array): FileScan {
    this.room(bytes.length).set(bytes, 0);
    return this.scan(bytes.length);
  }

  private scanPairs(len: number): FileScan {
    const scanner = this.scanner!;
    const buf = scanner.room(0);
    const targets = this.targets;
    let hit = false;
    let idents: Set<string> | undefined;
    // room() keeps SLACK bytes after len, so buf[p + 1] is always a byte.
    for (let p = scanner.next(0, len); p >= 0; p = scanner.next(p + 1, len)) {
      const b0 = buf[p]!;
      const b1 = buf[p + 1]!;
      for (let k = 0; k < targets.length; k++) {
        const t = targets[k]!;
        const f = t.folded ? 0x20 : 0;
        if (t.w0 !== (b0 | f) || (t.w1 >= 0 && t.w1 !== (b1 | f)) || (t.isNeedle && hit)) continue;
        const start = p - t.at;
        if (!matchesAt(buf, t, start, len)) continue;
        if (t.isNeedle) hit = true;
        else (idents ??= new Set()).add(identifierAround(buf, start, start + t.bytes.length, len));
      }
      if (hit && !this.hasHints) break;
    }
    return { hit, idents: idents ? [...idents] : [] };
  }

  /** The same answers with Buffer#indexOf, one pass per target: the reference, and the path without SIMD. */
  private scanPlain(len: number): FileScan {
    const buf = this.room(0).subarray(0, len);
    let hit = false;
    const idents = new Set<string>();
    for (const t of this.targets) {
      if (t.isNeedle && hit) continue;
      for (let i = buf.indexOf(t.bytes); i >= 0; i = buf.indexOf(t.bytes, i + 1)) {
        if (!matchesAt(buf, t, i, len)) continue;
        if (t.isNeedle) {
          hit = true;
          break;
        }
        idents.add(identifierAround(buf, i, i + t.bytes.length, len));
      }
    }
    return { hit, idents: [...idents] };
  }
}

/**
 * Local disk and memory file systems (statfs magic numbers): on these a read
 * of a regular file returns less than asked only at its end. FUSE and
 * network file systems make no such promise.
 */
const LOCAL_FILE_SYSTEMS = new Set([
  0xef53, // ext2, ext3, ext4
  0x58465342, // xfs
  0x9123683e, // btrfs
  0xf2f52010, // f2fs
  0x01021994, // tmpfs
  0x858458f6, // ramfs
  0x794c7630, // overlayfs
]);

/** True when a short read of a file under `dir` means its end (one read per file instead of two). */
export function shortReadEndsFile(dir: string): boolean {
  try {
    return LOCAL_FILE_SYSTEMS.has(Number(statfsSync(dir).type));
  } catch {
    return false;
  }
}

/**
 * Read a whole file into the prefilter's buffer; returns its length, or
 * undefined when it cannot be read. No fstat: read until a read returns 0
 * (or, where `shortReadIsEnd`, returns less than asked), growing the buffer
 * when it fills.
 */
export function readFileInto(prefilter: Prefilter, path: string, shortReadIsEnd = false): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    let got = 0;
    let buf = prefilter.room(0);
    for (;;) {
      const want = buf.length - SLACK - got;
      if (want === 0) {
        buf = prefilter.room(buf.length * 2);
        continue;
      }
      const n = readSync(fd, buf, got, want, null);
      got += n;
      if (n === 0 || (shortReadIsEnd && n < want)) return got;
    }
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Read and search one file. A file that cannot be read counts as a hit: the
 * engine reads it again and reports why.
 */
export function scanFile(prefilter: Prefilter, path: string, shortReadIsEnd: boolean): FileScan {
  const len = readFileInto(prefilter, path, shortReadIsEnd);
  return len === undefined ? { hit: true, idents: [] } : prefilter.scan(len);
}
