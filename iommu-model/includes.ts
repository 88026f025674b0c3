// The headers a file includes, found where kbuild would look, so that a
// macro is evaluated from the definition the compiler would see, wherever the
// tree keeps it (a tree may define BIT() outside include/vdso/bits.h).
//
//	#include "local.h"        the file's own folder first
//	#include <linux/bits.h>   include/, include/uapi/, arch/{x86,arm64}/include{,/uapi}
//
// Written for the model (it shares no code with the migration it checks).
import * as path from 'node:path';

/** Headers read per starting file, nearest first, before the search stops. */
export const MAX_INCLUDED = 64;

const ARCHES = ['x86', 'arm64'];

/**
 * The headers `file` includes, directly and through each other,
 * breadth-first (nearest first), at most `limit` of them.
 */
export function includeClosure(read: (p: string) => string | undefined, file: string, text: string, limit = MAX_INCLUDED): Array<{ path: string; text: string }> {
  const arch = /^arch\/([^/]+)\//.exec(file)?.[1];
  const dirs = ['include', 'include/uapi', ...(arch ? [arch] : ARCHES).flatMap((a) => [`arch/${a}/include`, `arch/${a}/include/uapi`])];
  const seen = new Set([file]);
  const out: Array<{ path: string; text: string }> = [];
  const queue = [{ path: file, text }];
  for (let i = 0; i < queue.length && out.length < limit; i++) {
    const cur = queue[i]!;
    for (const m of cur.text.matchAll(/^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\r\n]+)[>"]/gm)) {
      const name = m[2]!.trim();
      const candidates = [...(m[1] === '"' ? [path.posix.join(path.posix.dirname(cur.path), name)] : []), ...dirs.map((d) => path.posix.join(d, name))];
      for (const c of candidates) {
        const p = path.posix.normalize(c);
        if (p.startsWith('..') || seen.has(p)) continue;
        const t = read(p);
        if (t === undefined) continue;
        seen.add(p);
        out.push({ path: p, text: t });
        queue.push({ path: p, text: t });
        break;
      }
      if (out.length >= limit) break;
    }
  }
  return out;
}
