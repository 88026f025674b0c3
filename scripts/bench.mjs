#!/usr/bin/env node
// npm run bench — what a whole-tree dry run of a migration costs (bench/README.md),
// side by side in one invocation with:
//   - the floor: `rg -l <needle> <tree>` (reading the tree once);
//   - Coccinelle: spatch with the migration's bench/*.cocci, -j 2;
//   - ast-grep, for the flagship: `ast-grep scan --rule
//     bench/ast-grep-rule.yml <tree>`, once, with a time limit;
//   - for the flagship, kmigrate's dry run on about 1/4 and 1/2 of the tree
//     (by paths), for the scaling figure.
// The migrations and their targets are in scripts/lib/bench-migrations.mjs:
// iommu-sva-bind-flags (the default) and platform-remove-void; `--migration
// all` runs one after the other, each with its own warm-up and rounds.
// Each tool missing from the machine is skipped with a note. Every timed run
// is a new process (cold start included), timed around the whole command;
// peak RSS is the child's ru_maxrss (GNU time, or a python3 wrapper).
// After one untimed warm-up pass of each (page cache), each round runs every
// tool once, the order rotated from round to round. Prints a table, kmigrate's
// parse figures, the scaling figure and a PASS/FAIL line for each target;
// writes the same as JSON. Exit status 1 when a target FAILs.
//
//   node scripts/bench.mjs [options]
//     --migration <id|all>  iommu-sva-bind-flags (default), platform-remove-void, all
//     --tree <dir>          tree to run on (default: the cached linux-source-6.1,
//                           fetched when missing, as npm run test:kernel does)
//     --runs <n>            timed runs of rg and kmigrate (default 5)
//     --slow-runs <n>       timed runs of spatch (default 3)
//     --timeout <s>         time limit of the one ast-grep run (default 600)
//     --json <file>         where to write the results (default .bench/results.json)
//     --skip <list>         comma-separated: rg, spatch, ast-grep, scaling, jobs1
//     --no-build            do not run the build first (use dist/ as it is)
//
// ast-grep is looked for on PATH and in node_modules/.bin; to include it:
// `npm i --no-save @ast-grep/cli`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureKernelTree } from './lib/kernel.mjs';
import { which } from './lib/proc.mjs';
import { cleanScratch, log, pickMeter, versionOf } from './lib/bench-measure.mjs';
import { DEFAULT_MIGRATION, MIGRATIONS, selectMigrations } from './lib/bench-migrations.mjs';
import { benchMigration } from './lib/bench-run.mjs';
import { formatHeader, formatMigration } from './lib/bench-report.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist', 'bundle', 'kmigrate.js');
const SKIPPABLE = ['rg', 'spatch', 'ast-grep', 'scaling', 'jobs1'];

// ---------------------------------------------------------------------------
// Options

function usage(message, code = 2) {
  if (message) process.stderr.write(`bench: ${message}\n`);
  process.stderr.write(
    'usage: node scripts/bench.mjs [--migration <id|all>] [--tree <dir>] [--runs <n>] [--slow-runs <n>]\n' +
      '                              [--timeout <s>] [--json <file>] [--skip rg,spatch,ast-grep,scaling,jobs1]\n' +
      '                              [--no-build]\n' +
      `  migrations: ${MIGRATIONS.map((m) => m.id).join(', ')}, all (default ${DEFAULT_MIGRATION})\n`,
  );
  process.exit(code);
}

/** npm run starts scripts in the package's folder; paths given are the user's. */
const userPath = (p) => resolve(process.env.INIT_CWD ?? process.cwd(), p);

