// What format-patch asks of git: the identities and the base commit of a tree.
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export interface Identity {
  name: string;
  email: string;
}

/**
 * The author (`role: 'author'`, the mail's From:) or the committer (the
 * Signed-off-by of format-patch --signoff), in git's order: the environment
 * (GIT_AUTHOR_NAME / GIT_COMMITTER_NAME ...) first, then `author.name` or
 * `committer.name` in the tree's git config, then `user.name`, then the
 * EMAIL variable for the address. Each of name and email is looked up on
 * its own, as git does.
 */
export function gitIdentity(root: string, env: NodeJS.ProcessEnv = process.env, role: 'author' | 'committer' = 'author'): Identity | undefined {
  const upper = role.toUpperCase();
  const config = (key: string): string | undefined => git(root, ['config', key]) || undefined;
  const name = env[`GIT_${upper}_NAME`] || config(`${role}.name`) || config('user.name');
  const email = env[`GIT_${upper}_EMAIL`] || config(`${role}.email`) || config('user.email') || env.EMAIL;
  return name && email ? { name, email } : undefined;
}

/** HEAD's commit when `root` is the top of a git work tree. */
export function baseCommit(root: string): string | undefined {
  const top = git(root, ['rev-parse', '--show-toplevel']);
  if (!top || realpathSync(top) !== realpathSync(root)) return undefined;
  return git(root, ['rev-parse', '--verify', '-q', 'HEAD']);
}

/** The author date: GIT_AUTHOR_DATE (epoch seconds or ISO), SOURCE_DATE_EPOCH, or now. */
export function authorDate(env: NodeJS.ProcessEnv = process.env): Date {
  const raw = env.GIT_AUTHOR_DATE ?? env.SOURCE_DATE_EPOCH;
  if (raw) {
    const epoch = /^@?(\d+)(\s|$)/.exec(raw);
    const d = epoch ? new Date(Number(epoch[1]) * 1000) : new Date(raw);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return new Date();
}
