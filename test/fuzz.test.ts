// Fuzz: mutated copies of the bundled samples of iommu-sva-bind-flags.
//
// A fixed seed drives a small PRNG (mulberry32) that picks a sample, a file
// holding the API, and one mutation: delete or duplicate a line, swap two
// tokens of a line, insert non-ASCII text, turn line ends into CRLF,
// truncate, insert or delete a character of punctuation. Each mutant tree is
// migrated in memory; the run must
//   - not crash (no throw, no file in 'error'),
//   - leave no more ERROR/MISSING nodes in a file than it had (re-parse guard),
//   - account for every occurrence of the API's names with a site,
//   - be idempotent: a second run on its output changes nothing.
// The budget is bounded by count and by time (a few seconds); the sequence
// of mutants is the same on every run, only how far it gets depends on speed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countErrors, decodeUtf8, parseC } from '../codemods/c/index.js';
import { runMigration } from '../codemods/engine/run.js';
import type { TreeSource } from '../codemods/io/source.js';
import type { RunResult } from '../codemods/engine/types.js';
import { getMigration } from '../codemods/registry.js';

const SEED = 0x14c0ffee;
const MAX_MUTANTS = 120;
const BUDGET_MS = 5_000;
const MIGRATION = 'iommu-sva-bind-flags';
const SAMPLES = join(import.meta.dirname, '..', 'samples', MIGRATION);
/** The names every occurrence of which must end as a site (whole words). */
const NAMES = /\b(iommu_sva_bind_device|sva_bind|SVM_FLAG_\w+)\b/g;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Tree = Map<string, Buffer>;

function readTree(root: string): Tree {
  const out: Tree = new Map();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(root, full).split('\\').join('/'), readFileSync(full));
    }
  };
  walk(root);
  return out;
}

function memorySource(tree: Tree): TreeSource {
  return {
    list: () => [...tree.keys()].filter((p) => p.endsWith('.c') || p.endsWith('.h')).sort(),
    read: (p) => tree.get(p),
  };
}

const MUTATIONS: Array<[string, (text: string, rnd: () => number) => string]> = [
  ['delete a line', (t, r) => lines(t, r, (ls, i) => ls.splice(i, 1))],
  ['duplicate a line', (t, r) => lines(t, r, (ls, i) => ls.splice(i, 0, ls[i]!))],
  ['swap two tokens', (t, r) => lines(t, r, (ls, i) => {
    const words = ls[i]!.split(/(\s+)/);
    const idx = words.map((w, k) => (w.trim() ? k : -1)).filter((k) => k >= 0);
    if (idx.length < 2) return;
    const a = idx[Math.floor(r() * (idx.length - 1))]!;
    const b = idx[idx.indexOf(a) + 1]!;
    [words[a], words[b]] = [words[b]!, words[a]!];
    ls[i] = words.join('');
  })],
  ['insert non-ASCII', (t, r) => insertAt(t, r, ['é', '—', '«x»', '𝔘', '\u00a0'][Math.floor(r() * 5)]!)],
  ['CRLF line ends', (t) => t.replace(/\r?\n/g, '\r\n')],
  ['CRLF on one line', (t, r) => lines(t, r, (ls, i) => (ls[i] = ls[i]!.replace(/\r?$/, '\r')))],
  ['truncate', (t, r) => t.slice(0, Math.floor(r() * t.length))],
  ['insert punctuation', (t, r) => insertAt(t, r, ['(', ')', ';', '{', '}', ',', '&', '*', '"', '/*'][Math.floor(r() * 10)]!)],
  ['delete a character', (t, r) => {
    const i = Math.floor(r() * t.length);
    return t.slice(0, i) + t.slice(i + 1);
  }],
];

function lines(t: string, r: () => number, f: (ls: string[], i: number) => void): string {
  const ls = t.split('\n');
  f(ls, Math.floor(r() * ls.length));
  return ls.join('\n');
}

function insertAt(t: string, r: () => number, s: string): string {
  const i = Math.floor(r() * (t.length + 1));
  return t.slice(0, i) + s + t.slice(i);
}

const migrate = (tree: Tree): Promise<RunResult> => runMigration(getMigration(MIGRATION)!, memorySource(tree), { rootLabel: '.', jobs: 1 });

/** What is wrong with one run on `tree` (empty when nothing). */
async function problemsOf(tree: Tree): Promise<string[]> {
  const out: string[] = [];
  const result = await migrate(tree);
  for (const f of result.files) if (f.status === 'error') out.push(`${f.path}: error inside the engine`);
  const next: Tree = new Map(tree);
  for (const f of result.files) {
    if (f.status !== 'changed') continue;
    const before = countErrors(parseC(f.before!).rootNode);
    const after = countErrors(parseC(f.after!).rootNode);
    if (after > before) out.push(`${f.path}: ${before} parse errors before, ${after} after`);
    next.set(f.path, Buffer.from(f.after!, 'utf8'));
  }
  // Every occurrence of a name in a readable file has a site at its offset.
  for (const [p, bytes] of tree) {
    const text = decodeUtf8(bytes);
    if (text === undefined || !(p.endsWith('.c') || p.endsWith('.h'))) continue;
    const offsets = new Set(result.sites.filter((s) => s.path === p).map((s) => s.offset));
    for (const m of text.matchAll(NAMES)) if (!offsets.has(m.index)) out.push(`${p}: ${m[1]} at offset ${m.index} has no site`);
  }
  const again = await migrate(next);
  for (const f of again.files) if (f.status === 'changed') out.push(`${f.path}: a second run changes it again`);
  return out;
}

describe('fuzz: mutated samples', () => {
  it(`holds on mutants of every sample (seed ${SEED.toString(16)}, at most ${MAX_MUTANTS}, ${BUDGET_MS} ms)`, async () => {
    const rnd = mulberry32(SEED);
    const samples = readdirSync(SAMPLES)
      .filter((d) => statSync(join(SAMPLES, d, 'before'), { throwIfNoEntry: false })?.isDirectory())
      .sort()
      .map((d) => ({ name: d, tree: readTree(join(SAMPLES, d, 'before')) }));
    const failures: string[] = [];
    const started = Date.now();
    let done = 0;
    for (; done < MAX_MUTANTS && Date.now() - started < BUDGET_MS; done++) {
      const sample = samples[Math.floor(rnd() * samples.length)]!;
      const files = [...sample.tree].filter(([p, b]) => /\.[ch]$/.test(p) && /iommu_sva_bind_device|sva_bind|SVM_FLAG_/.test(b.toString('latin1')));
      const [file, bytes] = files[Math.floor(rnd() * files.length)]!;
      const [what, mutate] = MUTATIONS[Math.floor(rnd() * MUTATIONS.length)]!;
      const text = decodeUtf8(bytes) ?? bytes.toString('latin1');
      const tree = new Map(sample.tree).set(file, Buffer.from(mutate(text, rnd), 'utf8'));
      let problems: string[];
      try {
        problems = await problemsOf(tree);
      } catch (e) {
        problems = [`threw ${String(e instanceof Error ? e.stack : e)}`];
      }
      for (const p of problems) failures.push(`#${done} ${sample.name}/${file} (${what}): ${p}`);
    }
    expect(done).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  }, 30_000);
});
