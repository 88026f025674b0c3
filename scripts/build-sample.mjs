#!/usr/bin/env node
// npm run build:sample -- <migration> --count N [--seed S] — does a
// treewide migration's output still compile? A deterministic sample of N
// converted .c files, spread over subsystems, is built with x86_64
// allmodconfig (COMPILE_TEST reaches most drivers) before and after the
// change, and each object's warnings are compared. docs/build-sample.md has
// the method and the results measured.
//
//   <cache>/work/build-sample/<migration>/  the migration's output: hard links
//                                          to the read-only cache tree, then
//                                          `kmigrate run --write` (temp file +
//                                          rename: the links break, the cache
//                                          tree is never written); kept with
//                                          <migration>.run.json (the run's
//                                          JSON) and reused while that file
//                                          is newer than everything in dist/
//   <cache>/work/build-sample/tree/         the tree every build runs from
//                                          (always this path: kbuild's command
//                                          lines hold the source path, so one
//                                          path keeps the prepared dir valid);
//                                          hard links, laid anew each run;
//                                          the changed files are copied in
//                                          between the two builds
//   <cache>/build/x86_64-allmodconfig/      allmodconfig, WERROR off, prepared
//                                          once and reused (a stamp inside)
//
//   node scripts/build-sample.mjs <migration> --count <n> [options]
//     --seed <s>     the sample's seed (default 1)
//     --jobs <n>     make -j (default 2)
//     --json <file>  the whole report as JSON as well
//
// Exit 0 when N objects built before and after with no new warning, 1 when
// one fails or warns anew (or fewer than N could be built), 2 on bad usage,
// 3 on an internal error. Uses dist/ as it is (npm run build first).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureKernelTree, kernelCacheDir, KernelFetchError } from './lib/kernel.mjs';
import { run, secs } from './lib/proc.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist', 'bundle', 'kmigrate.js');
const KBUILD = join(REPO, 'dist', 'codemods', 'kbuild', 'index.js');
const WALK = join(REPO, 'dist', 'codemods', 'io', 'walk.js');
const ARCH = 'x86_64';
const STAMP = '.kmigrate-allmodconfig.json';

class Usage extends Error {}

const USAGE = 'usage: node scripts/build-sample.mjs <migration> --count <n> [--seed <s>] [--jobs <n>] [--json <file>]\n';

/** npm run starts scripts in the package's folder; paths given are the user's. */
const userPath = (p) => resolve(process.env.INIT_CWD ?? process.cwd(), p);

function parseArgs(argv) {
  const opts = { seed: 1, jobs: 2 };
  const positive = (name, v) => {
    if (!/^[0-9]+$/.test(v ?? '') || Number(v) < 1) throw new Usage(`${name}: want a positive integer, got ${JSON.stringify(v)}`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--count') opts.count = positive(a, argv[++i]);
    else if (a === '--seed') opts.seed = positive(a, argv[++i]);
    else if (a === '--jobs') opts.jobs = positive(a, argv[++i]);
    else if (a === '--json') {
      if (!argv[i + 1]) throw new Usage('--json: want a file name');
      opts.json = userPath(argv[++i]);
    } else if (a.startsWith('-')) throw new Usage(`unknown option ${a}`);
    else if (opts.migration === undefined) opts.migration = a;
    else throw new Usage(`unexpected argument ${JSON.stringify(a)}`);
  }
  if (!opts.migration) throw new Usage('no migration given');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(opts.migration)) throw new Usage(`${opts.migration}: want a migration id (e.g. platform-remove-void)`);
  if (opts.count === undefined) throw new Usage('--count is required');
  return opts;
}

const log = (line) => process.stderr.write(`${line}\n`);
const sha256 = (data) => createHash('sha256').update(data).digest('hex');

// ---------------------------------------------------------------------------
// The sample

/** mulberry32: a small seeded PRNG, so that a seed gives the same sample on every machine. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(list, rand) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The subsystem a file counts under: its first two path components (drivers/i2c, sound/soc). */
function subsystemOf(file) {
  return file.split('/').slice(0, 2).join('/');
}

