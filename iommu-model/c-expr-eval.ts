// Symbolic C integer expressions: the types (width and signedness), the
// evaluator with C's promotions and conversions, constant folding, and the
// walks the model makes over an expression (depth, symbols, substitution,
// display, equality).

/** A C integer type, enough for constant folding: width and signedness. */
export interface IntType {
  bits: 8 | 16 | 32 | 64;
  unsigned: boolean;
}

export const INT: IntType = { bits: 32, unsigned: false };
export const UNSIGNED_INT: IntType = { bits: 32, unsigned: true };
export const LONG: IntType = { bits: 64, unsigned: false };
export const UNSIGNED_LONG: IntType = { bits: 64, unsigned: true };

/** Reduce `value` to the range of `type` (two's complement, as the kernel's compilers do). */
export function wrap(value: bigint, type: IntType): bigint {
  const size = 1n << BigInt(type.bits);
  let v = ((value % size) + size) % size;
  if (!type.unsigned && v >= size >> 1n) v -= size;
  return v;
}

export type UnaryOperator = '-' | '+' | '~' | '!';
export type BinaryOperator =
  | '*' | '/' | '%' | '+' | '-' | '<<' | '>>'
  | '<' | '<=' | '>' | '>=' | '==' | '!='
  | '&' | '^' | '|' | '&&' | '||';

/** A symbolic C integer expression. */
export type SymExpr =
  | { op: 'const'; value: bigint; type: IntType; pointer: boolean }
  | { op: 'sym'; name: string }
  | { op: 'unary'; operator: UnaryOperator; arg: SymExpr }
  | { op: 'binary'; operator: BinaryOperator; left: SymExpr; right: SymExpr }
  | { op: 'cond'; test: SymExpr; then: SymExpr; otherwise: SymExpr }
  | { op: 'cast'; type: IntType; pointer: boolean; arg: SymExpr };

export type ExprResult = { ok: true; expr: SymExpr } | { ok: false; why: string };

export function constant(value: bigint, type: IntType = INT, pointer = false): SymExpr {
  return { op: 'const', value: wrap(value, type), type, pointer };
}

/** Thrown by the parser and the evaluator; each turns it into `{ ok: false, why }`. */
export class ParseFailure extends Error {}

/** Integer promotion: anything narrower than int computes as int. */
function promote(t: IntType): IntType {
  return t.bits < 32 ? INT : t;
}

/** The usual arithmetic conversions, reduced to width and signedness. */
function commonType(x: IntType, y: IntType): IntType {
  const a = promote(x);
  const b = promote(y);
  const bits = Math.max(a.bits, b.bits) as 32 | 64;
  const unsigned = (a.unsigned && a.bits === bits) || (b.unsigned && b.bits === bits);
  return { bits, unsigned };
}

export interface Value {
  value: bigint;
  type: IntType;
  pointer: boolean;
}

export type EvalResult = { ok: true; value: Value } | { ok: false; why: string };

/** The type symbols take: a flag word is an `unsigned int`. */
const SYMBOL_TYPE: IntType = UNSIGNED_INT;

/** Evaluate `expr`, giving each symbol the value `symbols` holds for it. */
export function evaluate(expr: SymExpr, symbols: ReadonlyMap<string, bigint> = new Map()): EvalResult {
  try {
    return { ok: true, value: evalNode(expr, symbols) };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, why: e.message };
    throw e;
  }
}

function evalNode(e: SymExpr, symbols: ReadonlyMap<string, bigint>): Value {
  switch (e.op) {
    case 'const':
      return { value: e.value, type: e.type, pointer: e.pointer };
    case 'sym': {
      const v = symbols.get(e.name);
      if (v === undefined) throw new ParseFailure(`'${e.name}' has no value`);
      return { value: wrap(v, SYMBOL_TYPE), type: SYMBOL_TYPE, pointer: false };
    }
    case 'cast': {
      const v = evalNode(e.arg, symbols);
      return { value: wrap(v.value, e.type), type: e.type, pointer: e.pointer };
    }
    case 'unary': {
      const v = evalNode(e.arg, symbols);
      const t = promote(v.type);
      switch (e.operator) {
        case '-': return { value: wrap(-v.value, t), type: t, pointer: false };
        case '+': return v;
        case '~': return { value: wrap(~v.value, t), type: t, pointer: false };
        case '!': return { value: v.value === 0n ? 1n : 0n, type: INT, pointer: false };
      }
      break;
    }
    case 'cond': {
      const test = evalNode(e.test, symbols);
      return test.value !== 0n ? evalNode(e.then, symbols) : evalNode(e.otherwise, symbols);
    }
    case 'binary': {
      if (e.operator === '&&' || e.operator === '||') {
        const l = evalNode(e.left, symbols);
        if (e.operator === '&&' && l.value === 0n) return { value: 0n, type: INT, pointer: false };
        if (e.operator === '||' && l.value !== 0n) return { value: 1n, type: INT, pointer: false };
        const r = evalNode(e.right, symbols);
        return { value: r.value !== 0n ? 1n : 0n, type: INT, pointer: false };
      }
      const l = evalNode(e.left, symbols);
      const r = evalNode(e.right, symbols);
      if (e.operator === '<<' || e.operator === '>>') {
        const t = promote(l.type);
        if (r.value < 0n || r.value >= BigInt(t.bits)) throw new ParseFailure(`shift by ${r.value} is undefined for a ${t.bits}-bit type`);
        const value = e.operator === '<<' ? l.value << r.value : l.value >> r.value;
        return { value: wrap(value, t), type: t, pointer: false };
      }
      const t = commonType(l.type, r.type);
      const a = wrap(l.value, t);
      const b = wrap(r.value, t);
      const bool = (x: boolean): Value => ({ value: x ? 1n : 0n, type: INT, pointer: false });
      switch (e.operator) {
        case '*': return { value: wrap(a * b, t), type: t, pointer: false };
        case '/':
        case '%':
          if (b === 0n) throw new ParseFailure('division by zero');
          return { value: wrap(e.operator === '/' ? a / b : a % b, t), type: t, pointer: false };
        case '+': return { value: wrap(a + b, t), type: t, pointer: false };
        case '-': return { value: wrap(a - b, t), type: t, pointer: false };
        case '&': return { value: wrap(a & b, t), type: t, pointer: false };
        case '|': return { value: wrap(a | b, t), type: t, pointer: false };
        case '^': return { value: wrap(a ^ b, t), type: t, pointer: false };
        case '<': return bool(a < b);
        case '<=': return bool(a <= b);
        case '>': return bool(a > b);
        case '>=': return bool(a >= b);
        case '==': return bool(a === b);
        case '!=': return bool(a !== b);
      }
    }
  }
  throw new ParseFailure('unsupported expression');
}

