// Call sites: the third argument's rewrite (docs/migrations.md and this
// folder's README: NULL -> 0, &local folded or passed by value, a pointer
// left manual), with the dataflow that folds a local which only carries a
// flag by address.
import {
  ancestors,
  callArguments,
  ofType,
  enclosingFunction,
  functionBody,
  identifiersNamed,
  isInsideError,
  parameters,
  paramShape,
  unparen,
  type SyntaxNode,
} from '../../c/index.js';
import { deleteDeclarator, deleteLineRanges, wholeLines, wrapListEdits } from '../../engine/layout.js';
import type { Edit as AnyEdit } from '../../engine/types.js';
import type { FileContext, Occurrence } from './context.js';
import { FLAG_MAP, NEW_FLAG_PREFIX } from './meta.js';
import { fieldKey, fieldTypesIn } from './fields.js';
import { forwardedParam } from './functions.js';
import { declarationType, isIntegerType } from './types.js';
import type { FlagStep } from './meta.js';

type Edit = AnyEdit<FlagStep>;

/**
 * One call of the API (or of an implementation, or through ->sva_bind),
 * before the kit: the third arguments the kit's rules do not cover. A call
 * the kit handles is left alone: one whose parse holds an ERROR node
 * (error-node), a NULL pointer (call-null, `args.map`), a bind function's
 * own parameter forwarded (call-forward).
 */
export function handleCall(ctx: FileContext, occ: Occurrence, call: SyntaxNode): void {
  if (call.hasError || isInsideError(call)) return;
  const args = callArguments(call);
  const arg = args[2];
  if (args.length !== 3 || !arg) {
    ctx.end(occ, 'call', 'manual', 'call-arity', { count: args.length });
    return;
  }
  const u = unparen(arg);
  const fn = enclosingFunction(call);
  const replace = (text: string): Edit[] => {
    const e = { start: u.startIndex, end: u.endIndex, text };
    return [e, ...wrapListEdits(ctx.text, call.childForFieldName('arguments')!, [e])];
  };
  if (isNullPointer(u)) return;
  // A bind function forwarding its own parameter: the kit's when it converts the function, else for a person.
  const own = u.type === 'identifier' && fn ? forwardedParam(ctx, fn) : null;
  if (own?.name === u.text) {
    if (!own.ok) ctx.end(occ, 'call', 'manual', 'call-pointer-arg', { arg: arg.text });
    return;
  }
  // 0 means the same in both APIs.
  if (u.type === 'number_literal' && u.text === '0') {
    ctx.end(occ, 'call', 'unchanged', 'call-zero');
    return;
  }
  // Already flags: IOMMU_SVA_BIND_* or-ed.
  if (isNewFlagsExpression(u)) {
    ctx.end(occ, 'call', 'unchanged', 'call-already-flags', { arg: arg.text });
    return;
  }
  if (u.type === 'identifier' && fn) {
    const decl = resolveVariable(fn, u.text, call);
    if (decl && decl.integer) {
      ctx.end(occ, 'call', 'unchanged', 'call-already-flags', { arg: arg.text });
      return;
    }
  }
  // ctx->flags, an integer field: what the rewrite of &ctx->flags gives.
  if (u.type === 'field_expression' && isIntegerField(ctx, u)) {
    ctx.end(occ, 'call', 'unchanged', 'call-already-flags', { arg: arg.text });
    return;
  }
  // ctx->flags of a struct no file in reach declares: not known to be a pointer either.
  if (u.type === 'field_expression' && fieldTypes(ctx, u).length === 0) {
    ctx.end(occ, 'call', 'manual', 'call-field-value-type', { arg: arg.text, field: u.childForFieldName('field')?.text ?? '' });
    return;
  }
  // &v, &ctx->flags
  if (u.type === 'pointer_expression' && u.child(0)?.type === '&') {
    const target = unparen(u.childForFieldName('argument')!);
    if (target.type === 'identifier') {
      const v = fn ? resolveVariable(fn, target.text, call) : resolveFileScope(ctx.file.root, target.text);
      if (v && v.integer) {
        if (v.local && fn && tryFold(ctx, occ, call, fn, v, replace)) return;
        ctx.edit(...replace(target.text));
        ctx.end(occ, 'call', 'rewritten', 'call-pass-value', { name: target.text });
        return;
      }
    } else if (target.type === 'field_expression') {
      const field = target.childForFieldName('field')?.text ?? '';
      const types = fieldTypes(ctx, target);
      if (types.length > 0 && types.every(isIntegerType)) {
        ctx.edit(...replace(target.text));
        ctx.end(occ, 'call', 'rewritten', 'call-pass-value', { name: target.text });
        return;
      }
      if (types.length === 0) {
        ctx.end(occ, 'call', 'manual', 'call-field-type', { arg: arg.text, field, value: target.text });
        return;
      }
    }
  }
  // A driver-private pointer, a pointer variable, a pointer parameter passed through a wrapper.
  ctx.end(occ, 'call', 'manual', 'call-pointer-arg', { arg: arg.text });
}

