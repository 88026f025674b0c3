// C integer expressions for the model: a lexer, a parser to symbolic
// expressions, and an evaluator with C's integer types.
//
// The model sees the third argument of a call site, and the values assigned
// to the variable it points at, as expressions such as
//
//	SVM_FLAG_SUPERVISOR_MODE | ctx->extra_flags
//
// Constants are folded (after macro expansion, see macros.ts); anything that
// is only known at run time (a variable, a field, a call) stays a *symbol*
// named by its C text, so that the same run-time value can be given to both
// sides of a comparison.

export interface Token {
  kind: 'ident' | 'number' | 'char' | 'string' | 'punct';
  text: string;
}

const PUNCTUATORS = [
  '...', '<<=', '>>=',
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '##',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=',
];

/**
 * Split C text into tokens. Comments and line continuations are dropped;
 * whitespace only separates tokens. Returns undefined for text the lexer does
 * not understand (an unterminated comment or literal).
 */
export function lexC(text: string): Token[] | undefined {
  const src = text.replace(/\\\r?\n/g, ' ');
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
      continue;
    }
    if (src.startsWith('//', i)) {
      const end = src.indexOf('\n', i);
      i = end < 0 ? src.length : end + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_]/.test(src[j]!)) j++;
      out.push({ kind: 'ident', text: src.slice(i, j) });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      // A preprocessing number: digits, letters, dots, and exponent signs.
      let j = i + 1;
      while (j < src.length) {
        const d = src[j]!;
        if (/[A-Za-z0-9_.]/.test(d)) j++;
        else if ((d === '+' || d === '-') && /[eEpP]/.test(src[j - 1]!) && !/^0[xX]/.test(src.slice(i, j))) j++;
        else break;
      }
      out.push({ kind: 'number', text: src.slice(i, j) });
      i = j;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) return undefined;
      out.push({ kind: c === "'" ? 'char' : 'string', text: src.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    const p = PUNCTUATORS.find((q) => src.startsWith(q, i));
    if (p) {
      out.push({ kind: 'punct', text: p });
      i += p.length;
      continue;
    }
    out.push({ kind: 'punct', text: c });
    i++;
  }
  return out;
}

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

/** Parse an integer literal: `1`, `0x10`, `017`, `1UL`, `'a'`. */
export function parseIntegerLiteral(text: string): { value: bigint; type: IntType } | undefined {
  if (text.startsWith("'")) {
    const body = text.slice(1, -1);
    const escapes: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11 };
    if (body.length === 1) return { value: BigInt(body.charCodeAt(0)), type: INT };
    if (body.length === 2 && body[0] === '\\' && escapes[body[1]!] !== undefined) return { value: BigInt(escapes[body[1]!]!), type: INT };
    return undefined;
  }
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/.exec(text);
  if (!m) return undefined;
  const digits = m[1]!;
  const suffix = m[2]!.toLowerCase();
  if (!/^(u?l{0,2}|l{1,2}u)$/.test(suffix)) return undefined;
  let value: bigint;
  if (/^0[bB]/.test(digits)) value = BigInt(digits);
  else if (/^0[xX]/.test(digits)) value = BigInt(digits);
  else if (digits.length > 1 && digits.startsWith('0')) value = BigInt('0o' + digits.slice(1));
  else value = BigInt(digits);
  const unsignedSuffix = suffix.includes('u');
  const longSuffix = suffix.includes('l');
  const decimal = !/^0/.test(digits) || digits === '0';
  // C11 6.4.4.1: the first type of the list that can represent the value.
  const candidates: IntType[] = [];
  if (!longSuffix) {
    if (!unsignedSuffix) candidates.push(INT);
    if (unsignedSuffix || !decimal) candidates.push(UNSIGNED_INT);
  }
  if (!unsignedSuffix) candidates.push(LONG);
  if (unsignedSuffix || !decimal) candidates.push(UNSIGNED_LONG);
  for (const t of candidates) {
    const max = t.unsigned ? (1n << BigInt(t.bits)) - 1n : (1n << BigInt(t.bits - 1)) - 1n;
    if (value <= max) return { value, type: t };
  }
  return { value: wrap(value, UNSIGNED_LONG), type: UNSIGNED_LONG };
}

