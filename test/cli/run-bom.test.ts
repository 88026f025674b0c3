// A UTF-8 byte order mark is part of the file: kept in the diff's context,
// in the `index` line's hash, and in what --write writes.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, parseC } from '../../codemods/c/index.js';
import { makeTree, runCli } from '../helpers/cli.js';
import { CALLER, HEADER } from '../helpers/iommu-tree.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const withBom = Buffer.concat([BOM, Buffer.from(CALLER)]);

describe('a UTF-8 BOM', () => {
  it('is kept by the decoder, and tree-sitter offsets still index the text', () => {
    const text = decodeUtf8(withBom)!;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(Buffer.from(text, 'utf8')).toEqual(withBom);
    const tree = parseC(text);
    expect(tree.rootNode.hasError).toBe(false);
    const call = text.indexOf('iommu_sva_bind_device');
    expect(tree.rootNode.descendantForIndex(call, call + 5).text).toBe('iommu_sva_bind_device');
  });

  it('stays in the diff (git apply takes it, the index line is the blob hash) and in the written file', async () => {
    const root = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': withBom });
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', root, '--jobs', '1']);
    expect(r.code).toBe(0);
    execFileSync('git', ['apply', '--check', '-'], { cwd: root, input: r.stdout });
    const blob = execFileSync('git', ['hash-object', 'drivers/misc/demo.c'], { cwd: root, encoding: 'utf8' }).trim();
    const index = /diff --git a\/drivers\/misc\/demo\.c[^\n]*\nindex ([0-9a-f]+)\.\./.exec(r.stdout)![1]!;
    expect(blob.startsWith(index)).toBe(true);
    const w = await runCli(['run', 'iommu-sva-bind-flags', '-C', root, '--jobs', '1', '--write']);
    expect(w.code).toBe(0);
    const written = readFileSync(join(root, 'drivers/misc/demo.c'));
    expect(written.subarray(0, 3)).toEqual(BOM);
    expect(written.toString('utf8')).toContain('iommu_sva_bind_device(dev, current->mm, 0)');
  });
});
