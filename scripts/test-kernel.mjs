#!/usr/bin/env node
// npm run test:kernel — the iommu-sva-bind-flags migration on a real tree:
// Debian's linux-source-6.1 (fetched into the cache when missing).
//
// On a private copy of the tree (<cache>/work/test-kernel/tree, laid anew each run as
// hard links to the read-only cache tree; kmigrate writes by temp file +
// rename, which breaks the link, and this script checks that the cache tree
// is never changed) it checks that:
//   - the dry run (--format json and --format diff) changes exactly the ten
//     files the migration must change, and writes nothing;
//   - the diff applies (git apply --check, patch -p1 --dry-run) and passes
//     the tree's checkpatch.pl with no errors and no warnings;
//   - --write gives the same files as applying the diff, and a second run
//     on the result changes nothing;
//   - the touched objects build for x86_64 and arm64 with the tree's own
//     kbuild and no new warnings (out-of-tree build dirs <cache>/build/<arch>,
//     prepared once and reused between runs).
// Then, on a git checkout of the tree (<cache>/work/test-kernel/git-tree, a
// real copy with one commit, kept between runs while it is clean):
//   - format-patch (one patch, and --split: three): checkpatch.pl 0/0 on each
//     file, commit message included; git am applies them on fresh branches;
//     the single patch gives --write's bytes, the series the same tree; every
//     --split step builds for x86_64 and arm64 with no new warnings
//     (<cache>/build/git-<arch>, sources in the checkout);
//   - validate-series against the cache tree: the --split directory (without
//     and with --build) and the single patch pass; two bad series written from
//     the good patch (API header first; IDXD's flag dropped) fail, naming the
//     patch and the file; the cache tree is unchanged afterwards.
//     validate-series runs with XDG_CACHE_HOME=<cache>/work/test-kernel/xdg,
//     so its --build copy and build dirs (…/kmigrate/series/{src,build/<arch>-<options hash>})
//     are test:kernel's own, under its lock.
// One PASS/FAIL line per check (with its time where it runs something long);
// the last line is "N passed, M failed".
//
//   node scripts/test-kernel.mjs [--no-build]
//     --no-build   do not run tsc first (use dist/ as it is)
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureGitCheckout, git, GIT_IDENTITY, IN_TREE_BUILD_ARTIFACTS } from './lib/gitcheckout.mjs';
import { ensureKernelTree, kernelCacheDir } from './lib/kernel.mjs';
import { joinMailPatch, setSubject, splitMailPatch } from './lib/mailpatch.mjs';
import { ensureBuildPackages } from './lib/packages.mjs';
import { run, secs, which } from './lib/proc.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist', 'codemods', 'cli', 'main.js');
const KBUILD = join(REPO, 'dist', 'codemods', 'io', 'kbuild.js');
/** The migration as the CLI resolves it: its Kconfig options build its drivers (kbuild itself knows no driver). */
const REGISTRY = join(REPO, 'dist', 'codemods', 'registry.js');
const CODEMOD = 'iommu-sva-bind-flags';

/** The files the migration changes in linux-source-6.1 (docs/migrations.md). */
const EXPECTED_FILES = [
  'drivers/dma/idxd/cdev.c',
  'drivers/dma/idxd/init.c',
  'drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-sva.c',
  'drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h',
  'drivers/iommu/intel/iommu.h',
  'drivers/iommu/intel/svm.c',
  'drivers/iommu/iommu.c',
  'drivers/misc/uacce/uacce.c',
  'include/linux/intel-svm.h',
  'include/linux/iommu.h',
];

/** The objects those changes touch, per arch. */
const OBJECTS = {
  x86_64: [
    'drivers/dma/idxd/cdev.o',
    'drivers/dma/idxd/init.o',
    'drivers/misc/uacce/uacce.o',
    'drivers/iommu/iommu.o',
    'drivers/iommu/intel/svm.o',
    'drivers/iommu/intel/iommu.o',
  ],
  arm64: [
    'drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-sva.o',
    'drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.o',
    'drivers/iommu/iommu.o',
    'drivers/misc/uacce/uacce.o',
  ],
};

/** Kconfig options that must end up =y for the objects above to be the real thing. */
const MUST_BE_SET = {
  x86_64: ['IOMMU_SVA', 'INTEL_IOMMU', 'INTEL_IOMMU_SVM', 'INTEL_IDXD', 'INTEL_IDXD_SVM', 'UACCE'],
  arm64: ['IOMMU_SVA', 'ARM_SMMU_V3', 'ARM_SMMU_V3_SVA', 'UACCE'],
};

/** What the per-run wipe of <cache>/work/test-kernel keeps: the git checkout and validate-series' cache. */
const KEPT_IN_WORK = ['git-tree', 'xdg'];

const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');

/** What main() found and made, for the format-patch / validate-series checks that follow it. */
const ctx = {};
const startedAt = performance.now();

// ---------------------------------------------------------------------------
// Reporting

const tally = { passed: 0, failed: 0, skipped: 0 };
const timings = [];

