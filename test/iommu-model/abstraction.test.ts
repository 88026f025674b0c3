import { describe, expect, it } from 'vitest';
import { parseC } from '../../codemods/c/index.js';
import { abstractCall, bindCalls, describeValues, type CallAbstraction, type ThirdArg } from '../../iommu-model/abstraction.js';
import { showExpr } from '../../iommu-model/c-expr.js';
import { buildMacroTable } from '../../iommu-model/macros.js';
import type { ReachingValue } from '../../iommu-model/reaching.js';

const HEADERS = [
  { path: 'include/linux/bits.h', text: '#define BIT(nr)\t(1UL << (nr))\n' },
  { path: 'include/linux/intel-svm.h', text: '#define SVM_FLAG_SUPERVISOR_MODE\tBIT(0)\n#define SVM_FLAG_OTHER\tBIT(3)\n' },
  { path: 'include/linux/iommu.h', text: '#define IOMMU_SVA_BIND_SUPERVISOR\tBIT(0)\n' },
];

/** Abstract the (first, or `index`-th) call of iommu_sva_bind_device in `body`, wrapped in a function. */
function site(body: string, opts: { params?: string; prelude?: string; index?: number } = {}): CallAbstraction {
  const text = `${opts.prelude ?? ''}\nint f(struct ctx *ctx, struct device *dev${opts.params ? ', ' + opts.params : ''})\n{\n${body}\n}\n`;
  const tree = parseC(text);
  const calls = bindCalls(tree);
  const call = calls[opts.index ?? 0];
  if (!call) throw new Error('no call in ' + text);
  return abstractCall({ call, tree, text, macros: buildMacroTable([...HEADERS, { path: 'f.c', text }]) });
}

/** The reaching values as `expr@line` strings (line relative to the body's first line). */
function values(rv: ReachingValue[]): string[] {
  return rv.map((v) => (v.kind === 'value' ? showExpr(v.expr) : `unknown: ${v.why}`));
}

function reachingOf(t: ThirdArg): ReachingValue[] {
  if (t.kind !== 'address' && t.kind !== 'value') throw new Error(`expected an address or a value, got ${JSON.stringify(t)}`);
  return t.reaching;
}

