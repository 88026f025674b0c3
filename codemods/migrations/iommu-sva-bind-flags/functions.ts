// Implementation bodies, the parts of a bind function's rewrite the kit's
// `function`/`member` changes (migration.yaml) do not say: VT-d's read of
// drvdata removed (before the kit: the kit then finds no use of drvdata
// left), SMMUv3's new rejection of any flag (after the kit converted the
// function), a member of another struct with the old type, and old-type
// function pointers.
import {
  callArguments,
  ofType,
  findAncestor,
  functionBody,
  identifiersNamed,
  lineStartOf,
  paramShape,
  parameters,
  unparen,
  type SyntaxNode,
} from '../../c/index.js';
import { deleteDeclarator, deleteLineRanges, eol, wholeLines } from '../../engine/layout.js';
import type { SiteKind } from '../../engine/types.js';
import type { FileContext, Occurrence } from './context.js';
import { declarationType, isIntegerType } from './types.js';
import { API, NEW_PARAM_NAME, OPS_FIELD, OPS_STRUCT } from './meta.js';

/** `static inline` definitions are config stubs. */
function isStub(def: SyntaxNode): boolean {
  const specs = def.namedChildren.filter((c) => c.type === 'storage_class_specifier').map((c) => c.text);
  return specs.includes('static') && specs.includes('inline');
}

/**
 * The definition a name occurrence declares, with its old third parameter
 * (`void *drvdata`), or null:
 *   struct iommu_sva *intel_svm_bind(struct device *dev, ..., void *drvdata) { ... }
 */
function oldDefinition(node: SyntaxNode): { def: SyntaxNode; body: SyntaxNode; oldName: string | null; kind: SiteKind } | null {
  const fd = node.parent;
  if (!fd || fd.type !== 'function_declarator' || fd.childForFieldName('declarator')?.id !== node.id) return null;
  let def: SyntaxNode | null = fd.parent;
  while (def && (def.type === 'pointer_declarator' || def.type === 'parenthesized_declarator')) def = def.parent;
  const params = parameters(fd);
  if (def?.type !== 'function_definition' || params.length !== 3) return null;
  const s = paramShape(params[2]!);
  const body = functionBody(def);
  if (s.base !== 'void' || s.pointerDepth !== 1 || !body) return null;
  return { def, body, oldName: s.name, kind: isStub(def) ? 'stub' : node.text === API ? 'definition' : 'implementation' };
}

/** What the kit can make of a bind function's body: drvdata's only uses are a read this step removes and forwarding. */
interface BodyPlan {
  oldName: string;
  /** The read to remove (VT-d), if any. */
  read: { ifStmt: SyntaxNode; local: NonNullable<ReturnType<typeof localDeclaration>> } | null;
  /** False when drvdata has another use, or the body already uses `flags` for something else: the kit reports it. */
  ok: boolean;
}

function bodyPlan(ctx: FileContext, d: NonNullable<ReturnType<typeof oldDefinition>>): BodyPlan | null {
  if (!d.oldName) return null;
  const found = findDrvdataRead(d.body, d.oldName);
  let read: BodyPlan['read'] = null;
  if (found) {
    const local = localDeclaration(d.body, found.local);
    const initOk = local && (local.init === null || local.init.text === '0') && isIntegerType(declarationType(local.decl));
    const assignedBefore = identifiersNamed(d.body, found.local).some(
      (u) => u.parent?.type === 'assignment_expression' && u.parent.childForFieldName('left')?.id === u.id && u.startIndex < found.ifStmt.startIndex,
    );
    if (local && initOk && !assignedBefore) read = { ifStmt: found.ifStmt, local };
  }
  const inRead = (u: SyntaxNode) => read !== null && u.startIndex >= read.ifStmt.startIndex && u.endIndex <= read.ifStmt.endIndex;
  const other = identifiersNamed(d.body, d.oldName).some((u) => {
    if (inRead(u)) return false;
    const call = u.parent?.parent;
    return !(u.parent?.type === 'argument_list' && call?.type === 'call_expression' && isBindCall(ctx, call) && callArguments(call)[2]?.id === u.id);
  });
  const clash = read === null && identifiersNamed(d.body, NEW_PARAM_NAME).length > 0;
  return { oldName: d.oldName, read, ok: !other && !clash };
}

