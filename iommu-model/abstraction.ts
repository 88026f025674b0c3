// From the C of a call site to the abstract values of its arguments.
//
//	iommu_sva_bind_device(dev, current->mm, NULL)
//	                           ^ current-mm  ^ null
//	iommu_sva_bind_device(&idxd->pdev->dev, NULL, &flags)
//	                                        ^ null-mm ^ address of local `flags`,
//	                                                    reaching values { BIT(0) = 1 }
//	iommu_sva_bind_device(dev, mm, IOMMU_SVA_BIND_SUPERVISOR)
//	                           ^ mm-variable  ^ constant 1, from the tree's #defines
//
// Nothing here knows which API era the call belongs to: `&flags` is an
// address whatever the prototype says. check.ts decides what each value
// means to the model in each era.
import type { SyntaxNode, Tree } from '../codemods/c/index.js';
import { callArguments, forEachNamed, wordOccurrences, enclosingFunction, functionDeclaratorOf, declaratorName, isInsideError, LineIndex, statementOf } from '../codemods/c/index.js';
import { showExpr, symbolsOf, type SymExpr } from './c-expr.js';
import { parseCExpression, type MacroTable } from './macros.js';
import { declaredName, lvalueKey, reachingValues, reachingValuesOfExpression, runTimeValue, type ReachingValue } from './reaching.js';

export const BIND_FUNCTION = 'iommu_sva_bind_device';

/** What the model knows about the object an argument names or points at. */
export interface ObjectInfo {
  /** Normalised C text: `flags`, `ctx->flags`. */
  name: string;
  scope: 'local' | 'parameter' | 'global' | 'field' | 'undeclared';
  /** Declared type as written (`int`, `unsigned int`, `u32`), when the declaration was found. */
  type: string | null;
  pointerDepth: number;
  /** sizeof the object on a 64-bit kernel, when known. */
  sizeBytes: number | null;
  /** Integer-typed (true), not (false: struct, array, pointer), or not known (null: a field). */
  isInteger: boolean | null;
}

/** The abstract value of the third argument (`void *drvdata` or `unsigned int flags`). */
export type ThirdArg =
  /** `NULL`, `(void *)0` (pointerSyntax: true) or `0` (false). */
  | { kind: 'null'; text: string; pointerSyntax: boolean }
  /** An integer constant expression, evaluated from the tree's own macros: `IOMMU_SVA_BIND_SUPERVISOR`. */
  | { kind: 'constant'; text: string; value: number; expr: SymExpr }
  /** `&v`, `&ctx->flags`: the address of an object, and the values it may hold at the call. */
  | { kind: 'address'; text: string; target: ObjectInfo; reaching: ReachingValue[] }
  /** An integer value known only at run time, or through reaching definitions: `v`, `ctx->flags`, `a | b`. */
  | { kind: 'value'; text: string; target: ObjectInfo | null; reaching: ReachingValue[] }
  /** A pointer the model cannot see through: a pointer variable, a driver-private pointer. */
  | { kind: 'pointer'; text: string; why: string }
  | { kind: 'unknown'; text: string; why: string };

/** An address space, as the model names it. */
export type MmValue =
  | { kind: 'null' }
  | { kind: 'current-mm' }
  | { kind: 'init-mm' }
  /** A run-time mm: NULL or not, the same object on both sides of a comparison. */
  | { kind: 'symbol'; name: string }
  /** `test ? then : otherwise`: each arm under its condition, the test a run-time value like the flags. */
  | { kind: 'cond'; test: SymExpr; then: MmValue; otherwise: MmValue }
  | { kind: 'unknown'; why: string };

/** The abstract value of the mm argument. */
export type MmArg =
  | { kind: 'null-mm'; text: string }
  | { kind: 'current-mm'; text: string }
  | { kind: 'init-mm'; text: string }
  /** A variable or field holding an mm: the values it may hold at the call. */
  | { kind: 'mm-variable'; text: string; name: string; values: Array<{ value: MmValue; line: number | null }> }
  /** Another expression (a call, say): a run-time mm named by its text. */
  | { kind: 'mm-expression'; text: string; name: string }
  | { kind: 'unknown'; text: string; why: string };

