// The tree's .c/.h bytes per unit (top-level folders, and drivers/*
// subfolders), to choose the paths holding ~1/4 and ~1/2 of a tree for the
// scaling figure of scripts/bench.mjs; and the least-squares line through it.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function sourceBytes(dir) {
  let bytes = 0;
  let files = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isSymbolicLink()) continue; // kmigrate does not follow them either
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile() && (e.name.endsWith('.c') || e.name.endsWith('.h'))) {
        bytes += lstatSync(p).size;
        files++;
      }
    }
  }
  return { bytes, files };
}

export function treeUnits(tree) {
  const units = [];
  let rootFiles = { bytes: 0, files: 0 };
  for (const e of readdirSync(tree, { withFileTypes: true })) {
    if (e.isSymbolicLink()) continue;
    if (e.isFile() && /\.[ch]$/.test(e.name)) {
      rootFiles.bytes += lstatSync(join(tree, e.name)).size;
      rootFiles.files++;
    }
    if (!e.isDirectory()) continue;
    if (e.name === 'drivers') {
      for (const d of readdirSync(join(tree, 'drivers'), { withFileTypes: true })) {
        if (d.isSymbolicLink()) continue;
        const p = join('drivers', d.name);
        if (d.isDirectory()) units.push({ path: p, ...sourceBytes(join(tree, p)) });
        else if (d.isFile() && /\.[ch]$/.test(d.name)) units.push({ path: p, bytes: lstatSync(join(tree, p)).size, files: 1 });
      }
    } else {
      units.push({ path: e.name, ...sourceBytes(join(tree, e.name)) });
    }
  }
  const total = units.reduce((a, u) => a + u.bytes, 0) + rootFiles.bytes;
  return { units: units.filter((u) => u.bytes > 0).sort((a, b) => b.bytes - a.bytes), total };
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