/**
 * When `fn` is a bind function of the old form (the API's definition or an
 * implementation's): its old parameter's name, and whether the kit converts
 * it, and with it the calls forwarding the parameter
 * (`ops->sva_bind(dev, mm, drvdata)` → `flags`).
 */
export function forwardedParam(ctx: FileContext, fn: SyntaxNode): { name: string; ok: boolean } | null {
  const name = ofType(fn, 'function_declarator')[0]?.childForFieldName('declarator');
  if (!name || (name.text !== API && !(name.text in ctx.facts.implementations))) return null;
  const d = oldDefinition(name);
  const plan = d ? bodyPlan(ctx, d) : null;
  return plan ? { name: plan.oldName, ok: plan.ok } : null;
}

/**
 * Before the kit: VT-d's read of the flags through drvdata goes, and the
 * parameter takes the local's place (the kit names it `flags`):
 *   unsigned int flags = 0;                     (deleted)
 *   if (drvdata)                                (deleted)
 *           flags = *(unsigned int *)drvdata;
 * Only when drvdata has no other use than forwarding it to the next bind
 * call; otherwise the kit reports the function (drvdata-used).
 */
export function removeDrvdataRead(ctx: FileContext, occ: Occurrence, node: SyntaxNode): void {
  const d = oldDefinition(node);
  const plan = d ? bodyPlan(ctx, d) : null;
  if (!d || !plan?.ok || !plan.read) return;
  const { ifStmt, local } = plan.read;
  // The parameter takes the local's name (the kit's signature, kernel-doc and forwarding calls follow).
  const name = local.declarator.type === 'init_declarator' ? local.declarator.childForFieldName('declarator')!.text : local.declarator.text;
  if (name !== NEW_PARAM_NAME) ctx.kit.nameParam(d.def, plan.oldName, name);
  const del = deleteDeclarator(ctx.text, local.decl, local.declarator);
  const ifLines = wholeLines(ctx.text, ifStmt.startIndex, ifStmt.endIndex);
  const ranges = [...(del?.lines ? [del.lines] : []), ...(ifLines ? [ifLines] : [])];
  ctx.edit(...(del?.edits ?? []), ...deleteLineRanges(ctx.text, ranges));
  ctx.site(ifStmt.startIndex, d.kind, 'rewritten', 'drvdata-read-removed');
}

/**
 * After the kit: an implementation the kit converted that never looked at
 * drvdata supports no flag, and the tightened API makes it reject any (a
 * declared behaviour change). Config stubs only change signature.
 */
export function rejectFlags(ctx: FileContext, occ: Occurrence, node: SyntaxNode): void {
  const d = oldDefinition(node);
  if (!d || d.kind !== 'implementation') return;
  if (!ctx.sites.some((s) => s.offset === occ.offset && s.action === 'rewritten' && s.code === 'signature')) return;
  if (d.oldName && identifiersNamed(d.body, d.oldName).length > 0) return;
  insertReject(ctx, d.body, occ.name);
}

/**
 * A member named sva_bind in a struct other than iommu_ops, with a function
 * type: not the API, for a person to look at (the kit leaves other structs'
 * members alone).
 */