export interface CallAbstraction {
  /** The enclosing function's name, or null at file scope. */
  function: string | null;
  line: number;
  column: number;
  text: string;
  argumentCount: number;
  /** True when the call, or the statement that holds it, has a tree-sitter ERROR or MISSING node. */
  parseError: boolean;
  mm: MmArg;
  third: ThirdArg;
}

export interface AbstractCallOptions {
  call: SyntaxNode;
  tree: Tree;
  text: string;
  macros: MacroTable;
  lines?: LineIndex;
}

/** Every call to iommu_sva_bind_device in a tree, in source order. */
export function bindCalls(tree: Tree): SyntaxNode[] {
  // From the name's occurrences in the text: a walk of every node from
  // JavaScript costs most of the model's time on a large file.
  const out: SyntaxNode[] = [];
  const root = tree.rootNode;
  for (const rel of wordOccurrences(root.text, BIND_FUNCTION)) {
    const at = root.startIndex + rel;
    const id = root.descendantForIndex(at, at + BIND_FUNCTION.length);
    const call = id.type === 'identifier' ? id.parent : null;
    if (call?.type === 'call_expression' && call.childForFieldName('function')?.id === id.id) out.push(call);
  }
  return out;
}

/** The name of the function that encloses `node`, or null. */
export function enclosingFunctionName(node: SyntaxNode): string | null {
  const fn = enclosingFunction(node);
  if (!fn) return null;
  const decl = functionDeclaratorOf(fn);
  return decl ? declaratorName(decl)?.text ?? null : null;
}

export function abstractCall(opts: AbstractCallOptions): CallAbstraction {
  const { call, macros } = opts;
  const lines = opts.lines ?? new LineIndex(opts.text);
  const pos = lines.position(call.startIndex);
  const args = callArguments(call);
  // An ERROR node in the call, around it, or elsewhere in its statement: the
  // statement may not be what it looks like.
  const parseError = isInsideError(call) || call.hasError || (statementOf(call)?.hasError ?? false);
  const fn = enclosingFunction(call);
  const base = { function: enclosingFunctionName(call), line: pos.line, column: pos.column, text: call.text, argumentCount: args.length, parseError };
  if (args.length !== 3) {
    const why = `the call has ${args.length} arguments, not 3`;
    return { ...base, mm: { kind: 'unknown', text: '', why }, third: { kind: 'unknown', text: '', why } };
  }
  const ctx: Context = { call, fn, root: opts.tree.rootNode, macros };
  return { ...base, mm: abstractMm(args[1]!, ctx), third: abstractThird(args[2]!, ctx) };
}

interface Context {
  call: SyntaxNode;
  fn: SyntaxNode | null;
  root: SyntaxNode;
  macros: MacroTable;
}

function strip(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChildren[0]!;
  return n;
}

// NULL    0    (void *)0    ((void *)0)
function nullForm(node: SyntaxNode, macros: MacroTable): { pointerSyntax: boolean } | undefined {
  const n = strip(node);
  if (n.type === 'null' || (n.type === 'identifier' && n.text === 'NULL')) return { pointerSyntax: true };
  if (n.type === 'number_literal') {
    const parsed = parseCExpression(n.text, macros);
    return parsed.ok && parsed.expr.op === 'const' && parsed.expr.value === 0n ? { pointerSyntax: false } : undefined;
  }
  if (n.type === 'cast_expression') {
    const value = n.childForFieldName('value');
    const type = n.childForFieldName('type');
    const inner = value ? nullForm(value, macros) : undefined;
    if (!inner) return undefined;
    return { pointerSyntax: inner.pointerSyntax || (type?.text.includes('*') ?? false) };
  }
  return undefined;
}

