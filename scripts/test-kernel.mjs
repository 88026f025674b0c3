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
//     --no-build   do not run the build first (use dist/ as it is)
//
// The checks of the second part live in lib/test-kernel-series.mjs, the
// expectations in lib/test-kernel-expect.mjs, the reporting in
// lib/test-kernel-report.mjs.
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureKernelTree, kernelCacheDir } from './lib/kernel.mjs';
import { ensureBuildPackages } from './lib/packages.mjs';
import { run, secs, which } from './lib/proc.mjs';
import { CLI, CODEMOD, EXPECTED_FILES, KBUILD, KEPT_IN_WORK, kmigrate, REGISTRY, OBJECTS, REPO } from './lib/test-kernel-expect.mjs';
import { check, diffFiles, finish, gitEnv, listDifference, sameList, sha, skip, tail, timing } from './lib/test-kernel-report.mjs';
import { seriesChecks } from './lib/test-kernel-series.mjs';

const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');

/** What main() found and made, for the format-patch / validate-series checks that follow it. */
const ctx = {};

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
      // tsc, the prebuilt migration files and the bundle the CLI runs (npm run build).
      const r = await run('npm', ['run', '--silent', 'build'], { cwd: REPO });
      timing('build', r.ms);
      check('TypeScript build', r.code === 0, r.code === 0 ? '' : `npm run build exit ${r.code}\n${tail(r.stdout + r.stderr, 20)}`);
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
    // What the migration asks to be built in (meta.kconfig: NAME or NAME=y) must be =y.
    const builtIn = (meta.kconfig?.[arch] ?? []).filter((o) => !/=[mn]$/.test(o)).map((o) => o.replace(/^CONFIG_/, '').replace(/=y$/, ''));
    const unset = builtIn.filter((o) => config.get(o) !== 'y');
    check(
      `${arch} .config builds the migration's drivers in (its kconfig)`,
      builtIn.length > 0 && unset.length === 0,
      builtIn.length === 0 ? `the migration asks for no option on ${arch}` : unset.length ? `not =y: ${unset.join(' ')}` : builtIn.map((o) => `CONFIG_${o}=y`).join(' '),
    );
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

try {
  await main();
  if (ctx.tree && ctx.kb && ctx.work && existsSync(CLI)) await seriesChecks(ctx);
} catch (err) {
  check('test:kernel ran to the end', false, err instanceof Error ? (err.stack ?? err.message) : String(err));
}
finish();
