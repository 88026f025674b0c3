#!/usr/bin/env node
// npm run bench:large — what one very large C file costs kmigrate: peak RSS
// and wall time of `kmigrate run <migration> -C <tree>` (the diff, and
// `--format json`), with `--jobs 1` and the default, on a generated tree
// whose drivers/big/big.c is 10 MB and 50 MB of real driver code
// (scripts/lib/large-file.mjs; for i2c-probe-drop-id a tree of its own, of
// i2c drivers whose probe reads its `id`). Each run is a new process timed by GNU time
// (`%e` wall seconds, `%M` peak RSS); its output goes to a file and is
// hashed (the JSON's parseMs left out), so that two builds can be compared
// for the same result as well as for cost. Prints a table; writes JSON.
//
//   node scripts/bench-large.mjs [options]
//     --sizes <list>        sizes of the large file in MB (default 10,50)
//     --migration <list|all>  iommu-sva-bind-flags, platform-remove-void, i2c-probe-drop-id, all (default)
//     --formats <list>      diff, json (default both)
//     --jobs <list>         1, default (default both)
//     --dir <dir>           where the trees are made (default: $TMPDIR/kmigrate-large)
//     --limit <s>           time limit of one run (default 900)
//     --json <file>         where to write the results (default .bench/large.json)
//     --no-build            do not run the build first (use dist/ as it is)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernelTreeDir } from './lib/kernel.mjs';
import { I2C_DRIVERS, I2C_HEADERS, makeLargeTree } from './lib/large-file.mjs';
import { fmt, log, table } from './lib/bench-measure.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist', 'bundle', 'kmigrate.js');
const MIGRATIONS = ['iommu-sva-bind-flags', 'platform-remove-void', 'i2c-probe-drop-id'];
/** The migrations measured on the i2c tree (`<size>mb-i2c`); the others share `<size>mb`. */
const ON_I2C_TREE = new Set(['i2c-probe-drop-id']);

function usage(message) {
  process.stderr.write(`bench-large: ${message}\n`);
  process.stderr.write('usage: node scripts/bench-large.mjs [--sizes 10,50] [--migration <list|all>] [--formats diff,json] [--jobs 1,default] [--dir <dir>] [--limit <s>] [--json <file>] [--no-build]\n');
  process.exit(2);
}

const userPath = (p) => resolve(process.env.INIT_CWD ?? process.cwd(), p);