/**
 * Every changed .c file in sample order: files grouped by subsystem, each
 * group and the order of the groups shuffled with the seed (from sorted
 * input, so only the seed decides), then taken round-robin, one file per
 * group per round. The first N are the sample; the rest replace the ones
 * allmodconfig does not build.
 */
function sampleOrder(files, seed) {
  const rand = prng(seed);
  const groups = new Map();
  for (const f of [...new Set(files)].filter((f) => f.endsWith('.c')).sort()) {
    const key = subsystemOf(f);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const queues = shuffle([...groups.keys()].sort(), rand).map((k) => shuffle(groups.get(k), rand));
  const order = [];
  for (let round = 0; queues.some((q) => round < q.length); round++) {
    for (const q of queues) if (round < q.length) order.push(q[round]);
  }
  return order;
}

/** The newest modification time of the files under `dir` (0 when empty), with the project's one walker. */
function newestMtime(dir, walkTree) {
  let newest = 0;
  const see = (_rel, abs) => {
    newest = Math.max(newest, statSync(abs).mtimeMs);
  };
  walkTree(dir, { file: see, link: see });
  return newest;
}

/** The files a unified diff changes ("diff --git a/X b/X"), deleted and added ones included. */
function changedFiles(diff) {
  const files = new Set();
  for (const m of diff.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm)) {
    files.add(m[1]);
    files.add(m[2]);
  }
  return [...files].sort();
}

// ---------------------------------------------------------------------------
// Trees and the build dir

/** One build:sample at a time per cache: the tree and the build dir are shared. */
function takeLock(cache) {
  const lock = join(cache, 'work', 'build-sample.lock');
  mkdirSync(dirname(lock), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      process.on('exit', () => rmSync(lock, { force: true }));
      return;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(lock, 'utf8').trim());
      let alive = false;
      try {
        process.kill(owner, 0);
        alive = owner > 0;
      } catch (e) {
        alive = e.code === 'EPERM';
      }
      if (alive) throw new Usage(`another build:sample (pid ${owner}) is using ${cache}; lock ${lock}`);
      rmSync(lock, { force: true });
    }
  }
  throw new Error(`cannot take ${lock}`);
}

/** A fresh tree of hard links to `src` at `dst` (nothing may be written through them: see the header). */
async function linkTree(src, dst) {
  rmSync(dst, { recursive: true, force: true });
  mkdirSync(dirname(dst), { recursive: true });
  const r = await run('cp', ['-al', src, dst]);
  if (r.code !== 0) throw new Error(`cp -al ${src} ${dst} failed: ${r.stderr.trim()}`);
}

/** make in the allmodconfig dir; output kept for the error message. */
async function make(tree, buildDir, args) {
  const env = { ...process.env, LANG: 'C', LC_MESSAGES: 'C' };
  delete env.LC_ALL;
  delete env.MAKEFLAGS;
  const r = await run('make', ['-C', tree, `O=${buildDir}`, `ARCH=${ARCH}`, ...args], { env });
  if (r.code !== 0) throw new Error(`make ${args.join(' ')} failed (exit ${r.code}):\n${(r.stdout + r.stderr).trim().split('\n').slice(-20).join('\n')}`);
  return r;
}

/**
 * allmodconfig with CONFIG_WERROR off (allmodconfig turns it on, and then a
 * warning stops the build instead of being compared), then prepare. Reused
 * when the stamp matches: the same tree path, top Makefile, compiler and .config.
 */
