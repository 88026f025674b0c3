// C reading shared by the bus models: driver structure initializers
// (`static struct platform_driver foo_driver = { .remove = foo_remove, ... };`),
// the functions they name, and function definitions found by name among a
// tree's files. Reads C through codemods/c only.
import { countErrors, declaratorName, functionDeclaratorOf, ofType, parameters, parseC, unparen, type SyntaxNode, type Tree } from '../codemods/c/index.js';
import type { ProblemResult, TreeInput } from './model-shape.js';

export interface ParsedFile {
  path: string;
  text: string;
  tree: Tree;
}

/**
 * Parses shared by the two sides of one check: a file whose text is the
 * same before and after (most of them) is parsed once.
 */
export class ParseCache {
  private readonly trees = new Map<string, Tree>();

  parse(text: string): Tree {
    let tree = this.trees.get(text);
    if (!tree) {
      tree = parseC(text);
      this.trees.set(text, tree);
    }
    return tree;
  }
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
 * A tree's files, each read and parsed once, and function definitions by
 * name. An unreadable file is reported once.
 */
export class TreeIndex {
  private readonly files = new Map<string, ParsedFile | null>();
  private readonly defs = new Map<string, FunctionDef[]>();
  /** definitions() answers: a callback several drivers register is looked up once. */
  private readonly found = new Map<string, FunctionDef[]>();

  constructor(
    readonly tree: TreeInput,
    private readonly problems: ProblemResult[],
    private readonly side: 'before' | 'after',
    private readonly cache: ParseCache = new ParseCache(),
  ) {}

  file(path: string): ParsedFile | undefined {
    const known = this.files.get(path);
    if (known !== undefined) return known ?? undefined;
    const text = this.tree.read(path);
    if (text === undefined) {
      this.problems.push({ path, line: 0, severity: 'error', code: 'unreadable', message: `${this.side} tree (${this.tree.label}): the file is missing or not valid UTF-8` });
      this.files.set(path, null);
      return undefined;
    }
    // Parsed on first use of `tree`: a file read only for its text (does it
    // name a function? hold a registration?) is never parsed.
    const cache = this.cache;
    const parsed: ParsedFile = {
      path,
      text,
      get tree() {
        return cache.parse(text);
      },
    };
    this.files.set(path, parsed);
    return parsed;
  }

  private defsIn(path: string): FunctionDef[] {
    let list = this.defs.get(path);
    if (!list) {
      const f = this.file(path);
      list = f ? functionDefinitions(f) : [];
      this.defs.set(path, list);
    }
    return list;
  }

  /**
   * Definitions named `name`: those in `preferPath` (a static function is
   * file-local), else those in any file of the tree whose text names it.
   */
  definitions(name: string, preferPath?: string): FunctionDef[] {
    const key = `${name}\0${preferPath ?? ''}`;
    let found = this.found.get(key);
    if (!found) {
      found = this.lookup(name, preferPath);
      this.found.set(key, found);
    }
    return found;
  }

  private lookup(name: string, preferPath?: string): FunctionDef[] {
    if (preferPath !== undefined) {
      const local = this.defsIn(preferPath).filter((d) => d.name === name);
      if (local.length > 0) return local;
      const f = this.file(preferPath);
      const recovered = f && recoverDefinition(f, name, this.cache);
      if (recovered) return [recovered];
    }
    const out: FunctionDef[] = [];
    for (const p of this.tree.paths) {
      if (p === preferPath || !this.file(p)?.text.includes(name)) continue;
      out.push(...this.defsIn(p).filter((d) => d.name === name));
    }
    return out;
  }
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
function recoverDefinition(f: ParsedFile, name: string, cache: ParseCache): FunctionDef | undefined {
  const head = new RegExp(`^[A-Za-z_][^;{}()\\n]*\\b${name}\\s*\\([^;{]*\\)\\s*\\{`, 'm').exec(f.text);
  if (!head) return undefined;
  const end = f.text.indexOf('\n}', head.index);
  if (end < 0) return undefined;
  const source = f.text.slice(head.index, end + 2) + '\n';
  const lineOffset = f.text.slice(0, head.index).split('\n').length - 1;
  const snippet: ParsedFile = { path: f.path, text: source, tree: cache.parse(source) };
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

/** A callback field of a driver structure naming a function. */
export interface Registration {
  path: string;
  variable: string;
  field: string;
  fn: string;
  init: DriverInitializer;
}

/** Every `.field = fn` (for `fields`) in the `struct <structName>` initializers of the tree's files. */
export function registrationsOf(index: TreeIndex, structName: string, fields: readonly string[]): Registration[] {
  const out: Registration[] = [];
  // A designated `.field` must be in the text: files without one are not parsed.
  const named = new RegExp(`\\.\\s*(?:${fields.join('|')})\\b`);
  for (const p of index.tree.paths) {
    const f = index.file(p);
    if (!f || !f.text.includes(structName) || !named.test(f.text)) continue;
    for (const init of driverInitializers(f, structName)) {
      for (const field of fields) {
        const v = init.fields.get(field);
        const fn = v && functionRef(v);
        if (fn) out.push({ path: p, variable: init.variable, field, fn, init });
      }
    }
  }
  return out;
}

/** A function judged once, with every registration that names it. */
export interface CallbackSite {
  fn: string;
  def: FunctionDef | undefined;
  regs: Registration[];
}

/**
 * Group registrations by the definition they name (a static function is
 * looked up in the registering file first), in path and line order.
 */
export function callbackSites(index: TreeIndex, regs: Registration[]): CallbackSite[] {
  const groups = new Map<string, CallbackSite>();
  for (const r of regs) {
    const def = index.definitions(r.fn, r.path)[0];
    const key = def ? `${def.path}:${def.line}` : `?${r.fn}`;
    const g = groups.get(key) ?? { fn: r.fn, def, regs: [] };
    g.regs.push(r);
    groups.set(key, g);
  }
  const line = (g: CallbackSite) => g.def?.line ?? 0;
  return [...groups.values()].sort((a, b) => (a.def?.path ?? a.regs[0]!.path).localeCompare(b.def?.path ?? b.regs[0]!.path) || line(a) - line(b));
}

/** The after registrations of the same driver variables naming the same function. */
export function counterparts(site: CallbackSite, afterRegs: Registration[]): Registration[] {
  return afterRegs.filter((x) => x.fn === site.fn && site.regs.some((r) => r.path === x.path && r.variable === x.variable));
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
