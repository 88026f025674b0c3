// Reaching definitions inside one C function, for the values of one object
// at one point (the call to iommu_sva_bind_device).
//
//	int flags;                                 flags: declared without a value
//	flags = SVM_FLAG_SUPERVISOR_MODE;          flags: { BIT(0) = 1, line 7 }
//	if (extra)
//		flags |= ctx->more;                    flags: { 1, 1 | ctx->more }
//	sva = iommu_sva_bind_device(dev, NULL, &flags);
//
// The walk follows the function body's structure: sequences, if/else (both
// branches join), switch, loops (iterated until the values stop changing),
// return/goto/break/continue (a path that leaves does not reach the call),
// and forward gotos (the state at `goto out;` joins the one at `out:`).
// A value that the function does not determine (a parameter, a field, a
// global, the result of a call) is a *symbol* named by its C text. Values
// the walk cannot follow are `unknown`, with the reason.
//
// The rooms: reaching-walk.ts (the walk of the body), reaching-values.ts
// (the values and states it carries); here, the two questions asked of it.
import type { SyntaxNode } from '../codemods/c/index.js';
import { nodeLine } from '../codemods/c/index.js';
import { exprDepth, MAX_EXPR_DEPTH, showExpr, substitute, symbolsOf, type SymExpr } from './c-expr.js';
import type { MacroTable } from './macros.js';
import { dedupe, MAX_COMBINATIONS, runTimeValue, TOO_DEEP, type ReachingValue, type State } from './reaching-values.js';
import { assignsAnywhere, backwardGoto, TooDeep, Walker } from './reaching-walk.js';

export { declaredName, lvalueKey, runTimeValue, type ReachingValue } from './reaching-values.js';

export interface ReachingQuery {
  /** The function_definition to walk. */
  fn: SyntaxNode;
  /** The node at which the values are wanted (the call). */
  at: SyntaxNode;
  /** The object: a local, parameter or global name, or a field path (`ctx->flags`). */
  key: string;
  macros: MacroTable;
}

/** Every value `key` may hold when control reaches `at`, in source order of their definitions. */
export function reachingValues(q: ReachingQuery): ReachingValue[] {
  const walker = new Walker(q.at, q.macros);
  const body = q.fn.childForFieldName('body');
  if (!body) return [{ kind: 'unknown', why: 'the function has no body', line: null }];
  let state: State | null;
  try {
    state = walker.execUntil(body, new Map());
  } catch (err) {
    if (err instanceof TooDeep) return [{ kind: 'unknown', why: err.message, line: nodeLine(err.node) }];
    throw err;
  }
  if (state === null) return [{ kind: 'unknown', why: 'the call is not reachable by the paths the model follows', line: nodeLine(q.at) }];
  const values = [...(state.get(q.key) ?? [runTimeValue(q.key)])];
  const backward = backwardGoto(q.fn, q.at);
  if (backward && assignsAnywhere(body, q.key)) {
    values.push({ kind: 'unknown', why: `a backward 'goto ${backward.label}' (line ${backward.line}) may bring other values`, line: backward.line });
  }
  for (const escape of walker.aliases.get(q.key) ?? []) {
    values.push({ kind: 'unknown', why: `its address is stored at line ${escape} and may be written through`, line: escape });
  }
  return values;
}

/**
 * The values of an expression at `at`: each symbol that names an object the
 * function assigns is replaced by the object's reaching values.
 */
export function reachingValuesOfExpression(q: Omit<ReachingQuery, 'key'> & { expr: SymExpr; text: string }): ReachingValue[] {
  const names = symbolsOf(q.expr).filter((s) => !s.startsWith('&'));
  let combos: Array<{ expr: SymExpr; line: number | null }> = [{ expr: q.expr, line: null }];
  for (const name of names) {
    const values = reachingValues({ fn: q.fn, at: q.at, key: name, macros: q.macros });
    const unknown = values.find((v) => v.kind === 'unknown');
    if (unknown) return [unknown];
    const next: typeof combos = [];
    for (const c of combos) {
      for (const v of values) {
        if (v.kind !== 'value') continue;
        const replaced = v.line === null ? c.expr : substitute(c.expr, (s) => (s === name ? v.expr : undefined));
        if (exprDepth(replaced) > MAX_EXPR_DEPTH) return [{ kind: 'unknown', why: TOO_DEEP, line: v.line }];
        next.push({ expr: replaced, line: v.line ?? c.line });
      }
    }
    if (next.length > MAX_COMBINATIONS) return [{ kind: 'unknown', why: `more than ${MAX_COMBINATIONS} combinations of reaching values`, line: null }];
    combos = next;
  }
  return dedupe(combos.map((c) => ({ kind: 'value', expr: c.expr, text: c.line === null ? q.text : showExpr(c.expr), line: c.line })));
}
