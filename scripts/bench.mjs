#!/usr/bin/env node
// npm run bench — what a whole-tree dry run of iommu-sva-bind-flags costs
// (bench/README.md), side by side in one invocation with:
//   - the floor: `rg -l iommu_sva_bind_device <tree>` (reading the tree once);
//   - Coccinelle: spatch with bench/iommu-sva-bind-flags.cocci, -j 2;
//   - ast-grep: `ast-grep scan --rule bench/ast-grep-rule.yml <tree>`, once,
//     with a time limit;
//   - kmigrate's dry run on about 1/4 and 1/2 of the tree (by paths), for the
//     scaling figure.
// Each tool missing from the machine is skipped with a note. Every timed run
// is a new process (cold start included), timed around the whole command;
// peak RSS is the child's ru_maxrss (GNU time, or a python3 wrapper).
// After one untimed warm-up pass of each (page cache), each round runs every
// tool once, the order rotated from round to round. Prints a table, kmigrate's
// parse figures, the scaling figure and a PASS/FAIL line for each target of
// issue 6; writes the same as JSON. Exit status 1 when a target FAILs.
//
//   node scripts/bench.mjs [options]
//     --tree <dir>          tree to run on (default: the cached linux-source-6.1,
//                           fetched when missing, as npm run test:kernel does)
//     --runs <n>            timed runs of rg and kmigrate (default 5)
//     --slow-runs <n>       timed runs of spatch (default 3)
//     --timeout <s>         time limit of the one ast-grep run (default 600)
//     --json <file>         where to write the results (default .bench/results.json)
//     --skip <list>         comma-separated: rg, spatch, ast-grep, scaling
//     --no-build            do not run tsc first (use dist/ as it is)
//
// ast-grep is looked for on PATH and in node_modules/.bin; to include it:
// `npm i --no-save @ast-grep/cli`.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureKernelTree } from './lib/kernel.mjs';
import { which } from './lib/proc.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist', 'codemods', 'cli', 'main.js');
const CODEMOD = 'iommu-sva-bind-flags';
const COCCI = join(REPO, 'bench', 'iommu-sva-bind-flags.cocci');
const AST_GREP_RULE = join(REPO, 'bench', 'ast-grep-rule.yml');
const NEEDLE = 'iommu_sva_bind_device';

/** Issue 6's targets. */
const TARGET = { floorRatio: 2.0, spatchSpeedup: 5, rssMB: 300 };

// ---------------------------------------------------------------------------
// Options

function usage(message, code = 2) {
  if (message) process.stderr.write(`bench: ${message}\n`);
  process.stderr.write(
    'usage: node scripts/bench.mjs [--tree <dir>] [--runs <n>] [--slow-runs <n>] [--timeout <s>]\n' +
      '                              [--json <file>] [--skip rg,spatch,ast-grep,scaling] [--no-build]\n',
  );
  process.exit(code);
}

/** npm run starts scripts in the package's folder; paths given are the user's. */
const userPath = (p) => resolve(process.env.INIT_CWD ?? process.cwd(), p);

