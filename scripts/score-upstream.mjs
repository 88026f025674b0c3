#!/usr/bin/env node
// npm run score:upstream -- <migration> — how a treewide migration's result
// compares with what upstream merged. The migration runs in memory on
// Debian's linux-source-6.1 (nothing is written into the cached tree); each
// function it concerns is compared with the function of the same name in the
// same file of linux-source-6.12: signature, return statements, and the
// member it is registered in. docs/score-upstream.md explains the buckets
// and the formulas.
//
//   node scripts/score-upstream.mjs <migration id or file> [options]
//     --json <file>          everything (every function, both sides, the counts) as JSON
//     --write-report <dir>   where the full text report goes (default .score/);
//                            the terminal shows the first --limit of each list
//     --limit <n>            entries per list on the terminal (default 20)
//     --jobs <n>             threads of the run (as kmigrate run --jobs)
//     --old <dir>            the tree to migrate (default: the cached linux-source-6.1)
//     --upstream <dir>       the oracle (default: the cached linux-source-6.12)
//
// Exit 0 when it ran (whatever the figures), 1 when a kernel tree cannot be
// fetched, 2 on bad usage, 3 on an internal error. Uses dist/ as it is: the
// npm script builds first.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureKernelTree, KernelFetchError } from './lib/kernel.mjs';
import { scoreRun, registeredInTree, targetFor } from './lib/score.mjs';
import { renderReport } from './lib/score-report.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(REPO, 'dist', 'codemods');
const UPSTREAM_PACKAGE = 'linux-source-6.12';

class Usage extends Error {}

const USAGE =
  'usage: node scripts/score-upstream.mjs <migration> [--json <file>] [--write-report <dir>] [--limit <n>]\n' +
  '                                       [--jobs <n>] [--old <dir>] [--upstream <dir>]\n';

/** npm run starts scripts in the package's folder; paths given are the user's. */
const userPath = (p) => resolve(process.env.INIT_CWD ?? process.cwd(), p);

function parseArgs(argv) {
  const o = { migration: undefined, json: undefined, reportDir: join(REPO, '.score'), limit: 20, jobs: undefined, old: undefined, upstream: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new Usage(`${flag} needs a value`);
      return argv[++i];
    };
    const whole = (v) => {
      if (!/^[1-9][0-9]*$/.test(v)) throw new Usage(`${flag} wants a whole number of at least 1, not ${JSON.stringify(v)}`);
      return Number(v);
    };
    const dir = (v) => {
      const p = userPath(v);
      if (!existsSync(p) || !statSync(p).isDirectory()) throw new Usage(`${flag}: not a directory: ${v}`);
      return p;
    };
    switch (flag) {
      case '--json': o.json = userPath(value()); break;
      case '--write-report': o.reportDir = userPath(value()); break;
      case '--limit': o.limit = whole(value()); break;
      case '--jobs': o.jobs = whole(value()); break;
      case '--old': o.old = dir(value()); break;
      case '--upstream': o.upstream = dir(value()); break;
      case '-h': case '--help': o.help = true; break;
      default:
        if (a.startsWith('-')) throw new Usage(`unknown option ${JSON.stringify(a)}`);
        if (o.migration !== undefined) throw new Usage(`one migration at a time (got ${JSON.stringify(o.migration)} and ${JSON.stringify(a)})`);
        o.migration = a;
    }
  }
  if (!o.help && o.migration === undefined) throw new Usage('which migration? (e.g. platform-remove-void)');
  return o;
}

/** The project's modules, from dist/ (the npm script builds it). */
async function loadKmigrate() {
  const file = (p) => join(DIST, p);
  for (const p of ['registry.js', 'engine/run.js', 'io/source.js', 'c/index.js']) {
    if (!existsSync(file(p))) throw new Usage(`${file(p)} is missing: run npm run build (npm run score:upstream does)`);
  }
  const load = (p) => import(pathToFileURL(file(p)).href);
  const [registry, run, source, c] = await Promise.all(['registry.js', 'engine/run.js', 'io/source.js', 'c/index.js'].map(load));
  return { registry, runMigration: run.runMigration, diskSource: source.diskSource, c };
}

/** resolveMigration(idOrPath, cwd) when the registry has it (YAML files too), else getMigration(id). */
async function findMigration(registry, idOrPath) {
  let m;
  try {
    m = typeof registry.resolveMigration === 'function' ? await registry.resolveMigration(idOrPath, process.env.INIT_CWD ?? process.cwd()) : registry.getMigration(idOrPath);
  } catch (err) {
    throw new Usage(err instanceof Error ? err.message : String(err));
  }
  if (!m) {
    const known = [...(registry.registry?.keys?.() ?? [])].join(', ');
    throw new Usage(`unknown migration ${JSON.stringify(idOrPath)}${known ? ` (known: ${known})` : ''}`);
  }
  return m;
}

function readText(root) {
  return (path) => {
    try {
      return readFileSync(join(root, path), 'utf8');
    } catch {
      return undefined;
    }
  };
}

async function main(argv) {
  const started = performance.now();
  const timings = [];
  const lap = (label, since) => {
    const now = performance.now();
    timings.push([label, now - since]);
    return now;
  };
  const o = parseArgs(argv);
  if (o.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const k = await loadKmigrate();
  const migration = await findMigration(k.registry, o.migration);
  const id = migration.meta?.id ?? o.migration;
  const target = targetFor(migration, id);
  if (!target) throw new Usage(`${id}: no ops member to score (the migration has no spec with a member change, and score-upstream's table does not know it)`);

  let t = performance.now();
  const log = (line) => process.stderr.write(`${line}\n`);
  const oldRoot = o.old ?? (await ensureKernelTree({ log }));
  const newRoot = o.upstream ?? (await ensureKernelTree({ log, pkg: UPSTREAM_PACKAGE }));
  t = lap('trees', t);

  // In memory: the result's files[].after are our tree; nothing is written.
  log(`score:upstream: running ${id} on ${oldRoot}`);
  const result = await k.runMigration(migration, k.diskSource(oldRoot), { rootLabel: oldRoot, ...(o.jobs ? { jobs: o.jobs } : {}) });
  t = lap('run', t);

  const source = k.diskSource(oldRoot);
  const old = { list: () => source.list(), read: readText(oldRoot) };
  const described = new Map();
  const registered = registeredInTree(k.c, old, target, described);
  t = lap(`registrations in 6.1 (${registered.length})`, t);
  const report = scoreRun({ c: k.c, target, result, old, upstream: { read: readText(newRoot) }, registered, described });
  lap('compare', t);
  timings.push(['total', performance.now() - started]);

  const meta = { migration: id, oldRoot, newRoot, timings };
  mkdirSync(o.reportDir, { recursive: true });
  const reportFile = join(o.reportDir, `${id}.txt`);
  writeFileSync(reportFile, renderReport(report, meta));
  process.stdout.write(renderReport(report, meta, o.limit));
  process.stdout.write(`\nfull report: ${reportFile}\n`);
  if (o.json) {
    mkdirSync(dirname(o.json), { recursive: true });
    const summary = { ...result.summary, parse: result.parse };
    writeFileSync(o.json, JSON.stringify({ migration: id, oldRoot, newRoot, timings: Object.fromEntries(timings), run: summary, ...report }, null, 2) + '\n');
    process.stdout.write(`json: ${o.json}\n`);
  }
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof Usage) {
    process.stderr.write(`score-upstream: ${err.message}\n${USAGE}`);
    process.exitCode = 2;
  } else if (err instanceof KernelFetchError) {
    process.stderr.write(`score-upstream: ${err.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`score-upstream: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 3;
  }
}