function parseArgs(argv) {
  const o = {
    migrations: selectMigrations(DEFAULT_MIGRATION),
    tree: undefined,
    runs: 5,
    slowRuns: 3,
    timeout: 600,
    json: join(REPO, '.bench', 'results.json'),
    skip: new Set(),
    build: true,
  };
  const positive = (name, v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) usage(`${name} wants a whole number of at least 1, not ${JSON.stringify(v)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) usage(`${flag} needs a value`);
      return argv[++i];
    };
    switch (flag) {
      case '--migration': {
        const v = value();
        o.migrations = selectMigrations(v);
        if (!o.migrations) usage(`--migration: unknown ${JSON.stringify(v)}`);
        break;
      }
      case '--tree': o.tree = userPath(value()); break;
      case '--runs': o.runs = positive(flag, value()); break;
      case '--slow-runs': o.slowRuns = positive(flag, value()); break;
      case '--timeout': o.timeout = positive(flag, value()); break;
      case '--json': o.json = userPath(value()); break;
      case '--skip':
        for (const s of value().split(',').map((x) => x.trim()).filter(Boolean)) {
          if (!SKIPPABLE.includes(s)) usage(`--skip: unknown ${JSON.stringify(s)}`);
          o.skip.add(s);
        }
        break;
      case '--no-build': o.build = false; break;
      case '-h': case '--help': usage(undefined, 0); break;
      default: usage(`unknown argument ${JSON.stringify(a)}`);
    }
  }
  return o;
}

// ---------------------------------------------------------------------------

/** The tree to run on: --tree, or the cached linux-source-6.1. */
async function findTree(o) {
  if (o.tree) {
    if (!existsSync(o.tree)) usage(`--tree ${o.tree} does not exist`);
    return o.tree;
  }
  try {
    return await ensureKernelTree({ log });
  } catch (err) {
    log(`bench: no kernel tree: ${err.message}\n(pass one with --tree <dir>)`);
    process.exit(2);
  }
}

/** Build dist/ and the bundle the command runs (the engine changes often: measure what is checked out). */
function build(o) {
  if (o.build) {
    if (!existsSync(join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'))) {
      log('bench: node_modules/typescript is missing: run npm ci (or pass --no-build)');
      process.exit(2);
    }
    log('npm run build');
    const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO, encoding: 'utf8' });
    if (r.status !== 0) {
      log(`bench: the build failed (exit ${r.status})\n${r.stdout}${r.stderr}`);
      process.exit(2);
    }
  }
  if (!existsSync(CLI)) {
    log(`bench: ${relative(REPO, CLI)} is missing: run npm run build (or drop --no-build)`);
    process.exit(2);
  }
}

/** Which of spatch's flags this Coccinelle lacks (empty: all there). */
function spatchMissingFlags() {
  const help = spawnSync('spatch', ['--longhelp'], { encoding: 'utf8' });
  const text = `${help.stdout}${help.stderr}`;
  return ['--sp-file', '--dir', '--include-headers', '--very-quiet', '-j'].filter(
    (f) => !new RegExp(`(^|\\s)${f.replace(/[-]/g, '\\-')}(\\s|$)`, 'm').test(text),
  );
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const tree = await findTree(o);
  build(o);

  const meter = pickMeter();
  const notes = [];
  if (meter.kind === 'none') notes.push('neither GNU time nor python3 found: peak RSS not measured');
  const have = { rg: false, spatch: false, astGrep: undefined };
  if (o.skip.has('rg')) notes.push('rg: skipped (--skip)');
  else if (!which('rg')) notes.push('rg: not installed (apt-get install ripgrep): no floor, ratios not computed');
  else have.rg = true;
  if (o.skip.has('spatch')) notes.push('spatch: skipped (--skip)');
  else if (!which('spatch')) notes.push('spatch: not installed (apt-get install coccinelle): skipped');
  else {
    const missing = spatchMissingFlags();
    if (missing.length) notes.push(`spatch: this Coccinelle lacks ${missing.join(' ')}: skipped`);
    else have.spatch = true;
  }
  if (o.skip.has('ast-grep')) notes.push('ast-grep: skipped (--skip)');
  else {
    have.astGrep = which('ast-grep') ?? [join(REPO, 'node_modules', '.bin', 'ast-grep')].find((p) => existsSync(p));
    if (!have.astGrep) notes.push('ast-grep: not installed (npm i --no-save @ast-grep/cli): skipped');
  }
  if (o.skip.has('scaling')) notes.push('scaling: skipped (--skip)');
  if (o.skip.has('jobs1')) notes.push('the --jobs 1 comparison: skipped (--skip)');

  const ctx = { repo: REPO, cli: CLI, tree, o, meter, have };
  const load0 = loadavg();
  log(`tree ${tree}`);
  log(`load average ${load0.map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} CPUs`);
  for (const n of notes) log(`note: ${n}`);

  const results = [];
  for (const m of o.migrations) {
    log(`== ${m.id}`);
    results.push(await benchMigration(m, ctx));
  }
  const load1 = loadavg();
  const loaded = Math.max(load0[0], load1[0], ...results.map((r) => r.loadavg[0])) > cpus().length * 0.5;

  const out = formatHeader({ tree, o, meter, notes, load0, load1, loaded });
  for (const r of results) out.push('', ...formatMigration(r, o));
  const failed = results.flatMap((r) => r.targets).filter((t) => t.result === 'FAIL').length;
  if (results.length > 1) {
    out.push('', 'All targets:');
    for (const r of results) for (const t of r.targets) out.push(`${t.result} ${r.id}: ${t.name}: ${t.detail}`);
  }
  const report = out.join('\n');
  console.log(report);

  const json = {
    date: new Date().toISOString(),
    command: `node scripts/bench.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    tree,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGiB: totalmem() / 2 ** 30, node: process.version, loadavgStart: load0, loadavgEnd: load1, loaded },
    versions: {
      rg: have.rg ? versionOf('rg') : undefined,
      spatch: have.spatch ? versionOf('spatch') : undefined,
      astGrep: have.astGrep ? versionOf(have.astGrep) : undefined,
    },
    options: { migrations: o.migrations.map((m) => m.id), runs: o.runs, slowRuns: o.slowRuns, astGrepTimeoutS: o.timeout, skip: [...o.skip] },
    rssMethod: meter.kind,
    notes,
    migrations: Object.fromEntries(results.map((r) => [r.id, r.json])),
    report,
  };
  mkdirSync(dirname(o.json), { recursive: true });
  writeFileSync(o.json, `${JSON.stringify(json, null, 2)}\n`);
  log(`wrote ${relative(process.cwd(), o.json) || o.json}`);
  process.exitCode = failed > 0 ? 1 : 0;
}

try {
  await main();
} finally {
  cleanScratch();
}