function parseArgs(argv) {
  const o = {
    sizes: [10, 50],
    migrations: MIGRATIONS,
    formats: ['diff', 'json'],
    jobs: ['1', 'default'],
    dir: join(tmpdir(), 'kmigrate-large'),
    limit: 900,
    json: join(REPO, '.bench', 'large.json'),
    build: true,
  };
  const list = (v, allowed, name) => {
    const xs = String(v ?? '').split(',').filter(Boolean);
    for (const x of xs) if (!allowed.includes(x)) usage(`${name}: ${JSON.stringify(x)} is not one of ${allowed.join(', ')}`);
    if (xs.length === 0) usage(`${name} wants a list`);
    return xs;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} wants a value`));
    if (a === '--sizes') {
      o.sizes = String(v()).split(',').map(Number);
      if (o.sizes.some((n) => !(n > 0))) usage('--sizes wants positive numbers of MB');
    } else if (a === '--migration') {
      const m = v();
      o.migrations = m === 'all' ? MIGRATIONS : list(m, MIGRATIONS, '--migration');
    } else if (a === '--formats') o.formats = list(v(), ['diff', 'json'], '--formats');
    else if (a === '--jobs') o.jobs = list(v(), ['1', 'default'], '--jobs');
    else if (a === '--dir') o.dir = userPath(v());
    else if (a === '--limit') {
      o.limit = Number(v());
      if (!(o.limit > 0)) usage('--limit wants seconds');
    } else if (a === '--json') o.json = userPath(v());
    else if (a === '--no-build') o.build = false;
    else usage(`unknown option ${a}`);
  }
  return o;
}

/** One run of kmigrate under GNU time, its output in a file: { s, rssMB, code, outBytes, outHash, summary }. */
function measureRun(args, scratch, limit) {
  const out = join(scratch, 'stdout');
  const stat = join(scratch, 'time');
  rmSync(stat, { force: true });
  const fd = openSync(out, 'w');
  let r;
  try {
    r = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', stat, 'timeout', '--kill-after=10', String(limit), process.execPath, CLI, ...args], {
      stdio: ['ignore', fd, 'pipe'],
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
  } finally {
    closeSync(fd);
  }
  // GNU time writes "Command exited with non-zero status N" (or "terminated by signal") before the figures.
  const last = existsSync(stat) ? readFileSync(stat, 'utf8').trim().split('\n').pop() : '';
  const [s, kb] = (last ?? '').split(' ').map(Number);
  let text = readFileSync(out, 'utf8');
  if (args.includes('json')) text = text.replace(/"parseMs":\s*[\d.]+/g, '"parseMs":0');
  const summary = (r.stderr ?? '').trim().split('\n').filter((l) => l.startsWith('kmigrate ')).pop() ?? '';
  return {
    s: Number.isFinite(s) ? s : NaN,
    rssMB: Number.isFinite(kb) ? (kb * 1024) / 1e6 : NaN,
    code: r.status ?? -1,
    outBytes: statSync(out).size,
    outHash: createHash('sha256').update(text).digest('hex').slice(0, 12),
    summary,
  };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync('/usr/bin/time')) usage('GNU time (/usr/bin/time) is needed for peak RSS');
  const kernel = kernelTreeDir();
  if (!existsSync(join(kernel, 'include/linux'))) usage(`no kernel tree at ${kernel}: run npm run fetch:kernel first`);
  if (o.build) {
    const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
    if (b.status !== 0) usage('the build failed');
  }
  const c = await import(join(REPO, 'dist', 'codemods', 'c', 'index.js'));
  const scratch = join(o.dir, 'scratch');
  mkdirSync(scratch, { recursive: true });
  const rows = [];
  for (const mb of o.sizes) {
    const trees = new Map();
    const treeFor = (migration) => {
      const i2c = ON_I2C_TREE.has(migration);
      const name = i2c ? `${mb}mb-i2c` : `${mb}mb`;
      if (!trees.has(name)) {
        const tree = join(o.dir, name);
        rmSync(tree, { recursive: true, force: true });
        const made = makeLargeTree(kernel, tree, mb * 1e6, c, i2c ? { drivers: I2C_DRIVERS, headers: I2C_HEADERS } : {});
        log(`bench-large: ${made.file}: ${(made.bytes / 1e6).toFixed(1)} MB, ${made.copies} copies of ${made.sources.length} drivers`);
        trees.set(name, { tree, made });
      }
      return trees.get(name);
    };
    for (const migration of o.migrations) {
      const { tree, made } = treeFor(migration);
      for (const format of o.formats) {
        for (const jobs of o.jobs) {
          const args = ['run', migration, '-C', tree, ...(format === 'json' ? ['--format', 'json'] : []), ...(jobs === '1' ? ['--jobs', '1'] : [])];
          const m = measureRun(args, scratch, o.limit);
          const row = { mb: made.bytes / 1e6, migration, format, jobs, ...m, perByte: (m.rssMB * 1e6) / made.bytes };
          rows.push(row);
          log(`  ${migration} ${format} --jobs ${jobs}: ${fmt(m.s)} s, ${fmt(m.rssMB, 0)} MB (exit ${m.code}, out ${m.outHash})  ${m.summary}`);
        }
      }
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  const header = ['input', 'migration', 'output', 'jobs', 'wall s', 'peak RSS MB', 'RSS ÷ input', 'exit', 'output sha256'];
  const body = rows.map((r) => [`${fmt(r.mb, 1)} MB`, r.migration, r.format, r.jobs, fmt(r.s), fmt(r.rssMB, 0), `${fmt(r.perByte, 1)}×`, r.code, r.outHash]);
  process.stdout.write(`${table(body, header)}\n`);
  mkdirSync(dirname(o.json), { recursive: true });
  writeFileSync(o.json, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
  log(`bench-large: results in ${o.json}`);
}

await main();
