// The text report of scripts/bench.mjs: a header for the run, then for each
// migration its table, the ratios, what each tool found, kmigrate's parse
// figures, the scaling figure and the targets.
import { cpus, totalmem } from 'node:os';
import { fmt, mb, table } from './bench-measure.mjs';

/** Lines of a list longer than this are counted, not all printed (all are in the JSON). */
const LIST_MAX = 10;

export function formatHeader({ tree, o, meter, notes, load0, load1, loaded }) {
  const out = [];
  out.push(`kmigrate bench: ${o.migrations.map((m) => m.id).join(', ')} on ${tree}`);
  out.push(`command: node scripts/bench.mjs ${process.argv.slice(2).join(' ')}`.trimEnd());
  out.push(`${new Date().toISOString()}  node ${process.version}  ${cpus().length} x ${cpus()[0]?.model ?? '?'}  ${fmt(totalmem() / 2 ** 30, 1)} GiB`);
  out.push(
    `load average ${load0.map((x) => x.toFixed(2)).join(' ')} at start, ${load1.map((x) => x.toFixed(2)).join(' ')} at end` +
      (loaded ? '  ** LOADED MACHINE: figures are noisy **' : ''),
  );
  out.push(`runs: ${o.runs} (rg, kmigrate), ${o.slowRuns} (spatch), 1 (ast-grep, limit ${o.timeout} s); peak RSS by ${meter.kind}`);
  for (const n of notes) out.push(`note: ${n}`);
  return out;
}

function capped(out, lines, prefix) {
  for (const l of lines.slice(0, LIST_MAX)) out.push(`${prefix}${l}`);
  if (lines.length > LIST_MAX) out.push(`${prefix}... and ${lines.length - LIST_MAX} more (all in the JSON)`);
}

export function formatMigration(r, o) {
  const { sum, found, parse, one, scaling, targets } = r;
  const out = [];
  out.push(`=== ${r.id}  (load average ${r.loadavg[0].toFixed(2)} when its runs ended)`);
  for (const n of r.notes) out.push(`note: ${n}`);
  for (const t of r.tools) {
    const bad = sum[t.id].unexpectedExits;
    if (bad.length === 0) continue;
    const x = t.results.find((y) => !y.timedOut && !(t.okCodes ?? [0]).includes(y.code));
    const tail = x.stderr.trim().split('\n').slice(-5).join('\n    ');
    out.push(`WARNING: ${t.name} exited ${bad.join(', ')} in ${bad.length} of ${t.results.length} runs; last lines of its stderr:\n    ${tail}`);
  }
  const floorMedian = sum.rg?.medianS ?? NaN;
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
  for (const t of r.tools) out.push(`  ${t.name}: ${t.results.map((x) => (x.timedOut ? 'timed out' : fmt(x.s))).join(' ')}`);
  out.push('');
  const k = sum.kmigrate;
  const summary = [];
  if (sum.rg) summary.push(`kmigrate takes ${fmt(k.ratioToFloor)}x the floor's time`);
  if (sum.spatch) summary.push(`spatch -j 2 takes ${fmt(sum.spatch.medianS / k.medianS)}x kmigrate's`);
  if (sum['ast-grep'] && Number.isFinite(sum['ast-grep'].medianS)) summary.push(`ast-grep ${fmt(sum['ast-grep'].medianS / k.medianS, 1)}x kmigrate's`);
  if (summary.length) out.push(`${summary.join('; ')} (medians)`, '');

  out.push('What each found:');
  if (found.rg) out.push(`  rg: ${found.rg.files} files hold ${r.needle} (any file type)`);
  const f = found.kmigrate;
  out.push(`  kmigrate: ${f.filesScanned} files scanned, ${f.filesParsed} parsed, ${f.filesChanged} to change; ${f.rewritten} rewritten, ${f.manual} manual, ${f.unchanged} unchanged`);
  if (found.spatch) {
    const c = found.spatch.vsKmigrate;
    const same = c.sameFiles
      ? 'the same files as kmigrate'
      : `NOT the same files as kmigrate (${c.filesOnlyKmigrate.length} only in kmigrate's, ${c.filesOnlyOther.length} only in spatch's)`;
    out.push(
      `  spatch: diff of ${c.filesOther} files, ${same}; removed lines: ${c.removedLinesCommon} in common, ` +
        `${c.removedLinesOnlyKmigrate.length} only in kmigrate's, ${c.removedLinesOnlyOther.length} only in spatch's`,
    );
    capped(out, c.filesOnlyKmigrate, '    file only kmigrate changes: ');
    capped(out, c.filesOnlyOther, '    file only spatch changes:   ');
    capped(out, c.removedLinesOnlyKmigrate, '    only kmigrate removes: ');
    capped(out, c.removedLinesOnlyOther, '    only spatch removes:   ');
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
  if (one) out.push(`  sites identical with --jobs 1: ${one.same && r.stableAcrossRuns ? 'yes' : 'no'} (${r.sites} sites; --jobs 1 took ${fmt(one.s)} s)`);
  if (scaling) {
    out.push('');
    out.push(`Scaling (kmigrate dry run on paths holding ~1/4, ~1/2 and all of the tree's ${fmt(mb(scaling.totalBytes), 0)} MB of .c/.h; medians):`);
    out.push(
      table(
        scaling.rows.map((x) => [x.label, `${fmt(100 * x.fraction, 0)}%`, fmt(mb(x.bytes), 0), String(x.filesScanned), fmt(x.medianS), fmt(x.sPerGB)]),
        ['part', 'share', 'MB', 'files', 'median s', 's/GB'],
      ),
    );
    out.push(`  least squares: t = ${fmt(scaling.fit.interceptS)} s + ${fmt(scaling.fit.sPerGB)} s/GB x size (R^2 ${fmt(scaling.fit.r2, 3)})`);
    for (const x of scaling.rows.slice(0, -1)) out.push(`  ${x.label}: ${x.paths.join(' ')}`);
  }
  out.push('');
  out.push(`Targets (${r.issue}):`);
  for (const t of targets) out.push(`${t.result} ${t.name}: ${t.detail}`);
  const passed = targets.filter((t) => t.result === 'PASS').length;
  const failed = targets.filter((t) => t.result === 'FAIL').length;
  const skipped = targets.filter((t) => t.result === 'SKIP').length;
  out.push(`targets: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return out;
}
