// Signatures: the API's definition, prototypes and stubs; implementations
// reached through ops tables; the ops member; kernel-doc; implementation
// bodies (the drvdata read removed, or flags rejected where none is supported).
import {
  callArguments,
  ofType,
  findAncestor,
  functionBody,
  identifiersNamed,
  lineStartOf,
  lineTextAt,
  paramShape,
  parameters,
  unparen,
  type SyntaxNode,
} from '../../c/index.js';
import { deleteDeclarator, deleteLineRanges, eol, wholeLines, wrapListEdits } from '../../engine/layout.js';
import type { SiteKind } from '../../engine/types.js';
import type { FileContext, FnPlan, Occurrence } from './context.js';
import { declarationType, isIntegerType } from './types.js';
import { API, KERNEL_DOC_FLAGS, NEW_PARAM_NAME, NEW_PARAM_TYPE, OPS_FIELD, OPS_STRUCT } from './meta.js';

type ParamState = 'old' | 'new' | 'other';

function paramState(param: SyntaxNode): ParamState {
  const s = paramShape(param);
  if (s.base === 'void' && s.pointerDepth === 1) return 'old';
  if (s.pointerDepth === 0 && /^(unsigned int|unsigned|u32)$/.test(s.base)) return 'new';
  return 'other';
}

/** `static inline` definitions are config stubs. */
function isStub(def: SyntaxNode): boolean {
  const specs = def.namedChildren.filter((c) => c.type === 'storage_class_specifier').map((c) => c.text);
  return specs.includes('static') && specs.includes('inline');
}

/**
 * A name occurrence that is the declarator of a function:
 *   struct iommu_sva *iommu_sva_bind_device(struct device *dev, ..., void *drvdata) { ... }
 *   struct iommu_sva *intel_svm_bind(struct device *dev, ..., void *drvdata);
 * Returns false when the occurrence is not one.
 */
export function handleFunctionName(ctx: FileContext, occ: Occurrence, node: SyntaxNode): boolean {
  const fd = node.parent;
  if (!fd || fd.type !== 'function_declarator' || fd.childForFieldName('declarator')?.id !== node.id) return false;
  ctx.handledDeclarators.add(fd.id);
  let container: SyntaxNode | null = fd.parent;
  while (container && (container.type === 'pointer_declarator' || container.type === 'parenthesized_declarator')) container = container.parent;
  if (!container) return false;
  if (container.type === 'function_definition') {
    const kind: SiteKind = isStub(container) ? 'stub' : occ.role === 'api' ? 'definition' : 'implementation';
    rewriteDefinition(ctx, occ, fd, container, kind);
    return true;
  }
  if (container.type === 'declaration') {
    rewriteSignatureOnly(ctx, occ, fd, 'prototype');
    return true;
  }
  return false;
}

/**
 * The ops member:
 *   struct iommu_ops { ... struct iommu_sva *(*sva_bind)(struct device *dev, struct mm_struct *mm, void *drvdata); ... };
 */
export function handleOpsMember(ctx: FileContext, occ: Occurrence, node: SyntaxNode): boolean {
  const fieldDecl = findAncestor(node, 'field_declaration');
  if (!fieldDecl) return false;
  const fd = ofType(fieldDecl, 'function_declarator').find(
    (f) => f.startIndex <= node.startIndex && node.endIndex <= (f.childForFieldName('parameters')?.startIndex ?? 0),
  );
  if (!fd) return false;
  const struct = findAncestor(fieldDecl, 'struct_specifier');
  if (struct?.childForFieldName('name')?.text !== OPS_STRUCT) {
    ctx.end(occ, 'fn-pointer', 'manual', 'fn-pointer', { what: `member ${occ.name}` });
    return true;
  }
  ctx.handledDeclarators.add(fd.id);
  rewriteSignatureOnly(ctx, occ, fd, 'ops-member');
  return true;
}

function thirdParam(ctx: FileContext, occ: Occurrence, fd: SyntaxNode, kind: SiteKind): SyntaxNode | null {
  const params = parameters(fd);
  const p3 = params[2];
  if (params.length !== 3 || !p3) {
    ctx.end(occ, kind, 'manual', 'signature-unexpected', { param: `a list of ${params.length} parameters` });
    return null;
  }
  const state = paramState(p3);
  if (state === 'new') {
    ctx.end(occ, kind, 'unchanged', 'signature-already-flags');
    return null;
  }
  if (state === 'other') {
    ctx.end(occ, kind, 'manual', 'signature-unexpected', { param: p3.text });
    return null;
  }
  return p3;
}

function replaceParam(ctx: FileContext, fd: SyntaxNode, p3: SyntaxNode, newName: string | null): void {
  const edit = { start: p3.startIndex, end: p3.endIndex, text: newName ? `${NEW_PARAM_TYPE} ${newName}` : NEW_PARAM_TYPE };
  ctx.edit(edit, ...wrapListEdits(ctx.text, fd.childForFieldName('parameters')!, [edit]));
}

