// Small helpers over tree-sitter-c nodes. Each comment shows the C shape.
import type { SyntaxNode } from './parser.js';

export function ancestors(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let n = node.parent; n; n = n.parent) out.push(n);
  return out;
}

export function findAncestor(node: SyntaxNode, types: string | string[]): SyntaxNode | null {
  const set = Array.isArray(types) ? types : [types];
  for (let n = node.parent; n; n = n.parent) if (set.includes(n.type)) return n;
  return null;
}

/** All named descendants (inclusive) for which `pred` holds, in source order. */
export function collect(node: SyntaxNode, pred: (n: SyntaxNode) => boolean): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  forEachNamed(node, (n) => {
    if (pred(n)) out.push(n);
  });
  return out;
}

// Tree walks keep their own stack, never the call stack: the depth of a
// syntax tree is the input's (`x = a + a + … + a;` with 8,000 terms nests
// 8,000 binary expressions), and a recursive walk would overflow on it.

/**
 * Visit `node` and its named descendants in source order (pre-order).
 * `enter` returning false skips the node's children; returning 'stop' ends
 * the walk.
 */
export function forEachNamed(node: SyntaxNode, enter: (n: SyntaxNode) => boolean | 'stop' | void): void {
  const stack: SyntaxNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    const r = enter(n);
    if (r === 'stop') return;
    if (r === false) continue;
    const kids = n.namedChildren;
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
}

/** Visit the named descendants of `node`, then `node` itself (post-order: operands before their operator). */
export function forEachNamedPostOrder(node: SyntaxNode, leave: (n: SyntaxNode) => void): void {
  const stack: { n: SyntaxNode; open: boolean }[] = [{ n: node, open: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.open) {
      stack.pop();
      leave(top.n);
      continue;
    }
    top.open = true;
    const kids = top.n.namedChildren;
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ n: kids[i]!, open: false });
  }
}

/**
 * Nodes of the given type(s) under `node` (inclusive), in source order,
 * optionally filtered. Uses the binding's native search: much cheaper than
 * visiting every child from JavaScript.
 */
export function ofType(node: SyntaxNode, types: string | string[], pred?: (n: SyntaxNode) => boolean): SyntaxNode[] {
  const all = node.descendantsOfType(types);
  return pred ? all.filter(pred) : all;
}

/** Identifiers named `name` under `node` (plain identifiers, not fields or types). */
export function identifiersNamed(node: SyntaxNode, name: string): SyntaxNode[] {
  return ofType(node, 'identifier', (n) => n.text === name);
}

/** Strip enclosing parentheses: `((x))` → `x`. */
export function unparen(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChildren[0]!;
  return n;
}

/** The arguments of a call: `f(a, /* c *\/ b)` → [a, b] (comments skipped). */
export function callArguments(call: SyntaxNode): SyntaxNode[] {
  const args = call.childForFieldName('arguments');
  if (!args) return [];
  return args.namedChildren.filter((c) => c.type !== 'comment');
}

/** The function_definition enclosing `node`, if any. */
export function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  return findAncestor(node, 'function_definition');
}

/**
 * The function_declarator of a definition or declaration, looking through
 * pointer declarators: `struct iommu_sva *f(...)` → the `f(...)` node.
 */
export function functionDeclaratorOf(node: SyntaxNode): SyntaxNode | null {
  let d = node.childForFieldName('declarator');
  while (d) {
    if (d.type === 'function_declarator') return d;
    if (d.type === 'init_declarator') return null;
    d = d.childForFieldName('declarator');
  }
  return null;
}

/** Name identifier of a function_declarator: `f(...)` → `f`; `(*f)(...)` → `f`. */
export function declaratorName(decl: SyntaxNode): SyntaxNode | null {
  let d: SyntaxNode | null = decl;
  while (d) {
    if (d.type === 'identifier' || d.type === 'field_identifier' || d.type === 'type_identifier') return d;
    if (d.type === 'parenthesized_declarator') {
      d = d.namedChildren.find((c) => c.type !== 'comment') ?? null;
      continue;
    }
    d = d.childForFieldName('declarator');
  }
  return null;
}

/** Parameter declarations of a function_declarator (comments skipped). */
export function parameters(funcDecl: SyntaxNode): SyntaxNode[] {
  const list = funcDecl.childForFieldName('parameters');
  if (!list) return [];
  return list.namedChildren.filter((c) => c.type === 'parameter_declaration' || c.type === 'variadic_parameter');
}

/** `void *drvdata` → { base: 'void', pointer: 1, name: 'drvdata' }. */
export interface ParamShape {
  base: string;
  pointerDepth: number;
  name: string | null;
}

export function paramShape(param: SyntaxNode): ParamShape {
  const type = param.childForFieldName('type');
  const qualifiers = param.namedChildren.filter((c) => c.type === 'type_qualifier').map((c) => c.text);
  let base = [...qualifiers, type?.text ?? ''].join(' ').replace(/\s+/g, ' ').trim();
  let depth = 0;
  let d = param.childForFieldName('declarator');
  let name: string | null = null;
  while (d) {
    if (d.type === 'pointer_declarator' || d.type === 'abstract_pointer_declarator') depth++;
    if (d.type === 'identifier') {
      name = d.text;
      break;
    }
    const next: SyntaxNode | null = d.childForFieldName('declarator');
    if (!next) break;
    d = next;
  }
  base = base.replace(/^const /, 'const ');
  return { base, pointerDepth: depth, name };
}

/** The compound_statement body of a function_definition. */
export function functionBody(def: SyntaxNode): SyntaxNode | null {
  return def.childForFieldName('body');
}

/** The 1-based line a syntax node starts on (tree-sitter's rows count from 0). */
export function nodeLine(node: SyntaxNode): number {
  return node.startPosition.row + 1;
}

/** True when `inner` lies within `outer` (inclusive). */
export function contains(outer: SyntaxNode, inner: SyntaxNode): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/** The comment node directly before `node` (only blank space between), if any. */
export function precedingComment(node: SyntaxNode): SyntaxNode | null {
  const prev = node.previousSibling;
  if (prev && prev.type === 'comment') return prev;
  return null;
}

/** The first named child that is not a comment. */
export function firstNonComment(node: SyntaxNode): SyntaxNode | null {
  return node.namedChildren.find((c) => c.type !== 'comment') ?? null;
}

/**
 * Statement-level ancestor of `node` within a compound_statement: the node
 * whose parent is a compound_statement (or the function body).
 */
export function statementOf(node: SyntaxNode): SyntaxNode | null {
  for (let n: SyntaxNode | null = node; n; n = n.parent) {
    if (n.parent && n.parent.type === 'compound_statement') return n;
  }
  return null;
}

/** True when the node is a comment or a string/char literal (or inside one). */
export function isCommentOrString(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node; n; n = n.parent) {
    if (n.type === 'comment' || n.type === 'string_literal' || n.type === 'char_literal' || n.type === 'string_content' || n.type === 'system_lib_string') return true;
  }
  return false;
}
