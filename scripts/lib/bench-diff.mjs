// What two tools' unified diffs of the same tree have in common, for
// scripts/bench.mjs: the files each changes and the lines each removes.

/** { file -> removed lines (trimmed) } of a unified diff. */
function diffRemovals(diff) {
  const files = new Map();
  let cur;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const path = line.slice(4).split('\t')[0].replace(/^b\//, '');
      cur = [];
      files.set(path, cur);
    } else if (line.startsWith('--- ') || line.startsWith('diff ') || line.startsWith('@@')) {
      // header
    } else if (cur && line.startsWith('-')) {
      const t = line.slice(1).trim();
      if (t) cur.push(t);
    }
  }
  return files;
}

export function compareDiffs(ours, theirs) {
  const a = diffRemovals(ours);
  const b = diffRemovals(theirs);
  const onlyOurs = [...a.keys()].filter((f) => !b.has(f)).sort();
  const onlyTheirs = [...b.keys()].filter((f) => !a.has(f)).sort();
  let common = 0;
  const linesOnlyOurs = [];
  const linesOnlyTheirs = [];
  for (const [f, la] of a) {
    const lb = [...(b.get(f) ?? [])];
    for (const l of la) {
      const i = lb.indexOf(l);
      if (i >= 0) {
        common++;
        lb.splice(i, 1);
      } else linesOnlyOurs.push(`${f}: ${l}`);
    }
    linesOnlyTheirs.push(...lb.map((l) => `${f}: ${l}`));
  }
  for (const [f, lb] of b) if (!a.has(f)) linesOnlyTheirs.push(...lb.map((l) => `${f}: ${l}`));
  return {
    filesKmigrate: a.size,
    filesOther: b.size,
    sameFiles: onlyOurs.length === 0 && onlyTheirs.length === 0,
    filesOnlyKmigrate: onlyOurs,
    filesOnlyOther: onlyTheirs,
    removedLinesCommon: common,
    removedLinesOnlyKmigrate: linesOnlyOurs,
    removedLinesOnlyOther: linesOnlyTheirs,
  };
}