describe('the third argument', () => {
  it('NULL, (void *)0 and 0 are null, remembering whether they were written as pointers', () => {
    expect(site('return iommu_sva_bind_device(dev, NULL, NULL);').third).toMatchObject({ kind: 'null', pointerSyntax: true });
    expect(site('return iommu_sva_bind_device(dev, NULL, (void *)0);').third).toMatchObject({ kind: 'null', pointerSyntax: true });
    expect(site('return iommu_sva_bind_device(dev, NULL, 0);').third).toMatchObject({ kind: 'null', pointerSyntax: false });
  });

  it("a flag constant is evaluated from the tree's own macros", () => {
    expect(site('return iommu_sva_bind_device(dev, NULL, IOMMU_SVA_BIND_SUPERVISOR);').third).toMatchObject({ kind: 'constant', value: 1 });
    expect(site('return iommu_sva_bind_device(dev, NULL, (IOMMU_SVA_BIND_SUPERVISOR | SVM_FLAG_OTHER));').third).toMatchObject({ kind: 'constant', value: 9 });
    expect(site('return iommu_sva_bind_device(dev, NULL, 1 << 2);').third).toMatchObject({ kind: 'constant', value: 4 });
  });

  it('&flags with one reaching constant (the idxd shape)', () => {
    const c = site('\tint flags;\n\tstruct iommu_sva *sva;\n\n\tflags = SVM_FLAG_SUPERVISOR_MODE;\n\tsva = iommu_sva_bind_device(dev, NULL, &flags);\n\treturn 0;');
    expect(c.third).toMatchObject({ kind: 'address', target: { name: 'flags', scope: 'local', type: 'int', sizeBytes: 4, isInteger: true } });
    expect(values(reachingOf(c.third))).toEqual(['1']);
    expect(reachingOf(c.third)[0]?.line).toBe(7);
  });

  it('an initialiser is a reaching definition', () => {
    const c = site('\tunsigned int flags = SVM_FLAG_SUPERVISOR_MODE | SVM_FLAG_OTHER;\n\treturn iommu_sva_bind_device(dev, NULL, &flags) != NULL;');
    expect(values(reachingOf(c.third))).toEqual(['9']);
  });

  it('if/else gives one value per branch; an if without else keeps the earlier value', () => {
    const both = site('\tint flags;\n\tif (ctx->kernel)\n\t\tflags = SVM_FLAG_SUPERVISOR_MODE;\n\telse\n\t\tflags = 0;\n\treturn iommu_sva_bind_device(dev, NULL, &flags) != NULL;');
    expect(values(reachingOf(both.third))).toEqual(['1', '0']);
    const one = site('\tint flags = 0;\n\tif (ctx->kernel) {\n\t\tflags = SVM_FLAG_SUPERVISOR_MODE;\n\t}\n\treturn iommu_sva_bind_device(dev, NULL, &flags) != NULL;');
    expect(values(reachingOf(one.third))).toEqual(['1', '0']);
  });

  it('a branch that returns does not reach the call', () => {
    const c = site('\tint flags = 0;\n\tif (!ctx->kernel) {\n\t\tflags = 5;\n\t\treturn -EINVAL;\n\t}\n\tflags |= SVM_FLAG_SUPERVISOR_MODE;\n\treturn iommu_sva_bind_device(dev, NULL, &flags) != NULL;');
    expect(values(reachingOf(c.third))).toEqual(['1']);
  });

  it('a forward goto joins its state at the label', () => {
    const c = site('\tint flags = 0;\n\tif (ctx->kernel)\n\t\tgoto bind;\n\tflags = SVM_FLAG_OTHER;\nbind:\n\treturn iommu_sva_bind_device(dev, NULL, &flags) != NULL;');
    expect(values(reachingOf(c.third))).toEqual(['8', '0']);
  });

  it('a variable that is only known at run time stays a symbol', () => {
    const param = site('return iommu_sva_bind_device(dev, NULL, &mode) != NULL;', { params: 'unsigned int mode' });
    expect(param.third).toMatchObject({ kind: 'address', target: { scope: 'parameter' } });
    expect(values(reachingOf(param.third))).toEqual(['mode']);
    const field = site('return iommu_sva_bind_device(dev, NULL, &ctx->flags) != NULL;');
    expect(field.third).toMatchObject({ kind: 'address', target: { name: 'ctx->flags', scope: 'field' } });
    expect(values(reachingOf(field.third))).toEqual(['ctx->flags']);
    const local = site('\tunsigned int v = ctx->bind_flags | SVM_FLAG_OTHER;\n\treturn iommu_sva_bind_device(dev, NULL, v) != NULL;');
    expect(local.third).toMatchObject({ kind: 'value', target: { name: 'v' } });
    expect(values(reachingOf(local.third))).toEqual(['ctx->bind_flags | 8']);
  });

  it('a field assigned in the function before the call takes that value', () => {
    const c = site('\tctx->flags = SVM_FLAG_SUPERVISOR_MODE;\n\treturn iommu_sva_bind_device(dev, NULL, &ctx->flags) != NULL;');
    expect(values(reachingOf(c.third))).toEqual(['1']);
  });

  it('a call that takes the address may write the variable: its value becomes a run-time value', () => {
    const c = site('\tint flags = 0;\n\tread_flags(ctx, &flags);\n\treturn iommu_sva_bind_device(dev, NULL, &flags) != NULL;');
    expect(values(reachingOf(c.third))).toEqual(['flags']);
  });

  it('an address stored in a pointer makes the value unknown', () => {
    const c = site('\tint flags = 0;\n\tint *p = &flags;\n\t*p = 1;\n\treturn iommu_sva_bind_device(dev, NULL, &flags) != NULL;');
    expect(values(reachingOf(c.third)).at(-1)).toMatch(/^unknown: its address is stored/);
  });

  it('a variable declared without a value and never assigned is unknown', () => {
    const c = site('\tint flags;\n\treturn iommu_sva_bind_device(dev, NULL, &flags) != NULL;');
    expect(values(reachingOf(c.third))[0]).toMatch(/declared without a value/);
    const s = site('\tstatic int flags;\n\treturn iommu_sva_bind_device(dev, NULL, &flags) != NULL;');
    expect(values(reachingOf(s.third))).toEqual(['0']);
  });

  it('loops: values that settle are followed, values that keep changing are unknown', () => {
    const settle = site('\tint flags = 0, i;\n\tfor (i = 0; i < 4; i++)\n\t\tif (ctx->q[i])\n\t\t\tflags = SVM_FLAG_SUPERVISOR_MODE;\n\treturn iommu_sva_bind_device(dev, NULL, &flags) != NULL;');
    expect(values(reachingOf(settle.third)).sort()).toEqual(['0', '1']);
    const grow = site('\tint flags = 0;\n\twhile (ctx->more)\n\t\tflags = flags + 1;\n\treturn iommu_sva_bind_device(dev, NULL, &flags) != NULL;');
    expect(values(reachingOf(grow.third)).some((v) => v.includes('changes on every iteration'))).toBe(true);
  });

  it('a call inside a loop sees the values carried around the loop', () => {
    const c = site('\tint flags = 0;\n\twhile (ctx->more) {\n\t\tsva = iommu_sva_bind_device(dev, NULL, &flags);\n\t\tflags = SVM_FLAG_SUPERVISOR_MODE;\n\t}\n\treturn 0;', { prelude: 'struct iommu_sva *sva;' });
    expect(values(reachingOf(c.third)).sort()).toEqual(['0', '1']);
  });

  it('the bind itself does not write *drvdata: a bind at the end of a loop body keeps the value', () => {
    const c = site('\tint flags = SVM_FLAG_SUPERVISOR_MODE;\n\twhile (ctx->more) {\n\t\tctx->n++;\n\t\tsva = iommu_sva_bind_device(dev, NULL, &flags);\n\t}\n\treturn 0;', { prelude: 'struct iommu_sva *sva;' });
    expect(values(reachingOf(c.third))).toEqual(['1']);
  });

  it('switch: each case contributes its value', () => {
    const c = site('\tint flags;\n\tswitch (ctx->mode) {\n\tcase 1:\n\t\tflags = SVM_FLAG_SUPERVISOR_MODE;\n\t\tbreak;\n\tdefault:\n\t\tflags = 0;\n\t}\n\treturn iommu_sva_bind_device(dev, NULL, &flags) != NULL;');
    expect(values(reachingOf(c.third)).sort()).toEqual(['0', '1']);
  });

  it('pointers the model cannot see through', () => {
    expect(site('return iommu_sva_bind_device(dev, NULL, priv) != NULL;', { params: 'void *priv' }).third).toMatchObject({ kind: 'pointer' });
    expect(site('return iommu_sva_bind_device(dev, NULL, &ctx_copy) != NULL;', { prelude: 'static struct ctx ctx_copy;' }).third).toMatchObject({ kind: 'pointer' });
    expect(site('return iommu_sva_bind_device(dev, NULL, ctx) != NULL;').third).toMatchObject({ kind: 'pointer' });
  });

  it('unknown: an identifier the model cannot see', () => {
    const c = site('return iommu_sva_bind_device(dev, NULL, SOME_ENUM_VALUE) != NULL;');
    expect(c.third).toMatchObject({ kind: 'unknown' });
  });
});

