#!/usr/bin/env node
// Measures how often each pair of folded identifier bytes (a-z, 0-9, _, case
// folded as the byte prefilter folds: bit 0x20 set) follows another in kernel
// C, and prints the table codemods/engine/pair-table.ts holds: one character
// per pair, row by row over ALPHABET, character 48 + round(4 * log2(1 + n))
// for n pairs per million bytes. The byte prefilter uses it to choose rare
// windows (`sv` occurs 57 times per million bytes, `in` 12,000 times).
//
//   node scripts/pair-frequencies.mjs [tree] [--every N]
//
// The tree defaults to the cached linux-source-6.1; every Nth .c/.h file
// (default 10) is read. Needs `npm run build` (it walks with dist/).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const { listSourceFiles } = await import(join(REPO, 'dist', 'codemods', 'io', 'walk.js'));
const { PAIR_ALPHABET } = await import(join(REPO, 'dist', 'codemods', 'engine', 'pair-table.js'));

const args = process.argv.slice(2);
const everyAt = args.indexOf('--every');
const every = everyAt >= 0 ? Number(args.splice(everyAt, 2)[1]) : 10;
const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
const tree = args[0] ?? join(cache, 'kmigrate', 'linux-source-6.1');

const n = PAIR_ALPHABET.length;
// Index of each byte once folded (`_`, 0x5f, folds to 0x7f), or -1.
const index = new Int16Array(256).fill(-1);
for (let b = 0; b < 256; b++) {
  const f = b | 0x20;
  index[b] = PAIR_ALPHABET.indexOf(f === 0x7f ? '_' : String.fromCharCode(f));
}
const counts = new Float64Array(n * n);
let bytes = 0;
const files = listSourceFiles(tree).filter((_, i) => i % every === 0);
for (const f of files) {
  const b = readFileSync(join(tree, f));
  bytes += b.length;
  for (let i = 0; i + 1 < b.length; i++) {
    const x = index[b[i]];
    const y = index[b[i + 1]];
    if (x >= 0 && y >= 0) counts[x * n + y]++;
  }
}
const table = [...counts].map((c) => String.fromCharCode(48 + Math.round(4 * Math.log2(1 + (c / bytes) * 1e6)))).join('');
process.stderr.write(`${files.length} files, ${(bytes / 1e6).toFixed(1)} MB\n`);
process.stdout.write(`${table}\n`);