function parseArgs(argv) {
  const o = {
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
      case '--tree': o.tree = userPath(value()); break;
      case '--runs': o.runs = positive(flag, value()); break;
      case '--slow-runs': o.slowRuns = positive(flag, value()); break;
      case '--timeout': o.timeout = positive(flag, value()); break;
      case '--json': o.json = userPath(value()); break;
      case '--skip':
        for (const s of value().split(',').map((x) => x.trim()).filter(Boolean)) {
          if (!['rg', 'spatch', 'ast-grep', 'scaling'].includes(s)) usage(`--skip: unknown ${JSON.stringify(s)}`);
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
// Small helpers

const log = (line) => process.stderr.write(`${line}\n`);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const mb = (bytes) => bytes / 1e6;

function table(rows, header) {
  const all = [header, ...rows].map((r) => r.map(String));
  const w = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(all[0]), w.map((n) => '-'.repeat(n)).join('  '), ...all.slice(1).map(line)].join('\n');
}

/** First line of `cmd args` output (a version string), or ''. */
function versionOf(cmd, args = ['--version']) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').find((l) => l.trim())?.trim() ?? '';
}

// ---------------------------------------------------------------------------
// Timing one command: wall time around the whole process, and its peak RSS.

/**
 * How peak RSS is taken. GNU time when it is there (it adds about a
 * millisecond); otherwise a python3 wrapper that reads
 * getrusage(RUSAGE_CHILDREN).ru_maxrss and, so that the interpreter's own
 * start is not charged to the tool, times the child itself.
 * ru_maxrss is the largest single process of the tree (threads count in
 * their process; spatch -j's forked workers count one at a time).
 */
function pickMeter() {
  const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : which('time');
  if (gnuTime && /GNU/.test(versionOf(gnuTime))) return { kind: 'gnu-time', path: gnuTime };
  const py = which('python3');
  if (py) return { kind: 'python3', path: py };
  return { kind: 'none' };
}

const PY_WRAPPER = String.raw`
import json, resource, subprocess, sys, time
out = sys.argv[1]
t0 = time.perf_counter()
p = subprocess.run(sys.argv[2:])
wall = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as f:
    json.dump({"wall": wall, "maxrss_kb": ru.ru_maxrss}, f)
sys.exit(p.returncode if p.returncode >= 0 else 128 - p.returncode)
`;

let scratch;
function scratchDir() {
  scratch ??= mkdtempSync(join(tmpdir(), 'kmigrate-bench-'));
  return scratch;
}

/**
 * Run argv once; returns { s, rssMB, code, timedOut, stdout, stderr }.
 * `limit` (seconds) goes through coreutils timeout when it is there, so that
 * the tool itself is killed, not only the wrapper around it.
 */
function measure(meter, argv, { cwd, limit } = {}) {
  let cmd = argv;
  const timeoutBin = limit ? which('timeout') : undefined;
  if (limit && timeoutBin) cmd = [timeoutBin, '--kill-after=10', String(limit), ...cmd];
  const stat = join(scratchDir(), 'rusage');
  rmSync(stat, { force: true });
  let full;
  if (meter.kind === 'gnu-time') full = [meter.path, '-f', '%M', '-o', stat, ...cmd];
  else if (meter.kind === 'python3') full = [meter.path, '-c', PY_WRAPPER, stat, ...cmd];
  else full = cmd;
  const env = { ...process.env };
  delete env.RIPGREP_CONFIG_PATH; // the floor is plain rg
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full.slice(1), {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    // backstop when coreutils timeout is missing (may leave the tool running)
    timeout: limit && !timeoutBin ? limit * 1000 : undefined,
  });
  const outer = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error && r.error.code !== 'ETIMEDOUT') throw new Error(`${argv[0]}: ${r.error.message}`);
  let s = outer;
  let rssMB = NaN;
  if (meter.kind === 'gnu-time' && existsSync(stat)) {
    // GNU time writes "Command exited with non-zero status N" before %M
    const kb = Number(readFileSync(stat, 'utf8').trim().split('\n').pop());
    if (Number.isFinite(kb)) rssMB = (kb * 1024) / 1e6;
  } else if (meter.kind === 'python3' && existsSync(stat)) {
    const j = JSON.parse(readFileSync(stat, 'utf8'));
    s = j.wall;
    rssMB = (j.maxrss_kb * 1024) / 1e6;
  }
  const code = r.status ?? -1;
  const timedOut = r.error?.code === 'ETIMEDOUT' || (Boolean(timeoutBin) && code === 124);
  return { s, rssMB, code, timedOut, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

// ---------------------------------------------------------------------------
// The tree: .c/.h bytes per unit (top-level dirs, and drivers/* subdirs), to
// choose the 1/4 and 1/2 path sets.

function sourceBytes(dir) {
  let bytes = 0;
  let files = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isSymbolicLink()) continue; // kmigrate does not follow them either
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile() && (e.name.endsWith('.c') || e.name.endsWith('.h'))) {
        bytes += lstatSync(p).size;
        files++;
      }
    }
  }
  return { bytes, files };
}