function indent(text) {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function check(name, ok, detail = '', ms = undefined) {
  if (ok) tally.passed++;
  else tally.failed++;
  const first = detail.split('\n')[0];
  const rest = detail.includes('\n') ? `\n${indent(detail.slice(detail.indexOf('\n') + 1))}` : '';
  const took = ms === undefined ? '' : ` [${secs(ms)}]`;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${took}${first ? `: ${first}` : ''}${rest}`);
  return ok;
}

function skip(name, reason) {
  tally.skipped++;
  console.log(`SKIP ${name}: ${reason}`);
}

function timing(what, ms) {
  timings.push(`${what} ${secs(ms)}`);
}

function tail(text, lines = 30) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function finish() {
  timing('total', performance.now() - startedAt);
  if (timings.length > 0) console.log(`timings: ${timings.join('; ')}`);
  if (tally.skipped > 0) console.log(`${tally.skipped} skipped`);
  console.log(`${tally.passed} passed, ${tally.failed} failed`);
  process.exitCode = tally.failed > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------
// Helpers

function sha(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Files named by a unified diff, from its "+++ b/…" and "--- a/…" lines. */
function diffFiles(diff) {
  const files = new Set();
  for (const m of diff.matchAll(/^(?:\+\+\+ b|--- a)\/(\S+)/gm)) files.add(m[1]);
  return [...files].sort();
}

function sameList(a, b) {
  return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
}

function listDifference(want, got) {
  const missing = want.filter((f) => !got.includes(f));
  const extra = got.filter((f) => !want.includes(f));
  return [missing.length ? `missing: ${missing.join(' ')}` : '', extra.length ? `unexpected: ${extra.join(' ')}` : '']
    .filter(Boolean)
    .join('; ');
}

function kmigrate(cliArgs) {
  return run(process.execPath, [CLI, ...cliArgs], { cwd: REPO });
}

// git must not mistake an enclosing repository for the tree's.
function gitEnv(dir) {
  return { ...process.env, GIT_CEILING_DIRECTORIES: dirname(dir) };
}

// ---------------------------------------------------------------------------

/**
 * One test:kernel at a time per cache: the working copy and the build dirs
 * are shared. A lock file holds the owner's pid; a dead owner's lock is taken over.
 */
function takeLock(cache) {
  const lock = join(cache, 'work', 'test-kernel.lock');
  mkdirSync(dirname(lock), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      process.on('exit', () => rmSync(lock, { force: true }));
      return undefined;
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
      if (alive) return `another test:kernel (pid ${owner}) is using ${cache}; lock ${lock}`;
      rmSync(lock, { force: true });
    }
  }
  return `cannot take ${lock}`;
}

async function main() {
  const cache = kernelCacheDir();
  console.log(`kmigrate test:kernel — cache ${cache}`);
  const busy = takeLock(cache);
  if (busy) {
    check('test:kernel lock', false, busy);
    return;
  }

  // The tree.
  let tree;
  try {
    const t = performance.now();
    tree = await ensureKernelTree();
    timing('fetch', performance.now() - t);
    check('kernel tree present', true, tree);
  } catch (err) {
    check('kernel tree present', false, err.message);
    return;
  }

  // Build tools.
  try {
    const r = await ensureBuildPackages();
    check('build packages', true, r.installed.length ? `installed ${r.installed.join(' ')}` : 'all present');
  } catch (err) {
    check('build packages', false, err.message);
  }

  // kmigrate itself.
  if (noBuild) {
    skip('TypeScript build', '--no-build');
  } else {
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    if (!existsSync(tsc)) {
      check('TypeScript build', false, 'node_modules/typescript is missing: run npm ci');
    } else {
      const r = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: REPO });
      timing('tsc', r.ms);
      check('TypeScript build', r.code === 0, r.code === 0 ? '' : `tsc exit ${r.code}\n${tail(r.stdout + r.stderr, 20)}`);
    }
  }
  if (!existsSync(KBUILD)) {
    check('kbuild harness built', false, `${KBUILD} is missing`);
    return;
  }
  const kb = await import(pathToFileURL(KBUILD).href);
  const { meta } = (await import(pathToFileURL(REGISTRY).href)).getMigration(CODEMOD);
  /** defconfig + the migration's options + WERROR=n, as validate-series --build configures. */
  const options = (arch) => kb.kconfigOptions(arch, meta.kconfig);

  // A private copy of the tree: hard links (kmigrate replaces files, never
  // writes into them) and, for what git apply writes, real copies elsewhere.
  // Only this script's own folder of <cache>/work is laid anew.
  // (git-tree, the git checkout, and xdg, validate-series' cache, are kept between runs.)
  const work = join(cache, 'work', 'test-kernel');
  const copy = join(work, 'tree');
  mkdirSync(work, { recursive: true });
  for (const entry of readdirSync(work)) {
    if (!KEPT_IN_WORK.includes(entry)) rmSync(join(work, entry), { recursive: true, force: true });
  }
  Object.assign(ctx, { cache, tree, work, copy, kb, options });
  {
    const r = await run('cp', ['-al', tree, copy]);
    timing('tree copy (cp -al)', r.ms);
    if (!check('working copy', r.code === 0, r.code === 0 ? copy : r.stderr.trim())) return;
  }
  const cacheSums = new Map(EXPECTED_FILES.map((f) => [f, sha(join(tree, f))]));
  const cacheUnchanged = () => EXPECTED_FILES.filter((f) => sha(join(tree, f)) !== cacheSums.get(f));

  // checkpatch harness: a clean and a faulty hand-written diff.
  const checkpatch = async (diff) => {
    const r = await run('perl', [join(copy, 'scripts', 'checkpatch.pl'), '--no-tree', '--color=never', '-'], {
      cwd: copy,
      input: diff,
    });
    const m = /total: (\d+) errors, (\d+) warnings/.exec(r.stdout);
    return { errors: m ? Number(m[1]) : -1, warnings: m ? Number(m[2]) : -1, output: r.stdout + r.stderr, code: r.code };
  };
  {
    const header = 'diff --git a/drivers/misc/uacce/uacce.c b/drivers/misc/uacce/uacce.c\n--- a/drivers/misc/uacce/uacce.c\n+++ b/drivers/misc/uacce/uacce.c\n';
    const clean = await checkpatch(`${header}@@ -1,3 +1,4 @@\n // SPDX-License-Identifier: GPL-2.0-or-later\n+/* a comment */\n #include <linux/compat.h>\n #include <linux/dma-mapping.h>\n`);
    const faulty = await checkpatch(`${header}@@ -1,3 +1,4 @@\n // SPDX-License-Identifier: GPL-2.0-or-later\n+int  x ;\n #include <linux/compat.h>\n #include <linux/dma-mapping.h>\n`);
    check(
      'checkpatch harness (clean diff 0/0, faulty diff flagged)',
      clean.errors === 0 && clean.warnings === 0 && faulty.warnings + faulty.errors > 0,
      clean.errors === 0 && clean.warnings === 0 ? '' : clean.output,
    );
  }

  // kbuild: prepare both arches, build the untouched objects (the baseline).
  const tools = kb.ensureBuildTools(['x86_64', 'arm64']);
  check('build tools on PATH', tools.ok, tools.ok ? '' : `missing: ${tools.missing.join(' ')}`);
  const prepared = {};
  const baseline = {};
  for (const arch of ['x86_64', 'arm64']) {
    const buildDir = join(cache, 'build', arch);
    const p = await kb.prepareBuild({ srcDir: copy, buildDir, arch, options: options(arch) });
    timing(`prepare ${arch}${p.reused ? ' (reused)' : ''}`, p.ms);
    if (!check(`prepare ${arch} (${buildDir})`, p.ok, p.ok ? (p.reused ? 'reused' : '') : tail(p.log))) continue;
    const config = kb.readBuildConfig(buildDir);
    const unset = MUST_BE_SET[arch].filter((o) => config.get(o) !== 'y');
    check(`${arch} .config builds the SVA drivers in`, unset.length === 0, unset.length ? `not =y: ${unset.join(' ')}` : MUST_BE_SET[arch].map((o) => `CONFIG_${o}=y`).join(' '));
    const plan = kb.planObjects(EXPECTED_FILES, arch, { srcDir: copy, config });
    const notPlanned = OBJECTS[arch].filter((o) => !plan.objects.includes(o));
    check(
      `objectsFor(${arch}) covers the touched objects`,
      notPlanned.length === 0,
      notPlanned.length ? `not found: ${notPlanned.join(' ')}` : `${plan.objects.length} objects: ${plan.objects.join(' ')}`,
    );
    const b = await kb.buildObjects({ srcDir: copy, buildDir, arch, objects: OBJECTS[arch] });
    timing(`build ${arch} before (${OBJECTS[arch].length} objects)`, b.ms);
    const failed = b.results.filter((r) => !r.ok);
    check(
      `build ${arch} before the migration`,
      b.ok,
      b.ok
        ? `${b.results.length} objects, ${b.results.reduce((n, r) => n + r.warnings.length, 0)} warnings`
        : failed.map((r) => `${r.object}: ${r.errors.join('; ')}`).join('\n'),
    );
    if (b.ok) {
      prepared[arch] = buildDir;
      baseline[arch] = b;
    }
  }

  // The migration itself.
  if (!existsSync(CLI)) {
    check('kmigrate CLI built', false, `${CLI} is missing`);
    return;
  }

  // Dry run, JSON.
  const jsonRun = await kmigrate(['run', CODEMOD, '-C', copy, '--format', 'json']);
  timing('dry run whole tree (json)', jsonRun.ms);
  console.log(`whole-tree dry run: ${secs(jsonRun.ms)} wall`);
  check('dry run --format json exits 0', jsonRun.code === 0, jsonRun.code === 0 ? '' : `exit ${jsonRun.code}\n${tail(jsonRun.stderr)}`);
  let report;
  try {
    report = JSON.parse(jsonRun.stdout);
    check('dry run --format json prints one JSON object', typeof report === 'object' && report !== null);
  } catch (err) {
    check('dry run --format json prints one JSON object', false, `${err.message}\n${tail(jsonRun.stdout, 5)}`);
  }
  if (report && Array.isArray(report.sites)) {
    console.log(`sites (${report.sites.length}):`);
    for (const s of report.sites) console.log(`  ${s.path}:${s.line}:${s.column} ${s.kind} ${s.action} ${s.code}`);
    if (report.summary) console.log(`summary: ${JSON.stringify(report.summary)}`);
  }
  if (report && typeof report.diff === 'string') {
    const files = diffFiles(report.diff);
    check('json diff changes exactly the ten files', sameList(files, EXPECTED_FILES), sameList(files, EXPECTED_FILES) ? '' : listDifference(EXPECTED_FILES, files));
  }

  // Dry run, diff.
  const diffRun = await kmigrate(['run', CODEMOD, '-C', copy, '--format', 'diff']);
  timing('dry run whole tree (diff)', diffRun.ms);
  check('dry run --format diff exits 0', diffRun.code === 0, diffRun.code === 0 ? '' : `exit ${diffRun.code}\n${tail(diffRun.stderr)}`);
  const diff = diffRun.stdout;
  const diffPath = join(work, `${CODEMOD}.diff`);
  writeFileSync(diffPath, diff);
  {
    const files = diffFiles(diff);
    check('diff changes exactly the ten files', sameList(files, EXPECTED_FILES), sameList(files, EXPECTED_FILES) ? `saved as ${diffPath}` : listDifference(EXPECTED_FILES, files));
  }
  if (report && typeof report.diff === 'string') {
    check('--format diff prints the same diff as --format json', report.diff === diff);
  }
  {
    const touched = EXPECTED_FILES.filter((f) => lstatSync(join(copy, f)).ino !== lstatSync(join(tree, f)).ino);
    check('dry runs write nothing', touched.length === 0, touched.length ? `replaced: ${touched.join(' ')}` : '');
  }

  if (diff.trim() === '') {
    check('the migration produced a diff', false, 'empty diff: skipping apply, checkpatch, --write and build checks');
    return;
  }

  // The diff applies, and passes checkpatch.
  {
    const r = await run('git', ['apply', '--check', diffPath], { cwd: copy, env: gitEnv(copy) });
    check('git apply --check at the tree root', r.code === 0, r.code === 0 ? '' : r.stderr.trim());
  }
  if (which('patch')) {
    const r = await run('patch', ['-p1', '--dry-run', '--batch', '-i', diffPath], { cwd: copy });
    check('patch -p1 --dry-run at the tree root', r.code === 0, r.code === 0 ? '' : (r.stdout + r.stderr).trim());
  } else {
    skip('patch -p1 --dry-run', 'patch is not installed');
  }
  {
    const c = await checkpatch(diff);
    check('checkpatch.pl --no-tree: 0 errors, 0 warnings', c.errors === 0 && c.warnings === 0, c.errors === 0 && c.warnings === 0 ? '' : c.output);
  }

  // --write, atomically, only the ten files.
  const marker = join(work, '.before-write');
  writeFileSync(marker, '');
  const writeRun = await kmigrate(['run', CODEMOD, '-C', copy, '--write']);
  timing('--write whole tree', writeRun.ms);
  check('--write exits 0', writeRun.code === 0, writeRun.code === 0 ? '' : `exit ${writeRun.code}\n${tail(writeRun.stderr)}`);
  {
    const changed = cacheUnchanged();
    const newer = await run('find', [tree, '-newer', marker, '-print']);
    const newerList = newer.stdout.trim();
    check(
      'cache tree untouched by --write (sha256 of the ten files, no newer file)',
      changed.length === 0 && newerList === '',
      [changed.length ? `changed: ${changed.join(' ')}` : '', newerList ? `newer than the run's start:\n${newerList}` : ''].filter(Boolean).join('\n'),
    );
  }
  {
    // Replaced files have a single link; files written in place would still share the cache's inode.
    const single = await run('find', ['.', '-type', 'f', '-links', '1', '-print'], { cwd: copy });
    const replaced = single.stdout
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^\.\//, ''))
      .sort();
    check('--write replaced exactly the ten files (temp + rename)', sameList(replaced, EXPECTED_FILES), sameList(replaced, EXPECTED_FILES) ? '' : listDifference(EXPECTED_FILES, replaced));
    const modes = EXPECTED_FILES.filter((f) => existsSync(join(copy, f)) && statSync(join(copy, f)).mode !== statSync(join(tree, f)).mode);
    check('--write keeps file modes', modes.length === 0, modes.join(' '));
  }

  // --write == git apply of the diff (on real copies of just the ten files).
  {
    const applied = join(work, 'applied');
    for (const f of EXPECTED_FILES) {
      mkdirSync(dirname(join(applied, f)), { recursive: true });
      copyFileSync(join(tree, f), join(applied, f));
    }
    const r = await run('git', ['apply', diffPath], { cwd: applied, env: gitEnv(applied) });
    if (check('git apply of the diff on a copy of the ten files', r.code === 0, r.code === 0 ? '' : r.stderr.trim())) {
      const differ = EXPECTED_FILES.filter((f) => !readFileSync(join(applied, f)).equals(readFileSync(join(copy, f))));
      check('--write gives the same bytes as applying the diff', differ.length === 0, differ.join(' '));
    }
  }

  // Idempotence.
  {
    const again = await kmigrate(['run', CODEMOD, '-C', copy, '--format', 'diff']);
    timing('second run', again.ms);
    check(
      'second run on the written tree: empty diff, exit 0',
      again.code === 0 && again.stdout === '',
      again.code === 0 && again.stdout === '' ? '' : `exit ${again.code}\n${tail(again.stdout, 20)}\n${tail(again.stderr, 10)}`,
    );
  }

  // The migrated objects build, with no new warnings.
  for (const arch of ['x86_64', 'arm64']) {
    if (!prepared[arch]) {
      skip(`build ${arch} after the migration`, 'no prepared build dir / no baseline');
      continue;
    }
    const b = await kb.buildObjects({ srcDir: copy, buildDir: prepared[arch], arch, objects: OBJECTS[arch] });
    timing(`build ${arch} after`, b.ms);
    const failed = b.results.filter((r) => !r.ok);
    check(
      `build ${arch} after the migration`,
      b.ok,
      b.ok ? OBJECTS[arch].join(' ') : failed.map((r) => `${r.object}:\n${r.errors.join('\n')}`).join('\n'),
    );
    const before = baseline[arch].results.flatMap((r) => r.warnings);
    const after = b.results.flatMap((r) => r.warnings);
    const added = kb.compareWarnings(before, after);
    check(`no new warnings on ${arch}`, added.length === 0, added.length ? `${added.length} new:\n${added.join('\n')}` : `${after.length} warnings before and after`);
  }
}