function isNullPointer(n: SyntaxNode): boolean {
  if (n.type === 'null' || (n.type === 'identifier' && n.text === 'NULL')) return true;
  if (n.type === 'cast_expression') {
    const type = n.childForFieldName('type')?.text.replace(/\s+/g, ' ');
    const value = unparen(n.childForFieldName('value')!);
    return type === 'void *' && ((value.type === 'number_literal' && value.text === '0') || isNullPointer(value));
  }
  return false;
}

/** `0`, `IOMMU_SVA_BIND_SUPERVISOR`, `A | B` over those. */
function isNewFlagsExpression(n: SyntaxNode): boolean {
  const u = unparen(n);
  if (u.type === 'number_literal') return u.text === '0';
  if (u.type === 'identifier') return u.text.startsWith(NEW_FLAG_PREFIX);
  if (u.type === 'binary_expression' && u.child(1)?.type === '|') {
    return isNewFlagsExpression(u.childForFieldName('left')!) && isNewFlagsExpression(u.childForFieldName('right')!);
  }
  return false;
}

/**
 * A constant over old flags (or 0), mapped to the new names:
 *   SVM_FLAG_SUPERVISOR_MODE → IOMMU_SVA_BIND_SUPERVISOR;  0 → 0
 * Returns null for anything else (a run-time value, an unknown flag).
 */
export function mapFlagConstant(n: SyntaxNode): string | null {
  const u = unparen(n);
  if (u.type === 'number_literal') return u.text === '0' ? '0' : null;
  if (u.type === 'identifier') {
    if (u.text in FLAG_MAP) return FLAG_MAP[u.text]!;
    return u.text.startsWith(NEW_FLAG_PREFIX) ? u.text : null;
  }
  if (u.type === 'binary_expression' && u.child(1)?.type === '|') {
    const l = mapFlagConstant(u.childForFieldName('left')!);
    const r = mapFlagConstant(u.childForFieldName('right')!);
    return l !== null && r !== null ? `${l} | ${r}` : null;
  }
  return null;
}

interface Variable {
  name: string;
  integer: boolean;
  local: boolean;
  decl: SyntaxNode;
  declarator: SyntaxNode;
  init: SyntaxNode | null;
}

/** The declaration of `name` visible at `at` in `fn` (locals, parameters), else at file scope. */
function resolveVariable(fn: SyntaxNode, name: string, at: SyntaxNode): Variable | null {
  const body = functionBody(fn);
  if (body) {
    const scopes = ancestors(at).filter((a) => a.type === 'compound_statement' && a.startIndex >= body.startIndex);
    for (const scope of scopes) {
      for (const stmt of scope.namedChildren) {
        if (stmt.type !== 'declaration' || stmt.startIndex > at.startIndex) continue;
        const v = declaratorOf(stmt, name);
        if (v) return { ...v, local: true };
      }
    }
  }
  const fd = ofType(fn, 'function_declarator')[0];
  for (const p of fd ? parameters(fd) : []) {
    const s = paramShape(p);
    if (s.name === name) return { name, integer: s.pointerDepth === 0 && isIntegerType(s.base), local: false, decl: p, declarator: p, init: null };
  }
  let top: SyntaxNode = fn;
  while (top.parent) top = top.parent;
  return resolveFileScope(top, name);
}

function resolveFileScope(root: SyntaxNode, name: string): Variable | null {
  for (const stmt of ofType(root, 'declaration', (n) => n.parent?.type !== 'compound_statement')) {
    if (stmt.parent && !['translation_unit', 'preproc_ifdef', 'preproc_if', 'preproc_else', 'preproc_elif'].includes(stmt.parent.type)) continue;
    const v = declaratorOf(stmt, name);
    if (v) return { ...v, local: false };
  }
  return null;
}

function declaratorOf(decl: SyntaxNode, name: string): Omit<Variable, 'local'> | null {
  const type = declarationType(decl);
  for (const d of decl.childrenForFieldName('declarator')) {
    if (d.type === 'identifier' && d.text === name) return { name, integer: isIntegerType(type), decl, declarator: d, init: null };
    if (d.type === 'init_declarator') {
      const inner = d.childForFieldName('declarator');
      if (inner?.text !== name) continue;
      return { name, integer: inner.type === 'identifier' && isIntegerType(type), decl, declarator: d, init: d.childForFieldName('value') };
    }
    if (ofType(d, 'identifier', (n) => n.text === name).length > 0) {
      return { name, integer: false, decl, declarator: d, init: null };
    }
  }
  return null;
}

