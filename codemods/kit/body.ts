// A function body under a type change: its return statements when the
// return type becomes void, and its uses of a parameter that goes away.
import { lineEndOf, lineStartOf, lineTextAt, nodeLine, ofType, unparen, type SyntaxNode } from '../c/index.js';
import { deleteLineRanges, eol, wholeLines } from '../engine/layout.js';
import type { Edit } from '../engine/types.js';
import type { FunctionShape } from './c-shapes.js';
import { paramName } from './signature.js';
import type { ParamSpec } from './spec.js';

export type BodyPlan =
  | { ok: true; edits: Edit[]; notes: string[] }
  | { ok: false; code: 'return-value' | 'return-shape' | 'param-used' | 'param-unfollowable' | 'param-renamed-used' | 'name-conflict'; params: Record<string, string | number> };

/** The statements of a compound statement, comments left out. */
function statements(block: SyntaxNode): SyntaxNode[] {
  return block.namedChildren.filter((c) => c.type !== 'comment');
}

/**
 * `int` → `void`: the final `return 0;` goes (with the blank line above it),
 * any other `return 0;` becomes `return;`, any other value is for a person:
 *   static int foo_remove(struct platform_device *pdev)
 *   {
 *   	if (!priv)
 *   		return 0;        → return;
 *   	clk_disable(priv->clk);
 *
 *   	return 0;            → (gone, with the blank line)
 *   }
 */
export function returnsToVoid(text: string, body: SyntaxNode, step: string | undefined): BodyPlan {
  const returns = ofType(body, 'return_statement');
  const bad = returns.filter((r) => {
    const v = r.namedChildren.find((c) => c.type !== 'comment');
    return v !== undefined && unparen(v).text !== '0';
  });
  if (bad.length > 0) {
    const values = [...new Set(bad.map((r) => r.namedChildren.find((c) => c.type !== 'comment')!.text.replace(/\s+/g, ' ')))];
    return { ok: false, code: 'return-value', params: { values: values.slice(0, 3).join(', ') + (values.length > 3 ? ', …' : ''), lines: `line ${bad.map(nodeLine).join(', ')}` } };
  }
  const edits: Edit[] = [];
  const last = statements(body).at(-1);
  if (last?.type === 'labeled_statement' && ofType(last, 'return_statement').some((r) => r.endIndex === last.endIndex)) {
    return { ok: false, code: 'return-shape', params: { why: `the final return follows a label (line ${nodeLine(last)}): a label cannot end a block` } };
  }
  for (const r of returns) {
    const hasValue = r.namedChildren.some((c) => c.type !== 'comment');
    if (!hasValue) continue;
    if (r.id === last?.id) {
      const lines = wholeLines(text, r.startIndex, r.endIndex);
      if (!lines) return { ok: false, code: 'return-shape', params: { why: `the final return shares line ${nodeLine(r)} with other code` } };
      edits.push(...deleteLineRanges(text, [lines]).map((e) => ({ ...e, step })));
    } else {
      // `return 0;` → `return;`: the value and the blank before it go.
      const keyword = r.child(0)!;
      const semi = r.child(r.childCount - 1)!;
      if (semi.type !== ';') return { ok: false, code: 'return-shape', params: { why: `the return at line ${nodeLine(r)} has no semicolon of its own` } };
      edits.push({ start: keyword.endIndex, end: semi.startIndex, text: '', step });
    }
  }
  // A body whose only statement under an if is the final return: `if (x) return 0;` then `}` is fine;
  // an empty else or loop body left behind would not be, but a final return is never such a body.
  return { ok: true, edits, notes: [] };
}

/**
 * A parameter that goes: a body that never names it needs nothing; a body
 * that only reads it gets the replacement declaration as its first:
 *   static int foo_probe(struct i2c_client *client)
 *   {
 *   	const struct i2c_device_id *id = i2c_client_get_device_id(client);
 *   	struct foo *priv;
 * A body that assigns it, takes its address or shadows it is for a person.
 */