function abstractThird(node: SyntaxNode, ctx: Context): ThirdArg {
  const text = node.text;
  const n = strip(node);
  const nul = nullForm(n, ctx.macros);
  if (nul) return { kind: 'null', text, pointerSyntax: nul.pointerSyntax };

  // (void *)&flags: the cast does not change what is pointed at.
  if (n.type === 'cast_expression' && n.childForFieldName('type')?.text.includes('*')) {
    const value = n.childForFieldName('value');
    if (value && strip(value).type === 'pointer_expression') return { ...abstractThird(value, ctx), text };
  }

  // &flags    &ctx->flags
  if (n.type === 'pointer_expression' && n.child(0)?.type === '&') {
    const target = strip(n.childForFieldName('argument')!);
    const info = objectInfo(target, ctx);
    if (!info) return { kind: 'unknown', text, why: `the address of '${target.text}', which is not a variable or a field` };
    if (info.isInteger === false) return { kind: 'pointer', text, why: `the address of '${info.name}', which is not an integer (${describeType(info)})` };
    return { kind: 'address', text, target: info, reaching: valuesAt(info.name, ctx) };
  }

  // flags    ctx->flags    IOMMU_SVA_BIND_SUPERVISOR
  if (n.type === 'identifier' && ctx.macros.has(n.text)) return fromExpression(n, text, ctx);
  if (n.type === 'identifier' || n.type === 'field_expression') {
    const info = objectInfo(n, ctx);
    if (!info) return { kind: 'unknown', text, why: `'${n.text}' is not a variable, a field or a macro the model can see` };
    if (info.scope === 'undeclared') return { kind: 'unknown', text, why: `'${n.text}' is neither declared in the file nor a macro from the headers the model reads` };
    if (info.pointerDepth > 0 || info.isInteger === false) return { kind: 'pointer', text, why: `'${info.name}' is ${describeType(info)}; the model cannot see what it points at` };
    return { kind: 'value', text, target: info, reaching: valuesAt(info.name, ctx) };
  }
  return fromExpression(n, text, ctx);
}

/** Any other expression: constant-fold it, or follow the objects it reads. */
function fromExpression(n: SyntaxNode, text: string, ctx: Context): ThirdArg {
  const parsed = parseCExpression(n.text, ctx.macros);
  if (!parsed.ok) return { kind: 'unknown', text, why: `cannot evaluate '${n.text}': ${parsed.why}` };
  const expr = parsed.expr;
  if (expr.op === 'const') {
    if (expr.pointer) return expr.value === 0n ? { kind: 'null', text, pointerSyntax: true } : { kind: 'pointer', text, why: 'an integer cast to a pointer' };
    return { kind: 'constant', text, value: Number(BigInt.asUintN(32, expr.value)), expr };
  }
  const addresses = symbolsOf(expr).filter((s) => s.startsWith('&'));
  if (addresses.length > 0) return { kind: 'pointer', text, why: `computes with the address ${addresses[0]}` };
  if (!ctx.fn) return { kind: 'value', text, target: null, reaching: [{ kind: 'value', expr, text, line: null }] };
  return { kind: 'value', text, target: null, reaching: reachingValuesOfExpression({ fn: ctx.fn, at: ctx.call, macros: ctx.macros, expr, text: n.text }) };
}

function valuesAt(key: string, ctx: Context): ReachingValue[] {
  if (!ctx.fn) return [runTimeValue(key)];
  return reachingValues({ fn: ctx.fn, at: ctx.call, key, macros: ctx.macros });
}

// NULL    current->mm    &init_mm    mm    ctx->mm    get_task_mm(task)
function abstractMm(node: SyntaxNode, ctx: Context): MmArg {
  const text = node.text;
  const n = strip(node);
  if (nullForm(n, ctx.macros)) return { kind: 'null-mm', text };
  const key = lvalueKey(n);
  if (key === 'current->mm') return { kind: 'current-mm', text };
  if (key === '&init_mm') return { kind: 'init-mm', text };
  if (n.type === 'identifier' || n.type === 'field_expression') {
    const info = objectInfo(n, ctx);
    if (!info) return { kind: 'unknown', text, why: `'${n.text}' is not a variable or a field` };
    const values = valuesAt(info.name, ctx).map((v) => ({ value: mmValueOf(v), line: v.line }));
    return { kind: 'mm-variable', text, name: info.name, values };
  }
  const parsed = parseCExpression(n.text, ctx.macros);
  if (!parsed.ok) return { kind: 'unknown', text, why: `cannot evaluate '${n.text}': ${parsed.why}` };
  const value = mmValueOf({ kind: 'value', expr: parsed.expr, text: n.text, line: null });
  if (value.kind === 'null') return { kind: 'null-mm', text };
  if (value.kind === 'current-mm') return { kind: 'current-mm', text };
  if (value.kind === 'init-mm') return { kind: 'init-mm', text };
  if (value.kind === 'unknown') return { kind: 'unknown', text, why: value.why };
  if (value.kind === 'cond') return { kind: 'mm-variable', text, name: n.text, values: [{ value, line: null }] };
  return { kind: 'mm-expression', text, name: value.name };
}

