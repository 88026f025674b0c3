// The tree's .c/.h bytes per unit (top-level folders, and drivers/*
// subfolders), to choose the paths holding ~1/4 and ~1/2 of a tree for the
// scaling figure of scripts/bench.mjs; and the least-squares line through it.
import { lstatSync } from 'node:fs';

/**
 * Walk `tree` once with `walkTree` (the project's walker, from dist/) and
 * sum the .c/.h bytes per unit: each top-level folder, and each entry of
 * drivers/. Top-level files count in the total only. Links are not
 * followed, as kmigrate does not follow them; a folder below the top that
 * cannot be listed counts nothing.
 */
export function treeUnits(tree, walkTree) {
  const byUnit = new Map();
  let total = 0;
  walkTree(tree, {
    file(rel, abs) {
      if (!rel.endsWith('.c') && !rel.endsWith('.h')) return;
      const bytes = lstatSync(abs).size;
      total += bytes;
      const parts = rel.split('/');
      if (parts.length === 1) return;
      const unit = parts[0] === 'drivers' ? `drivers/${parts[1]}` : parts[0];
      const u = byUnit.get(unit) ?? byUnit.set(unit, { path: unit, bytes: 0, files: 0 }).get(unit);
      u.bytes += bytes;
      u.files++;
    },
    unreadable(rel, err) {
      if (rel === '.' || rel === 'drivers') throw err;
    },
  });
  return { units: [...byUnit.values()].filter((u) => u.bytes > 0).sort((a, b) => b.bytes - a.bytes), total };
}

/**
 * Greedy by size: starting from `base` (a smaller set, so that the sets are
 * nested), take each unit, biggest first, that does not overshoot `target`.
 */
export function pickPaths(units, target, base = { paths: [], bytes: 0, files: 0 }) {
  const chosen = [...base.paths];
  let { bytes, files } = base;
  for (const u of units) {
    if (chosen.includes(u.path) || bytes + u.bytes > target) continue;
    chosen.push(u.path);
    bytes += u.bytes;
    files += u.files;
  }
  return { paths: chosen.sort(), bytes, files };
}


/** Least squares y = a + b x: { interceptS: a, sPerGB: b, r2 }. */
export function fitLine(xs, ys) {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0);
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const syy = ys.reduce((a, y) => a + (y - my) ** 2, 0);
  const slope = sxy / sxx;
  return { interceptS: my - slope * mx, sPerGB: slope, r2: (sxy * sxy) / (sxx * syy) };
}