export function removedParamUses(text: string, shape: FunctionShape, body: SyntaxNode, spec: ParamSpec, step: string | undefined, isForwarded: (use: SyntaxNode) => boolean = () => false): BodyPlan {
  const params = shape.params.filter((p) => p.type === 'parameter_declaration');
  const name = paramName(params[spec.index]);
  if (!name) return { ok: true, edits: [], notes: [] };
  const uses = ofType(body, 'identifier', (n) => n.text === name && !isForwarded(n));
  const fn = shape.name.text;
  if (uses.length === 0) return { ok: true, edits: [], notes: [] };
  for (const u of uses) {
    const p = u.parent!;
    const how =
      (p.type === 'assignment_expression' && p.childForFieldName('left')?.id === u.id) || p.type === 'update_expression'
        ? `assigned at line ${nodeLine(u)}`
        : p.type === 'pointer_expression' && p.child(0)?.type === '&'
          ? `its address is taken at line ${nodeLine(u)}`
          : isDeclarator(u)
            ? `a local of the same name at line ${nodeLine(u)}`
            : undefined;
    if (how) return { ok: false, code: 'param-unfollowable', params: { fn, param: name, how } };
  }
  if (!spec.replacement) return { ok: false, code: 'param-used', params: { fn, param: name, how: `read at line ${uses.map(nodeLine).join(', ')}` } };
  const names = params.map((p) => paramName(p) ?? '');
  const decl = spec.replacement.replace(/\{(\w+)\}/g, (whole, k: string) => (k === 'name' ? name : /^\d+$/.test(k) ? (names[Number(k)] ?? whole) : whole));
  return { ok: true, edits: [insertFirstDeclaration(text, body, decl, step)], notes: [`declares ${name} from the client`] };
}

/**
 * A retyped parameter that takes a new name (`void *drvdata` → `unsigned int
 * flags`): the body may no longer name the old one, and must not already
 * name the new one. Code another change or a TypeScript step has already
 * rewritten (`settled`: deleted or replaced) does not count, and a local of
 * the new name whose declaration goes makes room for the parameter:
 *   unsigned int flags = 0;                 (deleted by a step)
 *   if (drvdata) flags = *(unsigned int *)drvdata;   (deleted by a step)
 *   if (flags & ...)                        → reads the parameter now
 * A use forwarded as the same argument of a call the migration rewrites
 * (`isForwarded`) follows the call.
 */
export function renamedParamUses(text: string, shape: FunctionShape, body: SyntaxNode, spec: ParamSpec, settled: (n: SyntaxNode) => boolean, isForwarded: (use: SyntaxNode) => boolean): BodyPlan {
  const params = shape.params.filter((p) => p.type === 'parameter_declaration');
  const name = paramName(params[spec.index]);
  const fn = shape.name.text;
  if (spec.action !== 'retype' || !name || !spec.name || spec.name === name) return { ok: true, edits: [], notes: [] };
  const left = ofType(body, 'identifier', (n) => n.text === name && !settled(n) && !isForwarded(n));
  if (left[0]) {
    const how = `line ${nodeLine(left[0])}: ${lineTextAt(text, left[0].startIndex).trim()}`;
    return { ok: false, code: 'param-renamed-used', params: { fn, param: name, name: spec.name, how } };
  }
  const clash = ofType(body, 'identifier', (n) => n.text === spec.name && !settled(n));
  const makesRoom = ofType(body, 'identifier', (n) => n.text === spec.name && settled(n) && isDeclarator(n)).length > 0;
  if (clash.length > 0 && !makesRoom) return { ok: false, code: 'name-conflict', params: { fn, param: name, name: spec.name } };
  return { ok: true, edits: [], notes: [] };
}

/** True when `id` is the name a declaration declares (`int id;`, `struct x *id = …`). */
function isDeclarator(id: SyntaxNode): boolean {
  let n = id;
  while (n.parent && ['pointer_declarator', 'array_declarator', 'parenthesized_declarator'].includes(n.parent.type) && n.parent.childForFieldName('declarator')?.id === n.id) n = n.parent;
  const p = n.parent;
  if (p?.type === 'init_declarator') return p.childForFieldName('declarator')?.id === n.id;
  if (p?.type === 'declaration') return p.childrenForFieldName('declarator').some((d) => d.id === n.id);
  return false;
}

/**
 * Insert `decl` as the first declaration of `body`, indented like its first
 * statement; a blank line follows when the body had no declarations, as
 * checkpatch wants one after declarations.
 */
function insertFirstDeclaration(text: string, body: SyntaxNode, decl: string, step: string | undefined): Edit {
  const nl = eol(text);
  const first = statements(body)[0];
  if (!first) {
    const at = lineEndOf(text, body.startIndex) + 1;
    return { start: at, end: at, text: `\t${decl}${nl}`, step };
  }
  const lineStart = lineStartOf(text, first.startIndex);
  const indent = text.slice(lineStart, first.startIndex);
  const at = /^[ \t]*$/.test(indent) ? lineStart : first.startIndex;
  const pad = /^[ \t]*$/.test(indent) ? indent : '\t';
  const blank = first.type === 'declaration' ? '' : nl;
  return { start: at, end: at, text: `${pad}${decl}${nl}${blank}`, step };
}
