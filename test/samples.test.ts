// One table-driven test over every sample tree:
//   samples/<migration>/<case>/before/   the tree before the migration
//   samples/<migration>/<case>/after/    the expected tree, written by hand
//   samples/<migration>/<case>/case.json description, exit, sites (every one), paths, knownBug
//
// The migration is resolved as the CLI resolves it (a bundled TypeScript
// migration or a bundled migration file, by id).
//
// For each case: run the migration on a copy of before/ and write its result
// (what --write does); the tree must equal after/ byte for byte, file set
// included. The exit status must be 1 exactly when a site needs manual work,
// the sites reported must be exactly those case.json lists (written by hand,
// one by one), a second run on after/ must change nothing and report the same
// manual sites (same exit status), and the diff the CLI prints must apply to before/ with
// `git apply` and give after/. The CLI itself (`run --write`) gives the same.
// A case that exposes a tool bug says so in case.json (knownBug) and is
// skipped with that reason; KMIGRATE_KNOWN_BUGS=1 runs it anyway.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../codemods/cli/main.js';
import { renderDiff } from '../codemods/cli/reporters/diff.js';
import { runMigration } from '../codemods/engine/run.js';
import { diskSource } from '../codemods/io/source.js';
import type { RunResult, Site } from '../codemods/engine/types.js';
import { resolveMigration } from '../codemods/registry.js';
import { copyTree, removeTree, tempDir, treeDifferences } from './helpers/tree.js';

const ROOT = join(import.meta.dirname, '..');
const SAMPLES = join(ROOT, 'samples');

interface ExpectedSite {
  path: string;
  line: number;
  code: string;
  action: Site['action'];
  /** The rewrite changes what the code does (`[changes behaviour]` in text, `"changesBehaviour": true` in JSON). */
  changesBehaviour?: boolean;
}

interface CaseSpec {
  description?: string;
  exit?: 0 | 1;
  /** Every site the run reports, no more and no fewer (compared as path, line, action, code). */
  sites: ExpectedSite[];
  /** Limit the run to these paths under the root (`kmigrate run <codemod> [paths...]`). */
  paths?: string[];
  /** A tool bug this case exposes: the case is skipped with this reason (run anyway with KMIGRATE_KNOWN_BUGS=1). */
  knownBug?: string;
}

interface SampleCase {
  migration: string;
  name: string;
  dir: string;
  spec: CaseSpec;
}

const CASE_KEYS = new Set(['description', 'exit', 'sites', 'paths', 'knownBug']);

function loadCases(): SampleCase[] {
  const out: SampleCase[] = [];
  const dirs = (dir: string) =>
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  for (const migration of dirs(SAMPLES)) {
    const mdir = join(SAMPLES, migration);
    for (const name of dirs(mdir)) {
      const dir = join(mdir, name);
      if (!existsSync(join(dir, 'before'))) continue;
      const specPath = join(dir, 'case.json');
      if (!existsSync(specPath)) throw new Error(`${specPath}: missing (every case lists its sites)`);
      const spec = JSON.parse(readFileSync(specPath, 'utf8')) as CaseSpec;
      const unknown = Object.keys(spec).filter((k) => !CASE_KEYS.has(k));
      if (unknown.length > 0) throw new Error(`${specPath}: unknown key ${unknown.join(', ')}`);
      if (!Array.isArray(spec.sites)) throw new Error(`${specPath}: no "sites" list`);
      out.push({ migration, name, dir, spec });
    }
  }
  return out;
}

const cases = loadCases();
const temps: string[] = [];
afterAll(() => temps.forEach(removeTree));

/** A private copy of one of a case's trees. */
function copyOf(c: SampleCase, which: 'before' | 'after'): string {
  const t = tempDir(`kmigrate-${c.name}-`);
  temps.push(t);
  const root = join(t, 'tree');
  copyTree(join(c.dir, which), root);
  return root;
}

async function migrate(c: SampleCase, root: string): Promise<RunResult> {
  const migration = resolveMigration(c.migration, ROOT);
  return runMigration(migration, diskSource(root, c.spec.paths ?? []), { rootLabel: '.', jobs: 1 });
}

/** --write semantics: every changed file gets the engine's `after` text. */
function writeResult(root: string, result: RunResult): void {
  for (const f of result.files) if (f.status === 'changed') writeFileSync(join(root, f.path), f.after!, 'utf8');
}