async function prepareAllmodconfig(tree, buildDir, jobs) {
  const gcc = await run('gcc', ['--version']);
  const inputs = sha256(`${tree}\0${readFileSync(join(tree, 'Makefile'))}\0${gcc.stdout.split('\n')[0]}`);
  const config = join(buildDir, '.config');
  const stampFile = join(buildDir, STAMP);
  if (existsSync(stampFile) && existsSync(config) && existsSync(join(buildDir, 'include', 'generated', 'autoconf.h'))) {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
    if (stamp.inputs === inputs && stamp.config === sha256(readFileSync(config))) {
      log(`reusing ${buildDir} (allmodconfig, prepared)`);
      return;
    }
  }
  rmSync(stampFile, { force: true });
  mkdirSync(buildDir, { recursive: true });
  const started = performance.now();
  log(`preparing ${buildDir}: allmodconfig, WERROR off, prepare (several minutes)`);
  await make(tree, buildDir, ['allmodconfig']);
  const cfg = await run('bash', [join(tree, 'scripts', 'config'), '--file', config, '-d', 'WERROR']);
  if (cfg.code !== 0) throw new Error(`scripts/config -d WERROR failed: ${cfg.stderr.trim()}`);
  await make(tree, buildDir, ['olddefconfig']);
  if (/^CONFIG_WERROR=y$/m.test(readFileSync(config, 'utf8'))) throw new Error('CONFIG_WERROR is still set after olddefconfig');
  await make(tree, buildDir, [`-j${jobs}`, 'prepare']);
  writeFileSync(stampFile, `${JSON.stringify({ version: 1, inputs, config: sha256(readFileSync(config)), tree }, null, 2)}\n`);
  log(`prepared in ${secs(performance.now() - started)}`);
}

// ---------------------------------------------------------------------------
// Main

