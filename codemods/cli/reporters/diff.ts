// The unified diff of a run, `git apply`-able at the tree's root.
import type { RunResult } from '../../engine/types.js';
import { unifiedDiff } from '../../patch/diff.js';

export function renderDiff(result: RunResult): string {
  return result.files
    .filter((f) => f.status === 'changed')
    .map((f) => unifiedDiff(f.path, f.before!, f.after!))
    .join('');
}

/** Colour a diff for a terminal (only ever called when stdout is a TTY). */
export function colourDiff(diff: string): string {
  return diff
    .split('\n')
    .map((l) => {
      if (l.startsWith('diff --git') || l.startsWith('--- ') || l.startsWith('+++ ')) return `\x1b[1m${l}\x1b[0m`;
      if (l.startsWith('@@')) return `\x1b[36m${l}\x1b[0m`;
      if (l.startsWith('+')) return `\x1b[32m${l}\x1b[0m`;
      if (l.startsWith('-')) return `\x1b[31m${l}\x1b[0m`;
      return l;
    })
    .join('\n');
}