/**
 * The types a field expression may have: those of the fields of that name
 * declared in this file's structs, else the one pass 1 found in the struct
 * of its base, in a header the file includes (fields.ts).
 */
function fieldTypes(ctx: FileContext, e: SyntaxNode): string[] {
  const here = fieldTypesIn(ctx.file.root, e.childForFieldName('field')?.text ?? '');
  return here.length > 0 ? here : ctx.facts.headerFields[ctx.file.path]?.[fieldKey(e)] ?? [];
}

function isIntegerField(ctx: FileContext, e: SyntaxNode): boolean {
  const types = fieldTypes(ctx, e);
  return types.length > 0 && types.every(isIntegerType);
}

/**
 * The fold: `int flags; ... flags = SVM_FLAG_SUPERVISOR_MODE; ... f(a, b, &flags)`
 * becomes `f(a, b, IOMMU_SVA_BIND_SUPERVISOR)` with the dead local and its
 * assignment(s) deleted. Only when every reaching value is one and the same
 * constant, every assignment is a plain statement in a block that encloses the
 * call (so it reaches it on every path), and `flags` is used nowhere else.
 */
function tryFold(ctx: FileContext, occ: Occurrence, call: SyntaxNode, fn: SyntaxNode, v: Variable, replace: (t: string) => Edit[]): boolean {
  const body = functionBody(fn)!;
  const arg = callArguments(call)[2]!;
  const defs: SyntaxNode[] = [];
  for (const use of identifiersNamed(body, v.name)) {
    if (use.startIndex >= arg.startIndex && use.endIndex <= arg.endIndex) continue;
    if (use.startIndex >= v.declarator.startIndex && use.endIndex <= v.declarator.endIndex) continue;
    const assign = use.parent;
    const stmt = assign?.parent;
    const isDef =
      assign?.type === 'assignment_expression' &&
      assign.childForFieldName('left')?.id === use.id &&
      assign.child(1)?.type === '=' &&
      stmt?.type === 'expression_statement' &&
      stmt.parent?.type === 'compound_statement';
    if (!isDef) return false; // another use of v: pass the value instead
    const block = stmt.parent!;
    if (stmt.endIndex > call.startIndex || !(block.startIndex <= call.startIndex && call.endIndex <= block.endIndex)) return false;
    if (ancestors(stmt).some((a) => ['for_statement', 'while_statement', 'do_statement'].includes(a.type) && a.startIndex >= body.startIndex)) return false;
    defs.push(stmt);
  }
  if (defs.length === 0 && !v.init) return false;
  // Every definition executes on the way to the call (blocks that enclose it,
  // no loops), so the last one is the value that reaches it. The earlier ones
  // are dead stores; they must be constants too, so deleting them removes no
  // side effect.
  const values = [...(v.init ? [v.init] : []), ...defs.map((s) => s.namedChildren[0]!.childForFieldName('right')!)];
  const mapped = values.map(mapFlagConstant);
  if (mapped.some((m) => m === null)) return false;
  const value = mapped[mapped.length - 1]!;

  const del = deleteDeclarator(ctx.text, v.decl, v.declarator) ?? linesWithComment(ctx.text, v.decl);
  const defLines = defs.map((s) => linesWithComment(ctx.text, s)?.lines ?? null);
  if (!del || defLines.some((l) => l === null)) {
    ctx.end(occ, 'call', 'manual', 'declaration-shared-line', { name: v.name });
    return true;
  }
  const ranges = [...(del.lines ? [del.lines] : []), ...defLines.map((l) => l!)];
  ctx.edit(...replace(value), ...del.edits, ...deleteLineRanges(ctx.text, ranges));
  const shown = values[values.length - 1]!.text;
  ctx.end(occ, 'call', 'rewritten', 'call-local-folded', { name: v.name, value: shown, mapped: value });
  return true;
}

/**
 * The whole lines of a statement or of a single-declarator declaration,
 * with the comments that follow it on its own line:
 *	int flags;	/* supervisor *\/
 *	flags = SVM_FLAG_SUPERVISOR_MODE; // kernel PASID
 * The comment speaks of the line, so it goes with it. Null when other code
 * shares the lines.
 */
function linesWithComment(text: string, node: SyntaxNode): { edits: Edit[]; lines: { start: number; end: number } } | null {
  if (node.type === 'declaration' && node.childrenForFieldName('declarator').length > 1) return null;
  let end = node.endIndex;
  for (let c = node.nextSibling; c && c.type === 'comment' && c.startPosition.row === node.endPosition.row; c = c.nextSibling) end = c.endIndex;
  const lines = wholeLines(text, node.startIndex, end);
  return lines ? { edits: [], lines } : null;
}