function treeUnits(tree) {
  const units = [];
  let rootFiles = { bytes: 0, files: 0 };
  for (const e of readdirSync(tree, { withFileTypes: true })) {
    if (e.isSymbolicLink()) continue;
    if (e.isFile() && /\.[ch]$/.test(e.name)) {
      rootFiles.bytes += lstatSync(join(tree, e.name)).size;
      rootFiles.files++;
    }
    if (!e.isDirectory()) continue;
    if (e.name === 'drivers') {
      for (const d of readdirSync(join(tree, 'drivers'), { withFileTypes: true })) {
        if (d.isSymbolicLink()) continue;
        const p = join('drivers', d.name);
        if (d.isDirectory()) units.push({ path: p, ...sourceBytes(join(tree, p)) });
        else if (d.isFile() && /\.[ch]$/.test(d.name)) units.push({ path: p, bytes: lstatSync(join(tree, p)).size, files: 1 });
      }
    } else {
      units.push({ path: e.name, ...sourceBytes(join(tree, e.name)) });
    }
  }
  const total = units.reduce((a, u) => a + u.bytes, 0) + rootFiles.bytes;
  return { units: units.filter((u) => u.bytes > 0).sort((a, b) => b.bytes - a.bytes), total };
}

/**
 * Greedy by size: starting from `base` (a smaller set, so that the sets are
 * nested), take each unit, biggest first, that does not overshoot `target`.
 */
function pickPaths(units, target, base = { paths: [], bytes: 0, files: 0 }) {
  const chosen = [...base.paths];
  let { bytes, files } = base;
  for (const u of units) {
    if (chosen.includes(u.path) || bytes + u.bytes > target) continue;
    chosen.push(u.path);
    bytes += u.bytes;
    files += u.files;
  }
  return { paths: chosen.sort(), bytes, files };
}

// ---------------------------------------------------------------------------
// What the tools found

/** { file -> removed lines (trimmed) } of a unified diff. */
function diffRemovals(diff) {
  const files = new Map();
  let cur;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const path = line.slice(4).split('\t')[0].replace(/^b\//, '');
      cur = [];
      files.set(path, cur);
    } else if (line.startsWith('--- ') || line.startsWith('diff ') || line.startsWith('@@')) {
      // header
    } else if (cur && line.startsWith('-')) {
      const t = line.slice(1).trim();
      if (t) cur.push(t);
    }
  }
  return files;
}

function compareDiffs(ours, theirs) {
  const a = diffRemovals(ours);
  const b = diffRemovals(theirs);
  const onlyOurs = [...a.keys()].filter((f) => !b.has(f)).sort();
  const onlyTheirs = [...b.keys()].filter((f) => !a.has(f)).sort();
  let common = 0;
  const linesOnlyOurs = [];
  const linesOnlyTheirs = [];
  for (const [f, la] of a) {
    const lb = [...(b.get(f) ?? [])];
    for (const l of la) {
      const i = lb.indexOf(l);
      if (i >= 0) {
        common++;
        lb.splice(i, 1);
      } else linesOnlyOurs.push(`${f}: ${l}`);
    }
    linesOnlyTheirs.push(...lb.map((l) => `${f}: ${l}`));
  }
  for (const [f, lb] of b) if (!a.has(f)) linesOnlyTheirs.push(...lb.map((l) => `${f}: ${l}`));
  return {
    filesKmigrate: a.size,
    filesOther: b.size,
    sameFiles: onlyOurs.length === 0 && onlyTheirs.length === 0,
    filesOnlyKmigrate: onlyOurs,
    filesOnlyOther: onlyTheirs,
    removedLinesCommon: common,
    removedLinesOnlyKmigrate: linesOnlyOurs,
    removedLinesOnlyOther: linesOnlyTheirs,
  };
}

// ---------------------------------------------------------------------------

