// The tree's own macro definitions, and a small macro expander.
//
// A flag at a call site is only as meaningful as its definition in *that*
// tree: `SVM_FLAG_SUPERVISOR_MODE` is `BIT(0)` in include/linux/intel-svm.h,
// `BIT(nr)` is `(UL(1) << (nr))` in include/vdso/bits.h, `UL(x)` is
// `(_UL(x))` in include/vdso/const.h, and so on down to `(X##Y)` in
// include/uapi/linux/const.h. This file reads those #defines with
// tree-sitter and expands them the way cpp does (object-like and
// function-like macros, `#` and `##`, no recursion into a macro being
// expanded), so that the model evaluates what the tree says, not what the
// model's author remembers.
import * as path from 'node:path';
import { ofType, parseC, type SyntaxNode, type Tree } from '../codemods/c/index.js';
import { lexC, parseTokens, type ExprResult, type Token, evaluate } from './c-expr.js';
import { includeClosure } from './includes.js';

export interface MacroSource {
  path: string;
  text: string;
}

export interface MacroDefinition {
  name: string;
  /** Parameter names of a function-like macro (`__VA_ARGS__` for `...`); null for an object-like one. */
  params: string[] | null;
  variadic: boolean;
  /** Replacement tokens, or undefined when the body could not be lexed. */
  body: Token[] | undefined;
  path: string;
  line: number;
}

export type MacroLookup =
  | { kind: 'defined'; definition: MacroDefinition }
  | { kind: 'ambiguous'; definitions: MacroDefinition[] };

/**
 * Symbols whose definedness is known for kernel C: kbuild defines
 * `__KERNEL__`, and C files are not assembled (`__ASSEMBLY__` is undefined).
 * Every other `#if` condition (CONFIG_*, compiler versions) is unknown, and
 * definitions from both of its branches are kept.
 */
export const KNOWN_DEFINED = new Set(['__KERNEL__']);
export const KNOWN_UNDEFINED = new Set(['__ASSEMBLY__']);

/** Headers whose macros every call site may use (relative to the tree's root). */
export const DEFAULT_MACRO_HEADERS = [
  'include/uapi/linux/const.h',
  'include/vdso/const.h',
  'include/linux/const.h',
  'include/vdso/bits.h',
  'include/linux/bits.h',
  'include/linux/intel-svm.h',
  'include/linux/iommu.h',
];

/**
 * Macros in layers: a lookup takes the highest layer that defines the name
 * (the file's own #defines above the headers'). Within one layer, several
 * different definitions of a name (in `#ifdef CONFIG_X` / `#else`) make the
 * name ambiguous rather than silently picking one.
 */
export class MacroTable {
  private constructor(private readonly layers: ReadonlyArray<ReadonlyMap<string, MacroDefinition[]>>) {}

  static empty(): MacroTable {
    return new MacroTable([]);
  }

  /** A new table with `definitions` as its highest layer. */
  extend(definitions: MacroDefinition[]): MacroTable {
    const layer = new Map<string, MacroDefinition[]>();
    for (const d of definitions) {
      const list = layer.get(d.name) ?? [];
      if (!list.some((e) => sameDefinition(e, d))) list.push(d);
      layer.set(d.name, list);
    }
    return new MacroTable([layer, ...this.layers]);
  }

  /** A new table with `definitions` as its lowest layer (names no other layer defines). */
  below(definitions: MacroDefinition[]): MacroTable {
    return new MacroTable([...this.layers, ...MacroTable.empty().extend(definitions).layers]);
  }

