#!/usr/bin/env node
// npm run build, last: the command as ES modules plus chunks loaded on
// demand (dist/bundle/kmigrate.js, package.json's bin), made by esbuild from
// tsc's output. Node loads an ES module graph file by file, each read,
// resolved and compiled apart: `run` is about 60 modules, and loading them
// one by one held the main thread about 25 ms longer before the walk could
// start (bench/README.md).
//
// What the worker threads load is bundled too, as entries of the same build
// (their code shares the command's chunks): the worker script, the module
// that builds a migration file again in a thread (kit/worker-entry.js), and
// each bundled migration's TypeScript steps (the modules the registry's
// bundledExtensions name). Unbundled, a worker took 45 to 104 ms to load
// its code instead of 24 to 36 (bench/README.md, 2026-12-02).
//
// A module finds what ships beside it (its worker script, the migration
// files, the prebuilt validator, package.json) from import.meta.url. In the
// bundle each use becomes the URL of the compiled module it came from,
// written relative to the bundle's own URL (`new URL('../codemods/…',
// import.meta.url).href`), so that dist can move as a whole; but a module
// that is an entry is its entry's file (`./scan-worker.js`), and so is
// `new URL('./x.js', import.meta.url)` naming one: the workers load the
// bundle, never the compiled module beside it (which would load every
// module it imports a second time). All files of the bundle are in one
// folder, so a URL relative to the bundle is right in each of them.
//
// Usage: node scripts/bundle.mjs [dist-dir [out-dir]] (default: dist and dist/bundle).
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundle `dist`'s command into `outdir` (emptied first); returns the entry's path. */
export async function bundle(dist = join(REPO, 'dist'), outdir = join(dist, 'bundle')) {
  const entries = await entryPoints(dist);
  rmSync(outdir, { recursive: true, force: true });
  /** Entry name by compiled module. */
  const entryOf = new Map(Object.entries(entries).map(([name, file]) => [file, name]));
  const urlIn = (file) => (entryOf.has(file) ? `./${entryOf.get(file)}.js` : relative(outdir, file).split(sep).join('/'));
  const ownUrl = {
    name: 'module-url',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const contents = text.replace(/new URL\((["'])(\.\.?\/[^"']+)\1, import\.meta\.url\)|import\.meta\.url/g, (use, _q, rel) => {
          const target = rel === undefined ? undefined : resolve(dirname(args.path), rel);
          if (target !== undefined && entryOf.has(target)) return `new URL(${JSON.stringify(urlIn(target))}, import.meta.url)`;
          const own = `new URL(${JSON.stringify(urlIn(args.path))}, import.meta.url).href`;
          return rel === undefined ? own : use.replace('import.meta.url', own);
        });
        return { contents, loader: 'js' };
      });
    },
  };
  await build({
    entryPoints: entries,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Dependencies load from node_modules as they do unbundled (tree-sitter is native).
    packages: 'external',
    outdir,
    chunkNames: '[name]-[hash]',
    sourcemap: 'linked',
    plugins: [ownUrl],
    logLevel: 'warning',
  });
  return join(outdir, 'kmigrate.js');
}

/**
 * The bundle's entries, by name (the file each becomes in the bundle): the
 * command, and what worker threads load by URL.
 */
async function entryPoints(dist) {
  const codemods = join(dist, 'codemods');
  const entries = {
    kmigrate: join(codemods, 'cli', 'bin.js'),
    'scan-worker': join(codemods, 'engine', 'scan-worker.js'),
    'worker-entry': join(codemods, 'kit', 'worker-entry.js'),
  };
  const { bundledExtensions } = await import(pathToFileURL(join(codemods, 'registry.js')).href);
  for (const [id, ext] of bundledExtensions) {
    if (id in entries) throw new Error(`bundle: a bundled migration is named like an entry of the bundle: ${id}`);
    entries[id] = fileURLToPath(ext.module);
  }
  return entries;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dist, out] = process.argv.slice(2);
  await bundle(dist && resolve(dist), out && resolve(out));
}
