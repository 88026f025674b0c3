// The unified diff of a run, `git apply`-able at the tree's root.
import type { FileResult, RunResult } from '../../engine/types.js';
import { unifiedDiff } from '../../patch/diff.js';
import type { Paint } from '../colour.js';

export function renderDiff(result: RunResult, made?: FileDiffs): string {
  return result.files
    .filter((f) => f.status === 'changed')
    .map((f) => made?.get(f) ?? unifiedDiff(f.path, f.before!, f.after!))
    .join('');
}

/**
 * File diffs made while a run goes on (RunOptions.onFileResult), each kept
 * with the texts it was made from: `get` gives it only for a result with the
 * same path and texts, so a file reported again differently is diffed anew.
 */
export class FileDiffs {
  private readonly made = new Map<string, { before: string; after: string; diff: string }>();

  add(f: FileResult): void {
    if (f.status !== 'changed') return;
    this.made.set(f.path, { before: f.before!, after: f.after!, diff: unifiedDiff(f.path, f.before!, f.after!) });
  }

  get(f: FileResult): string | undefined {
    const m = this.made.get(f.path);
    return m && m.before === f.before && m.after === f.after ? m.diff : undefined;
  }
}

/** Colour a diff as git does: headers bold, hunk heads cyan, added lines green, removed red (the plain paint: unchanged). */
export function colourDiff(diff: string, paint: Paint): string {
  return diff
    .split('\n')
    .map((l) => {
      if (l.startsWith('diff --git') || l.startsWith('--- ') || l.startsWith('+++ ')) return paint.bold(l);
      if (l.startsWith('@@')) return paint.cyan(l);
      if (l.startsWith('+')) return paint.green(l);
      if (l.startsWith('-')) return paint.red(l);
      return l;
    })
    .join('\n');
}