async function main() {
  const started = performance.now();
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI) || !existsSync(KBUILD)) throw new Usage(`no ${CLI}: run npm run build first`);
  const kbuild = await import(pathToFileURL(KBUILD).href);
  const { walkTree } = await import(pathToFileURL(WALK).href);
  const cache = kernelCacheDir();
  const src = await ensureKernelTree({ log });
  takeLock(cache);
  const work = join(cache, 'work', 'build-sample');
  const migrated = join(work, opts.migration);
  const tree = join(work, 'tree');
  const buildDir = join(cache, 'build', `${ARCH}-allmodconfig`);

  // 1. The migration, written into its own copy; the last run's copy is
  //    reused while its saved JSON is newer than everything in dist/.
  const runJson = join(work, `${opts.migration}.run.json`);
  let result;
  if (existsSync(runJson) && existsSync(join(migrated, 'Makefile')) && statSync(runJson).mtimeMs > newestMtime(join(REPO, 'dist'), walkTree)) {
    log(`reusing ${migrated} and ${runJson} (newer than dist/)`);
    result = JSON.parse(readFileSync(runJson, 'utf8'));
  } else {
    log(`kmigrate run ${opts.migration} --write on ${migrated}`);
    rmSync(runJson, { force: true });
    await linkTree(src, migrated);
    const r = await run(process.execPath, [CLI, 'run', opts.migration, '-C', migrated, '--write', '--format', 'json', '--jobs', String(opts.jobs)]);
    // 1 = manual sites remain: the rewrites are written all the same.
    if (r.code !== 0 && r.code !== 1) {
      rmSync(migrated, { recursive: true, force: true });
      throw new Usage(`kmigrate run ${opts.migration} failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    }
    result = JSON.parse(r.stdout);
    writeFileSync(runJson, r.stdout);
    log(`  ran in ${secs(r.ms)}`);
  }
  const changed = changedFiles(result.diff);
  // A changed file still sharing its inode with the cached tree was written through the link.
  for (const f of changed) {
    if (existsSync(join(src, f)) && existsSync(join(migrated, f)) && statSync(join(src, f)).ino === statSync(join(migrated, f)).ino) {
      throw new Error(`${f}: changed by the run but still a hard link to ${src}: the cached tree was written`);
    }
  }
  log(`  ${changed.length} files changed, ${result.summary.rewritten} sites rewritten, ${result.summary.manual} manual`);

  // 2. The build dir, prepared from the pristine tree.
  await linkTree(src, tree);
  await prepareAllmodconfig(tree, buildDir, opts.jobs);
  const config = kbuild.readBuildConfig(buildDir);

  // 3. Before: walk the sample order until N objects built; what allmodconfig
  //    does not build, or what fails already before the change, is replaced.
  const order = sampleOrder(changed, opts.seed);
  const built = [];
  const notBuilt = [];
  const before = new Map();
  let next = 0;
  while (built.length < opts.count && next < order.length) {
    const batch = order.slice(next, next + (opts.count - built.length));
    next += batch.length;
    const plan = kbuild.planObjects(batch, ARCH, { srcDir: tree, config });
    for (const s of plan.skipped) notBuilt.push({ file: s.path.replace(/\.o$/, '.c'), reason: `not built by allmodconfig: ${s.reason}` });
    if (plan.objects.length === 0) continue;
    log(`building ${plan.objects.length} objects before the change`);
    const b = await kbuild.buildObjects({ srcDir: tree, buildDir, arch: ARCH, objects: plan.objects, jobs: opts.jobs });
    for (const o of b.results) {
      if (o.ok) {
        built.push(o.object);
        before.set(o.object, o);
      } else notBuilt.push({ file: o.object.replace(/\.o$/, '.c'), reason: `fails before the change: ${o.errors[0] ?? 'no error text'}` });
    }
  }

  // 4. After: the migration's changed files (headers too) into the tree, the same objects again.
  for (const f of changed) {
    rmSync(join(tree, f), { force: true });
    if (existsSync(join(migrated, f))) {
      mkdirSync(dirname(join(tree, f)), { recursive: true });
      copyFileSync(join(migrated, f), join(tree, f));
    }
  }
  log(`building ${built.length} objects after the change`);
  const a = built.length > 0 ? await kbuild.buildObjects({ srcDir: tree, buildDir, arch: ARCH, objects: built, jobs: opts.jobs }) : { results: [], other: [] };
  const objects = a.results.map((o) => {
    const b = before.get(o.object);
    return {
      object: o.object,
      subsystem: subsystemOf(o.object),
      builtBefore: true,
      builtAfter: o.ok,
      warningsBefore: b.warnings.length,
      warningsAfter: o.warnings.length,
      newWarnings: kbuild.compareWarnings(b.warnings, o.warnings),
      errorsAfter: o.errors,
    };
  });

  const report = {
    migration: opts.migration,
    seed: opts.seed,
    count: opts.count,
    arch: ARCH,
    config: 'allmodconfig, CONFIG_WERROR off',
    changedFiles: changed.length,
    changedCFiles: order.length,
    subsystems: new Set(order.map(subsystemOf)).size,
    built: objects.length,
    failedAfter: objects.filter((o) => !o.builtAfter).length,
    withNewWarnings: objects.filter((o) => o.newWarnings.length > 0).length,
    objects,
    notBuilt,
    otherDiagnosticsAfter: a.other,
    seconds: Math.round((performance.now() - started) / 1000),
  };
  if (opts.json) writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
  printReport(report);
  const ok = report.built === opts.count && report.failedAfter === 0 && report.withNewWarnings === 0;
  return ok ? 0 : 1;
}

function printReport(rep) {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`build:sample ${rep.migration} — seed ${rep.seed}, ${rep.arch} ${rep.config}`);
  out(`${rep.changedFiles} files changed (${rep.changedCFiles} .c in ${rep.subsystems} subsystems); sample of ${rep.count}`);
  out();
  for (const o of rep.objects) {
    const state = o.builtAfter ? (o.newWarnings.length > 0 ? 'NEW WARNING' : 'ok') : 'FAILS AFTER';
    out(`${state.padEnd(11)} ${o.object}  (warnings before ${o.warningsBefore}, after ${o.warningsAfter})`);
    for (const w of o.newWarnings) out(`            + ${w}`);
    for (const e of o.errorsAfter) out(`            ! ${e}`);
  }
  if (rep.notBuilt.length > 0) {
    out();
    for (const n of rep.notBuilt) out(`not built   ${n.file}: ${n.reason}`);
  }
  for (const d of rep.otherDiagnosticsAfter) out(`outside the objects: ${d}`);
  out();
  out(
    `${rep.built}/${rep.count} built before and after: ${rep.failedAfter} fail after the change, ` +
      `${rep.withNewWarnings} with new warnings; ${rep.notBuilt.length} candidates replaced; ${rep.seconds} s`,
  );
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof Usage || err instanceof KernelFetchError) {
      process.stderr.write(`build-sample: ${err.message}\n`);
      if (err instanceof Usage && /want|no migration|--count|unknown option|unexpected/.test(err.message)) process.stderr.write(USAGE);
      process.exit(2);
    }
    process.stderr.write(`build-sample: internal error: ${err?.stack ?? err}\n`);
    process.exit(3);
  },
);
