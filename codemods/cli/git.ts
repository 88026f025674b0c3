// What format-patch asks of git: the identity and the base commit of a tree.
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

/** user.name / user.email of the tree's git config, else GIT_AUTHOR_NAME / GIT_AUTHOR_EMAIL. */
export function gitIdentity(root: string, env: NodeJS.ProcessEnv = process.env): Identity | undefined {
  const name = git(root, ['config', 'user.name']) || env.GIT_AUTHOR_NAME;
  const email = git(root, ['config', 'user.email']) || env.GIT_AUTHOR_EMAIL;
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
