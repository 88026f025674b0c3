// Module hooks for the engine's worker threads under the tests: an import
// of `x.js` (relative, or a file: URL such as a migration's worker module)
// whose compiled file does not exist loads the source `x.ts` beside it,
// with its types stripped by esbuild (no type check: `npm test` runs tsc).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

/** The .ts source standing for a missing .js file, if there is one. */
function sourceFor(specifier, parentURL) {
  if (!/^(\.\.?\/|file:)/.test(specifier) || !specifier.endsWith('.js')) return undefined;
  const js = new URL(specifier, parentURL);
  if (js.protocol !== 'file:' || existsSync(fileURLToPath(js))) return undefined;
  const ts = new URL(js.href.replace(/\.js$/, '.ts'));
  return existsSync(fileURLToPath(ts)) ? ts : undefined;
}

export async function resolve(specifier, context, nextResolve) {
  const ts = sourceFor(specifier, context.parentURL);
  if (ts) return { url: ts.href, format: 'module', shortCircuit: true };
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const out = await transform(await readFile(path, 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022', sourcemap: 'inline', sourcefile: path });
  return { format: 'module', source: out.code, shortCircuit: true };
}
