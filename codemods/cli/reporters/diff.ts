// The unified diff of a run, `git apply`-able at the tree's root.
import type { RunResult } from '../../engine/types.js';
import { unifiedDiff } from '../../patch/diff.js';
import type { Paint } from '../colour.js';

export function renderDiff(result: RunResult): string {
  return result.files
    .filter((f) => f.status === 'changed')
    .map((f) => unifiedDiff(f.path, f.before!, f.after!))
    .join('');
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
