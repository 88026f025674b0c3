// C reading shared by the bus models, in one parsed file: driver structure
// initializers (`static struct platform_driver foo_driver = { .remove =
// foo_remove, ... };`) read into plain data, and the function definitions
// they name. bus-side.ts walks a tree's files with these, one tree at a
// time. Reads C through codemods/c only.
import { countErrors, declaratorName, functionDeclaratorOf, ofType, parameters, parseC, unparen, type SyntaxNode, type Tree } from '../codemods/c/index.js';
import type { ProblemResult } from './model-shape.js';

export interface ParsedFile {
  path: string;
  text: string;
  tree: Tree;
}

/** One `{ .field = value, ... }` of a driver structure. */
export interface DriverInitializer {
  path: string;
  /** The variable: `foo_driver`, or `foo_drivers[1]` for an array element. */
  variable: string;
  line: number;
  /** Designated fields at the top level of the initializer: `remove` → its value. */
  fields: Map<string, SyntaxNode>;
}

export interface FunctionDef {
  path: string;
  name: string;
  node: SyntaxNode;
  /** 1-based line of the definition's first line. */
  line: number;
  /** The text the nodes index into: the file's, or a recovered snippet's. */
  source: string;
  /** Lines before `source` in the file (0 unless the definition was recovered). */
  lineOffset: number;
  params: SyntaxNode[];
  body: SyntaxNode;
  /** The return type as written, with storage class and attributes dropped: `int`, `void`. */
  returnType: string;
  /** ERROR or MISSING nodes in the body (the parser could not read all of it). */
  bodyErrors: number;
}

/**
 * Nodes at file scope: the translation unit's children, looking inside
 * preprocessor conditionals (`#ifdef CONFIG_PM ... #endif`) and inside
 * ERROR nodes (a declaration the parser misread, such as 6.1's
 * `static const struct i2c_device_id lm95234_id[];`, can swallow the
 * function after it).
 */
export function fileScope(f: ParsedFile): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const visit = (n: SyntaxNode) => {
    for (const c of n.namedChildren) {
      if (c.type.startsWith('preproc_if') || c.type === 'preproc_else' || c.type === 'preproc_elif' || c.type === 'preproc_elifdef' || c.type === 'ERROR') visit(c);
      else out.push(c);
    }
  };
  visit(f.tree.rootNode);
  return out;
}

/**
 * A definition the parser lost in a misread region of the file, found by
 * its kernel-style text (the name at the start of a line's declaration,
 * the body ending at a `}` in column 0) and parsed on its own.
 */
export function recoverDefinition(f: ParsedFile, name: string): FunctionDef | undefined {
  const head = new RegExp(`^[A-Za-z_][^;{}()\\n]*\\b${name}\\s*\\([^;{]*\\)\\s*\\{`, 'm').exec(f.text);
  if (!head) return undefined;
  const end = f.text.indexOf('\n}', head.index);
  if (end < 0) return undefined;
  const source = f.text.slice(head.index, end + 2) + '\n';
  const lineOffset = f.text.slice(0, head.index).split('\n').length - 1;
  const snippet: ParsedFile = { path: f.path, text: source, tree: parseC(source) };
  const def = functionDefinitions(snippet, lineOffset).find((d) => d.name === name);
  return def;
}

/** Every function definition at file scope (inside preprocessor conditionals too). */
export function functionDefinitions(f: ParsedFile, lineOffset = 0): FunctionDef[] {
  const out: FunctionDef[] = [];
  for (const node of fileScope(f).filter((n) => n.type === 'function_definition')) {
    const decl = functionDeclaratorOf(node);
    const name = decl && declaratorName(decl);
    const body = node.childForFieldName('body');
    if (!decl || !name || !body) continue;
    out.push({
      path: f.path,
      name: name.text,
      node,
      line: lineOffset + node.startPosition.row + 1,
      source: f.text,
      lineOffset,
      params: parameters(decl),
      body,
      returnType: returnTypeOf(node),
      bodyErrors: countErrors(body),
    });
  }
  return out;
}

/** `static int __exit foo(...)` → `int`; `static void *foo(...)` → `void *`. */
function returnTypeOf(def: SyntaxNode): string {
  const type = def.childForFieldName('type')?.text ?? '';
  let stars = '';
  for (let d = def.childForFieldName('declarator'); d && d.type === 'pointer_declarator'; d = d.childForFieldName('declarator')) stars += '*';
  return stars ? `${type} ${stars}` : type;
}

/**
 * Initializers of `struct <structName>` variables in a file, including the
 * elements of an array of them. Only designated fields (`.remove = ...`)
 * are read; positional initializers are too rare in drivers to model.
 */
