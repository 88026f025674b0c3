// The values the walk of reaching.ts carries: a reaching value (an
// expression over run-time symbols, or unknown with the reason), the state
// (object key → its possible values), and joining, copying and comparing
// states; the keys of objects (normalised lvalue text).
import type { SyntaxNode } from '../codemods/c/index.js';
import { exprDepth, lexC, MAX_EXPR_DEPTH, sameExpr, substitute, type SymExpr } from './c-expr.js';

export type ReachingValue =
  | { kind: 'value'; expr: SymExpr; text: string; line: number | null }
  | { kind: 'unknown'; why: string; line: number | null };

export type State = Map<string, ReachingValue[]>;

/** Most combinations of reaching values one expression may expand to. */
export const MAX_COMBINATIONS = 16;

export const TOO_DEEP = `an expression nested more than ${MAX_EXPR_DEPTH} deep`;

/**
 * The normalised C text of an lvalue, used as the key of the object:
 * `ctx -> flags` → `ctx->flags`; undefined for text the lexer rejects.
 */
export function lvalueKey(node: SyntaxNode): string | undefined {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChildren[0]!;
  const tokens = lexC(n.text);
  return tokens ? tokens.map((t) => t.text).join('') : undefined;
}

/** The value an object has where this function did not assign it: its run-time value. */
export function runTimeValue(key: string): ReachingValue {
  return { kind: 'value', expr: { op: 'sym', name: key }, text: key, line: null };
}

export function combine(old: ReachingValue[], rhs: ReachingValue[], make: (a: SymExpr, b: SymExpr) => SymExpr, line: number, text: string): ReachingValue[] {
  const out: ReachingValue[] = [];
  for (const a of old) {
    for (const b of rhs) {
      if (a.kind === 'unknown') out.push({ ...a, line });
      else if (b.kind === 'unknown') out.push({ ...b, line });
      else {
        const expr = substitute(make(a.expr, b.expr), () => undefined);
        out.push(exprDepth(expr) > MAX_EXPR_DEPTH ? { kind: 'unknown', why: TOO_DEEP, line } : { kind: 'value', expr, text, line });
      }
    }
  }
  if (out.length > MAX_COMBINATIONS) return [{ kind: 'unknown', why: `more than ${MAX_COMBINATIONS} combinations of values at line ${line}`, line }];
  return dedupe(out);
}

/** An assignment to `key` makes what was known about its fields stale. */
export function forgetFieldsOf(state: State, key: string): void {
  for (const k of [...state.keys()]) if (k.startsWith(key + '->') || k.startsWith(key + '.') || k.startsWith(key + '[')) state.delete(k);
}

/** `*name`, `name[4]`, `name = x` → name. */
export function declaredName(d: SyntaxNode): string | undefined {
  let n: SyntaxNode | null = d;
  while (n && n.type !== 'identifier') n = n.childForFieldName('declarator');
  return n?.text;
}

export function copy(state: State | null): State | null {
  return state && new Map([...state].map(([k, v]) => [k, [...v]]));
}

export function join(...states: Array<State | null>): State | null {
  const live = states.filter((s): s is State => s !== null);
  if (live.length === 0) return null;
  if (live.length === 1) return copy(live[0]!)!;
  const keys = new Set(live.flatMap((s) => [...s.keys()]));
  const out: State = new Map();
  for (const k of keys) out.set(k, dedupe(live.flatMap((s) => s.get(k) ?? [runTimeValue(k)])));
  return out;
}

export function dedupe(values: ReachingValue[]): ReachingValue[] {
  const out: ReachingValue[] = [];
  for (const v of values) {
    const same = out.some((o) => (o.kind === 'value' && v.kind === 'value' ? sameExpr(o.expr, v.expr) : o.kind === 'unknown' && v.kind === 'unknown' && o.why === v.why));
    if (!same) out.push(v);
  }
  return out;
}

export function sameValues(a: ReachingValue[], b: ReachingValue[]): boolean {
  return a.length === b.length && dedupe([...a, ...b]).length === a.length;
}

export function sameState(a: State | null, b: State | null): boolean {
  if (a === null || b === null) return a === b;
  const keys = new Set([...a.keys(), ...b.keys()]);
  for (const k of keys) {
    if (!sameValues(a.get(k) ?? [runTimeValue(k)], b.get(k) ?? [runTimeValue(k)])) return false;
  }
  return true;
}
