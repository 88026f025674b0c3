// The only module that loads tree-sitter. Everything else sees `SyntaxNode`
// and `Tree` through the types re-exported here.
import { createRequire } from 'node:module';
import type Parser from 'tree-sitter';
import type { LineIndex } from './text.js';

// Loaded with require, not import: importing a CommonJS package from an ES
// module makes Node lex its source for named exports, which costs more at
// start-up (and in background compilation) than loading the package itself.
const require = createRequire(import.meta.url);
const TreeSitter = require('tree-sitter') as typeof import('tree-sitter');
const C = require('tree-sitter-c') as typeof import('tree-sitter-c');

export type SyntaxNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;

let parser: Parser | undefined;

/**
 * The binding's read buffer, in UTF-16 units: the text is copied into it a
 * chunk at a time (the binding's default is 32 Ki units). A buffer as long
 * as the whole text cost 4 bytes per character on top of the tree (200 MB
 * for a 50 MB file); 1 Mi units (2 MB) parse as fast. The reader splits
 * surrogate pairs between chunks safely (test/c/reparse.test.ts).
 */
const bufferUnits = (text: string) => Math.min(Math.max(64 * 1024, text.length + 1), 1024 * 1024);

/**
 * Called on every parse this thread makes (`incremental`: a re-parse that
 * reuses an old tree), with the text parsed: the tests count parses with it.
 */
export const parseHooks: { onParse?: (text: string, incremental: boolean) => void } = {};

function getParser(): Parser {
  if (!parser) {
    parser = new TreeSitter();
    parser.setLanguage(C as unknown as Parser.Language);
  }
  return parser;
}

/**
 * Make this thread's parser now: loading the grammar (and the binding's
 * classes for its node types) then costs the thread's idle time, not its
 * first parse's.
 */
export function prepareParser(): void {
  getParser();
}

/**
 * Parse C source held in a JS string. Node positions (`startIndex`,
 * `endIndex`) are UTF-16 indices into `text`, so they can be used with
 * `text.slice()` directly, whatever the file's non-ASCII content.
 */
export function parseC(text: string): Tree {
  parseHooks.onParse?.(text, false);
  return getParser().parse(text, undefined, { bufferSize: bufferUnits(text) });
}

/** One replacement in a text: `text.slice(start, end)` becomes `text` (UTF-16 offsets). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Parse `after`, the result of applying `edits` (sorted, not overlapping) to
 * the text `old` parses, reusing `old`: only what the edits touch is parsed
 * again. `old` is edited in place and must not be read afterwards. The
 * binding counts columns and indices in UTF-16 units, as the offsets are.
 * Each edit of `old` also updates every node object of `old` the binding
 * still caches (collected or not, until their finalizers have run): on a
 * large tree whose nodes were read, collect first (collect.ts).
 */
export function reparseC(old: Tree, lines: LineIndex, edits: readonly TextEdit[], after: string): Tree {
  const position = (offset: number) => {
    const p = lines.position(offset);
    return { row: p.line - 1, column: p.column - 1 };
  };
  // From the last edit back: the text before an edit is still the original there.
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    const startPosition = position(e.start);
    const lastNl = e.text.lastIndexOf('\n');
    const newRows = e.text.split('\n').length - 1;
    old.edit({
      startIndex: e.start,
      oldEndIndex: e.end,
      newEndIndex: e.start + e.text.length,
      startPosition,
      oldEndPosition: position(e.end),
      newEndPosition: { row: startPosition.row + newRows, column: lastNl < 0 ? startPosition.column + e.text.length : e.text.length - lastNl - 1 },
    });
  }
  parseHooks.onParse?.(after, true);
  return getParser().parse(after, old, { bufferSize: bufferUnits(after) });
}

/** The ERROR nodes and the MISSING nodes of a parse, counted apart. */
export interface ErrorKinds {
  error: number;
  missing: number;
}

/** Number of ERROR and MISSING nodes under `node` (inclusive). */
export function countErrors(node: SyntaxNode): number {
  const k = countErrorKinds(node);
  return k.error + k.missing;
}

/**
 * ERROR and MISSING nodes under `node` (inclusive), each kind apart: a
 * rewrite that trades a MISSING for an ERROR keeps the sum, yet is worse.
 * Only subtrees that hold an error are entered (a MISSING node is a leaf
 * that has one), and each node's children come in one call of the binding:
 * on kernel C this takes about two thirds of the time of a cursor walk,
 * which asks three questions of every sibling. An explicit stack, not
 * recursion: the depth of the tree is the input's.
 */
export function countErrorKinds(node: SyntaxNode): ErrorKinds {
  const kinds = { error: 0, missing: 0 };
  if (!node.hasError && !node.isMissing) return kinds;
  const stack = [node];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (n.isMissing) {
      kinds.missing++;
      continue;
    }
    if (n.type === 'ERROR') kinds.error++;
    for (const child of n.children) if (child.hasError) stack.push(child);
  }
  return kinds;
}

/** True when `node` or one of its ancestors is an ERROR node. */
export function isInsideError(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node; n; n = n.parent) {
    if (n.type === 'ERROR' || n.isMissing) return true;
  }
  return false;
}