// Integer type names a cast may use: `(unsigned int)`, `(u32)`, `(void *)`.
const INTEGER_TYPE_WORDS = new Set(['unsigned', 'signed', 'int', 'long', 'short', 'char', '_Bool', 'bool', 'const', 'volatile']);
const U8: IntType = { bits: 8, unsigned: true };
const S8: IntType = { bits: 8, unsigned: false };
const U16: IntType = { bits: 16, unsigned: true };
const S16: IntType = { bits: 16, unsigned: false };
const INTEGER_TYPEDEFS: Record<string, IntType> = {
  u8: U8, u16: U16, u32: UNSIGNED_INT, u64: UNSIGNED_LONG,
  s8: S8, s16: S16, s32: INT, s64: LONG,
  __u8: U8, __u16: U16, __u32: UNSIGNED_INT, __u64: UNSIGNED_LONG,
  __s8: S8, __s16: S16, __s32: INT, __s64: LONG,
  uint8_t: U8, uint16_t: U16, uint32_t: UNSIGNED_INT, uint64_t: UNSIGNED_LONG,
  int8_t: S8, int16_t: S16, int32_t: INT, int64_t: LONG,
  size_t: UNSIGNED_LONG, ssize_t: LONG, uintptr_t: UNSIGNED_LONG, ioasid_t: UNSIGNED_INT, gfp_t: UNSIGNED_INT,
};

/**
 * Read a parenthesised type name at tokens[start] === '(':
 * `(unsigned int)`, `(u32)`, `(void *)`, `(struct mm_struct *)`.
 * Returns its type and the index after ')', or undefined when the
 * parentheses do not hold a type name.
 */
function castAt(tokens: Token[], start: number): { type: IntType; pointer: boolean; next: number } | undefined {
  const words: string[] = [];
  let stars = 0;
  let i = start + 1;
  for (; i < tokens.length && tokens[i]!.text !== ')'; i++) {
    const t = tokens[i]!;
    if (t.text === '*') stars++;
    else if (t.kind === 'ident' && stars === 0) words.push(t.text);
    else if (t.kind === 'ident' && (t.text === 'const' || t.text === 'volatile')) continue;
    else return undefined;
  }
  if (i >= tokens.length || words.length === 0) return undefined;
  const core = words.filter((w) => w !== 'const' && w !== 'volatile');
  const pointer = stars > 0;
  let type: IntType | undefined;
  if (core.length === 1 && core[0] === 'void') {
    if (!pointer) return undefined;
  } else if (core.length === 2 && ['struct', 'union', 'enum'].includes(core[0]!)) {
    if (!pointer && core[0] !== 'enum') return undefined;
    if (core[0] === 'enum') type = INT;
  } else if (core.length === 1 && INTEGER_TYPEDEFS[core[0]!]) {
    type = INTEGER_TYPEDEFS[core[0]!];
  } else if (core.length > 0 && core.every((w) => INTEGER_TYPE_WORDS.has(w))) {
    const longs = core.filter((w) => w === 'long').length;
    const bits = longs > 0 ? 64 : core.includes('short') ? 16 : core.includes('char') || core.includes('_Bool') || core.includes('bool') ? 8 : 32;
    type = { bits, unsigned: core.includes('unsigned') || core.includes('_Bool') || core.includes('bool') };
  } else return undefined;
  if (pointer) return { type: UNSIGNED_LONG, pointer: true, next: i + 1 };
  return { type: type!, pointer: false, next: i + 1 };
}

const BUILTIN_CONSTANTS: Record<string, SymExpr> = {
  NULL: { op: 'const', value: 0n, type: UNSIGNED_LONG, pointer: true },
  false: { op: 'const', value: 0n, type: INT, pointer: false },
  true: { op: 'const', value: 1n, type: INT, pointer: false },
};

const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5,
  '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7,
  '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

/**
 * Parse already macro-expanded tokens into a symbolic expression.
 * Identifiers and postfix chains (`ctx->flags`, `f(x)`, `a[i]`, `&init_mm`)
 * become symbols named by their text with blanks removed.
 */
