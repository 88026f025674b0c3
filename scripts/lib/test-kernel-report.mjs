// test:kernel's reporting (scripts/test-kernel.mjs): one PASS/FAIL/SKIP
// line per check, the timings, the final "N passed, M failed" and the exit
// status; and small helpers on files, diffs and lists.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { secs } from './proc.mjs';

const startedAt = performance.now();

const tally = { passed: 0, failed: 0, skipped: 0 };
const timings = [];

function indent(text) {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

export function check(name, ok, detail = '', ms = undefined) {
  if (ok) tally.passed++;
  else tally.failed++;
  const first = detail.split('\n')[0];
  const rest = detail.includes('\n') ? `\n${indent(detail.slice(detail.indexOf('\n') + 1))}` : '';
  const took = ms === undefined ? '' : ` [${secs(ms)}]`;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${took}${first ? `: ${first}` : ''}${rest}`);
  return ok;
}

export function skip(name, reason) {
  tally.skipped++;
  console.log(`SKIP ${name}: ${reason}`);
}

export function timing(what, ms) {
  timings.push(`${what} ${secs(ms)}`);
}

export function tail(text, lines = 30) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export function finish() {
  timing('total', performance.now() - startedAt);
  if (timings.length > 0) console.log(`timings: ${timings.join('; ')}`);
  if (tally.skipped > 0) console.log(`${tally.skipped} skipped`);
  console.log(`${tally.passed} passed, ${tally.failed} failed`);
  process.exitCode = tally.failed > 0 ? 1 : 0;
}

export function sha(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Files named by a unified diff, from its "+++ b/…" and "--- a/…" lines. */
export function diffFiles(diff) {
  const files = new Set();
  for (const m of diff.matchAll(/^(?:\+\+\+ b|--- a)\/(\S+)/gm)) files.add(m[1]);
  return [...files].sort();
}

export function sameList(a, b) {
  return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
}

export function listDifference(want, got) {
  const missing = want.filter((f) => !got.includes(f));
  const extra = got.filter((f) => !want.includes(f));
  return [missing.length ? `missing: ${missing.join(' ')}` : '', extra.length ? `unexpected: ${extra.join(' ')}` : '']
    .filter(Boolean)
    .join('; ');
}

// git must not mistake an enclosing repository for the tree's.
export function gitEnv(dir) {
  return { ...process.env, GIT_CEILING_DIRECTORIES: dirname(dir) };
}