// ---------------------------------------------------------------------------
// format-patch and validate-series, on a git checkout of the tree
//
// <cache>/work/test-kernel/git-tree: a real copy of the cache tree with one
// commit (branch kmigrate-base), kept between runs while it is intact.
//   - format-patch (single, --split): checkpatch.pl 0/0 on each file, commit
//     message included; git am on fresh branches from the base; the results
//     equal --write's; each --split step builds for x86_64 and arm64 with no
//     new warnings (out-of-tree build dirs <cache>/build/git-<arch>, sources
//     in the checkout itself, which holds no in-tree build artifacts).
//   - validate-series against the cache tree: the --split series (without and
//     with --build) and the single patch pass; two bad series written here
//     from the good patch fail with the right patch and place; the cache tree
//     is byte-identical afterwards. validate-series keeps its build copy and
//     build dirs in $XDG_CACHE_HOME/kmigrate/series: test:kernel points
//     XDG_CACHE_HOME at <cache>/work/test-kernel/xdg, so that they are its own
//     (under its lock) and apart from <cache>/build/<arch>.

/** A fingerprint of the tree a git checkout is made from: its Makefile and the ten files. */
function treeStamp(tree) {
  const h = createHash('sha256');
  for (const f of ['Makefile', ...EXPECTED_FILES]) h.update(`${f}\0`).update(readFileSync(join(tree, f))).update('\0');
  return `linux-source-6.1 tree ${h.digest('hex').slice(0, 24)}`;
}