export function handleOtherMember(ctx: FileContext, occ: Occurrence, node: SyntaxNode): void {
  const fieldDecl = findAncestor(node, 'field_declaration');
  if (!fieldDecl) return;
  const fd = ofType(fieldDecl, 'function_declarator').find(
    (f) => f.startIndex <= node.startIndex && node.endIndex <= (f.childForFieldName('parameters')?.startIndex ?? 0),
  );
  if (!fd) return;
  const struct = findAncestor(fieldDecl, 'struct_specifier');
  if (struct?.childForFieldName('name')?.text === OPS_STRUCT) {
    ctx.handledDeclarators.add(fd.id); // the kit's member change
    return;
  }
  ctx.end(occ, 'fn-pointer', 'manual', 'fn-pointer', { what: `member ${occ.name}` });
}

/** True when `call` is a call of the API, of an implementation, or through `->sva_bind`. */
export function isBindCall(ctx: FileContext, call: SyntaxNode): boolean {
  const fn = call.childForFieldName('function');
  if (!fn) return false;
  if (fn.type === 'identifier') return fn.text === API || fn.text in ctx.facts.implementations;
  if (fn.type === 'field_expression') return fn.childForFieldName('field')?.text === OPS_FIELD;
  return false;
}

/**
 * The read this migration makes obsolete, in the implementation's body:
 *   unsigned int flags = 0;
 *   ...
 *   if (drvdata)
 *           flags = *(unsigned int *)drvdata;
 */
function findDrvdataRead(body: SyntaxNode, param: string): { ifStmt: SyntaxNode; local: string } | null {
  for (const stmt of body.namedChildren) {
    if (stmt.type !== 'if_statement' || stmt.childForFieldName('alternative')) continue;
    const cond = unparen(stmt.childForFieldName('condition')!);
    if (cond.type !== 'identifier' || cond.text !== param) continue;
    const cons = stmt.childForFieldName('consequence');
    const assign = cons?.type === 'expression_statement' ? cons.namedChildren[0] : null;
    if (!assign || assign.type !== 'assignment_expression' || assign.child(1)?.type !== '=') continue;
    const left = assign.childForFieldName('left');
    const right = unparen(assign.childForFieldName('right')!);
    if (left?.type !== 'identifier' || right.type !== 'pointer_expression' || right.child(0)?.type !== '*') continue;
    const cast = unparen(right.childForFieldName('argument')!);
    if (cast.type !== 'cast_expression') continue;
    const castType = cast.childForFieldName('type')?.text.replace(/\s+/g, ' ');
    const value = unparen(cast.childForFieldName('value')!);
    if (!castType || !/^(unsigned int|unsigned|u32|int) \*$/.test(castType) || value.text !== param) continue;
    return { ifStmt: stmt, local: left.text };
  }
  return null;
}

/** The declaration (directly in `body`) of local `name`, and its declarator. */
function localDeclaration(body: SyntaxNode, name: string): { decl: SyntaxNode; declarator: SyntaxNode; init: SyntaxNode | null } | null {
  for (const stmt of body.namedChildren) {
    if (stmt.type !== 'declaration') continue;
    for (const d of stmt.childrenForFieldName('declarator')) {
      if (d.type === 'identifier' && d.text === name) return { decl: stmt, declarator: d, init: null };
      if (d.type === 'init_declarator' && d.childForFieldName('declarator')?.text === name) {
        return { decl: stmt, declarator: d, init: d.childForFieldName('value') };
      }
    }
  }
  return null;
}

/**
 * Insert `if (flags) return ERR_PTR(-EINVAL);` after the leading declarations,
 * above the first statement and the comments that belong to it.
 */
