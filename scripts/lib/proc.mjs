// Small process helpers for the scripts/ programs (not part of the library).
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The absolute path of `name` on PATH, or undefined. */
export function which(name, env = process.env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Run a command and wait for it.
 * - `capture` (default true): collect stdout and stderr as strings;
 *   otherwise both are passed through to this process's stderr (stdout of a
 *   script is kept for results).
 * - `input`: a string written to the child's stdin.
 * Resolves with { code, signal, stdout, stderr, ms }; never rejects for a
 * non-zero exit. Rejects when the command cannot be started (ENOENT).
 */
export function run(cmd, args, { cwd, env, input, capture = true } = {}) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: env ?? process.env,
      stdio: [input === undefined ? 'ignore' : 'pipe', capture ? 'pipe' : process.stderr, capture ? 'pipe' : process.stderr],
    });
    const out = [];
    const err = [];
    if (capture) {
      child.stdout.on('data', (b) => out.push(b));
      child.stderr.on('data', (b) => err.push(b));
    }
    if (input !== undefined) {
      child.stdin.on('error', () => {}); // the child may exit before reading everything
      child.stdin.end(input);
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({
        code: code ?? -1,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: performance.now() - started,
      });
    });
  });
}

/** Seconds with one decimal, for timing lines. */
export function secs(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