function patchFilesIn(dir) {
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.patch')).sort() : [];
}

async function checkpatchFile(srcTree, file) {
  const r = await run('perl', [join(srcTree, 'scripts', 'checkpatch.pl'), '--no-tree', '--color=never', file], { cwd: srcTree });
  const m = /total: (\d+) errors, (\d+) warnings/.exec(r.stdout);
  return { errors: m ? Number(m[1]) : -1, warnings: m ? Number(m[2]) : -1, output: r.stdout + r.stderr, ms: r.ms };
}

async function changedBetween(dir, from, to) {
  const r = await git(dir, ['diff', '--name-only', from, to]);
  return r.stdout.split('\n').filter(Boolean).sort();
}

async function gitClean(dir) {
  const r = await git(dir, ['status', '--porcelain', '--ignored']);
  return r.code === 0 && r.stdout === '' ? '' : `git status --porcelain --ignored:\n${tail(r.stdout + r.stderr, 10)}`;
}

/** Run validate-series --format json; { code, json, stdout, stderr, ms }. */
async function validateSeries(base, inputs, extra, env) {
  const r = await run(process.execPath, [CLI, 'validate-series', CODEMOD, ...inputs, '-C', base, '--format', 'json', ...extra], {
    cwd: REPO,
    env,
  });
  let json;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = undefined;
  }
  return { ...r, json };
}