function exitOf(result: RunResult): number {
  return result.sites.some((s) => s.action === 'manual') ? 1 : 0;
}

/** A site as case.json lists it, one comparable line. */
function siteKey(s: ExpectedSite): string {
  return `${s.path}:${s.line} ${s.action} [${s.code}]${s.changesBehaviour ? ' [changes behaviour]' : ''}`;
}

function describeSites(sites: readonly Site[]): string {
  return sites.map((s) => `${s.path}:${s.line}:${s.column} ${s.action} ${s.kind} [${s.code}]${s.changesBehaviour ? ' [changes behaviour]' : ''}`).join('\n');
}

function git(cwd: string, args: string[]): void {
  execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe.each(cases)('sample $migration/$name', (c) => {
  const run = c.spec.knownBug && !process.env.KMIGRATE_KNOWN_BUGS ? it.skip : it;
  const bug = c.spec.knownBug ? ` (skipped, known bug: ${c.spec.knownBug})` : '';

  run(`rewrites before/ into after/, byte for byte${bug}`, async () => {
    const root = copyOf(c, 'before');
    const result = await migrate(c, root);
    writeResult(root, result);
    expect(treeDifferences(root, join(c.dir, 'after')), describeSites(result.sites)).toEqual([]);
  });

  run(`exits ${c.spec.exit ?? 0} and reports the expected sites${bug}`, async () => {
    const result = await migrate(c, copyOf(c, 'before'));
    expect(exitOf(result), describeSites(result.sites)).toBe(c.spec.exit ?? 0);
    const got = result.sites.map(siteKey).sort();
    const want = c.spec.sites.map(siteKey).sort();
    expect(got, `exactly the listed sites; reported:\n${describeSites(result.sites)}`).toEqual(want);
    // No file may fail inside the engine.
    expect(result.files.filter((f) => f.status === 'error').map((f) => f.path)).toEqual([]);
  });

  run(`changes nothing on a second run (after/), with the same exit status and manual sites${bug}`, async () => {
    const first = await migrate(c, copyOf(c, 'before'));
    const result = await migrate(c, copyOf(c, 'after'));
    expect(result.files.filter((f) => f.status === 'changed').map((f) => f.path)).toEqual([]);
    expect(result.sites.filter((s) => s.action === 'rewritten'), describeSites(result.sites)).toEqual([]);
    // The output is no worse than the input: a site the first run left for a
    // person is still one (same file, same code), and nothing it produced
    // becomes one.
    const manual = (r: RunResult) => r.sites.filter((s) => s.action === 'manual').map((s) => `${s.path} [${s.code}]`).sort();
    expect(manual(result), describeSites(result.sites)).toEqual(manual(first));
    expect(exitOf(result)).toBe(c.spec.exit ?? 0);
  });

  run(`prints a diff that git apply accepts on before/ and that gives after/${bug}`, async () => {
    const root = copyOf(c, 'before');
    const result = await migrate(c, root);
    const diff = renderDiff(result);
    if (!result.files.some((f) => f.status === 'changed')) {
      expect(diff).toBe('');
      return;
    }
    const patch = join(root, '..', 'change.patch');
    writeFileSync(patch, diff, 'utf8');
    git(root, ['apply', '--check', patch]);
    git(root, ['apply', patch]);
    expect(treeDifferences(root, join(c.dir, 'after'))).toEqual([]);
  });

  run(`kmigrate run --write gives after/ and the same exit status${bug}`, async () => {
    const root = copyOf(c, 'before');
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), stdoutIsTTY: false, stderrIsTTY: false, cwd: root };
    const code = await main(['run', c.migration, ...(c.spec.paths ?? []), '-C', root, '--write', '--format', 'json', '--jobs', '1'], io);
    expect(code, err.join('')).toBe(c.spec.exit ?? 0);
    const json = JSON.parse(out.join('')) as { codemod: string; sites: unknown[]; diff: string };
    expect(json.codemod).toBe(c.migration);
    expect(treeDifferences(root, join(c.dir, 'after'))).toEqual([]);
  });
});

describe('samples', () => {
  it('are present', () => {
    expect(cases.length).toBeGreaterThan(0);
  });
});