function rewriteSignatureOnly(ctx: FileContext, occ: Occurrence, fd: SyntaxNode, kind: SiteKind): void {
  const p3 = thirdParam(ctx, occ, fd, kind);
  if (!p3) return;
  const shape = paramShape(p3);
  replaceParam(ctx, fd, p3, shape.name === null ? null : NEW_PARAM_NAME);
  ctx.end(occ, kind, 'rewritten', 'signature', { param: shape.name ?? '', name: NEW_PARAM_NAME });
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

function rewriteDefinition(ctx: FileContext, occ: Occurrence, fd: SyntaxNode, def: SyntaxNode, kind: SiteKind): void {
  const p3 = thirdParam(ctx, occ, fd, kind);
  if (!p3) return;
  const oldName = paramShape(p3).name;
  const body = functionBody(def);
  if (!body) return;
  const fnName = occ.name;
  const fail = (code: 'drvdata-used' | 'name-conflict', params: Record<string, string>) => {
    ctx.fnPlans.set(def.id, { ok: false, oldName });
    ctx.end(occ, kind, 'manual', code, { fn: fnName, param: oldName ?? '', ...params });
  };

  // Uses of the old parameter: the read pattern, forwarding to the next
  // bind callback, or something this migration cannot map.
  let newName = NEW_PARAM_NAME;
  const bodyEdits: Array<() => void> = [];
  const uses = oldName ? identifiersNamed(body, oldName) : [];
  const read = oldName ? findDrvdataRead(body, oldName) : null;
  let readAccepted = false;
  if (read) {
    const local = localDeclaration(body, read.local);
    const initOk = local && (local.init === null || local.init.text === '0') && isIntegerType(declarationType(local.decl));
    const assignedBefore = identifiersNamed(body, read.local).some(
      (u) => u.parent?.type === 'assignment_expression' && u.parent.childForFieldName('left')?.id === u.id && u.startIndex < read.ifStmt.startIndex,
    );
    if (local && initOk && !assignedBefore) {
      readAccepted = true;
      newName = read.local;
      bodyEdits.push(() => {
        const del = deleteDeclarator(ctx.text, local.decl, local.declarator);
        const ifLines = wholeLines(ctx.text, read.ifStmt.startIndex, read.ifStmt.endIndex);
        const ranges = [...(del?.lines ? [del.lines] : []), ...(ifLines ? [ifLines] : [])];
        ctx.edit(...(del?.edits ?? []), ...deleteLineRanges(ctx.text, ranges));
        ctx.site(read.ifStmt.startIndex, kind, 'rewritten', 'drvdata-read-removed');
      });
    }
  }
  const inRead = (u: SyntaxNode) => readAccepted && read !== null && u.startIndex >= read.ifStmt.startIndex && u.endIndex <= read.ifStmt.endIndex;
  for (const u of uses) {
    if (inRead(u)) continue;
    const call = u.parent?.parent;
    if (u.parent?.type === 'argument_list' && call?.type === 'call_expression' && isBindCall(ctx, call) && callArguments(call)[2]?.id === u.id) continue;
    fail('drvdata-used', { how: `line ${u.startPosition.row + 1}: ${lineTextAt(ctx.text, u.startIndex).trim()}` });
    return;
  }
  if (!readAccepted && identifiersNamed(body, newName).length > 0) {
    fail('name-conflict', { name: newName });
    return;
  }

  ctx.fnPlans.set(def.id, { ok: true, oldName, newName } satisfies FnPlan);
  replaceParam(ctx, fd, p3, newName);
  ctx.end(occ, kind, 'rewritten', 'signature', { param: oldName ?? '', name: newName });
  for (const e of bodyEdits) e();

  // An implementation that never looked at drvdata supports no flag: the
  // tightened API makes it reject any (a declared behaviour change).
  if (kind === 'implementation' && uses.length === 0) insertReject(ctx, body, fnName);
  if (oldName) rewriteKernelDoc(ctx, def, oldName, newName);
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
 * The kernel-doc comment right above a definition:
 *   /**
 *    * iommu_sva_bind_device() - ...
 *    * @drvdata: opaque data pointer to pass to bind callback
 */
function rewriteKernelDoc(ctx: FileContext, def: SyntaxNode, oldName: string, newName: string): void {
  const prev = def.previousNamedSibling;
  if (!prev || prev.type !== 'comment' || !prev.text.startsWith('/**')) return;
  if (ctx.text.slice(prev.endIndex, def.startIndex).trim() !== '') return;
  // The entry is its `@drvdata:` line and any continuation lines after it
  // (more text that is not a new `@name:`, a blank ` *` line, or the end).
  const re = new RegExp(`^([ \\t]*\\*[ \\t]*)@${oldName}:[^\\r\\n]*((\\r?\\n[ \\t]*\\*[ \\t]+(?!@)[^\\s*/][^\\r\\n]*)*)`, 'm');
  const m = re.exec(prev.text);
  if (!m) return;
  const start = prev.startIndex + m.index + m[1]!.length;
  const end = prev.startIndex + m.index + m[0].length;
  const doc = newName === NEW_PARAM_NAME ? KERNEL_DOC_FLAGS : KERNEL_DOC_FLAGS.replace('@flags', `@${newName}`);
  ctx.edit({ start, end, text: doc });
  ctx.site(start, 'definition', 'rewritten', 'kernel-doc', { param: oldName, name: newName });
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