  lookup(name: string): MacroLookup | undefined {
    for (const layer of this.layers) {
      const defs = layer.get(name);
      if (!defs || defs.length === 0) continue;
      if (defs.length === 1) return { kind: 'defined', definition: defs[0]! };
      return { kind: 'ambiguous', definitions: defs };
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.lookup(name) !== undefined;
  }
}

function sameDefinition(a: MacroDefinition, b: MacroDefinition): boolean {
  const body = (d: MacroDefinition) => (d.body ? d.body.map((t) => t.text).join(' ') : '<unlexable>');
  return JSON.stringify(a.params) === JSON.stringify(b.params) && body(a) === body(b);
}

/** Collect the #defines of one file, dropping those in branches known not to be compiled. */
export function macroDefinitions(tree: Tree, path: string): MacroDefinition[] {
  // The binding's native search: a walk from JavaScript makes an object of
  // every node, which on a 50 MB file is most of the model's time.
  const out: MacroDefinition[] = [];
  for (const n of ofType(tree.rootNode, ['preproc_def', 'preproc_function_def'])) {
    const def = readDefinition(n, path);
    if (def && isCompiled(n)) out.push(def);
  }
  return out;
}

/** A table with one layer holding every #define of `sources`. */
export function buildMacroTable(sources: MacroSource[]): MacroTable {
  return MacroTable.empty().extend(sources.flatMap((s) => macroDefinitions(parseC(s.text), s.path)));
}

// #define NAME value            → preproc_def
// #define NAME(a, b) value      → preproc_function_def
function readDefinition(n: SyntaxNode, path: string): MacroDefinition | undefined {
  const name = n.childForFieldName('name')?.text;
  if (!name) return undefined;
  const valueText = n.childForFieldName('value')?.text ?? '';
  const body = lexC(valueText);
  let params: string[] | null = null;
  let variadic = false;
  if (n.type === 'preproc_function_def') {
    params = [];
    const list = n.childForFieldName('parameters');
    for (const c of list?.children ?? []) {
      if (c.type === 'identifier') params.push(c.text);
      else if (c.type === '...') {
        params.push('__VA_ARGS__');
        variadic = true;
      }
    }
  }
  return { name, params, variadic, body, path, line: n.startPosition.row + 1 };
}

/** False when `n` sits in a conditional branch known not to be compiled. */
function isCompiled(n: SyntaxNode): boolean {
  let child = n;
  for (let a = n.parent; a; child = a, a = a.parent) {
    if (!['preproc_ifdef', 'preproc_if', 'preproc_elif', 'preproc_elifdef'].includes(a.type)) continue;
    const alternative = a.childForFieldName('alternative');
    const inAlternative = alternative !== null && alternative.id === child.id;
    const cond = conditionOf(a);
    if (cond === undefined) continue;
    if (inAlternative && cond) return false;
    if (!inAlternative && !cond) return false;
  }
  return true;
}

/** The value of a conditional's test, when it only depends on known symbols. */
function conditionOf(a: SyntaxNode): boolean | undefined {
  if (a.type === 'preproc_ifdef' || a.type === 'preproc_elifdef') {
    const name = a.childForFieldName('name')?.text;
    const directive = a.child(0)?.type ?? '';
    const negated = directive.includes('ifndef') || directive.includes('elifndef');
    if (!name) return undefined;
    const defined = KNOWN_DEFINED.has(name) ? true : KNOWN_UNDEFINED.has(name) ? false : undefined;
    if (defined === undefined) return undefined;
    return negated ? !defined : defined;
  }
  const text = a.childForFieldName('condition')?.text;
  if (text === undefined) return undefined;
  const tokens = lexC(text);
  if (!tokens) return undefined;
  // `defined X` and `defined(X)` → 1 or 0 when X is known; anything else
  // (CONFIG_* symbols, IS_ENABLED()) leaves the condition unknown.
  const replaced: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.text !== 'defined') {
      if (t.kind === 'ident') return undefined;
      replaced.push(t);
      continue;
    }
    const paren = tokens[i + 1]?.text === '(';
    const name = tokens[i + (paren ? 2 : 1)]?.text;
    if (!name) return undefined;
    const known = KNOWN_DEFINED.has(name) ? '1' : KNOWN_UNDEFINED.has(name) ? '0' : undefined;
    if (known === undefined) return undefined;
    replaced.push({ kind: 'number', text: known });
    i += paren ? 3 : 1;
  }
  const parsed = parseTokens(replaced);
  if (!parsed.ok) return undefined;
  const v = evaluate(parsed.expr);
  return v.ok ? v.value.value !== 0n : undefined;
}

class ExpansionFailure extends Error {}

const MAX_EXPANSIONS = 10_000;
/** Macros expanding inside each other deeper than this are not followed (expansion recurses once per level). */
const MAX_NESTING = 200;

