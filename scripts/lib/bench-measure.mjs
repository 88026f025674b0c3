// Timing one command for scripts/bench.mjs: wall time around the whole
// process, and its peak RSS; and the small number helpers of the report.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { which } from './proc.mjs';

export const log = (line) => process.stderr.write(`${line}\n`);

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
export const mb = (bytes) => bytes / 1e6;

export function table(rows, header) {
  const all = [header, ...rows].map((r) => r.map(String));
  const w = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(all[0]), w.map((n) => '-'.repeat(n)).join('  '), ...all.slice(1).map(line)].join('\n');
}

/** First line of `cmd args` output (a version string), or ''. */
export function versionOf(cmd, args = ['--version']) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').find((l) => l.trim())?.trim() ?? '';
}


// ---------------------------------------------------------------------------

/**
 * How peak RSS is taken. GNU time when it is there (it adds about a
 * millisecond); otherwise a python3 wrapper that reads
 * getrusage(RUSAGE_CHILDREN).ru_maxrss and, so that the interpreter's own
 * start is not charged to the tool, times the child itself.
 * ru_maxrss is the largest single process of the tree (threads count in
 * their process; spatch -j's forked workers count one at a time).
 */
export function pickMeter() {
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
export function measure(meter, argv, { cwd, limit } = {}) {
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


/** Remove the scratch folder of measure(), if one was made. */
export function cleanScratch() {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}
