// One migration's benchmark for scripts/bench.mjs: the tools, an untimed
// warm-up, the interleaved timed rounds, kmigrate's own figures (from
// --format json, and --jobs 1), what each tool found, and the targets.
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareDiffs } from './bench-diff.mjs';
import { log, fmt, mb, measure, median } from './bench-measure.mjs';
import { benchFiles } from './bench-migrations.mjs';
import { fitLine, pickPaths, treeUnits } from './bench-tree.mjs';

/** The tools to time for migration `m`, and the scaling sets. */
function planTools(m, ctx) {
  const { repo, cli, tree, o, have } = ctx;
  const files = benchFiles(repo, m);
  const km = (paths = [], extra = []) => [process.execPath, cli, 'run', m.id, '-C', tree, ...paths, ...extra];
  const tools = [];
  const notes = [];
  if (have.rg) tools.push({ name: 'rg (floor)', id: 'rg', argv: ['rg', '-l', m.needle, tree], runs: o.runs, okCodes: [0, 1] });
  // The timed dry run prints the diff (the default format), as a developer
  // runs it; --format json also runs the model for each site's verdict, so
  // the parse figures and the sites come from untimed JSON runs.
  const kmTool = { name: 'kmigrate dry run', id: 'kmigrate', argv: km(), runs: o.runs, okCodes: m.kmigrateExits };
  tools.push(kmTool);
  if (have.spatch) {
    tools.push({
      name: 'spatch -j 2',
      id: 'spatch',
      argv: ['spatch', '--sp-file', files.cocci, '--dir', tree, '--include-headers', '-j', '2', '--very-quiet'],
      runs: o.slowRuns,
      warm: m.spatchWarm,
    });
  }
  if (have.astGrep && files.astGrepRule) {
    tools.push({
      name: 'ast-grep scan',
      id: 'ast-grep',
      argv: [have.astGrep, 'scan', '--rule', files.astGrepRule, tree],
      runs: 1,
      limit: o.timeout,
      warm: false, // one run only: the others' warm-up has filled the page cache
    });
  } else if (have.astGrep) notes.push(`ast-grep: no rule for ${m.id}`);

  // Scaling: ~1/4 and ~1/2 of the .c/.h bytes, by paths.
  let scaling;
  if (m.scaling && !o.skip.has('scaling')) {
    const { units, total } = treeUnits(tree, ctx.walkTree);
    scaling = { totalBytes: total, sets: [] };
    let base;
    for (const [label, frac] of [['1/4', 0.25], ['1/2', 0.5]]) {
      const pick = pickPaths(units, total * frac, base);
      base = pick;
      const tool = { name: `kmigrate ${label} tree`, id: `kmigrate-${label}`, argv: km(pick.paths), runs: o.runs, okCodes: m.kmigrateExits };
      scaling.sets.push({ label, fraction: pick.bytes / total, bytes: pick.bytes, files: pick.files, paths: pick.paths, tool });
      tools.push(tool);
    }
  }
  return { tools, kmTool, km, scaling, notes };
}

/** Warm-up, then rounds of every tool once, the order rotated each round. */
function runRounds(tools, ctx) {
  const { repo, meter } = ctx;
  for (const t of tools) t.results = [];
  for (const t of tools) {
    if (t.warm === false) continue;
    log(`warm-up: ${t.name}`);
    const r = measure(meter, t.argv, { cwd: repo, limit: t.limit });
    t.warmup = r;
    if (t.id.startsWith('kmigrate') && !t.okCodes.includes(r.code)) {
      log(`bench: ${t.name} exited ${r.code}; stopping before the timed rounds:\n${r.stderr.trim().split('\n').slice(-20).join('\n')}`);
      process.exit(2);
    }
  }
  const rounds = Math.max(...tools.map((t) => t.runs));
  for (let round = 0; round < rounds; round++) {
    const k = round % tools.length;
    const order = [...tools.slice(k), ...tools.slice(0, k)];
    const done = [];
    for (const t of order) {
      if (t.results.length >= t.runs) continue;
      const r = measure(meter, t.argv, { cwd: repo, limit: t.limit });
      t.results.push(r);
      done.push(`${t.id} ${r.timedOut ? 'timed out' : `${fmt(r.s)} s`}`);
    }
    log(`round ${round + 1}/${rounds}: ${done.join(', ')}  (load ${loadavg()[0].toFixed(2)})`);
  }
}

function summarise(t, ctx) {
  const { repo, tree } = ctx;
  const ok = t.results.filter((r) => !r.timedOut);
  const times = ok.map((r) => r.s);
  return {
    name: t.name,
    command: t.argv.map((a) => (a === tree ? '<tree>' : a.startsWith(repo) ? relative(repo, a) : a)).join(' '),
    runs: t.results.map((r) => ({ s: r.s, rssMB: r.rssMB, exit: r.code, timedOut: r.timedOut })),
    timedOut: t.results.some((r) => r.timedOut),
    unexpectedExits: t.results.filter((r) => !r.timedOut && !(t.okCodes ?? [0]).includes(r.code)).map((r) => r.code),
    medianS: median(times),
    minS: times.length ? Math.min(...times) : NaN,
    maxS: times.length ? Math.max(...times) : NaN,
    peakRssMB: Math.max(...t.results.map((r) => r.rssMB)),
  };
}

