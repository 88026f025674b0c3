// A kernel tree with one very large C file, for scripts/bench-large.mjs:
// real driver code from the cached linux-source-6.1 (callers of the SVA bind
// API and platform drivers whose .remove returns int), copied again and again
// into drivers/big/big.c, each copy's own top-level names renamed (`_c7`) so
// that the file reads as one translation unit with no name defined twice.
// The headers the migrations read come from the same tree.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The driver files one copy holds: sites of iommu-sva-bind-flags, then of platform-remove-void. */
export const DRIVERS = [
  'drivers/misc/uacce/uacce.c',
  'drivers/dma/idxd/cdev.c',
  'drivers/dma/idxd/init.c',
  'drivers/i2c/busses/i2c-imx.c',
  'drivers/mmc/host/omap_hsmmc.c',
  'drivers/dma/imx-sdma.c',
];

/** Drivers for i2c-probe-drop-id: i2c drivers whose `.probe` reads its `id` (each with its id_table). */
export const I2C_DRIVERS = ['drivers/iio/accel/bma180.c', 'drivers/iio/adc/ad799x.c', 'drivers/iio/adc/mcp3422.c', 'drivers/iio/adc/ina2xx-adc.c'];

/** Headers copied as they are, so that the tree is a kernel tree (include/linux/) with the API's declarations. */
export const HEADERS = ['include/linux/iommu.h', 'include/linux/intel-svm.h', 'include/linux/uacce.h', 'include/linux/platform_device.h'];

/** The i2c tree's header (its own tree: the default one is left as it was measured). */
export const I2C_HEADERS = ['include/linux/i2c.h'];

/**
 * The names a file defines at the top level (looking into #if blocks): its
 * functions, variables and #defines. `c` is dist/'s codemods/c module.
 */
function topLevelNames(text, c) {
  const names = new Set();
  const visit = (node) => {
    for (const child of node.namedChildren) {
      if (child.type.startsWith('preproc_if') || child.type === 'preproc_else' || child.type === 'preproc_elif') visit(child);
      else if (child.type === 'preproc_def' || child.type === 'preproc_function_def') {
        const n = child.childForFieldName('name');
        if (n) names.add(n.text);
      } else if (child.type === 'function_definition') {
        const n = c.declaratorName(child.childForFieldName('declarator'));
        if (n) names.add(n.text);
      } else if (child.type === 'declaration' && child.childForFieldName('type')) {
        for (const d of child.childrenForFieldName('declarator')) {
          if (c.functionDeclaratorOf(d)) continue; // a prototype: renamed with its definition, if the file has one
          const n = c.declaratorName(d);
          if (n) names.add(n.text);
        }
      }
    }
  };
  visit(c.parseC(text).rootNode);
  return [...names].filter((n) => /^[A-Za-z_]\w*$/.test(n));
}

/** `text` with every word of `names` suffixed (`foo` → `foo_c7`). */
function renamed(text, names, suffix) {
  if (names.length === 0) return text;
  const re = new RegExp(`\\b(?:${names.sort((a, b) => b.length - a.length).join('|')})\\b`, 'g');
  return text.replace(re, (w) => `${w}${suffix}`);
}

/**
 * Write a tree at `dir` whose drivers/big/big.c is at least `bytes` long,
 * made of `drivers` (default DRIVERS; I2C_DRIVERS for i2c-probe-drop-id),
 * with `headers` copied. Returns { file, bytes, copies, sources }.
 */
export function makeLargeTree(kernel, dir, bytes, c, { drivers = DRIVERS, headers = HEADERS } = {}) {
  for (const h of headers) {
    mkdirSync(dirname(join(dir, h)), { recursive: true });
    copyFileSync(join(kernel, h), join(dir, h));
  }
  const sources = drivers.map((p) => {
    const text = readFileSync(join(kernel, p), 'utf8');
    return { path: p, text, names: topLevelNames(text, c) };
  });
  const parts = [];
  let size = 0;
  let copies = 0;
  while (size < bytes) {
    for (const s of sources) {
      const part = `/* copy ${copies} of ${s.path} */\n${renamed(s.text, s.names, `_c${copies}`)}\n`;
      parts.push(part);
      size += Buffer.byteLength(part);
    }
    copies++;
  }
  const file = join(dir, 'drivers/big/big.c');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, parts.join(''));
  return { file, bytes: size, copies, sources: sources.map((s) => s.path) };
}
