// The byte-level prefilter, shared by the worker threads and the in-thread
// path. Two tools, both on raw bytes:
// - needles, each searched through a short "anchor" (Node's Buffer#indexOf
//   is several times faster on 4-byte patterns than on 8-byte ones here) and
//   verified in place;
// - name hints: every identifier containing a hint (e.g. `bind`) is
//   collected, so that names learned later (implementations found through an
//   ops table) can be looked up without reading the tree again.

export interface CompiledNeedle {
  needle: Buffer;
  anchor: Buffer;
  /** Offset of the anchor inside the needle. */
  at: number;
}

/**
 * How common a byte is at the start of a 4-byte window in kernel C (lower is
 * rarer): a short pattern search stops at every occurrence of its first
 * byte, so a rare first byte makes a fast anchor. Measured on
 * linux-source-6.1: `VM_F` scans about 4 times faster than `_sva`.
 */
function commonness(b: number): number {
  const c = String.fromCharCode(b);
  if (c === '_') return 9;
  if ('eti'.includes(c)) return 8;
  if ('nrsao'.includes(c)) return 7;
  if ('lcd'.includes(c)) return 6;
  if ('upfm'.includes(c)) return 5;
  if ('hgywbvk'.includes(c)) return 4;
  if ('qjxz0123456789SETIRNAOLCD'.includes(c)) return 3;
  if (b >= 0x41 && b <= 0x5a) return 2; // other capitals
  return 6;
}

export function compileNeedle(needle: string): CompiledNeedle {
  const buf = Buffer.from(needle, 'utf8');
  if (buf.length <= 4) return { needle: buf, anchor: buf, at: 0 };
  let best = buf.length - 4;
  for (let i = 0; i + 4 <= buf.length; i++) if (commonness(buf[i]!) < commonness(buf[best]!)) best = i;
  return { needle: buf, anchor: buf.subarray(best, best + 4), at: best };
}

export function containsNeedle(buf: Buffer, n: CompiledNeedle): boolean {
  if (n.anchor === n.needle) return buf.indexOf(n.needle) >= 0;
  const len = n.needle.length;
  for (let i = buf.indexOf(n.anchor); i >= 0; i = buf.indexOf(n.anchor, i + 1)) {
    const start = i - n.at;
    if (start >= 0 && start + len <= buf.length && buf.compare(n.needle, 0, len, start, start + len) === 0) return true;
  }
  return false;
}

function isIdentByte(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b === 0x5f);
}

/** Every identifier in `buf` that contains `hint` (once each). */
export function identifiersWith(buf: Buffer, hint: Buffer, out: Set<string>): void {
  for (let i = buf.indexOf(hint); i >= 0; i = buf.indexOf(hint, i + hint.length)) {
    let s = i;
    while (s > 0 && isIdentByte(buf[s - 1])) s--;
    let e = i + hint.length;
    while (e < buf.length && isIdentByte(buf[e])) e++;
    out.add(buf.toString('latin1', s, e));
  }
}

export interface FileScan {
  hit: boolean;
  idents: string[];
}

export function scanBuffer(buf: Buffer, needles: readonly CompiledNeedle[], hints: readonly Buffer[]): FileScan {
  let hit = false;
  for (const n of needles) {
    if (containsNeedle(buf, n)) {
      hit = true;
      break;
    }
  }
  if (hints.length === 0) return { hit, idents: [] };
  const set = new Set<string>();
  for (const h of hints) identifiersWith(buf, h, set);
  return { hit, idents: [...set] };
}
