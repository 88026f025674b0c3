// Small file-tree helpers for tests that work on copies of sample trees.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

/** A fresh directory under the system temp dir (outside any git work tree). */
export function tempDir(prefix = 'kmigrate-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Copy `from` (a directory) to `to`, bytes and modes as they are. */
export function copyTree(from: string, to: string): void {
  cpSync(from, to, { recursive: true, preserveTimestamps: true });
}

export function removeTree(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Relative paths (with `/`) of every regular file under `root`, sorted. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) out.push(relative(root, abs).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** Every file of a tree, as raw bytes. */
export function readTree(root: string): Map<string, Buffer> {
  return new Map(listFiles(root).map((p) => [p, readFileSync(join(root, p))]));
}

/**
 * Differences between two trees, byte for byte (no trimming, no newline
 * folding): files only in one, and files whose bytes differ (with the first
 * differing line, to make a failure readable). Empty when identical.
 */
export function treeDifferences(actualRoot: string, expectedRoot: string): string[] {
  const actual = readTree(actualRoot);
  const expected = readTree(expectedRoot);
  const out: string[] = [];
  for (const p of expected.keys()) if (!actual.has(p)) out.push(`missing: ${p}`);
  for (const p of actual.keys()) if (!expected.has(p)) out.push(`unexpected: ${p}`);
  for (const [p, want] of expected) {
    const got = actual.get(p);
    if (!got || got.equals(want)) continue;
    out.push(`differs: ${p}: ${firstDifference(got, want)}`);
  }
  return out;
}

function firstDifference(got: Buffer, want: Buffer): string {
  const g = got.toString('utf8').split('\n');
  const w = want.toString('utf8').split('\n');
  for (let i = 0; i < Math.max(g.length, w.length); i++) {
    if (g[i] !== w[i]) return `line ${i + 1}: got ${JSON.stringify(g[i] ?? '<eof>')}, want ${JSON.stringify(w[i] ?? '<eof>')}`;
  }
  return 'same lines, different bytes';
}
