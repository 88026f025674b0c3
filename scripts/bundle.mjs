#!/usr/bin/env node
// npm run build, last: the command as one ES module plus chunks loaded on
// demand (dist/bundle/kmigrate.js, package.json's bin), made by esbuild from
// tsc's output. Node loads an ES module graph file by file, each read,
// resolved and compiled apart: `run` is about 60 modules, and loading them
// one by one held the main thread about 25 ms longer before the walk could
// start (bench/README.md). The worker threads still load the compiled
// modules (dist/codemods/…), which the bundle names by path.
//
// A module finds what ships beside it (its worker script, the migration
// files, the prebuilt validator, package.json) from import.meta.url. In the
// bundle each use becomes the URL of the compiled module it came from,
// written relative to the bundle's own URL (`new URL('../codemods/…',
// import.meta.url).href`), so that dist can move as a whole.
//
// Usage: node scripts/bundle.mjs [dist-dir [out-dir]] (default: dist and dist/bundle).
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundle `dist`'s command into `outdir` (emptied first); returns the entry's path. */
export async function bundle(dist = join(REPO, 'dist'), outdir = join(dist, 'bundle')) {
  const entry = join(dist, 'codemods', 'cli', 'bin.js');
  rmSync(outdir, { recursive: true, force: true });
  const ownUrl = {
    name: 'module-url',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const rel = relative(outdir, args.path).split(sep).join('/');
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'js' };
      });
    },
  };
  await build({
    entryPoints: { kmigrate: entry },
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

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dist, out] = process.argv.slice(2);
  await bundle(dist && resolve(dist), out && resolve(out));
}