describe('the mm argument', () => {
  it('current->mm, NULL and &init_mm', () => {
    expect(site('return iommu_sva_bind_device(dev, current->mm, 0) != NULL;').mm).toMatchObject({ kind: 'current-mm' });
    expect(site('return iommu_sva_bind_device(dev, NULL, 0) != NULL;').mm).toMatchObject({ kind: 'null-mm' });
    expect(site('return iommu_sva_bind_device(dev, &init_mm, 0) != NULL;').mm).toMatchObject({ kind: 'init-mm' });
  });

  it('an mm variable with its reaching values', () => {
    const c = site('\tstruct mm_struct *mm = NULL;\n\tif (ctx->user)\n\t\tmm = current->mm;\n\treturn iommu_sva_bind_device(dev, mm, 0) != NULL;');
    expect(c.mm).toMatchObject({ kind: 'mm-variable', name: 'mm', values: [{ value: { kind: 'current-mm' } }, { value: { kind: 'null' } }] });
    const param = site('return iommu_sva_bind_device(dev, mm, 0) != NULL;', { params: 'struct mm_struct *mm' });
    expect(param.mm).toMatchObject({ kind: 'mm-variable', values: [{ value: { kind: 'symbol', name: 'mm' } }] });
  });

  it('another expression is a run-time mm named by its text', () => {
    expect(site('return iommu_sva_bind_device(dev, get_task_mm(ctx->task), 0) != NULL;').mm).toMatchObject({ kind: 'mm-expression', name: 'get_task_mm(ctx->task)' });
  });
});

describe('call facts', () => {
  it('names the enclosing function, line and column, and counts arguments', () => {
    const c = site('\treturn iommu_sva_bind_device(dev, NULL) != NULL;');
    expect(c).toMatchObject({ function: 'f', line: 4, column: 9, argumentCount: 2 });
    expect(c.third.kind).toBe('unknown');
  });

  it('describes reaching values for reports', () => {
    const c = site('\tint flags = SVM_FLAG_SUPERVISOR_MODE;\n\treturn iommu_sva_bind_device(dev, NULL, &flags) != NULL;');
    expect(describeValues(reachingOf(c.third))).toBe('{ 1 (line 4) }');
  });
});
