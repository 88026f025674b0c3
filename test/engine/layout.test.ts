import { describe, expect, it } from 'vitest';
import { collect, parseC } from '../../codemods/c/index.js';
import { applyEdits } from '../../codemods/engine/edits.js';
import { deleteDeclarator, deleteLineRanges, wholeLines, wrapListEdits } from '../../codemods/engine/layout.js';

function argList(text: string, callee: string) {
  const root = parseC(text).rootNode;
  const call = collect(root, (n) => n.type === 'call_expression' && n.childForFieldName('function')?.text === callee)[0]!;
  return call.childForFieldName('arguments')!;
}

describe('wrapListEdits', () => {
  it('wraps a call that grows past 80 columns under the open parenthesis (tabs, then spaces)', () => {
    const text = 'int f(void)\n{\n\tsva = iommu_sva_bind_device(&idxd->pdev->dev, NULL, &flags);\n}\n';
    const list = argList(text, 'iommu_sva_bind_device');
    const arg = list.namedChildren[2]!;
    const e = { start: arg.startIndex, end: arg.endIndex, text: 'IOMMU_SVA_BIND_SUPERVISOR' };
    const out = applyEdits(text, [e, ...wrapListEdits(text, list, [e])]);
    expect(out).toBe(
      'int f(void)\n{\n\tsva = iommu_sva_bind_device(&idxd->pdev->dev, NULL,\n\t\t\t\t    IOMMU_SVA_BIND_SUPERVISOR);\n}\n',
    );
  });

  it('leaves a line alone when it still fits in 80 columns', () => {
    const text = 'void g(void)\n{\n\th = iommu_sva_bind_device(dev, mm, NULL);\n}\n';
    const list = argList(text, 'iommu_sva_bind_device');
    const arg = list.namedChildren[2]!;
    expect(wrapListEdits(text, list, [{ start: arg.startIndex, end: arg.endIndex, text: '0' }])).toEqual([]);
  });

  it('breaks a multi-line list only before the edited item', () => {
    const text = 'void g(void)\n{\n\thandle = some_function_name(first_argument,\n\t\t\t\t    second_argument_that_is_long, &flags);\n}\n';
    const list = argList(text, 'some_function_name');
    const arg = list.namedChildren[2]!;
    const e = { start: arg.startIndex, end: arg.endIndex, text: 'IOMMU_SVA_BIND_SUPERVISOR' };
    const out = applyEdits(text, [e, ...wrapListEdits(text, list, [e])]);
    expect(out).toContain('second_argument_that_is_long,\n\t\t\t\t    IOMMU_SVA_BIND_SUPERVISOR);');
  });
});

describe('line deletion', () => {
  it('deletes a declaration and an assignment without leaving a double blank line', () => {
    const text = 'int f(void)\n{\n\tint flags;\n\tint x;\n\n\tflags = 1;\n\n\treturn g(x);\n}\n';
    const root = parseC(text).rootNode;
    const body = collect(root, (n) => n.type === 'compound_statement')[0]!;
    const [decl, , stmt] = body.namedChildren;
    const ranges = [wholeLines(text, decl!.startIndex, decl!.endIndex)!, wholeLines(text, stmt!.startIndex, stmt!.endIndex)!];
    expect(applyEdits(text, deleteLineRanges(text, ranges))).toBe('int f(void)\n{\n\tint x;\n\n\treturn g(x);\n}\n');
  });

  it('removes only one declarator from a multi-declarator line', () => {
    for (const [src, want] of [
      ['\tint a, flags, b;\n', '\tint a, b;\n'],
      ['\tint flags, b;\n', '\tint b;\n'],
      ['\tint a, flags;\n', '\tint a;\n'],
    ] as const) {
      const text = `void f(void)\n{\n${src}}\n`;
      const root = parseC(text).rootNode;
      const decl = collect(root, (n) => n.type === 'declaration')[0]!;
      const d = decl.childrenForFieldName('declarator').find((x) => x.text === 'flags')!;
      const res = deleteDeclarator(text, decl, d)!;
      expect(applyEdits(text, res.edits)).toBe(`void f(void)\n{\n${want}}\n`);
    }
  });

  it('refuses a whole-line deletion when other code shares the line', () => {
    const text = 'void f(void) { int flags; g(); }\n';
    const root = parseC(text).rootNode;
    const decl = collect(root, (n) => n.type === 'declaration')[0]!;
    expect(wholeLines(text, decl.startIndex, decl.endIndex)).toBeNull();
  });
});
