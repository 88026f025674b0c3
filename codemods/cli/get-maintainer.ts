// Who a patch goes to: the tree's own scripts/get_maintainer.pl, run as a
// maintainer would on a tarball (`--no-git`), its answer split into people
// (To:) and lists (Cc:). The script costs a fraction of a second a run, so
// runs are shared: patches whose files have the same answer key (the same
// MAINTAINERS sections at the same depths, the same keywords) reuse one
// answer, two runs go at a time, and answers are kept on disk under the
// cache, keyed by the script, MAINTAINERS and .mailmap.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/write.js';
import type { Maintainers } from '../patch/maintainers.js';

export const GET_MAINTAINER = 'scripts/get_maintainer.pl';
export const GET_MAINTAINER_FLAGS = ['--no-git', '--no-rolestats', '--no-git-fallback'];

export interface Recipients {
  to: string[];
  cc: string[];
}

function runScript(root: string, files: readonly string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile('perl', [GET_MAINTAINER, ...GET_MAINTAINER_FLAGS, '-f', ...files], { cwd: root, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${GET_MAINTAINER} -f ${files.join(' ')}: ${String(stderr).trim().split('\n')[0] || err.message}`));
      else resolvePromise(String(stdout));
    });
  });
}

export class MaintainerLookup {
  private readonly memo = new Map<string, Promise<string[]>>();
  private readonly disk: Record<string, string[]>;
  private readonly diskFile: string | undefined;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  runs = 0;
  reused = 0;

  constructor(
    private readonly root: string,
    private readonly maintainers: Maintainers,
    private readonly read: (path: string) => string | undefined,
    cacheDir: string | undefined,
    private readonly parallel = 2,
  ) {
    const id = createHash('sha256');
    for (const f of [GET_MAINTAINER, 'MAINTAINERS', '.mailmap']) id.update(existsSync(join(root, f)) ? readFileSync(join(root, f)) : '-').update('\0');
    id.update(GET_MAINTAINER_FLAGS.join(' '));
    this.diskFile = cacheDir ? join(cacheDir, `${id.digest('hex').slice(0, 24)}.json`) : undefined;
    let disk: Record<string, string[]> = {};
    try {
      if (this.diskFile && existsSync(this.diskFile)) disk = JSON.parse(readFileSync(this.diskFile, 'utf8')) as Record<string, string[]>;
    } catch {
      disk = {};
    }
    this.disk = disk;
  }

  static available(root: string): boolean {
    return existsSync(join(root, GET_MAINTAINER)) && existsSync(join(root, 'MAINTAINERS'));
  }

  /** The recipients of a patch touching `files`. */
  async recipients(files: readonly string[]): Promise<Recipients> {
    const sorted = [...files].sort();
    const key = sorted.map((f) => this.maintainers.answerKey(f, this.read(f))).join(' | ');
    let answer = this.memo.get(key);
    if (answer) this.reused++;
    else {
      const cached = this.disk[key];
      answer = cached ? Promise.resolve(cached) : this.limited(() => runScript(this.root, sorted)).then((out) => this.remember(key, out));
      this.memo.set(key, answer);
    }
    const lines = await answer;
    const to: string[] = [];
    const cc: string[] = [];
    for (const l of lines) (this.maintainers.isList(l) ? cc : to).push(l);
    return { to, cc };
  }

  private remember(key: string, out: string): string[] {
    this.runs++;
    const lines = out
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.includes('@'));
    this.disk[key] = lines;
    // Kept as it goes: an interrupted run leaves its answers for the next.
    if (this.runs % 100 === 0) this.save();
    return lines;
  }

  /** Write the answers for the next run (atomically). */
  save(): void {
    if (!this.diskFile) return;
    mkdirSync(join(this.diskFile, '..'), { recursive: true });
    writeFileAtomic(this.diskFile, JSON.stringify(this.disk), { create: 0o666 });
  }

  private async limited<T>(fn: () => Promise<T>): Promise<T> {
    while (this.running >= this.parallel) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