/** One line per patch and the final block of a validate-series report, for the log. */
function seriesSummary(v) {
  if (!v.json) return `exit ${v.code}; no JSON on stdout\n${tail(v.stdout, 10)}\n${tail(v.stderr, 10)}`;
  const j = v.json;
  const lines = [`exit ${v.code}, verdict ${j.verdict}`];
  for (const p of j.patches ?? []) {
    lines.push(`[${p.index}] ${p.subject}: applies ${p.applies}, consistent ${p.consistent}, build ${p.build}${p.buildNote ? ` (${p.buildNote})` : ''}`);
    for (const q of p.problems ?? []) lines.push(`    ${q.path}:${q.line} ${q.code}: ${q.message}`);
  }
  const f = j.final ?? {};
  lines.push(`final: complete ${f.complete}, equivalent ${f.equivalent}, differsFromKmigrate ${(f.differsFromKmigrate ?? []).length}`);
  for (const q of f.problems ?? []) lines.push(`    ${q.path}:${q.line} ${q.code}: ${q.message}`);
  return lines.join('\n');
}

/** A series that passes: exit 0, verdict pass, `count` patches each applying, consistent and built as `build` says, a clean final. */
function seriesPasses(v, count, build) {
  const j = v.json;
  if (v.code !== 0 || !j || j.verdict !== 'pass' || !Array.isArray(j.patches) || j.patches.length !== count) return false;
  const patchesOk = j.patches.every((p) => p.applies === true && p.consistent === true && p.build === build && (p.problems ?? []).length === 0);
  const f = j.final ?? {};
  return patchesOk && f.complete === true && f.equivalent === true && (f.problems ?? []).length === 0 && (f.differsFromKmigrate ?? []).length === 0;
}