/** What an mm-typed value denotes. */
export function mmValueOf(v: ReachingValue): MmValue {
  if (v.kind === 'unknown') return { kind: 'unknown', why: v.why };
  const e = v.expr;
  if (e.op === 'const') return e.value === 0n ? { kind: 'null' } : { kind: 'unknown', why: `an mm pointer with the integer value ${showExpr(e)}` };
  if (e.op === 'cast') return mmValueOf({ ...v, expr: e.arg });
  if (e.op === 'sym') {
    if (e.name === 'current->mm') return { kind: 'current-mm' };
    if (e.name === '&init_mm') return { kind: 'init-mm' };
    return { kind: 'symbol', name: e.name };
  }
  if (e.op === 'cond') {
    const then = mmValueOf({ ...v, expr: e.then });
    const otherwise = mmValueOf({ ...v, expr: e.otherwise });
    if (then.kind === 'unknown') return then;
    if (otherwise.kind === 'unknown') return otherwise;
    return { kind: 'cond', test: e.test, then, otherwise };
  }
  return { kind: 'unknown', why: `'${showExpr(e)}' is not an mm pointer` };
}

/** Declaration facts for an identifier or a field expression at the call. */
function objectInfo(n: SyntaxNode, ctx: Context): ObjectInfo | undefined {
  const name = lvalueKey(n);
  if (!name) return undefined;
  if (n.type === 'field_expression' || n.type === 'subscript_expression') {
    return { name, scope: 'field', type: null, pointerDepth: 0, sizeBytes: null, isInteger: null };
  }
  if (n.type !== 'identifier') return undefined;
  const found = findDeclaration(n.text, ctx);
  if (!found) return { name, scope: 'undeclared', type: null, pointerDepth: 0, sizeBytes: null, isInteger: null };
  const { scope, declaration, declarator } = found;
  const typeNode = declaration.childForFieldName('type');
  const type = typeNode?.text.replace(/\s+/g, ' ') ?? null;
  let pointerDepth = 0;
  let isArray = false;
  for (let d: SyntaxNode | null = declarator; d && d.type !== 'identifier'; d = d.childForFieldName('declarator')) {
    if (d.type === 'pointer_declarator') pointerDepth++;
    if (d.type === 'array_declarator') isArray = true;
  }
  const scalar = typeNode ? integerSize(typeNode) : null;
  return {
    name,
    scope,
    type,
    pointerDepth,
    sizeBytes: pointerDepth > 0 ? 8 : isArray ? null : scalar,
    isInteger: pointerDepth > 0 || isArray ? false : scalar !== null ? true : typeNode && ['struct_specifier', 'union_specifier'].includes(typeNode.type) ? false : null,
  };
}

/** sizeof an integer type on a 64-bit kernel; null when not an integer type the model knows. */
function integerSize(typeNode: SyntaxNode): number | null {
  const t = typeNode.text.replace(/\s+/g, ' ').replace(/\b(const|volatile)\b ?/g, '').trim();
  if (typeNode.type === 'enum_specifier') return 4;
  const sizes: Record<string, number> = {
    char: 1, 'signed char': 1, 'unsigned char': 1, bool: 1, _Bool: 1,
    short: 2, 'short int': 2, 'unsigned short': 2, 'unsigned short int': 2, 'signed short': 2,
    int: 4, signed: 4, 'signed int': 4, unsigned: 4, 'unsigned int': 4,
    long: 8, 'long int': 8, 'unsigned long': 8, 'unsigned long int': 8, 'signed long': 8,
    'long long': 8, 'unsigned long long': 8, 'long long int': 8, 'unsigned long long int': 8,
    u8: 1, s8: 1, __u8: 1, __s8: 1, uint8_t: 1, int8_t: 1,
    u16: 2, s16: 2, __u16: 2, __s16: 2, uint16_t: 2, int16_t: 2,
    u32: 4, s32: 4, __u32: 4, __s32: 4, uint32_t: 4, int32_t: 4, ioasid_t: 4, gfp_t: 4,
    u64: 8, s64: 8, __u64: 8, __s64: 8, uint64_t: 8, int64_t: 8, size_t: 8, ssize_t: 8, uintptr_t: 8,
  };
  return sizes[t] ?? null;
}