/** kmigrate --format json, with the default jobs and (unless skipped) --jobs 1. */
function kmigrateJson(m, ctx, km, kmTool) {
  const { repo, meter, o } = ctx;
  const run = (extra) => {
    const r = measure(meter, [...km([], extra), '--format', 'json'], { cwd: repo });
    if (!m.kmigrateExits.includes(r.code)) throw new Error(`kmigrate ${extra.join(' ')} --format json exited ${r.code}:\n${r.stderr}`);
    return { r, json: JSON.parse(r.stdout) };
  };
  log('kmigrate --format json (untimed for the table)');
  const first = run([]).json;
  const stableAcrossRuns = kmTool.results.every((r) => r.stdout === kmTool.results[0].stdout);
  if (o.skip.has('jobs1')) return { first, stableAcrossRuns, one: undefined };
  log('kmigrate --jobs 1 --format json');
  const one = run(['--jobs', '1']);
  return { first, stableAcrossRuns, one: { s: one.r.s, sites: one.json.sites, same: JSON.stringify(one.json.sites) === JSON.stringify(first.sites) } };
}

/** Bench migration `m`; returns what formatMigration() prints and the JSON. */
export async function benchMigration(m, ctx) {
  const { tree, o } = ctx;
  // The project's one walker, from dist/ (built by now).
  const { walkTree } = await import(pathToFileURL(join(ctx.repo, 'dist', 'codemods', 'io', 'walk.js')).href);
  const { tools, kmTool, km, scaling, notes } = planTools(m, { ...ctx, walkTree });
  runRounds(tools, ctx);
  for (const t of tools.filter((x) => x.id.startsWith('kmigrate'))) {
    const bad = t.results.find((r) => !t.okCodes.includes(r.code));
    if (bad) throw new Error(`${t.name} exited ${bad.code}:\n${bad.stderr}`);
  }
  const { first, stableAcrossRuns, one } = kmigrateJson(m, ctx, km, kmTool);

  const sum = Object.fromEntries(tools.map((t) => [t.id, summarise(t, ctx)]));
  const floorMedian = sum.rg?.medianS ?? NaN;
  for (const s of Object.values(sum)) s.ratioToFloor = s.medianS / floorMedian;
  const byId = Object.fromEntries(tools.map((t) => [t.id, t]));

  // What the tools found.
  const found = {};
  if (byId.rg) found.rg = { files: byId.rg.results[0].stdout.split('\n').filter(Boolean).length };
  found.kmigrate = { ...first.summary };
  if (byId.spatch) {
    const r = byId.spatch.results[0];
    found.spatch = { exit: r.code, vsKmigrate: compareDiffs(first.diff ?? '', r.stdout) };
  }
  if (byId['ast-grep']) {
    const r = byId['ast-grep'].results[0];
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
    rows.push({ label: 'whole', paths: ['.'], fraction: 1, bytes: scaling.totalBytes, files: undefined, filesScanned: first.summary.filesScanned, medianS: sum.kmigrate.medianS });
    for (const r of rows) r.sPerGB = r.medianS / (r.bytes / 1e9);
    scalingOut = { totalBytes: scaling.totalBytes, rows, fit: fitLine(rows.map((r) => r.bytes / 1e9), rows.map((r) => r.medianS)) };
  }

  const targets = judge(m, sum, { first, stableAcrossRuns, one });
  const result = { id: m.id, issue: m.issue, needle: m.needle, tree, notes, sum, tools, found, parse, one, stableAcrossRuns, sites: first.sites.length, scaling: scalingOut, targets, loadavg: loadavg(), cpus: cpus().length };
  result.json = {
    tools: sum,
    found,
    parse,
    sitesIdenticalWithJobs1: one?.same && stableAcrossRuns,
    jobs1S: one?.s,
    scaling: scalingOut,
    targets,
    notes,
  };
  return result;
}

/** PASS / FAIL / SKIP for each of the migration's targets. */
function judge(m, sum, { first, stableAcrossRuns, one }) {
  const T = m.targets;
  const targets = [];
  const target = (name, ok, detail) => targets.push({ name, result: ok === undefined ? 'SKIP' : ok ? 'PASS' : 'FAIL', detail });
  const k = sum.kmigrate;
  if (T.floorRatio !== undefined) {
    target(
      `kmigrate whole-tree dry run at most ${T.floorRatio.toFixed(1)}x the floor (medians)`,
      sum.rg ? k.ratioToFloor <= T.floorRatio : undefined,
      sum.rg ? `${fmt(k.medianS)} s / ${fmt(sum.rg.medianS)} s = ${fmt(k.ratioToFloor)}x` : 'no rg',
    );
  }
  const spName = `kmigrate at least ${T.spatchSpeedup}x faster than spatch -j 2 (medians)`;
  if (sum.spatch) {
    const speedup = sum.spatch.medianS / k.medianS;
    target(spName, speedup >= T.spatchSpeedup, `${fmt(sum.spatch.medianS)} s / ${fmt(k.medianS)} s = ${fmt(speedup)}x`);
  } else target(spName, undefined, 'no spatch');
  target(
    `kmigrate peak RSS at most ${T.rssMB} MB`,
    Number.isFinite(k.peakRssMB) ? k.peakRssMB <= T.rssMB : undefined,
    Number.isFinite(k.peakRssMB) ? `${fmt(k.peakRssMB, 0)} MB (largest of ${k.runs.length} runs)` : 'not measured',
  );
  target(
    'same sites as the single-threaded run (--jobs 1)',
    one ? one.same && stableAcrossRuns : undefined,
    one
      ? `${first.sites.length} sites with the default jobs, ${one.sites.length} with --jobs 1` + (stableAcrossRuns ? '' : '; the default-jobs runs disagreed among themselves')
      : 'skipped (--skip jobs1)',
  );
  return targets;
}
