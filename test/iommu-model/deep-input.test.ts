// No recursion whose depth the input controls: a long flat expression, deep
// blocks and a long macro chain give `unknown` or a plain answer, never a
// stack overflow (exit 3).
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, forEachNamed, parseC } from '../../codemods/c/index.js';
import { lexC, parseTokens } from '../../iommu-model/c-expr.js';
import { buildMacroTable, expandMacros } from '../../iommu-model/macros.js';
import { runCli } from '../helpers/cli.js';

const DEMO = join(import.meta.dirname, '../../samples/iommu-sva-bind-flags/demo/before');
const TERMS = 8000;
const sum = (name: string) => Array.from({ length: TERMS }, () => name).join(' + ');

function deepTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'kmigrate-deep-'));
  cpSync(DEMO, root, { recursive: true });
  const open = '\t{'.repeat(3000);
  const close = '}'.repeat(3000);
  writeFileSync(
    join(root, 'drivers/deep.c'),
    `#include <linux/iommu.h>

static int deep(struct device *dev, int a)
{
\tint x;
\tstruct iommu_sva *sva;

\tx = ${sum('a')};
\tsva = iommu_sva_bind_device(dev, current->mm, NULL);
\treturn x + (sva ? 1 : 0);
}

static int deeper(struct device *dev, unsigned int flags)
{
${open} flags = flags | ${sum('flags')}; ${close}
\treturn PTR_ERR_OR_ZERO(iommu_sva_bind_device(dev, NULL, &flags));
}
`,
  );
  return root;
}

describe('input-controlled depth', () => {
  it('walks an 8,000-level syntax tree without recursion', () => {
    const tree = parseC(`int x = ${sum('a')};\n`);
    expect(collect(tree.rootNode, (n) => n.type === 'identifier')).toHaveLength(TERMS + 1);
    let n = 0;
    forEachNamed(tree.rootNode, () => void n++);
    expect(n).toBeGreaterThan(2 * TERMS);
  });

  it('the expression parser and the macro expander give up with a reason', () => {
    const r = parseTokens(lexC(sum('a'))!);
    expect(r).toMatchObject({ ok: false, why: expect.stringMatching(/nested more than \d+ deep/) });
    const parens = parseTokens(lexC('('.repeat(5000) + '1' + ')'.repeat(5000))!);
    expect(parens.ok).toBe(false);
    const chain = Array.from({ length: 5000 }, (_, i) => `#define M${i} (M${i + 1} + 1)`).join('\n') + '\n#define M5000 1\n';
    const expanded = expandMacros(lexC('M0')!, buildMacroTable([{ path: 'chain.h', text: chain }]));
    expect(expanded).toMatchObject({ ok: false, why: expect.stringMatching(/nested more than \d+ deep|does not terminate/) });
  });

  it('run --format json and check answer (no stack overflow, no exit 3)', async () => {
    const root = deepTree();
    const json = await runCli(['run', 'iommu-sva-bind-flags', '-C', root, '--format', 'json', '--jobs', '1']);
    expect(json.stderr).not.toMatch(/RangeError|internal error/);
    expect(json.code).toBeLessThan(2);
    JSON.parse(json.stdout);
    const check = await runCli(['check', 'iommu-sva-bind-flags', '-C', root]);
    expect(check.stderr + check.stdout).not.toMatch(/RangeError|internal error/);
    expect(check.code).toBeLessThan(2);
  });
});