/** Expand every macro in `tokens`, as cpp would for a C expression. */
export function expandMacros(tokens: Token[], table: MacroTable): { ok: true; tokens: Token[] } | { ok: false; why: string } {
  const budget = { left: MAX_EXPANSIONS };
  try {
    return { ok: true, tokens: expand(tokens, table, new Set(), budget) };
  } catch (e) {
    if (e instanceof ExpansionFailure) return { ok: false, why: e.message };
    throw e;
  }
}

function expand(tokens: Token[], table: MacroTable, hide: ReadonlySet<string>, budget: { left: number }): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'ident' || hide.has(t.text)) {
      out.push(t);
      continue;
    }
    const found = table.lookup(t.text);
    if (!found) {
      out.push(t);
      continue;
    }
    if (found.kind === 'ambiguous') {
      const where = found.definitions.map((d) => `${d.path}:${d.line}`).join(', ');
      throw new ExpansionFailure(`macro ${t.text} has several definitions under conditions the model cannot decide (${where})`);
    }
    const def = found.definition;
    if (!def.body) throw new ExpansionFailure(`macro ${def.name} (${def.path}:${def.line}) has a body the model cannot read`);
    if (--budget.left < 0) throw new ExpansionFailure('macro expansion does not terminate');
    if (hide.size >= MAX_NESTING) throw new ExpansionFailure(`macros nested more than ${MAX_NESTING} deep`);
    const inner = new Set(hide).add(def.name);
    if (def.params === null) {
      for (const x of expand(def.body, table, inner, budget)) out.push(x);
      continue;
    }
    // A function-like macro's name not followed by '(' is not an invocation.
    if (tokens[i + 1]?.text !== '(') {
      out.push(t);
      continue;
    }
    const { args, end } = collectArguments(tokens, i + 1, def.name);
    i = end;
    for (const x of expand(replace(def, args, table, hide, budget), table, inner, budget)) out.push(x);
  }
  return out;
}

// NAME ( a , (b, c) , d ) → [[a], [(, b, ,, c, )], [d]] and the index of ')'.
function collectArguments(tokens: Token[], open: number, name: string): { args: Token[][]; end: number } {
  const args: Token[][] = [[]];
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.text === '(') {
      depth++;
      if (depth === 1) continue;
    } else if (t.text === ')') {
      depth--;
      if (depth === 0) return { args, end: i };
    } else if (t.text === ',' && depth === 1) {
      args.push([]);
      continue;
    }
    args[args.length - 1]!.push(t);
  }
  throw new ExpansionFailure(`unterminated arguments of macro ${name}`);
}

type Piece = Token | { paste: true };

/** Substitute arguments into a function-like macro's body, then apply `##`. */
function replace(def: MacroDefinition, rawArgs: Token[][], table: MacroTable, hide: ReadonlySet<string>, budget: { left: number }): Token[] {
  const params = def.params!;
  let args = rawArgs;
  if (params.length === 0 && args.length === 1 && args[0]!.length === 0) args = [];
  if (def.variadic && args.length >= params.length) {
    const fixed = args.slice(0, params.length - 1);
    const rest = args.slice(params.length - 1);
    const joined: Token[] = [];
    rest.forEach((a, k) => {
      if (k > 0) joined.push({ kind: 'punct', text: ',' });
      for (const x of a) joined.push(x);
    });
    args = [...fixed, joined];
  }
  if (args.length !== params.length) {
    throw new ExpansionFailure(`macro ${def.name} takes ${params.length} argument(s), given ${args.length}`);
  }
  const body = def.body!;
  const pieces: Piece[] = [];
  for (let k = 0; k < body.length; k++) {
    const t = body[k]!;
    if (t.text === '##') {
      pieces.push({ paste: true });
      continue;
    }
    if (t.text === '#' && body[k + 1] && params.includes(body[k + 1]!.text)) {
      const arg = args[params.indexOf(body[k + 1]!.text)]!;
      pieces.push({ kind: 'string', text: JSON.stringify(arg.map((a) => a.text).join(' ')) });
      k++;
      continue;
    }
    const p = params.indexOf(t.text);
    if (t.kind !== 'ident' || p < 0) {
      pieces.push(t);
      continue;
    }
    const nextToPaste = body[k - 1]?.text === '##' || body[k + 1]?.text === '##';
    for (const x of nextToPaste ? args[p]! : expand(args[p]!, table, hide, budget)) pieces.push(x);
  }
  // `X ## Y` with X = 1 and Y = UL → the single token `1UL`.
  const out: Token[] = [];
  for (let k = 0; k < pieces.length; k++) {
    const piece = pieces[k]!;
    if ('paste' in piece) {
      const left = out.pop();
      const right = pieces[++k];
      if (!right || 'paste' in right) throw new ExpansionFailure(`'##' without a right operand in macro ${def.name}`);
      if (!left) {
        out.push(right);
        continue;
      }
      const pasted = lexC(left.text + right.text);
      if (!pasted || pasted.length !== 1) throw new ExpansionFailure(`'##' in macro ${def.name} does not make one token from '${left.text}' and '${right.text}'`);
      out.push(pasted[0]!);
      continue;
    }
    out.push(piece);
  }
  return out;
}