async function seriesChecks({ cache, tree, work, copy, kb, options }) {
  console.log('--- format-patch and validate-series on a git checkout of the tree');
  const gitTree = join(work, 'git-tree');
  const g = (gitArgs) => git(gitTree, gitArgs);

  // The git checkout.
  let checkout;
  try {
    checkout = await ensureGitCheckout(tree, gitTree, treeStamp(tree));
    timing(`git checkout${checkout.reused ? ' (reused)' : ''}`, checkout.ms);
    check(
      'git checkout of the tree (cp -a, git add -f -A, one commit)',
      true,
      `${gitTree} at ${checkout.commit.slice(0, 12)}: ${checkout.reused ? 'reused' : `made anew (${checkout.why.split('\n')[0]})`}`,
      checkout.ms,
    );
  } catch (err) {
    check('git checkout of the tree (cp -a, git add -f -A, one commit)', false, err.message);
    return;
  }
  const baseCommit = checkout.commit;
  {
    const tracked = await g(['ls-files']);
    const n = tracked.stdout.split('\n').filter(Boolean).length;
    const missing = EXPECTED_FILES.filter((f) => !tracked.stdout.includes(`${f}\n`));
    check('the checkout tracks the whole tree (not emptied by Debian\'s .gitignore)', n > 50000 && missing.length === 0, `${n} files tracked${missing.length ? `; not tracked: ${missing.join(' ')}` : ''}`);
  }

  // format-patch, one patch.
  const singleDir = join(work, 'format-patch-single');
  let single;
  {
    const r = await kmigrate(['format-patch', CODEMOD, '-C', gitTree, '-o', singleDir]);
    timing('format-patch', r.ms);
    const files = patchFilesIn(singleDir);
    const ok = r.code === 0 && files.length === 1 && files[0].startsWith('0001-');
    if (ok) single = join(singleDir, files[0]);
    const hasBase = single ? readFileSync(single, 'utf8').includes(`base-commit: ${baseCommit}`) : false;
    check(
      'format-patch: exit 0, one 0001-*.patch',
      ok,
      ok ? `${files[0]}${hasBase ? ', base-commit of the checkout' : ', NO base-commit line for the checkout'}` : `exit ${r.code}, files: ${files.join(' ') || 'none'}\n${tail(r.stderr)}`,
      r.ms,
    );
    const dirty = await gitClean(gitTree);
    check('format-patch leaves the checkout clean', dirty === '', dirty);
  }
  if (single) {
    const c = await checkpatchFile(gitTree, single);
    check('checkpatch.pl --no-tree on the patch file (message included): 0 errors, 0 warnings', c.errors === 0 && c.warnings === 0, c.errors === 0 && c.warnings === 0 ? '' : c.output, c.ms);
  }

  // git am of the single patch on a fresh branch; the result equals --write's.
  let singleApplied = false;
  if (single) {
    await g(['am', '--abort']);
    const co = await g(['checkout', '-q', '-f', '-B', 'am-single', baseCommit]);
    const am = co.code === 0 ? await g(['am', '-q', single]) : co;
    singleApplied = check('git am of the patch on a fresh branch from the base', am.code === 0, am.code === 0 ? '' : (am.stdout + am.stderr).trim(), am.ms);
    if (singleApplied) {
      const changed = await changedBetween(gitTree, baseCommit, 'HEAD');
      const author = (await g(['log', '-1', '--format=%an <%ae>'])).stdout.trim();
      const want = `${GIT_IDENTITY.name} <${GIT_IDENTITY.email}>`;
      const folded = /^From: [^\n]*\n[ \t]/m.test(readFileSync(single, 'utf8'));
      check('git am reads the author back from the From: header', author === want, `${author}${folded ? ' (a folded From: header)' : ''}`);
      check('the commit changes exactly the ten files', sameList(changed, EXPECTED_FILES), sameList(changed, EXPECTED_FILES) ? '' : listDifference(EXPECTED_FILES, changed));
      const differ = EXPECTED_FILES.filter((f) => !existsSync(join(copy, f)) || !readFileSync(join(gitTree, f)).equals(readFileSync(join(copy, f))));
      check('git am result equals run --write, byte for byte (the ten files)', differ.length === 0, differ.length ? `differ: ${differ.join(' ')}` : '');
    }
  }

  // format-patch --split.
  const splitDir = join(work, 'format-patch-split');
  let splitPatches = [];
  {
    const co = await g(['checkout', '-q', '-f', baseCommit]);
    const r = co.code === 0 ? await kmigrate(['format-patch', CODEMOD, '-C', gitTree, '-o', splitDir, '--split']) : { ...co, stderr: `git checkout of the base: ${co.stderr}` };
    timing('format-patch --split', r.ms);
    const files = patchFilesIn(splitDir);
    const want = ['0000-', '0001-', '0002-', '0003-'];
    const ok = r.code === 0 && files.length === 4 && files.every((f, i) => f.startsWith(want[i])) && files[0] === '0000-cover-letter.patch';
    if (ok) splitPatches = files.slice(1).map((f) => join(splitDir, f));
    check('format-patch --split: exit 0, a cover letter and three patches', ok, ok ? files.slice(1).join(' ') : `exit ${r.code}, files: ${files.join(' ') || 'none'}\n${tail(r.stderr)}`, r.ms);
    for (const p of splitPatches) {
      const c = await checkpatchFile(gitTree, p);
      const name = p.slice(splitDir.length + 1);
      check(`checkpatch.pl --no-tree ${name}: 0 errors, 0 warnings`, c.errors === 0 && c.warnings === 0, c.errors === 0 && c.warnings === 0 ? '' : c.output, c.ms);
    }
  }

  // The checkout's own build dirs, and the base's warnings.
  const tools = kb.ensureBuildTools(['x86_64', 'arm64']);
  const gitBuild = {};
  for (const arch of tools.ok ? ['x86_64', 'arm64'] : []) {
    const buildDir = join(cache, 'build', `git-${arch}`);
    const p = await kb.prepareBuild({ srcDir: gitTree, buildDir, arch, options: options(arch) });
    timing(`prepare git-${arch}${p.reused ? ' (reused)' : ''}`, p.ms);
    if (!check(`prepare ${arch} for the checkout (${buildDir})`, p.ok, p.ok ? (p.reused ? 'reused' : '') : tail(p.log), p.ms)) continue;
    const b = await kb.buildObjects({ srcDir: gitTree, buildDir, arch, objects: OBJECTS[arch] });
    timing(`build git-${arch} base`, b.ms);
    const failed = b.results.filter((x) => !x.ok);
    if (
      check(
        `build ${arch} of the checkout's base`,
        b.ok,
        b.ok ? `${b.results.length} objects, ${b.results.reduce((n, x) => n + x.warnings.length, 0)} warnings` : failed.map((x) => `${x.object}: ${x.errors.join('; ')}`).join('\n'),
        b.ms,
      )
    ) {
      gitBuild[arch] = { buildDir, warnings: b.results.flatMap((x) => x.warnings), config: kb.readBuildConfig(buildDir) };
    }
  }
  if (!tools.ok) skip('builds of the --split steps', `missing: ${tools.missing.join(' ')}`);

  // git am of the --split series, one patch at a time, each step built.
  if (splitPatches.length === 3) {
    await g(['am', '--abort']);
    const co = await g(['checkout', '-q', '-f', '-B', 'am-split', baseCommit]);
    let previous = baseCommit;
    let applied = co.code === 0;
    if (!applied) check('git checkout -B am-split at the base', false, co.stderr.trim());
    for (const [i, patch] of splitPatches.entries()) {
      if (!applied) break;
      const step = `--split step ${i + 1}/3`;
      const am = await g(['am', '-q', patch]);
      applied = check(`git am ${step} (${patch.slice(splitDir.length + 1)})`, am.code === 0, am.code === 0 ? '' : (am.stdout + am.stderr).trim(), am.ms);
      if (!applied) break;
      const head = (await g(['rev-parse', 'HEAD'])).stdout.trim();
      const files = await changedBetween(gitTree, previous, head);
      previous = head;
      console.log(`  ${step} changes: ${files.join(' ')}`);
      for (const arch of Object.keys(gitBuild)) {
        const { buildDir, warnings, config } = gitBuild[arch];
        const plan = kb.planObjects(files, arch, { srcDir: gitTree, config, candidates: EXPECTED_FILES });
        const objects = [...new Set([...OBJECTS[arch], ...plan.objects])];
        const b = await kb.buildObjects({ srcDir: gitTree, buildDir, arch, objects });
        timing(`build git-${arch} step ${i + 1}`, b.ms);
        const failed = b.results.filter((x) => !x.ok);
        check(
          `build ${arch} after ${step}`,
          b.ok,
          b.ok ? `${objects.length} objects` : failed.map((x) => `${x.object}:\n${x.errors.join('\n')}`).join('\n'),
          b.ms,
        );
        const added = kb.compareWarnings(warnings, b.results.flatMap((x) => x.warnings));
        check(`no new warnings on ${arch} after ${step}`, added.length === 0, added.length ? `${added.length} new:\n${added.join('\n')}` : '');
      }
    }
    if (applied) {
      const count = (await g(['rev-list', '--count', `${baseCommit}..HEAD`])).stdout.trim();
      check('the --split series is three commits on the base', count === '3', `${count} commits`);
      if (singleApplied) {
        const d = await g(['diff', '--stat', 'am-single', 'HEAD']);
        check('the --split series ends in the same tree as the single patch', d.code === 0 && d.stdout === '', d.stdout.trim() || d.stderr.trim());
      } else {
        const differ = EXPECTED_FILES.filter((f) => !existsSync(join(copy, f)) || !readFileSync(join(gitTree, f)).equals(readFileSync(join(copy, f))));
        check('the --split series ends in the same files as run --write', differ.length === 0, differ.join(' '));
      }
    }
    const dirty = await gitClean(gitTree);
    const artifacts = IN_TREE_BUILD_ARTIFACTS.filter((a) => existsSync(join(gitTree, a)));
    check('the builds left the checkout clean (no in-tree artifacts)', dirty === '' && artifacts.length === 0, [dirty, artifacts.join(' ')].filter(Boolean).join('\n'));
  }

  // validate-series, against the cache tree itself.
  const xdg = join(work, 'xdg');
  const seriesWork = join(xdg, 'kmigrate', 'series');
  const env = { ...process.env, XDG_CACHE_HOME: xdg };
  const sums = new Map(EXPECTED_FILES.map((f) => [f, sha(join(tree, f))]));
  const marker = join(work, '.before-validate-series');
  writeFileSync(marker, '');
  console.log(`validate-series -C ${tree}; its --build work dir: ${seriesWork}`);

  if (splitPatches.length === 3) {
    const v = await validateSeries(tree, [splitDir], [], env);
    timing('validate-series --split', v.ms);
    check('validate-series on the --split directory: exit 0, verdict pass', seriesPasses(v, 3, 'skipped'), seriesSummary(v), v.ms);
    const vb = await validateSeries(tree, [splitDir], ['--build'], env);
    timing('validate-series --split --build', vb.ms);
    check('validate-series --build on the --split directory: exit 0, verdict pass, each patch built', seriesPasses(vb, 3, 'pass'), seriesSummary(vb), vb.ms);
    const dirs = ['x86_64', 'arm64'].map((a) => kb.buildDirName(a, options(a)));
    const used = dirs.filter((d) => existsSync(join(seriesWork, 'build', d, '.config')));
    check(
      'validate-series --build worked in its own dirs (not <cache>/build/<arch>)',
      used.length === 2 && existsSync(join(seriesWork, 'src', 'Makefile')),
      `${seriesWork}/{src,build/${dirs.join(',build/')}}${used.length === 2 ? '' : `; prepared: ${used.join(' ') || 'none'}`}`,
    );
  }
  if (single) {
    const v = await validateSeries(tree, [single], [], env);
    timing('validate-series single', v.ms);
    check('validate-series on the single patch: exit 0, verdict pass', seriesPasses(v, 1, 'skipped'), seriesSummary(v), v.ms);
  }

  // Two bad series, written from the good single patch.
  if (single) {
    const text = readFileSync(single, 'utf8');
    let parts;
    try {
      parts = splitMailPatch(text);
    } catch (err) {
      check('the single patch reads as message + sections', false, err.message);
    }
    if (parts) {
      // (a) The API first: include/linux/iommu.h alone, then the rest.
      const apiDir = join(work, 'bad-api-first');
      mkdirSync(apiDir, { recursive: true });
      const api = parts.sections.filter((s) => s.path === 'include/linux/iommu.h');
      const rest = parts.sections.filter((s) => s.path !== 'include/linux/iommu.h');
      writeFileSync(
        join(apiDir, '0001-iommu-Change-the-SVA-bind-API.patch'),
        joinMailPatch({ ...parts, message: setSubject(parts.message, '[PATCH 1/2] iommu: Change the SVA bind API'), sections: api }),
      );
      writeFileSync(
        join(apiDir, '0002-iommu-Convert-the-SVA-bind-users.patch'),
        joinMailPatch({ ...parts, message: setSubject(parts.message, '[PATCH 2/2] iommu: Convert the SVA bind users'), sections: rest }),
      );
      if (check('bad series (a) written: include/linux/iommu.h first, the rest second', api.length === 1 && rest.length === 9, `${api.length} + ${rest.length} file sections in ${apiDir}`)) {
        const v = await validateSeries(tree, [apiDir], [], env);
        timing('validate-series bad (a)', v.ms);
        const p1 = v.json?.patches?.[0];
        const ok = v.code === 1 && v.json?.verdict === 'fail' && p1?.consistent === false && (p1.problems ?? []).some((q) => q.path === 'include/linux/iommu.h');
        check('validate-series on (a) API first: exit 1, patch 1 inconsistent, a problem on include/linux/iommu.h', ok, seriesSummary(v), v.ms);
      }

      // (b) The flag dropped: IDXD's call passes 0 instead of IOMMU_SVA_BIND_SUPERVISOR.
      const dropDir = join(work, 'bad-drops-flag');
      mkdirSync(dropDir, { recursive: true });
      let replaced = 0;
      const sections = parts.sections.map((s) =>
        s.path !== 'drivers/dma/idxd/init.c'
          ? s
          : {
              ...s,
              text: s.text.replace(/^(\+.*)IOMMU_SVA_BIND_SUPERVISOR\);$/gm, (_, before) => {
                replaced++;
                return `${before}0);`;
              }),
            },
      );
      const dropFile = join(dropDir, '0001-iommu-sva-drops-the-flag.patch');
      writeFileSync(dropFile, joinMailPatch({ ...parts, sections }));
      if (check('bad series (b) written: drivers/dma/idxd/init.c passes 0 for the flag', replaced === 1, `${replaced} line(s) edited in ${dropFile}`)) {
        const v = await validateSeries(tree, [dropFile], [], env);
        timing('validate-series bad (b)', v.ms);
        const f = v.json?.final;
        const ok =
          v.code === 1 &&
          v.json?.verdict === 'fail' &&
          f?.equivalent === false &&
          (f.problems ?? []).some((q) => q.path === 'drivers/dma/idxd/init.c' && q.code !== 'differs-from-kmigrate');
        check('validate-series on (b) flag dropped: exit 1, final not equivalent, a problem on drivers/dma/idxd/init.c', ok, seriesSummary(v), v.ms);
      }
    }
  }

  // The base tree afterwards.
  {
    const changed = EXPECTED_FILES.filter((f) => sha(join(tree, f)) !== sums.get(f));
    const newer = await run('find', [tree, '-newer', marker, '-print']);
    const newerList = newer.stdout.trim();
    check(
      'base tree byte-identical after validate-series (sha256 of the ten files, no newer file)',
      changed.length === 0 && newerList === '' && newer.code === 0,
      [changed.length ? `changed: ${changed.join(' ')}` : '', newerList ? `newer than the first validate-series:\n${tail(newerList, 20)}` : ''].filter(Boolean).join('\n'),
      newer.ms,
    );
  }
}

try {
  await main();
  if (ctx.tree && ctx.kb && ctx.work && existsSync(CLI)) await seriesChecks(ctx);
} catch (err) {
  check('test:kernel ran to the end', false, err instanceof Error ? (err.stack ?? err.message) : String(err));
}
finish();