export function parseTokens(tokens: Token[]): ExprResult {
  let pos = 0;
  const fail = (why: string): never => {
    throw new ParseFailure(why);
  };
  // Every walk of an expression recurses once per level: deeper ones are not
  // built (the input decides the depth: 8,000 terms, 8,000 levels).
  let nesting = 0;
  const nested = <T>(parse: () => T): T => {
    if (++nesting > MAX_EXPR_DEPTH) fail(`nested more than ${MAX_EXPR_DEPTH} deep`);
    try {
      return parse();
    } finally {
      nesting--;
    }
  };
  const bounded = (e: SymExpr): SymExpr => (exprDepth(e) > MAX_EXPR_DEPTH ? fail(`nested more than ${MAX_EXPR_DEPTH} deep`) : e);
  const peek = () => tokens[pos];
  const take = (text?: string) => {
    const t = tokens[pos];
    if (!t || (text !== undefined && t.text !== text)) fail(text ? `expected '${text}'` : 'unexpected end of expression');
    pos++;
    return t!;
  };

  // A postfix chain on a symbol: `ctx` `->flags`, `f` `(a, b)`, `a` `[i]`.
  const postfix = (base: string): string => {
    let name = base;
    for (;;) {
      const t = peek();
      if (!t) return name;
      if (t.text === '->' || t.text === '.') {
        pos++;
        const field = take();
        if (field.kind !== 'ident') fail(`expected a field name after '${t.text}'`);
        name += t.text + field.text;
      } else if (t.text === '(' || t.text === '[') {
        const close = t.text === '(' ? ')' : ']';
        let depth = 0;
        const start = pos;
        do {
          const u = tokens[pos];
          if (!u) fail(`unbalanced '${t.text}'`);
          if (u!.text === '(' || u!.text === '[') depth++;
          if (u!.text === ')' || u!.text === ']') depth--;
          pos++;
        } while (depth > 0);
        if (tokens[pos - 1]!.text !== close) fail(`unbalanced '${t.text}'`);
        name += tokens.slice(start, pos).map((u) => u.text).join('');
      } else if (t.text === '++' || t.text === '--') {
        fail(`'${t.text}' has a side effect`);
      } else return name;
    }
  };

  const primary = (): SymExpr => {
    const t = take();
    if (t.kind === 'number' || t.kind === 'char') {
      const lit = parseIntegerLiteral(t.text);
      if (!lit) fail(`'${t.text}' is not an integer literal`);
      return constant(lit!.value, lit!.type);
    }
    if (t.kind === 'string') fail('a string literal is not an integer');
    if (t.kind === 'ident') {
      if (t.text === 'sizeof' || t.text === '__alignof__' || t.text === '_Alignof') fail(`'${t.text}' needs type sizes the model does not have`);
      // include/linux/stddef.h, when the tree's headers are not read: NULL is
      // ((void *)0), false and true are 0 and 1.
      const builtin = BUILTIN_CONSTANTS[t.text];
      if (builtin) return builtin;
      return { op: 'sym', name: postfix(t.text) };
    }
    if (t.text === '(') {
      const inner = conditional();
      take(')');
      const after = peek();
      if (inner.op === 'sym' && after && (after.text === '->' || after.text === '.' || after.text === '[' || after.text === '(')) {
        return { op: 'sym', name: postfix(`(${inner.name})`) };
      }
      return inner;
    }
    return fail(`unexpected '${t.text}'`);
  };

  const unary = (): SymExpr => nested(unaryAt);
  const unaryAt = (): SymExpr => {
    const t = peek();
    if (!t) return fail('unexpected end of expression');
    if (t.text === '(') {
      const cast = castAt(tokens, pos);
      if (cast) {
        pos = cast.next;
        return fold({ op: 'cast', type: cast.type, pointer: cast.pointer, arg: unary() });
      }
    }
    if (t.text === '-' || t.text === '+' || t.text === '~' || t.text === '!') {
      pos++;
      return fold({ op: 'unary', operator: t.text, arg: unary() });
    }
    if (t.text === '&') {
      // `&init_mm`, `&ctx->flags`: an address, named like a symbol.
      pos++;
      const target = unary();
      if (target.op !== 'sym') fail("'&' of something that is not an object");
      return { op: 'sym', name: '&' + (target as { name: string }).name };
    }
    if (t.text === '*') fail('a dereference needs memory the model does not have');
    if (t.text === '++' || t.text === '--') fail(`'${t.text}' has a side effect`);
    return primary();
  };

  const binary = (minPrec: number): SymExpr => {
    let left = unary();
    for (;;) {
      const t = peek();
      const prec = t && t.kind === 'punct' ? BINARY_PRECEDENCE[t.text] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      pos++;
      const right = binary(prec + 1);
      left = bounded(fold({ op: 'binary', operator: t!.text as BinaryOperator, left, right }));
    }
  };

  const conditional = (): SymExpr => nested(conditionalAt);
  const conditionalAt = (): SymExpr => {
    const test = binary(1);
    if (peek()?.text !== '?') return test;
    pos++;
    const then = conditional();
    take(':');
    const otherwise = conditional();
    return fold({ op: 'cond', test, then, otherwise });
  };

  try {
    if (tokens.length === 0) return { ok: false, why: 'empty expression' };
    const expr = conditional();
    if (pos < tokens.length) {
      const t = tokens[pos]!;
      if (t.text === '=' || (t.text.endsWith('=') && !['==', '!=', '<=', '>='].includes(t.text))) {
        return { ok: false, why: 'an assignment inside the expression' };
      }
      return { ok: false, why: `unexpected '${t.text}'` };
    }
    return { ok: true, expr };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, why: e.message };
    throw e;
  }
}

class ParseFailure extends Error {}

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
