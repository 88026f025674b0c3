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
//
// The rooms: c-expr-lex.ts (the lexer), c-expr-parse.ts (the parser),
// c-expr-eval.ts (the types, evaluation, folding and walks).
export { lexC, type Token } from './c-expr-lex.js';
export { parseIntegerLiteral, parseTokens } from './c-expr-parse.js';
export {
  constant,
  evaluate,
  exprDepth,
  INT,
  MAX_EXPR_DEPTH,
  sameExpr,
  showExpr,
  substitute,
  symbolsOf,
  type BinaryOperator,
  type ExprResult,
  type SymExpr,
} from './c-expr-eval.js';