export function driverInitializers(f: ParsedFile, structName: string): DriverInitializer[] {
  const out: DriverInitializer[] = [];
  for (const decl of fileScope(f).filter((n) => n.type === 'declaration')) {
    const type = decl.childForFieldName('type');
    if (type?.type !== 'struct_specifier' || type.childForFieldName('name')?.text !== structName) continue;
    for (const init of decl.namedChildren.filter((c) => c.type === 'init_declarator')) {
      const value = init.childForFieldName('value');
      const name = declaratorName(init.childForFieldName('declarator') ?? init);
      if (value?.type !== 'initializer_list' || !name) continue;
      const elements = value.namedChildren.filter((c) => c.type === 'initializer_list');
      const lists = elements.length > 0 && !value.namedChildren.some((c) => c.type === 'initializer_pair') ? elements : [value];
      lists.forEach((list, i) => {
        const fields = new Map<string, SyntaxNode>();
        for (const pair of list.namedChildren.filter((c) => c.type === 'initializer_pair')) {
          const designators = pair.childrenForFieldName('designator');
          const v = pair.childForFieldName('value');
          if (designators.length === 1 && designators[0]!.type === 'field_designator' && v) fields.set(designators[0]!.text.replace(/^\.\s*/, ''), v);
        }
        out.push({ path: f.path, variable: lists.length > 1 || list !== value ? `${name.text}[${i}]` : name.text, line: list.startPosition.row + 1, fields });
      });
    }
  }
  return out;
}

/** The function a callback field names: `fn`, `&fn`, `(fn)`, `__exit_p(fn)`, `__devexit_p(fn)`. */
export function functionRef(value: SyntaxNode): string | null {
  const v = unparen(value);
  if (v.type === 'identifier') return v.text;
  if (v.type === 'pointer_expression' && v.child(0)?.type === '&') {
    const arg = v.childForFieldName('argument');
    return arg ? functionRef(arg) : null;
  }
  if (v.type === 'call_expression' && /^__(dev)?exit_p$/.test(v.childForFieldName('function')?.text ?? '')) {
    const args = v.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
    return args.length === 1 ? functionRef(args[0]!) : null;
  }
  return null;
}

/**
 * The text of `node` with comments removed and blanks normalised: one
 * space between two word characters, none elsewhere. `if ( x )` and
 * `if (x)` read the same (`text` is the file's text); a change inside a string literal's spacing is
 * not seen.
 */
export function normalText(text: string, node: SyntaxNode, cut: readonly SyntaxNode[] = []): string {
  const holes = [...ofType(node, 'comment'), ...cut].sort((a, b) => a.startIndex - b.startIndex);
  let s = '';
  let at = node.startIndex;
  for (const h of holes) {
    if (h.startIndex < at) continue;
    s += text.slice(at, h.startIndex) + ' ';
    at = h.endIndex;
  }
  s += text.slice(at, node.endIndex);
  return squeeze(s);
}

/** Collapse blanks as normalText() does. */
export function squeeze(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .replace(/ (?=\W)|(?<=\W) /g, '')
    .trim();
}

/** `struct platform_device *pdev` → `pdev`. */
export function paramName(param: SyntaxNode): string | null {
  const ids = ofType(param, 'identifier');
  return ids.length > 0 ? ids[ids.length - 1]!.text : null;
}

/** A callback field of a driver structure naming a function, as data (no nodes: the tree is gone). */
export interface Registration {
  path: string;
  variable: string;
  field: string;
  fn: string;
  /** The fields the judge reads besides the callbacks (`id_table`): their normalised text. */
  values: ReadonlyMap<string, string>;
}

/** Whether a file's text can hold a `.field = fn` of a `struct <structName>` (files without one are not parsed). */
export function mayRegister(text: string, structName: string, fields: readonly string[]): boolean {
  return text.includes(structName) && new RegExp(`\\.\\s*(?:${fields.join('|')})\\b`).test(text);
}

/**
 * Every `.field = fn` (for `fields`) in the file's `struct <structName>`
 * initializers, in initializer then `fields` order, with the text of the
 * `keep` fields of the same initializer.
 */
export function registrationsIn(f: ParsedFile, structName: string, fields: readonly string[], keep: readonly string[]): Registration[] {
  const out: Registration[] = [];
  for (const init of driverInitializers(f, structName)) {
    const values = new Map<string, string>();
    for (const k of keep) {
      const v = init.fields.get(k);
      if (v) values.set(k, normalText(f.text, v));
    }
    for (const field of fields) {
      const v = init.fields.get(field);
      const fn = v && functionRef(v);
      if (fn) out.push({ path: f.path, variable: init.variable, field, fn, values });
    }
  }
  return out;
}

/**
 * A type problem of the after tree is an error; the same problem already
 * in the before tree is a note (the migration did not cause it).
 */
export function sideProblems(before: ProblemResult | null, after: ProblemResult | null): ProblemResult[] {
  const out: ProblemResult[] = [];
  if (before) out.push({ ...before, severity: 'note', message: `${before.message} (the migration did not change this)` });
  const same = before && after && before.message.replace(/^before /, '') === after.message.replace(/^after /, '');
  if (after && !same) out.push(after);
  return out;
}
