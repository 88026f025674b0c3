// Colour: git's --color=auto|always|never (a bare --color is always,
// --no-color never), and with auto the FORCE_COLOR / NO_COLOR conventions,
// then whether the stream is a terminal (docs/cli.md).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colourOn, parseColour } from '../../codemods/cli/colour.js';
import { UsageError } from '../../codemods/cli/io.js';
import { main } from '../../codemods/cli/main.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DEMO = join(ROOT, 'samples/iommu-sva-bind-flags/demo/before');
const MANUAL = join(ROOT, 'samples/iommu-sva-bind-flags/manual-wrapper/before');
const ESC = '\x1b[';
const strip = (s: string) => s.replace(/\x1b\[\d+m/g, '');

async function cli(argv: string[], tty: boolean, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), stdoutIsTTY: tty, stderrIsTTY: tty, cwd: ROOT, env });
  return { code, stdout, stderr };
}

describe('colourOn', () => {
  it.each([
    ['auto', true, {}, true],
    ['auto', false, {}, false],
    ['auto', true, { TERM: 'dumb' }, false],
    ['auto', true, { NO_COLOR: '1' }, false],
    ['auto', true, { NO_COLOR: '' }, true],
    ['auto', false, { FORCE_COLOR: '1' }, true],
    ['auto', false, { FORCE_COLOR: '' }, true],
    ['auto', true, { FORCE_COLOR: '0' }, false],
    ['auto', true, { FORCE_COLOR: 'false' }, false],
    ['auto', false, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
    ['always', false, { NO_COLOR: '1' }, true],
    ['always', false, { FORCE_COLOR: '0' }, true],
    ['never', true, { FORCE_COLOR: '1' }, false],
    ['never', true, {}, false],
  ] as const)('--color=%s, terminal %s, env %j: %s', (when, tty, env, want) => {
    expect(colourOn(when, tty, env)).toBe(want);
  });

  it('reads --color as commander gives it', () => {
    expect(parseColour(undefined)).toBe('auto');
    expect(parseColour(true)).toBe('always');
    expect(parseColour(false)).toBe('never');
    expect(parseColour('never')).toBe('never');
    expect(() => parseColour('sometimes')).toThrow(UsageError);
  });
});

describe('run --color', () => {
  const run = (args: string[], tty: boolean, env?: NodeJS.ProcessEnv) => cli(['run', 'iommu-sva-bind-flags', '-C', DEMO, '--jobs', '1', ...args], tty, env);

  it('--color=always colours the diff of a pipe as git does; stripped of colour it is the plain diff', async () => {
    const plain = await run([], false);
    expect(plain.stdout).not.toContain(ESC);
    const coloured = await run(['--color=always'], false);
    expect(coloured.code).toBe(plain.code);
    expect(coloured.stdout).toMatch(/^\x1b\[1mdiff --git /);
    expect(coloured.stdout).toContain('\x1b[36m@@ ');
    expect(coloured.stdout).toMatch(/\n\x1b\[32m\+[^\n]*\x1b\[0m\n/);
    expect(coloured.stdout).toMatch(/\n\x1b\[31m-[^\n]*\x1b\[0m\n/);
    expect(strip(coloured.stdout)).toBe(plain.stdout);
  });

  it('a bare --color is always, and leaves the next argument alone', async () => {
    const r = await cli(['run', '--color', 'iommu-sva-bind-flags', '-C', DEMO, '--jobs', '1'], false);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\x1b[32m+');
  });

  it('auto: a terminal gets colour, unless NO_COLOR or TERM=dumb; FORCE_COLOR colours a pipe', async () => {
    expect((await run([], true)).stdout).toContain(ESC);
    expect((await run([], true, { NO_COLOR: '1' })).stdout).not.toContain(ESC);
    expect((await run([], true, { TERM: 'dumb' })).stdout).not.toContain(ESC);
    expect((await run([], false, { FORCE_COLOR: '1' })).stdout).toContain(ESC);
    expect((await run([], true, { FORCE_COLOR: '0' })).stdout).not.toContain(ESC);
  });

  it('the command line wins over the environment: --no-color and --color=never on a terminal with FORCE_COLOR, --color=always with NO_COLOR', async () => {
    expect((await run(['--no-color'], true, { FORCE_COLOR: '1' })).stdout).not.toContain(ESC);
    expect((await run(['--color=never'], true, { FORCE_COLOR: '1' })).stdout).not.toContain(ESC);
    expect((await run(['--color=always'], false, { NO_COLOR: '1' })).stdout).toContain(ESC);
  });

  it('--format text colours each action; the manual sites on stderr are coloured by stderr', async () => {
    const text = await cli(['run', 'iommu-sva-bind-flags', '-C', MANUAL, '--jobs', '1', '--format', 'text', '--color=always'], false);
    expect(text.stdout).toContain(`: ${ESC}31mmanual${ESC}0m `);
    expect(text.stdout).not.toContain(`${ESC}32m`);
    const diff = await cli(['run', 'iommu-sva-bind-flags', '-C', MANUAL, '--jobs', '1', '--color=always'], false);
    expect(diff.code).toBe(1);
    expect(diff.stderr).toContain(`: ${ESC}31mmanual${ESC}0m `);
    const piped = await cli(['run', 'iommu-sva-bind-flags', '-C', MANUAL, '--jobs', '1'], false, { FORCE_COLOR: '0' });
    expect(piped.stderr).not.toContain(ESC);
    expect(strip(diff.stderr).replace(/\(\d+\.\d+ s\)/, '')).toBe(piped.stderr.replace(/\(\d+\.\d+ s\)/, ''));
  });

  it('JSON is never coloured', async () => {
    const r = await run(['--format', 'json', '--color=always'], true);
    expect(r.stdout).not.toContain(ESC);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
  });

  it('a bad value: exit 2 and one line naming the option', async () => {
    const r = await run(['--color=sometimes'], false);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("kmigrate: --color takes auto, always or never (got 'sometimes')\n");
  });
});

describe('check --color', () => {
  it('colours the verdicts; stripped, it is the plain report', async () => {
    const plain = await cli(['check', 'iommu-sva-bind-flags', '-C', DEMO], false);
    const coloured = await cli(['check', 'iommu-sva-bind-flags', '-C', DEMO, '--color=always'], false);
    expect(plain.stdout).not.toContain(ESC);
    expect(coloured.stdout).toContain(`${ESC}32mequivalent${ESC}0m`);
    expect(coloured.stdout).toMatch(/\x1b\[32mOK\x1b\[0m\n$/);
    expect(strip(coloured.stdout)).toBe(plain.stdout);
    expect(coloured.code).toBe(plain.code);
  });
});
