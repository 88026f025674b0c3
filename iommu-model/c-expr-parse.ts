// The parser of the model's C expressions: tokens to a symbolic expression,
// folding constants as it goes; integer literals, casts to integer types,
// and the builtin constants (NULL, true, false).
import {
  constant,
  exprDepth,
  fold,
  INT,
  LONG,
  MAX_EXPR_DEPTH,
  ParseFailure,
  UNSIGNED_INT,
  UNSIGNED_LONG,
  wrap,
  type BinaryOperator,
  type ExprResult,
  type IntType,
  type SymExpr,
} from './c-expr-eval.js';
import type { Token } from './c-expr-lex.js';

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
