// Era detection: which API a tree speaks, read from that tree's own
// prototype of iommu_sva_bind_device in include/linux/iommu.h (third
// parameter `void *` → drvdata, `unsigned int` → flags), with the supervisor
// flag's value from that tree's own #defines; and an after-tree call that
// still speaks the old API.
import { forEachNamed, parseC, paramShape, functionDeclaratorOf, declaratorName, parameters, type Tree } from '../codemods/c/index.js';
import { BIND_FUNCTION, type CallAbstraction } from './abstraction.js';
import { evaluateMacro, type MacroTable } from './macros.js';
import type { TreeInput as TreeSource } from './model-shape.js';

export const IOMMU_HEADER = 'include/linux/iommu.h';

export interface EraInfo {
  kind: 'drvdata' | 'flags' | 'unknown';
  /** The bit VT-d tests for a supervisor bind in this tree. */
  supervisorFlag: number;
  /** The macro it came from, or null when the model's default BIT(0) was used. */
  supervisorMacro: string | null;
  /** `include/linux/iommu.h:669`: where the third parameter's type was read. */
  source: string | null;
  /** The third parameter as written: `void *drvdata`, `unsigned int flags`. */
  parameter: string | null;
  why?: string;
}

export interface Problem {
  path: string;
  line: number;
  severity: 'error' | 'note';
  code: string;
  message: string;
}

/** The API era of a tree, from the prototype(s) in include/linux/iommu.h. */
export function eraOf(tree: TreeSource, macros: MacroTable, problems: Problem[] = [], name = 'the'): EraInfo {
  const unknown = (why: string): EraInfo => ({ kind: 'unknown', supervisorFlag: 1, supervisorMacro: null, source: null, parameter: null, why });
  const text = tree.read(IOMMU_HEADER);
  if (text === undefined) return unknown(`${IOMMU_HEADER} is missing from the ${name} tree`);
  const found = prototypesIn(parseC(text));
  if (found.length === 0) return unknown(`${IOMMU_HEADER} of the ${name} tree declares no ${BIND_FUNCTION}()`);
  const kinds = new Set(found.map((f) => f.kind));
  const first = found[0]!;
  if (kinds.size > 1) {
    const list = found.map((f) => `line ${f.line}: ${f.parameter}`).join('; ');
    problems.push({ path: IOMMU_HEADER, line: first.line, severity: 'error', code: 'inconsistent-prototypes', message: `the ${name} tree declares ${BIND_FUNCTION}() with different third parameters (${list})` });
  }
  if (first.kind === 'unknown') return { ...unknown(`the third parameter '${first.parameter}' is neither void * nor unsigned int`), source: `${IOMMU_HEADER}:${first.line}`, parameter: first.parameter };
  const macro = first.kind === 'drvdata' ? 'SVM_FLAG_SUPERVISOR_MODE' : 'IOMMU_SVA_BIND_SUPERVISOR';
  const value = evaluateMacro(macro, macros);
  let supervisorFlag = 1;
  let supervisorMacro: string | null = null;
  if (value.ok && value.expr.op === 'const') {
    supervisorFlag = Number(BigInt.asUintN(32, value.expr.value));
    supervisorMacro = macro;
  } else if (first.kind === 'flags' && !macros.has(macro)) {
    // The flags API without its flag: callers that use it do not build.
    problems.push({ path: IOMMU_HEADER, line: first.line, severity: 'error', code: 'missing-supervisor-flag', message: `the ${name} tree has the flags API but does not define ${macro}` });
  } else if (first.kind === 'flags') {
    // Defined, but through macros this tree does not hold (a small tree
    // without BIT()): the same assumption as for the old flag, said as a note.
    problems.push({ path: IOMMU_HEADER, line: first.line, severity: 'note', code: 'supervisor-flag-assumed', message: `${macro} does not evaluate in the ${name} tree (${value.ok ? 'not a constant' : value.why}); the model assumes BIT(0)` });
  } else {
    // Said where the flag is defined, else at the prototype that makes it needed (never at line 0).
    const def = macros.lookup(macro);
    const at = def?.kind === 'defined' ? { path: def.definition.path, line: def.definition.line } : { path: IOMMU_HEADER, line: first.line };
    problems.push({ path: at.path, line: at.line, severity: 'note', code: 'missing-supervisor-flag', message: `${macro} does not evaluate in the ${name} tree (${value.ok ? 'not a constant' : value.why}); the model assumes BIT(0)` });
  }
  return { kind: first.kind, supervisorFlag, supervisorMacro, source: `${IOMMU_HEADER}:${first.line}`, parameter: first.parameter };
}

/** Every declaration or definition of iommu_sva_bind_device, with its third parameter's kind. */
function prototypesIn(tree: Tree): Array<{ line: number; kind: EraInfo['kind']; parameter: string }> {
  const out: Array<{ line: number; kind: EraInfo['kind']; parameter: string }> = [];
  forEachNamed(tree.rootNode, (n) => {
    if (n.type === 'declaration' || n.type === 'function_definition') {
      const decl = functionDeclaratorOf(n);
      if (decl && declaratorName(decl)?.text === BIND_FUNCTION) {
        const third = parameters(decl)[2];
        if (third) {
          const shape = paramShape(third);
          const base = shape.base.replace(/^const /, '');
          let kind: EraInfo['kind'] = 'unknown';
          if (base === 'void' && shape.pointerDepth === 1) kind = 'drvdata';
          else if (shape.pointerDepth === 0 && ['unsigned int', 'unsigned', 'u32', 'unsigned long'].includes(base)) kind = 'flags';
          out.push({ line: n.startPosition.row + 1, kind, parameter: third.text.replace(/\s+/g, ' ') });
        }
      }
    }
  });
  return out;
}

export function lineOfSource(source: string | null): number {
  return source ? Number(source.split(":")[1] ?? 1) : 1;
}

/** An after-tree call that still speaks the old API. */
export function checkAfterCall(p: string, call: CallAbstraction, era: EraInfo, problems: Problem[]): void {
  const t = call.third;
  let why: string | undefined;
  if (era.kind === 'drvdata') why = `the after tree's prototype still takes void *drvdata`;
  else if (era.kind === 'flags') {
    if (t.kind === 'null' && t.pointerSyntax) why = `passes the pointer ${t.text} where the prototype takes unsigned int flags`;
    else if (t.kind === 'address') why = `passes ${t.text}, an address, where the prototype takes unsigned int flags`;
    else if (t.kind === 'pointer') why = `passes ${t.text}, a pointer, where the prototype takes unsigned int flags`;
  }
  if (why) problems.push({ path: p, line: call.line, severity: 'error', code: 'old-api-call', message: `${BIND_FUNCTION}() call not migrated: ${why}` });
}
