// A tree's exact state, to prove that a command left it alone: every entry
// under the root (files by the sha256 of their bytes and their mode, symbolic
// links by their target, directories by their mode), sorted by path.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export function snapshot(root: string, skip: readonly string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const p = rel ? `${rel}/${name}` : name;
      if (skip.includes(p)) continue;
      const abs = join(root, p);
      const st = lstatSync(abs);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out.set(p, `link -> ${readlinkSync(abs)}`);
      else if (st.isDirectory()) {
        out.set(p + '/', `dir ${mode}`);
        walk(p);
      } else out.set(p, `file ${mode} ${createHash('sha256').update(readFileSync(abs)).digest('hex')}`);
    }
  };
  walk('');
  return out;
}

/** The regular files of a tree as bytes (for byte-for-byte comparisons of two trees). */
export function fileBytes(root: string, skip: readonly string[] = []): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [p, what] of snapshot(root, skip)) if (what.startsWith('file ')) out.set(p, readFileSync(join(root, p)));
  return out;
}
