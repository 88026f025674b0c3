// Parse errors in a callback's body that the path walk can still read.
//
// tree-sitter-c does not expand kernel macros, and 6.1's remove callbacks
// hit four shapes it misreads (all 60 of the bodies it could not read in
// linux-source-6.1 are one of these):
//
//   1. an iterator macro: `list_for_each_entry_safe(c, n, &head, node) {...}`
//      reads as a call missing its `;`, then the loop body as the next
//      statement;
//   2. an annotated local: `void __iomem *base = ...;` reads as the
//      declaration `void __iomem` missing its `;`, then `*base = ...;`;
//   3. a type given to a macro: `container_of(p, struct foo, member)`
//      leaves an ERROR `struct` inside the argument list;
//   4. an annotated cast: `iounmap((void __iomem *)hw->regs)`,
//      `vfree((void __force *)info->screen_base)` leaves ERRORs inside the
//      parentheses.
//
// The walk compares the text of the statements each path runs, and follows
// only `if`, `return`, `goto` and labels. So a parse error is harmless when
// it cannot move a statement boundary or hide one of those:
//
//   - a MISSING `;` ending a statement of a block, followed by another
//     statement of the same block (shapes 1 and 2): the two are read as one
//     unit, `macro(args) statement` or the whole declaration. When the unit
//     holds no return, goto or label it is one opaque statement, compared by
//     text, as the walk treats a loop without jumps; with one it is unknown
//     (a loop the walk does not follow).
//   - an ERROR (or another MISSING node) inside a pair of real, matched
//     parentheses, whose text holds no brace, semicolon, `return` or `goto`
//     (shapes 3 and 4): the parentheses bound the damage; outside them the
//     statement is parsed as usual, and inside them the walk reads only text.
//
// Any other error leaves the function unknown. A misread use of a local only
// ever hides it from the "assigned and returned" analysis (its parent is then
// an ERROR or a declarator), so its return value reads as a run-time value:
// the model may say less, never more.
import { ofType, type SyntaxNode } from '../../codemods/c/index.js';

export interface Recovery {
  /** Statement id → the statements read with it as one unit (in order). */
  glued: Map<number, SyntaxNode[]>;
}

/** ERROR and MISSING nodes under `node`. */
function errorNodes(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'ERROR' || n.isMissing) out.push(n);
    if (n.hasError || n.type === 'ERROR') for (const c of n.children) stack.push(c);
  }
  return out.sort((a, b) => a.startIndex - b.startIndex);
}

const BLOCKS = ['compound_statement'];

function statementSiblings(n: SyntaxNode): SyntaxNode[] {
  return n.parent!.namedChildren.filter((c) => c.type !== 'comment');
}

/** Real `(` ... `)` around `n`, below its statement: the damage stays inside. */
function insideParens(n: SyntaxNode): boolean {
  for (let p = n.parent; p && !BLOCKS.includes(p.type); p = p.parent) {
    const first = p.child(0);
    const last = p.child(p.childCount - 1);
    if (first?.type === '(' && !first.isMissing && last?.type === ')' && !last.isMissing && p.type !== 'ERROR') return true;
  }
  return false;
}

function endsWithMissingSemicolon(s: SyntaxNode): boolean {
  const last = s.child(s.childCount - 1);
  return last?.type === ';' && last.isMissing;
}

/**
 * Which of `body`'s parse errors the walk can read past, and how; or why
 * not. A body without errors gives an empty recovery.
 */
export function recoverBody(body: SyntaxNode, lineOffset = 0): Recovery | { unknown: string } {
  const glued = new Map<number, SyntaxNode[]>();
  const followers = new Set<number>();
  const line = (n: SyntaxNode) => lineOffset + n.startPosition.row + 1;
  for (const e of errorNodes(body)) {
    const host = e.parent;
    if (e.isMissing && e.type === ';' && host && endsWithMissingSemicolon(host) && host.parent && BLOCKS.includes(host.parent.type)) {
      if (followers.has(host.id)) continue;
      // `macro(args) statement`: glue the statement(s) that follow; a
      // statement that itself misses its `;` takes the next one too.
      const list = statementSiblings(host);
      let at = list.findIndex((c) => c.id === host.id);
      const unit: SyntaxNode[] = [];
      let cur = host;
      while (endsWithMissingSemicolon(cur)) {
        const next = list[at + 1];
        if (!next) return { unknown: `the parser could not read \`${host.text.split('\n')[0]}\` at line ${line(host)}: a statement missing its \`;\` ends its block` };
        // A label inside the unit would be a goto target in the middle of it.
        if (next.type === 'labeled_statement' || ofType(next, 'labeled_statement').length > 0) return { unknown: `a label inside \`${host.text.split('\n')[0]}\` at line ${line(host)}, read as a macro and the statement it governs` };
        unit.push(next);
        followers.add(next.id);
        cur = next;
        at++;
      }
      glued.set(host.id, unit);
      continue;
    }
    if (insideParens(e) && !/[{};]|\breturn\b|\bgoto\b/.test(e.text)) continue;
    if (e.isMissing && host) return { unknown: `the parser reads \`${host.text.split('\n')[0]!.slice(0, 60)}\` at line ${line(host)} as missing a \`${e.type}\`, where the model cannot read it as a macro and the statement it governs` };
    return { unknown: `the parser could not read \`${e.text.split('\n')[0]!.slice(0, 40)}\` at line ${line(e)}, outside any parentheses: the model cannot tell what it hides` };
  }
  return { glued };
}
