// test:kernel, second part (scripts/test-kernel.mjs): format-patch and
// validate-series on a git checkout of the tree.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureGitCheckout, git, GIT_IDENTITY, IN_TREE_BUILD_ARTIFACTS } from './gitcheckout.mjs';
import { joinMailPatch, setSubject, splitMailPatch } from './mailpatch.mjs';
import { run } from './proc.mjs';
import { CLI, CODEMOD, EXPECTED_FILES, kmigrate, OBJECTS, REPO } from './test-kernel-expect.mjs';
import { check, listDifference, sameList, sha, skip, tail, timing } from './test-kernel-report.mjs';

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

export async function seriesChecks({ cache, tree, work, copy, kb, options }) {
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
