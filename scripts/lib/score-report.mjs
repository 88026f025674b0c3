// score:upstream's text report: the counts, precision and recall, then each
// bucket's functions (path:function — why), at most `limit` per bucket (the
// terminal) or all of them (the report file).
import { BUCKETS } from './score.mjs';

const pct = (x) => (x === null ? 'n/a (nothing to divide by)' : `${(100 * x).toFixed(1)}%`);

/** The target and where its definition came from, as one line. */
export function targetLine(target) {
  const move = target.moveTo ? ` (-> .${target.moveTo}, the same member upstream)` : '';
  return `struct ${target.struct} .${target.member}${move}; target from ${target.source}`;
}

/**
 * `report`: scoreRun's result; `meta`: { migration, oldRoot, newRoot,
 * timings: [[label, ms]] }; `limit`: entries per bucket (Infinity for all).
 */
export function renderReport(report, meta, limit = Infinity) {
  const b = report.buckets;
  const lines = [];
  lines.push(`score:upstream ${meta.migration}: ${report.functions.length} function(s) compared`);
  lines.push(`  ${targetLine(report.target)}`);
  lines.push(`  old ${meta.oldRoot}`);
  lines.push(`  upstream ${meta.newRoot}`);
  lines.push('');
  const width = Math.max(...BUCKETS.map(([name]) => name.length));
  for (const [name, title] of BUCKETS) lines.push(`  ${name.padEnd(width)} ${String(b[name]).padStart(6)}  ${title}`);
  lines.push('');
  const agreeing = b.agree + b.agreeOther;
  const claimed = agreeing + b.disagree + b.onlyHere;
  lines.push(`  converted upstream: ${report.convertedUpstream} (agree + agreeOther + disagree + leftHere + silentlyLeft)`);
  lines.push(`  precision ${pct(report.precision)} = (agree + agreeOther) / (agree + agreeOther + disagree + onlyHere) = ${agreeing}/${claimed}`);
  lines.push(`  recall    ${pct(report.recall)} = (agree + agreeOther) / converted upstream = ${agreeing}/${report.convertedUpstream}`);
  lines.push(`  strict (agreeOther not counted as agreement): precision ${pct(report.precisionStrict)}, recall ${pct(report.recallStrict)}`);
  if (b.silentlyLeft > 0) lines.push(`  WARNING: ${b.silentlyLeft} function(s) converted upstream were left here without a manual site`);
  if (meta.timings?.length) {
    lines.push('');
    lines.push(`  time: ${meta.timings.map(([label, ms]) => `${label} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
  }
  for (const [name, title] of BUCKETS) {
    const fs = report.functions.filter((f) => f.bucket === name);
    if (fs.length === 0) continue;
    lines.push('');
    lines.push(`${title}: ${fs.length}`);
    for (const f of fs.slice(0, limit)) {
      lines.push(`  ${f.path}:${f.function} — ${f.why}`);
      if (name === 'leftHere' || name === 'silentlyLeft' || name === 'disagree') {
        for (const m of f.manual) lines.push(`      manual ${f.path}:${m.line} [${m.code}] ${m.message}`);
      }
    }
    if (fs.length > limit) lines.push(`  … and ${fs.length - limit} more (all in the report file)`);
  }
  return lines.join('\n') + '\n';
}
