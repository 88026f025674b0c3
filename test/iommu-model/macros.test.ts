import { describe, expect, it } from 'vitest';
import { evaluate, lexC, parseIntegerLiteral, parseTokens, showExpr, type SymExpr } from '../../iommu-model/c-expr.js';
import { buildMacroTable, evaluateMacro, parseCExpression } from '../../iommu-model/macros.js';

function value(e: SymExpr): bigint {
  const r = evaluate(e);
  if (!r.ok) throw new Error(r.why);
  return r.value.value;
}

function constantOf(text: string, sources: Array<{ path: string; text: string }> = []): bigint {
  const r = parseCExpression(text, buildMacroTable(sources));
  if (!r.ok) throw new Error(r.why);
  expect(r.expr.op).toBe('const');
  return value(r.expr);
}

describe('integer literals and constant folding', () => {
  it('reads suffixes, bases and char literals', () => {
    expect(parseIntegerLiteral('1UL')).toEqual({ value: 1n, type: { bits: 64, unsigned: true } });
    expect(parseIntegerLiteral('0x10')?.value).toBe(16n);
    expect(parseIntegerLiteral('017')?.value).toBe(15n);
    expect(parseIntegerLiteral("'A'")?.value).toBe(65n);
    expect(parseIntegerLiteral('0xffffffff')?.type).toEqual({ bits: 32, unsigned: true });
    expect(parseIntegerLiteral('1.5')).toBeUndefined();
  });

  it('folds shifts, ors, casts and wraps like C', () => {
    expect(constantOf('(1UL << 3) | 1')).toBe(9n);
    expect(constantOf('-1U')).toBe(0xffffffffn);
    expect(constantOf('(unsigned int)-1')).toBe(0xffffffffn);
    expect(constantOf('(u8)0x1ff')).toBe(0xffn);
    expect(constantOf('~0U & 0xf0')).toBe(0xf0n);
    expect(constantOf('1 ? 2 : 3')).toBe(2n);
  });

  it('keeps run-time values as symbols named by their text', () => {
    const r = parseTokens(lexC('ctx -> flags | f(a, b)')!);
    expect(r.ok && showExpr(r.expr)).toBe('ctx->flags | f(a,b)');
  });

  it('refuses what it cannot evaluate, with a reason', () => {
    expect(parseCExpression('sizeof(int)', buildMacroTable([]))).toMatchObject({ ok: false });
    expect(parseCExpression('*p', buildMacroTable([]))).toMatchObject({ ok: false });
    expect(parseCExpression('x = 1', buildMacroTable([]))).toMatchObject({ ok: false });
  });
});

describe("the tree's own #defines", () => {
  it('evaluates BIT(n) through a chain of definitions', () => {
    const bits = { path: 'include/linux/bits.h', text: '#define BIT(nr)\t\t(1UL << (nr))\n' };
    const svm = { path: 'include/linux/intel-svm.h', text: '#define SVM_FLAG_SUPERVISOR_MODE\tBIT(0)\n#define SVM_FLAG_TWO BIT(1) /* c */\n' };
    expect(constantOf('SVM_FLAG_SUPERVISOR_MODE', [bits, svm])).toBe(1n);
    expect(constantOf('SVM_FLAG_SUPERVISOR_MODE | SVM_FLAG_TWO', [bits, svm])).toBe(3n);
  });

  it('follows the kernel’s real BIT: UL(), _UL(), _AC() and token pasting', () => {
    const sources = [
      { path: 'include/uapi/linux/const.h', text: '#ifdef __ASSEMBLY__\n#define _AC(X,Y)\tX\n#else\n#define __AC(X,Y)\t(X##Y)\n#define _AC(X,Y)\t__AC(X,Y)\n#endif\n#define _UL(x)\t\t(_AC(x, UL))\n' },
      { path: 'include/vdso/const.h', text: '#define UL(x)\t\t(_UL(x))\n' },
      { path: 'include/vdso/bits.h', text: '#define BIT(nr)\t\t\t(UL(1) << (nr))\n' },
    ];
    const r = parseCExpression('BIT(5)', buildMacroTable(sources));
    expect(r.ok && r.expr).toMatchObject({ op: 'const', value: 32n, type: { bits: 64, unsigned: true } });
  });

  it('marks a macro with different definitions under undecidable conditions as ambiguous', () => {
    const table = buildMacroTable([{ path: 'x.h', text: '#ifdef CONFIG_FOO\n#define FLAG 1\n#else\n#define FLAG 2\n#endif\n' }]);
    const r = evaluateMacro('FLAG', table);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.why).toContain('several definitions');
  });

  it('lets the file’s own definitions win over the headers’', () => {
    const table = buildMacroTable([{ path: 'a.h', text: '#define F 1\n' }]).extend(buildMacroTableDefinitions('#define F 4\n'));
    const r = evaluateMacro('F', table);
    expect(r.ok && value(r.expr)).toBe(4n);
  });

  it('stringifies and handles variadic macros without crashing', () => {
    const table = buildMacroTable([{ path: 'v.h', text: '#define FIRST(a, ...) (a)\n#define S(x) #x\n' }]);
    expect(evaluateMacro('FIRST', table)).toMatchObject({ ok: true });
    const r = parseCExpression('FIRST(3, 4, 5)', table);
    expect(r.ok && value(r.expr)).toBe(3n);
  });

  it('reports an undefined macro', () => {
    expect(evaluateMacro('IOMMU_SVA_BIND_SUPERVISOR', buildMacroTable([]))).toMatchObject({ ok: false });
  });
});

import { macroDefinitions } from '../../iommu-model/macros.js';
import { parseC } from '../../codemods/c/index.js';

function buildMacroTableDefinitions(text: string) {
  return macroDefinitions(parseC(text), 'file.c');
}