function describeType(info: ObjectInfo): string {
  const type = info.type ?? 'of unknown type';
  return info.pointerDepth > 0 ? `a pointer (${type} ${'*'.repeat(info.pointerDepth)})` : `of type ${type}`;
}

interface FoundDeclaration {
  scope: 'local' | 'parameter' | 'global';
  declaration: SyntaxNode;
  declarator: SyntaxNode;
}

/**
 * The declaration of `name` visible at the call: the last local declared
 * before it in an enclosing block, else a parameter, else a file-scope one.
 */
function findDeclaration(name: string, ctx: Context): FoundDeclaration | undefined {
  if (ctx.fn) {
    let best: FoundDeclaration | undefined;
    const body = ctx.fn.childForFieldName('body');
    if (body) {
      forEachNamed(body, (n) => {
        if (n.startIndex > ctx.call.startIndex) return false;
        if (n.type === 'declaration') {
          for (const d of n.childrenForFieldName('declarator')) {
            if (declaredName(d) === name && blockContains(n, ctx.call)) best = { scope: 'local', declaration: n, declarator: d };
          }
        }
      });
    }
    if (best) return best;
    const decl = functionDeclaratorOf(ctx.fn);
    for (const p of decl?.childForFieldName('parameters')?.namedChildren ?? []) {
      if (p.type !== 'parameter_declaration') continue;
      const d = p.childForFieldName('declarator');
      if (d && declaredName(d) === name) return { scope: 'parameter', declaration: p, declarator: d };
    }
  }
  for (const n of ctx.root.namedChildren) {
    if (n.type !== 'declaration') continue;
    for (const d of n.childrenForFieldName('declarator')) {
      if (declaredName(d) === name && !functionDeclaratorOf(n)) return { scope: 'global', declaration: n, declarator: d };
    }
  }
  return undefined;
}

/** True when the block holding `decl` also holds `at` (the declaration is in scope there). */
function blockContains(decl: SyntaxNode, at: SyntaxNode): boolean {
  const block = decl.parent;
  if (!block) return false;
  return block.startIndex <= at.startIndex && at.endIndex <= block.endIndex;
}

/** One-line rendering of an abstract value, for reports. */
export function describeThird(a: ThirdArg): string {
  switch (a.kind) {
    case 'null': return a.pointerSyntax ? `NULL (${a.text})` : `0 (${a.text})`;
    case 'constant': return `${a.text} = ${showExpr(a.expr)}`;
    case 'address': return `&${a.target.name} holding ${describeValues(a.reaching)}`;
    case 'value': return `${a.text} = ${describeValues(a.reaching)}`;
    case 'pointer': return `pointer ${a.text} (${a.why})`;
    case 'unknown': return `unknown ${a.text} (${a.why})`;
  }
}

export function describeMm(a: MmArg): string {
  switch (a.kind) {
    case 'null-mm': return 'NULL';
    case 'current-mm': return 'current->mm';
    case 'init-mm': return '&init_mm';
    case 'mm-variable': return `${a.name} = { ${a.values.map((v) => describeMmValue(v.value)).join(', ')} }`;
    case 'mm-expression': return a.name;
    case 'unknown': return `unknown (${a.why})`;
  }
}

export function describeMmValue(v: MmValue): string {
  switch (v.kind) {
    case 'null': return 'NULL';
    case 'current-mm': return 'current->mm';
    case 'init-mm': return '&init_mm';
    case 'symbol': return v.name;
    case 'cond': return `${showExpr(v.test, true)} ? ${describeMmValue(v.then)} : ${describeMmValue(v.otherwise)}`;
    case 'unknown': return `unknown (${v.why})`;
  }
}

export function describeValues(values: ReachingValue[]): string {
  const parts = values.map((v) => (v.kind === 'value' ? showExpr(v.expr) + (v.line !== null ? ` (line ${v.line})` : '') : `unknown: ${v.why}`));
  return `{ ${parts.join(', ')} }`;
}
