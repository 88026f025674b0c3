// Output that cannot be written: stdout into a full disk or a closed pipe,
// format-patch -o onto a file. Each is one line and exit 2, never a stack.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../codemods/cli/main.js';
import { processIo } from '../../codemods/cli/io.js';
import { runCli } from '../helpers/cli.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const DEMO_BEFORE = join(REPO, 'samples/iommu-sva-bind-flags/demo/before');

/** A stream that fails every write with `code`, and what went to stderr. */
function failing(code: string): { out: Writable; err: Writable; stderr: () => string } {
  let text = '';
  const out = new Writable({
    write(_chunk, _enc, cb) {
      cb(Object.assign(new Error(`${code}: simulated`), { code }));
    },
  });
  const err = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { out, err, stderr: () => text };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe('stdout that cannot be written', () => {
  it('a full disk: one line naming the reason, exit 2', async () => {
    const s = failing('ENOSPC');
    let exitCode: number | undefined;
    await main(['list'], processIo(s.out, s.err, (c) => (exitCode = c)));
    await tick();
    // The failure arrives as an event, after the command's return: the process status carries it.
    expect(exitCode).toBe(2);
    expect(s.stderr()).toBe('kmigrate: cannot write to standard output: no space left on device (ENOSPC)\n');
  });

  it('a closed pipe: quiet, exit 2', async () => {
    const s = failing('EPIPE');
    let exitCode: number | undefined;
    await main(['list'], processIo(s.out, s.err, (c) => (exitCode = c)));
    await tick();
    // The failure arrives as an event, after the command's return: the process status carries it.
    expect(exitCode).toBe(2);
    expect(s.stderr()).toBe('');
  });

  // The real process, as a user runs it: no unhandled 'error' event, no stack.
  const script = join(mkdtempSync(join(tmpdir(), 'kmigrate-io-')), 'entry.ts');
  writeFileSync(script, `import { runAsProcess } from ${JSON.stringify(join(REPO, 'codemods/cli/main.ts'))};\nvoid runAsProcess(process.argv.slice(2));\n`);
  const viteNode = join(REPO, 'node_modules/.bin/vite-node');

  it('the process writing to /dev/full: one line, exit 2', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(viteNode, [script, 'run', 'iommu-sva-bind-flags', '-C', DEMO_BEFORE, '--jobs', '1'], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8', cwd: REPO });
      const lines = r.stderr.split('\n').filter((l) => l.startsWith('kmigrate: '));
      expect(lines).toEqual(['kmigrate: cannot write to standard output: no space left on device (ENOSPC)']);
      expect(r.stderr).not.toMatch(/\n\s+at |Unhandled|internal error/);
      expect(r.status).toBe(2);
    } finally {
      closeSync(full);
    }
  }, 60_000);

  it('the process writing into a closed pipe: quiet, exit 2', () => {
    // `| true`: the reader is gone before the first write.
    const r = spawnSync('bash', ['-c', '"$0" "$@" | true; exit ${PIPESTATUS[0]}', viteNode, script, 'run', 'iommu-sva-bind-flags', '-C', DEMO_BEFORE, '--jobs', '1'], { encoding: 'utf8', cwd: REPO });
    expect(r.stderr.split('\n').filter((l) => l.startsWith('kmigrate: '))).toEqual([]);
    expect(r.stderr).not.toMatch(/\n\s+at |Unhandled|EPIPE/);
    expect(r.status).toBe(2);
  }, 60_000);
});

describe('format-patch -o that cannot be written', () => {
  const tree = (): string => {
    const root = mkdtempSync(join(tmpdir(), 'kmigrate-fp-io-'));
    spawnSync('cp', ['-r', `${DEMO_BEFORE}/.`, root]);
    return root;
  };
  const env = { GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.org' };
  const withIdentity = async (argv: string[]): Promise<Awaited<ReturnType<typeof runCli>>> => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      return await runCli(argv);
    } finally {
      for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
    }
  };

  it('onto an existing file: one line naming it, exit 2, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmigrate-fp-o-'));
    const file = join(dir, 'taken');
    writeFileSync(file, 'x');
    const r = await withIdentity(['format-patch', 'iommu-sva-bind-flags', '-C', tree(), '-o', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').pop()).toMatch(/^kmigrate: -o .*taken: cannot create the output folder: a file is in the way \(EEXIST\)$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('into a folder under a file: one line, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmigrate-fp-o-'));
    writeFileSync(join(dir, 'taken'), 'x');
    const r = await withIdentity(['format-patch', 'iommu-sva-bind-flags', '-C', tree(), '-o', join(dir, 'taken', 'sub')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot create the output folder: a file is in the way \(not a folder\) \(ENOTDIR\)\n$/);
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it.skipIf(process.getuid?.() === 0)('into a read-only folder: one line, exit 2, no temporary file left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmigrate-fp-o-'));
    spawnSync('chmod', ['a-w', dir]);
    const r = await withIdentity(['format-patch', 'iommu-sva-bind-flags', '-C', tree(), '-o', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*permission denied \(EACCES\)\n$/);
    expect(existsSync(dir) && readdirSync(dir)).toEqual([]);
  });
});