/** Reads a file of a tree by its relative path (undefined when absent). */
export type ReadFile = (relativePath: string) => string | undefined;

/** Parsed #defines by path and text: the same headers are read for every call file. */
const definitionCache = new Map<string, MacroDefinition[]>();

function cachedDefinitions(p: string, text: string): MacroDefinition[] {
  const key = `${p}\0${text}`;
  let defs = definitionCache.get(key);
  if (!defs) {
    if (definitionCache.size > 1024) definitionCache.clear();
    defs = macroDefinitions(parseC(text), p);
    definitionCache.set(key, defs);
  }
  return defs;
}

/**
 * The macros of DEFAULT_MACRO_HEADERS that exist in a tree, as one layer,
 * over a lower one: what those headers include (includes.ts), for the names
 * the tree defines somewhere else.
 */
export function headerMacroTable(read: ReadFile, headers: readonly string[] = DEFAULT_MACRO_HEADERS): MacroTable {
  const present = headers.flatMap((h) => {
    const text = read(h);
    return text === undefined ? [] : [{ path: h, text }];
  });
  const included = new Map<string, string>();
  for (const h of present) for (const inc of includeClosure(read, h.path, h.text)) if (!headers.includes(inc.path)) included.set(inc.path, inc.text);
  return MacroTable.empty()
    .extend([...included].flatMap(([p, t]) => cachedDefinitions(p, t)))
    .extend(present.flatMap((h) => cachedDefinitions(h.path, h.text)));
}

/**
 * The macros a call site in `file` sees, lowest layer first: those of the
 * headers it includes (directly or not, where kbuild finds them), the
 * canonical headers', then those of the file's own `#include "local.h"`
 * files (one level, relative to the file), then the file's.
 */
export function fileMacroTable(read: ReadFile, headers: MacroTable, file: string, text: string, tree: Tree = parseC(text)): MacroTable {
  const included = includeClosure(read, file, text).filter((h) => !DEFAULT_MACRO_HEADERS.includes(h.path));
  const withIncludes = headers.below(included.flatMap((h) => cachedDefinitions(h.path, h.text)));
  return localMacroTable(read, withIncludes, file, text, tree);
}

function localMacroTable(read: ReadFile, headers: MacroTable, file: string, text: string, tree: Tree): MacroTable {
  const dir = path.posix.dirname(file);
  const local = [...text.matchAll(/^[ \t]*#[ \t]*include[ \t]+"([^"]+)"/gm)].flatMap((m) => {
    const inc = path.posix.normalize(path.posix.join(dir, m[1]!));
    const incText = inc.startsWith('..') ? undefined : read(inc);
    return incText === undefined ? [] : macroDefinitions(parseC(incText), inc);
  });
  return headers.extend(local).extend(macroDefinitions(tree, file));
}

/** Lex, macro-expand and parse a C expression. */
export function parseCExpression(text: string, table: MacroTable): ExprResult {
  const tokens = lexC(text);
  if (!tokens) return { ok: false, why: `cannot read '${text}' as C tokens` };
  const expanded = expandMacros(tokens, table);
  if (!expanded.ok) return expanded;
  return parseTokens(expanded.tokens);
}

/** The value of macro `name` as a (usually constant) expression. */
export function evaluateMacro(name: string, table: MacroTable): ExprResult {
  if (!table.has(name)) return { ok: false, why: `macro ${name} is not defined in the tree` };
  return parseCExpression(name, table);
}