async function main() {
  const o = parseArgs(process.argv.slice(2));

  // Tree.
  let tree = o.tree;
  if (tree) {
    if (!existsSync(tree)) usage(`--tree ${tree} does not exist`);
  } else {
    try {
      tree = await ensureKernelTree({ log });
    } catch (err) {
      log(`bench: no kernel tree: ${err.message}\n(pass one with --tree <dir>)`);
      process.exit(2);
    }
  }

  // kmigrate itself.
  if (o.build) {
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    if (!existsSync(tsc)) {
      log('bench: node_modules/typescript is missing: run npm ci (or pass --no-build)');
      process.exit(2);
    }
    log('tsc -p tsconfig.json');
    const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: REPO, encoding: 'utf8' });
    if (r.status !== 0) {
      log(`bench: tsc failed (exit ${r.status})\n${r.stdout}${r.stderr}`);
      process.exit(2);
    }
  }
  if (!existsSync(CLI)) {
    log(`bench: ${relative(REPO, CLI)} is missing: build with npx tsc -p . (or drop --no-build)`);
    process.exit(2);
  }

  const meter = pickMeter();
  const notes = [];
  if (meter.kind === 'none') notes.push('neither GNU time nor python3 found: peak RSS not measured');

  // Which tools are here.
  // The timed dry run prints the diff (the default format), as a developer
  // runs it. --format json also runs the model for each call's verdict, so
  // the parse figures and the sites come from untimed JSON runs.
  const km = (paths = [], extra = []) => [process.execPath, CLI, 'run', CODEMOD, '-C', tree, ...paths, ...extra];
  const kmJsonArgv = (extra = []) => [...km([], extra), '--format', 'json'];
  const tools = [];
  const floor = { name: 'rg (floor)', id: 'rg', argv: ['rg', '-l', NEEDLE, tree], runs: o.runs, okCodes: [0, 1] };
  if (o.skip.has('rg')) notes.push('rg: skipped (--skip)');
  else if (!which('rg')) notes.push('rg: not installed (apt-get install ripgrep): no floor, ratios not computed');
  else tools.push(floor);
  const kmTool = { name: 'kmigrate dry run', id: 'kmigrate', argv: km(), runs: o.runs };
  tools.push(kmTool);

  let spatch;
  if (o.skip.has('spatch')) notes.push('spatch: skipped (--skip)');
  else if (!which('spatch')) notes.push('spatch: not installed (apt-get install coccinelle): skipped');
  else {
    const help = spawnSync('spatch', ['--longhelp'], { encoding: 'utf8' });
    const text = `${help.stdout}${help.stderr}`;
    const missing = ['--sp-file', '--dir', '--include-headers', '--very-quiet', '-j'].filter(
      (f) => !new RegExp(`(^|\\s)${f.replace(/[-]/g, '\\-')}(\\s|$)`, 'm').test(text),
    );
    if (missing.length) notes.push(`spatch: this Coccinelle lacks ${missing.join(' ')}: skipped`);
    else {
      spatch = {
        name: 'spatch -j 2',
        id: 'spatch',
        argv: ['spatch', '--sp-file', COCCI, '--dir', tree, '--include-headers', '-j', '2', '--very-quiet'],
        runs: o.slowRuns,
      };
      tools.push(spatch);
    }
  }

  let astGrep;
  if (o.skip.has('ast-grep')) notes.push('ast-grep: skipped (--skip)');
  else {
    const bin = which('ast-grep') ?? [join(REPO, 'node_modules', '.bin', 'ast-grep')].find((p) => existsSync(p));
    if (!bin) notes.push('ast-grep: not installed (npm i --no-save @ast-grep/cli): skipped');
    else {
      astGrep = {
        name: 'ast-grep scan',
        id: 'ast-grep',
        argv: [bin, 'scan', '--rule', AST_GREP_RULE, tree],
        runs: 1,
        limit: o.timeout,
        warm: false, // one run only: the others' warm-up has filled the page cache
      };
      tools.push(astGrep);
    }
  }

  // Scaling: ~1/4 and ~1/2 of the .c/.h bytes, by paths.
  let scaling;
  if (o.skip.has('scaling')) notes.push('scaling: skipped (--skip)');
  else {
    const { units, total } = treeUnits(tree);
    scaling = { totalBytes: total, sets: [] };
    let base;
    for (const [label, frac] of [['1/4', 0.25], ['1/2', 0.5]]) {
      const pick = pickPaths(units, total * frac, base);
      base = pick;
      const tool = { name: `kmigrate ${label} tree`, id: `kmigrate-${label}`, argv: km(pick.paths), runs: o.runs };
      scaling.sets.push({ label, fraction: pick.bytes / total, bytes: pick.bytes, files: pick.files, paths: pick.paths, tool });
      tools.push(tool);
    }
  }

  const load0 = loadavg();
  log(`tree ${tree}`);
  log(`load average ${load0.map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} CPUs`);
  for (const n of notes) log(`note: ${n}`);

  for (const t of tools) t.results = [];

  // Warm-up.
  for (const t of tools) {
    if (t.warm === false) continue;
    log(`warm-up: ${t.name}`);
    const r = measure(meter, t.argv, { cwd: REPO, limit: t.limit });
    t.warmup = r;
    if (t.id.startsWith('kmigrate') && r.code !== 0) {
      log(`bench: ${t.name} exited ${r.code}; stopping before the timed rounds:\n${r.stderr.trim()}`);
      process.exit(2);
    }
  }

  // Interleaved rounds.
  const rounds = Math.max(...tools.map((t) => t.runs));
  for (let round = 0; round < rounds; round++) {
    const k = round % tools.length;
    const order = [...tools.slice(k), ...tools.slice(0, k)];
    const done = [];
    for (const t of order) {
      if (t.results.length >= t.runs) continue;
      const r = measure(meter, t.argv, { cwd: REPO, limit: t.limit });
      t.results.push(r);
      done.push(`${t.id} ${r.timedOut ? 'timed out' : `${fmt(r.s)} s`}`);
    }
    log(`round ${round + 1}/${rounds}: ${done.join(', ')}`);
  }

  // kmigrate's own figures, and --jobs 1.
  for (const t of tools.filter((x) => x.id.startsWith('kmigrate'))) {
    const bad = t.results.find((r) => r.code !== 0);
    if (bad) throw new Error(`${t.name} exited ${bad.code}:\n${bad.stderr}`);
  }
  const stableAcrossRuns = kmTool.results.every((r) => r.stdout === kmTool.results[0].stdout);
  log('kmigrate --format json, default jobs and --jobs 1 (untimed for the table)');
  const full = measure(meter, kmJsonArgv(), { cwd: REPO });
  if (full.code !== 0) throw new Error(`kmigrate --format json exited ${full.code}:\n${full.stderr}`);
  const first = JSON.parse(full.stdout);
  const sitesKey = (j) => JSON.stringify(j.sites);
  const one = measure(meter, kmJsonArgv(['--jobs', '1']), { cwd: REPO });
  if (one.code !== 0) throw new Error(`kmigrate --jobs 1 exited ${one.code}:\n${one.stderr}`);
  const oneJson = JSON.parse(one.stdout);
  const sitesIdentical = sitesKey(oneJson) === sitesKey(first) && stableAcrossRuns;

  // Summaries.
  const summarise = (t) => {
    const ok = t.results.filter((r) => !r.timedOut);
    const times = ok.map((r) => r.s);
    return {
      name: t.name,
      command: t.argv.map((a) => (a === tree ? '<tree>' : a.startsWith(REPO) ? relative(REPO, a) : a)).join(' '),
      runs: t.results.map((r) => ({ s: r.s, rssMB: r.rssMB, exit: r.code, timedOut: r.timedOut })),
      timedOut: t.results.some((r) => r.timedOut),
      unexpectedExits: t.results.filter((r) => !r.timedOut && !(t.okCodes ?? [0]).includes(r.code)).map((r) => r.code),
      medianS: median(times),
      minS: times.length ? Math.min(...times) : NaN,
      maxS: times.length ? Math.max(...times) : NaN,
      peakRssMB: Math.max(...t.results.map((r) => r.rssMB)),
    };
  };
  const sum = Object.fromEntries(tools.map((t) => [t.id, summarise(t)]));
  const floorMedian = sum.rg?.medianS ?? NaN;
  for (const s of Object.values(sum)) s.ratioToFloor = s.medianS / floorMedian;

  // What the tools found.
  const found = {};
  if (sum.rg) found.rg = { files: floor.results[0].stdout.split('\n').filter(Boolean).length };
  found.kmigrate = { ...first.summary };
  if (spatch) {
    const r = spatch.results[0];
    found.spatch = { exit: r.code, vsKmigrate: compareDiffs(first.diff ?? '', r.stdout) };
  }
  if (astGrep) {
    const r = astGrep.results[0];
    found.astGrep = r.timedOut
      ? { timedOut: true, limitS: o.timeout }
      : { exit: r.code, matches: (r.stdout.match(/^(warning|error|hint|info)\[/gm) ?? []).length };
  }

  const p = first.parse;
  const parse = {
    filesScanned: first.summary.filesScanned,
    filesParsed: p.files,
    mbParsed: mb(p.bytes),
    filesWithErrors: p.filesWithErrors,
    errorNodes: p.errorNodes,
    errorFileRate: p.files ? p.filesWithErrors / p.files : NaN,
    errorNodesPerFile: p.files ? p.errorNodes / p.files : NaN,
    parseMs: p.parseMs,
    parseMBps: p.parseMs > 0 ? mb(p.bytes) / (p.parseMs / 1000) : NaN,
  };

  let scalingOut;
  if (scaling) {
    const rows = scaling.sets.map((st) => ({
      label: st.label,
      paths: st.paths,
      fraction: st.fraction,
      bytes: st.bytes,
      files: st.files,
      filesScanned: Number(/(\d+) files scanned/.exec(st.tool.results[0].stderr)?.[1] ?? NaN),
      medianS: sum[st.tool.id].medianS,
    }));
    rows.push({
      label: 'whole',
      paths: ['.'],
      fraction: 1,
      bytes: scaling.totalBytes,
      files: undefined,
      filesScanned: first.summary.filesScanned,
      medianS: sum.kmigrate.medianS,
    });
    for (const r of rows) r.sPerGB = r.medianS / (r.bytes / 1e9);
    // least squares t = a + b * GB
    const xs = rows.map((r) => r.bytes / 1e9);
    const ys = rows.map((r) => r.medianS);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0);
    const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    const syy = ys.reduce((a, y) => a + (y - my) ** 2, 0);
    const slope = sxy / sxx;
    scalingOut = { rows, fit: { interceptS: my - slope * mx, sPerGB: slope, r2: (sxy * sxy) / (sxx * syy) } };
  }

  // Targets.
  const targets = [];
  const target = (name, ok, detail) => targets.push({ name, result: ok === undefined ? 'SKIP' : ok ? 'PASS' : 'FAIL', detail });
  const k = sum.kmigrate;
  target(
    `kmigrate whole-tree dry run at most ${TARGET.floorRatio.toFixed(1)}x the floor (medians)`,
    sum.rg ? k.ratioToFloor <= TARGET.floorRatio : undefined,
    sum.rg ? `${fmt(k.medianS)} s / ${fmt(floorMedian)} s = ${fmt(k.ratioToFloor)}x` : 'no rg',
  );
  if (sum.spatch) {
    const speedup = sum.spatch.medianS / k.medianS;
    target(`kmigrate at least ${TARGET.spatchSpeedup}x faster than spatch -j 2 (medians)`, speedup >= TARGET.spatchSpeedup, `${fmt(sum.spatch.medianS)} s / ${fmt(k.medianS)} s = ${fmt(speedup)}x`);
  } else target(`kmigrate at least ${TARGET.spatchSpeedup}x faster than spatch -j 2 (medians)`, undefined, 'no spatch');
  target(
    `kmigrate peak RSS at most ${TARGET.rssMB} MB`,
    Number.isFinite(k.peakRssMB) ? k.peakRssMB <= TARGET.rssMB : undefined,
    Number.isFinite(k.peakRssMB) ? `${fmt(k.peakRssMB, 0)} MB (largest of ${k.runs.length} runs)` : 'not measured',
  );
  target(
    'same sites as the single-threaded run (--jobs 1)',
    sitesIdentical,
    `${first.sites.length} sites with the default jobs, ${oneJson.sites.length} with --jobs 1` +
      (stableAcrossRuns ? '' : '; the default-jobs runs disagreed among themselves'),
  );

  const load1 = loadavg();
  const loaded = Math.max(load0[0], load1[0]) > cpus().length * 0.5;

  // ------------------------------------------------------------------------
  // Report.
  const out = [];
  out.push(`kmigrate bench: ${CODEMOD} on ${tree}`);
  out.push(`command: node scripts/bench.mjs ${process.argv.slice(2).join(' ')}`.trimEnd());
  out.push(
    `${new Date().toISOString()}  node ${process.version}  ${cpus().length} x ${cpus()[0]?.model ?? '?'}  ${fmt(totalmem() / 2 ** 30, 1)} GiB`,
  );
  out.push(
    `load average ${load0[0].toFixed(2)} at start, ${load1[0].toFixed(2)} at end` +
      (loaded ? '  ** LOADED MACHINE: figures are noisy **' : ''),
  );
  out.push(`runs: ${o.runs} (rg, kmigrate), ${o.slowRuns} (spatch), 1 (ast-grep, limit ${o.timeout} s); peak RSS by ${meter.kind}`);
  for (const n of notes) out.push(`note: ${n}`);
  for (const t of tools) {
    const bad = sum[t.id].unexpectedExits;
    if (bad.length === 0) continue;
    const r = t.results.find((x) => !x.timedOut && !(t.okCodes ?? [0]).includes(x.code));
    const tail = r.stderr.trim().split('\n').slice(-5).join('\n    ');
    out.push(`WARNING: ${t.name} exited ${bad.join(', ')} in ${bad.length} of ${t.results.length} runs; last lines of its stderr:\n    ${tail}`);
  }
  out.push('');
  const mainIds = ['rg', 'kmigrate', 'spatch', 'ast-grep'].filter((id) => sum[id]);
  out.push(
    table(
      mainIds.map((id) => {
        const s = sum[id];
        if (s.timedOut && !Number.isFinite(s.medianS)) return [s.name, `>${o.timeout} (timed out)`, '-', '-', sum.rg ? `>${fmt(o.timeout / floorMedian, 0)}x` : '-', fmt(s.peakRssMB, 0)];
        return [s.name, fmt(s.medianS), fmt(s.minS), fmt(s.maxS), sum.rg ? `${fmt(s.ratioToFloor)}x` : '-', fmt(s.peakRssMB, 0)];
      }),
      ['tool', 'median s', 'min s', 'max s', 'x floor', 'peak RSS MB'],
    ),
  );
  out.push('', 'all timed runs, in order (s):');
  for (const t of tools) out.push(`  ${t.name}: ${t.results.map((r) => (r.timedOut ? 'timed out' : fmt(r.s))).join(' ')}`);
  out.push('');
  const summary = [];
  if (sum.rg) summary.push(`kmigrate takes ${fmt(k.ratioToFloor)}x the floor's time`);
  if (sum.spatch) summary.push(`spatch -j 2 takes ${fmt(sum.spatch.medianS / k.medianS)}x kmigrate's`);
  if (sum['ast-grep'] && Number.isFinite(sum['ast-grep'].medianS)) summary.push(`ast-grep ${fmt(sum['ast-grep'].medianS / k.medianS, 1)}x kmigrate's`);
  if (summary.length) out.push(`${summary.join('; ')} (medians)`, '');
  out.push('What each found:');
  if (found.rg) out.push(`  rg: ${found.rg.files} files mention ${NEEDLE} (any file type)`);
  out.push(
    `  kmigrate: ${found.kmigrate.filesScanned} files scanned, ${found.kmigrate.filesParsed} parsed, ${found.kmigrate.filesChanged} to change; ` +
      `${found.kmigrate.rewritten} rewritten, ${found.kmigrate.manual} manual, ${found.kmigrate.unchanged} unchanged`,
  );
  if (found.spatch) {
    const c = found.spatch.vsKmigrate;
    out.push(
      `  spatch: diff of ${c.filesOther} files, ${c.sameFiles ? 'the same files as kmigrate' : `NOT the same files as kmigrate (only kmigrate: ${c.filesOnlyKmigrate.join(' ') || '-'}; only spatch: ${c.filesOnlyOther.join(' ') || '-'})`}; ` +
        `removed lines: ${c.removedLinesCommon} in common, ${c.removedLinesOnlyKmigrate.length} only in kmigrate's, ${c.removedLinesOnlyOther.length} only in spatch's`,
    );
    for (const l of c.removedLinesOnlyKmigrate) out.push(`    only kmigrate removes: ${l}`);
    for (const l of c.removedLinesOnlyOther) out.push(`    only spatch removes:   ${l}`);
  }
  if (found.astGrep) {
    out.push(
      found.astGrep.timedOut
        ? `  ast-grep: timed out after ${o.timeout} s`
        : `  ast-grep: ${found.astGrep.matches} matches (the NULL callers only: a pattern rule does not do the rest of the job)`,
    );
  }
  out.push('');
  out.push('kmigrate parse figures (the files it parsed with tree-sitter-c):');
  out.push(`  files parsed: ${parse.filesParsed} of ${parse.filesScanned} scanned, ${fmt(parse.mbParsed, 2)} MB`);
  out.push(
    `  ERROR nodes: ${parse.filesWithErrors} of ${parse.filesParsed} files have some (${fmt(100 * parse.errorFileRate, 0)}%), ` +
      `${parse.errorNodes} nodes, ${fmt(parse.errorNodesPerFile, 1)} per file`,
  );
  out.push(`  parse throughput: ${fmt(parse.parseMBps, 1)} MB/s (${fmt(parse.mbParsed, 2)} MB in ${parse.parseMs} ms)`);
  out.push(`  sites identical with --jobs 1: ${sitesIdentical ? 'yes' : 'no'} (${first.sites.length} sites; --jobs 1 took ${fmt(one.s)} s)`);
  if (scalingOut) {
    out.push('');
    out.push(`Scaling (kmigrate dry run on paths holding ~1/4, ~1/2 and all of the tree's ${fmt(mb(scaling.totalBytes), 0)} MB of .c/.h; medians):`);
    out.push(
      table(
        scalingOut.rows.map((r) => [r.label, `${fmt(100 * r.fraction, 0)}%`, fmt(mb(r.bytes), 0), String(r.filesScanned), fmt(r.medianS), fmt(r.sPerGB)]),
        ['part', 'share', 'MB', 'files', 'median s', 's/GB'],
      ),
    );
    out.push(`  least squares: t = ${fmt(scalingOut.fit.interceptS)} s + ${fmt(scalingOut.fit.sPerGB)} s/GB x size (R^2 ${fmt(scalingOut.fit.r2, 3)})`);
    for (const r of scalingOut.rows.slice(0, -1)) out.push(`  ${r.label}: ${r.paths.join(' ')}`);
  }
  out.push('');
  out.push('Targets (issue 6):');
  for (const t of targets) out.push(`${t.result} ${t.name}: ${t.detail}`);
  const passed = targets.filter((t) => t.result === 'PASS').length;
  const failed = targets.filter((t) => t.result === 'FAIL').length;
  const skipped = targets.filter((t) => t.result === 'SKIP').length;
  out.push(`targets: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);

  const report = out.join('\n');
  console.log(report);

  const results = {
    date: new Date().toISOString(),
    command: `node scripts/bench.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    tree,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGiB: totalmem() / 2 ** 30, node: process.version, loadavgStart: load0, loadavgEnd: load1, loaded },
    versions: {
      rg: sum.rg ? versionOf('rg') : undefined,
      spatch: spatch ? versionOf('spatch') : undefined,
      astGrep: astGrep ? versionOf(astGrep.argv[0]) : undefined,
    },
    options: { runs: o.runs, slowRuns: o.slowRuns, astGrepTimeoutS: o.timeout, skip: [...o.skip] },
    rssMethod: meter.kind,
    notes,
    tools: sum,
    found,
    parse,
    sitesIdenticalWithJobs1: sitesIdentical,
    jobs1S: one.s,
    scaling: scalingOut,
    targets,
    report,
  };
  mkdirSync(dirname(o.json), { recursive: true });
  writeFileSync(o.json, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${relative(process.cwd(), o.json) || o.json}`);
  process.exitCode = failed > 0 ? 1 : 0;
}

try {
  await main();
} finally {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}
