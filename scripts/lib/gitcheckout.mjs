// A git checkout of the read-only kernel tree, for what needs one
// (kmigrate format-patch, git am): a real copy (`cp -a`, not hard links: git
// writes files in place), one commit on the branch BASE_BRANCH, reused
// between runs while it is intact.
import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { run } from './proc.mjs';

export const BASE_BRANCH = 'kmigrate-base';
// Long enough that "From: name <email>" is folded in the patch header, as git
// format-patch folds it: git am and checkpatch.pl must read it back whole.
export const GIT_IDENTITY = { name: 'Kmigrate Test Kernel Harness For The Real Tree', email: 'test-kernel-harness@example.org' };

/** Files kbuild leaves in a source tree after an in-tree build; an O= build needs none of them. */
export const IN_TREE_BUILD_ARTIFACTS = ['.config', 'include/config', 'include/generated', 'arch/x86/include/generated', 'arch/arm64/include/generated'];

/** git in `dir`, never in an enclosing repository, never signing, with no auto gc. */
export function git(dir, args, opts = {}) {
  return run('git', ['-c', 'commit.gpgsign=false', '-c', 'gc.auto=0', ...args], {
    ...opts,
    cwd: dir,
    env: { ...process.env, GIT_CEILING_DIRECTORIES: dirname(dir), ...(opts.env ?? {}) },
  });
}

async function must(dir, args) {
  const r = await git(dir, args);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} in ${dir} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
  return r;
}

/** Why the checkout at `dir` cannot be reused, or undefined when it can (and is then on BASE_BRANCH, clean). */
async function reuseProblem(dir, stamp) {
  if (!existsSync(`${dir}/.git`)) return 'no checkout yet';
  const count = await git(dir, ['rev-list', '--count', BASE_BRANCH]);
  if (count.code !== 0 || count.stdout.trim() !== '1') return `${BASE_BRANCH} is missing or has more than one commit`;
  const msg = await git(dir, ['log', '-1', '--format=%B', BASE_BRANCH]);
  if (!msg.stdout.includes(stamp)) return 'made from another kernel tree';
  const before = await git(dir, ['status', '--porcelain', '--ignored']);
  if (before.code !== 0 || before.stdout !== '') return `the work tree is not clean:\n${before.stdout.split('\n').slice(0, 5).join('\n')}`;
  const co = await git(dir, ['checkout', '-q', BASE_BRANCH]);
  if (co.code !== 0) return `git checkout ${BASE_BRANCH}: ${co.stderr.trim()}`;
  const after = await git(dir, ['status', '--porcelain', '--ignored']);
  if (after.stdout !== '') return `not clean after git checkout ${BASE_BRANCH}`;
  const artifacts = IN_TREE_BUILD_ARTIFACTS.filter((a) => existsSync(`${dir}/${a}`));
  if (artifacts.length > 0) return `in-tree build artifacts: ${artifacts.join(' ')}`;
  return undefined;
}

/**
 * Make sure `dir` is a clean git checkout of `tree` on BASE_BRANCH, whose
 * single commit's message carries `stamp` (a fingerprint of the tree it was
 * made from). Reused when its base commit is there and the work tree is clean
 * (`git status --porcelain --ignored` empty, then `git checkout BASE_BRANCH`);
 * otherwise made anew: cp -a, git init, identity, `git add -f -A` (Debian's
 * top-level .gitignore ignores everything: without -f nothing is added),
 * commit. Returns { reused, why, commit, ms }.
 */
export async function ensureGitCheckout(tree, dir, stamp) {
  const started = performance.now();
  const why = await reuseProblem(dir, stamp);
  if (why === undefined) {
    await must(dir, ['config', 'user.name', GIT_IDENTITY.name]);
    await must(dir, ['config', 'user.email', GIT_IDENTITY.email]);
    const head = await must(dir, ['rev-parse', 'HEAD']);
    return { reused: true, why: '', commit: head.stdout.trim(), ms: performance.now() - started };
  }
  rmSync(dir, { recursive: true, force: true });
  const cp = await run('cp', ['-a', tree, dir]);
  if (cp.code !== 0) throw new Error(`cp -a ${tree} ${dir} failed: ${cp.stderr.trim()}`);
  const artifacts = IN_TREE_BUILD_ARTIFACTS.filter((a) => existsSync(`${dir}/${a}`));
  if (artifacts.length > 0) throw new Error(`the kernel tree ${tree} has in-tree build artifacts: ${artifacts.join(' ')}`);
  await must(dir, ['init', '-q', '-b', BASE_BRANCH]);
  await must(dir, ['config', 'user.name', GIT_IDENTITY.name]);
  await must(dir, ['config', 'user.email', GIT_IDENTITY.email]);
  await must(dir, ['config', 'gc.auto', '0']);
  await must(dir, ['-c', 'core.looseCompression=1', 'add', '-f', '-A']);
  await must(dir, ['commit', '-q', '-m', `base: ${stamp}`]);
  const status = await must(dir, ['status', '--porcelain', '--ignored']);
  if (status.stdout !== '') throw new Error(`the new checkout is not clean:\n${status.stdout.split('\n').slice(0, 5).join('\n')}`);
  const head = await must(dir, ['rev-parse', 'HEAD']);
  return { reused: false, why, commit: head.stdout.trim(), ms: performance.now() - started };
}
