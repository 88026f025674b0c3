// Scratch directories and git/patch runners for the patch tests.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

export const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');

/** A fresh temporary directory, removed after the test file. */
export function tempDir(prefix = 'kmigrate-patch-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

/** Write `files` (path → text) under `root`. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), text);
  }
}

/** Every file under `root` (relative path → text), .git left out. */
export function readTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) out[path.relative(root, abs)] = fs.readFileSync(abs, 'utf8');
    }
  };
  walk(root);
  return out;
}

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Jane Dev',
  GIT_AUTHOR_EMAIL: 'jane@example.org',
  GIT_COMMITTER_NAME: 'Jane Dev',
  GIT_COMMITTER_EMAIL: 'jane@example.org',
  GIT_AUTHOR_DATE: '2026-11-23T20:31:05+0000',
  GIT_COMMITTER_DATE: '2026-11-23T20:31:05+0000',
  TZ: 'UTC',
};

/** Run git in `cwd` with a fixed identity and dates (extra env wins); returns stdout. */
export function git(cwd: string, args: string[], env: Record<string, string> = {}, input?: string): string {
  return execFileSync('git', args, { cwd, env: { ...GIT_ENV, ...env }, encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A new git repository in a temp dir. */
export function gitRepo(): string {
  const d = tempDir('kmigrate-git-');
  git(d, ['init', '-q']);
  return d;
}

/** Run a command; returns { status, output } instead of throwing. */
export function run(cmd: string, args: string[], cwd: string, input?: string): { status: number; output: string } {
  try {
    const output = execFileSync(cmd, args, { cwd, encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
    return { status: 0, output };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    return { status: err.status ?? 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

/** A small deterministic random generator (for generated cases that must be the same on every run). */
export function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}