function insertReject(ctx: FileContext, body: SyntaxNode, fnName: string): void {
  const children = body.namedChildren;
  const firstIdx = children.findIndex((c) => c.type !== 'declaration' && c.type !== 'comment');
  let anchor: SyntaxNode | null = firstIdx >= 0 ? children[firstIdx]! : null;
  for (let i = firstIdx - 1; anchor && i >= 0 && children[i]!.type === 'comment'; i--) anchor = children[i]!;
  const text = ctx.text;
  const nl = eol(text);
  let at: number;
  let indent: string;
  if (anchor) {
    at = lineStartOf(text, anchor.startIndex);
    indent = text.slice(at, anchor.startIndex);
  } else {
    at = lineStartOf(text, body.endIndex - 1);
    indent = '\t';
  }
  if (!/^[ \t]*$/.test(indent) || indent === '') indent = '\t';
  const prevLine = text.slice(lineStartOf(text, Math.max(at - 1, 0)), Math.max(at - 1, 0));
  const hasDecls = children.some((s) => s.type === 'declaration' && s.endIndex <= at);
  const needBlankBefore = hasDecls && prevLine.trim() !== '';
  // One level deeper than the statement: a tab where the file uses tabs, the same width in spaces where it uses spaces.
  const inner = indent + (indent.includes('\t') ? '\t' : indent);
  const insert = (needBlankBefore ? nl : '') + `${indent}if (flags)${nl}${inner}return ERR_PTR(-EINVAL);${nl}` + (anchor ? nl : '');
  // A caller passing a flag used to bind and now gets -EINVAL: the one change of behaviour (declared).
  ctx.edit({ start: at, end: at, text: insert, changesBehaviour: true });
  ctx.site(anchor ? anchor.startIndex : body.startIndex, 'implementation', 'rewritten', 'rejects-flags', { fn: fnName });
}

/**
 * Function pointers and typedefs that still have the old type:
 *   struct iommu_sva *(*bind)(struct device *, struct mm_struct *, void *);
 *   typedef struct iommu_sva *(bind_fn)(struct device *, struct mm_struct *, void *);
 */
export function reportOldFnPointers(ctx: FileContext): void {
  for (const fd of declaratorsNearIommuSva(ctx)) {
    if (ctx.handledDeclarators.has(fd.id)) continue;
    const inner = fd.childForFieldName('declarator');
    const isPointer = inner?.type === 'parenthesized_declarator';
    const isTypedef = findAncestor(fd, 'type_definition') !== null;
    if (!isPointer && !isTypedef) continue;
    const params = parameters(fd);
    if (params.length !== 3) continue;
    const [a, b, c] = params.map(paramShape);
    if (a?.base !== 'struct device' || b?.base !== 'struct mm_struct' || c?.base !== 'void' || c.pointerDepth !== 1) continue;
    const owner = findAncestor(fd, FN_POINTER_OWNERS);
    if (!owner || !/iommu_sva/.test(owner.text.slice(0, fd.startIndex - owner.startIndex + 1))) continue;
    const name = ofType(inner ?? fd, ['identifier', 'field_identifier', 'type_identifier'])[0];
    ctx.site(fd.startIndex, 'fn-pointer', 'manual', 'fn-pointer', { what: isTypedef ? `typedef ${name?.text ?? ''}` : `function pointer ${name?.text ?? ''}` });
  }
}

const FN_POINTER_OWNERS = ['declaration', 'field_declaration', 'type_definition', 'parameter_declaration'];

/**
 * The function declarators reportOldFnPointers must look at: those inside a
 * declaration (or field, typedef, parameter) whose text names iommu_sva.
 * Found from the text's `iommu_sva`s up, not by listing every declarator of
 * the file: the owner that holds such a declarator and the name holds the
 * name too, so it is an ancestor of the name's node.
 */
function declaratorsNearIommuSva(ctx: FileContext): SyntaxNode[] {
  const found = new Map<number, SyntaxNode>();
  const { text, root } = ctx.file;
  for (let off = text.indexOf('iommu_sva'); off >= 0; off = text.indexOf('iommu_sva', off + 1)) {
    for (let n: SyntaxNode | null = root.descendantForIndex(off, off + 'iommu_sva'.length); n; n = n.parent) {
      if (!FN_POINTER_OWNERS.includes(n.type)) continue;
      for (const fd of ofType(n, 'function_declarator')) found.set(fd.id, fd);
    }
  }
  return [...found.values()].sort((a, b) => a.startIndex - b.startIndex);
}