/** Fold a node whose operands are all constants; leave symbolic ones alone. */
export function fold(e: SymExpr): SymExpr {
  if (symbolsOf(e).length > 0) return e;
  const r = evaluate(e);
  if (!r.ok) throw new ParseFailure(r.why);
  return { op: 'const', value: r.value.value, type: r.value.type, pointer: r.value.pointer };
}

/** The deepest expression the model builds or walks (each walk of one recurses once per level). */
export const MAX_EXPR_DEPTH = 200;

/** Levels of `e` (a constant or symbol is 1), without recursion. */
export function exprDepth(e: SymExpr): number {
  let deepest = 0;
  const stack: Array<[SymExpr, number]> = [[e, 1]];
  while (stack.length > 0) {
    const [n, d] = stack.pop()!;
    if (d > deepest) deepest = d;
    switch (n.op) {
      case 'unary': case 'cast': stack.push([n.arg, d + 1]); break;
      case 'binary': stack.push([n.left, d + 1], [n.right, d + 1]); break;
      case 'cond': stack.push([n.test, d + 1], [n.then, d + 1], [n.otherwise, d + 1]); break;
      default: break;
    }
  }
  return deepest;
}

/** The symbols `e` mentions, in first-use order. */
export function symbolsOf(e: SymExpr): string[] {
  const out: string[] = [];
  const visit = (n: SymExpr) => {
    switch (n.op) {
      case 'const': return;
      case 'sym': if (!out.includes(n.name)) out.push(n.name); return;
      case 'unary': case 'cast': visit(n.arg); return;
      case 'binary': visit(n.left); visit(n.right); return;
      case 'cond': visit(n.test); visit(n.then); visit(n.otherwise); return;
    }
  };
  visit(e);
  return out;
}

/** Replace symbols by expressions (`flags` → its reaching value), folding what becomes constant. */
export function substitute(e: SymExpr, replace: (name: string) => SymExpr | undefined): SymExpr {
  const go = (n: SymExpr): SymExpr => {
    switch (n.op) {
      case 'const': return n;
      case 'sym': return replace(n.name) ?? n;
      case 'unary': return foldQuiet({ ...n, arg: go(n.arg) });
      case 'cast': return foldQuiet({ ...n, arg: go(n.arg) });
      case 'binary': return foldQuiet({ ...n, left: go(n.left), right: go(n.right) });
      case 'cond': return foldQuiet({ ...n, test: go(n.test), then: go(n.then), otherwise: go(n.otherwise) });
    }
  };
  return go(e);
}

function foldQuiet(e: SymExpr): SymExpr {
  try {
    return fold(e);
  } catch {
    return e;
  }
}

/** C-like text of an expression, for reports: `0x1`, `idxd->flags | 0x2`. */
export function showExpr(e: SymExpr, nested = false): string {
  const group = (s: string) => (nested ? `(${s})` : s);
  switch (e.op) {
    case 'const': {
      const v = e.value;
      if (v >= 0n && v < 10n) return v.toString();
      return v < 0n ? '-0x' + (-v).toString(16) : '0x' + v.toString(16);
    }
    case 'sym': return e.name;
    case 'unary': return e.operator + showExpr(e.arg, true);
    case 'cast': return showExpr(e.arg, nested);
    case 'binary': return group(`${showExpr(e.left, true)} ${e.operator} ${showExpr(e.right, true)}`);
    case 'cond': return group(`${showExpr(e.test, true)} ? ${showExpr(e.then, true)} : ${showExpr(e.otherwise, true)}`);
  }
}

/** Structural equality, for de-duplicating reaching values. */
export function sameExpr(a: SymExpr, b: SymExpr): boolean {
  return JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? v.toString() + 'n' : v)) ===
    JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? v.toString() + 'n' : v));
}
