// One file's rewrite: find every occurrence of the API's names and send
// each to the code that knows its shape: before the kit's changes
// (migration.yaml) what only this step knows, after them what needs their
// result, and make sure each ends somewhere.
import { findAncestor, isCommentOrString, isInsideError, ofType, wordOccurrences, type SyntaxNode } from '../../c/index.js';
import type { SourceFile } from '../../engine/migration.js';
import { handleCall } from './calls.js';
import { FileContext, type Occurrence, type Role } from './context.js';
import type { Facts } from './facts.js';
import { render } from './messages.js';
import { registrationOf } from './facts.js';
import { handleOtherMember, rejectFlags, removeDrvdataRead, reportOldFnPointers } from './functions.js';
import { API, FLAG_MAP, OLD_FLAG_PREFIX, OPS_FIELD } from './meta.js';

/** The distinct old-flag names (SVM_FLAG_*) a text mentions, anywhere. */
export function oldFlagNames(text: string): Set<string> {
  return new Set(text.match(new RegExp(`\\b${OLD_FLAG_PREFIX}\\w+`, 'g')) ?? []);
}

export function findOccurrences(text: string, facts: Facts): Occurrence[] {
  const out: Occurrence[] = [];
  const add = (name: string, role: Role) => {
    for (const offset of wordOccurrences(text, name)) out.push({ offset, name, role });
  };
  add(API, 'api');
  for (const impl of Object.keys(facts.implementations)) if (impl !== API) add(impl, 'impl');
  add(OPS_FIELD, 'field');
  for (const name of oldFlagNames(text)) add(name, 'flag');
  return out.sort((a, b) => a.offset - b.offset);
}

/** The occurrences of a file, and the node at each. */
function occurrencesOf(file: SourceFile, facts: Facts): { occs: Occurrence[]; nodes: Map<number, SyntaxNode> } {
  const occs = findOccurrences(file.text, facts);
  const nodes = new Map<number, SyntaxNode>();
  for (const occ of occs) nodes.set(occ.offset, file.root.descendantForIndex(occ.offset, occ.offset + occ.name.length));
  return { occs, nodes };
}

/** Before the kit's primitives: every occurrence of the API's names this step knows the shape of. */
export function rewriteFile(ctx: FileContext): void {
  const { file, facts } = ctx;
  const { occs, nodes } = occurrencesOf(file, facts);
  const code = occs.filter((o) => {
    const n = nodes.get(o.offset)!;
    return !isCommentOrString(n) && (n.type === 'identifier' || n.type === 'field_identifier') && n.startIndex === o.offset;
  });
  const past = pastMigration(facts);
  if (past) {
    // A tree whose API already moved past this migration: every occurrence is
    // explained, and the one declaration that shows it says why, once.
    for (const occ of occs) {
      const node = nodes.get(occ.offset)!;
      if (isCommentOrString(node)) ctx.end(occ, 'other', 'unchanged', node.type === 'comment' ? 'in-comment' : 'in-string');
      else if (file.path === past.path && ctx.file.lines.position(occ.offset).line === past.line && occ.role === 'api') {
        ctx.end(occ, 'prototype', 'unchanged', 'api-past-migration', { count: past.params });
        ctx.sites[ctx.sites.length - 1]!.notice = true;
      } else ctx.end(occ, 'other', 'unchanged', 'api-past-migration-use', { where: `${past.path}:${past.line}` });
    }
    return;
  }

  // 1. Bodies the kit cannot follow: VT-d's read of drvdata goes first (the
  // kit then converts the function); members of other structs.
  for (const occ of code) {
    const node = nodes.get(occ.offset)!;
    if (isInsideError(node)) {
      ctx.end(occ, 'other', 'manual', 'error-node');
      continue;
    }
    if (occ.role === 'api' || occ.role === 'impl') removeDrvdataRead(ctx, occ, node);
    else if (occ.role === 'field' && node.type === 'field_identifier' && findAncestor(node, 'field_declaration')) handleOtherMember(ctx, occ, node);
  }
  // 2. Calls whose third argument the kit's rules do not cover, registrations.
  for (const occ of code) {
    if (ctx.ended.has(occ.offset) || occ.role === 'flag') continue;
    handleUse(ctx, occ, nodes.get(occ.offset)!);
  }
  reportOldFnPointers(ctx);
  // 3. Old flags the kit's rename must not touch: in a macro body, in code
  // tree-sitter cannot parse, gone with a deleted statement, or unknown.
  for (const occ of occs) {
    if (occ.role !== 'flag' || ctx.ended.has(occ.offset)) continue;
    handleFlag(ctx, occ, nodes.get(occ.offset)!);
  }
  // (The kit: signatures, kernel-doc, NULL callers, the flag renamed, the include and the old define.)
}

/** After the kit's primitives: SMMUv3's reject; comments, strings, macro bodies, and whatever no step recognised. */
export function finishFile(ctx: FileContext): void {
  const { occs, nodes } = occurrencesOf(ctx.file, ctx.facts);
  if (pastMigration(ctx.facts)) return;
  keepReadsOfUnconverted(ctx);
  for (const occ of occs) if (occ.role === 'impl' && ctx.ended.has(occ.offset)) rejectFlags(ctx, occ, nodes.get(occ.offset)!);
  for (const occ of occs) {
    if (ctx.ended.has(occ.offset)) continue;
    const node = nodes.get(occ.offset)!;
    if (ctx.claimed(occ.offset, occ.offset + occ.name.length)) {
      ctx.end(occ, occ.role === 'flag' ? 'define' : 'other', 'rewritten', occ.role === 'flag' ? 'define-removed' : 'flag-assignment-removed', {
        old: occ.name,
      });
    } else if (isCommentOrString(node)) {
      ctx.end(occ, 'other', 'unchanged', node.type === 'comment' ? 'in-comment' : 'in-string');
    } else if (node.type === 'preproc_arg' || findAncestor(node, 'preproc_arg')) {
      ctx.end(occ, 'macro-body', 'manual', 'macro-body');
    } else if (isInsideError(node)) {
      ctx.end(occ, 'other', 'manual', 'error-node');
    } else {
      ctx.end(occ, 'other', 'manual', 'unrecognized');
    }
  }
}

/**
 * A read of drvdata removed before the kit, in a function the kit then did
 * not convert (registered elsewhere too, half converted): the read stays, and
 * its site says so.
 */
function keepReadsOfUnconverted(ctx: FileContext): void {
  for (const site of ctx.sites) {
    if (site.code !== 'drvdata-read-removed' || site.path !== ctx.file.path || site.offset === undefined) continue;
    const def = findAncestor(ctx.file.root.descendantForIndex(site.offset, site.offset + 1), 'function_definition');
    const name = def ? ofType(def, 'function_declarator')[0]?.childForFieldName('declarator') : undefined;
    if (!name || ctx.sites.some((s) => s.offset === name.startIndex && s.action === 'rewritten' && s.code === 'signature')) continue;
    for (let i = ctx.edits.length - 1; i >= 0; i--) if (ctx.edits[i]!.sites?.includes(site.id!)) ctx.edits.splice(i, 1);
    Object.assign(site, { action: 'unchanged', code: 'drvdata-read-kept', message: render('drvdata-read-kept', { fn: name.text }) });
  }
}

/**
 * The declaration that shows the tree is past this migration: the API is
 * declared, and never with three parameters (`iommu_sva_bind_device(dev, mm)`,
 * Linux 6.3 and later). The one in include/linux/iommu.h when there is one.
 */
export function pastMigration(facts: Facts): Facts['apiDeclarations'][number] | null {
  const decls = facts.apiDeclarations;
  if (decls.length === 0 || decls.some((d) => d.params === 3)) return null;
  const order = (d: (typeof decls)[number]) => `${d.path === API_HEADER ? 0 : 1}:${d.path}:${String(d.line).padStart(9, '0')}`;
  return [...decls].sort((a, b) => order(a).localeCompare(order(b)))[0]!;
}

const API_HEADER = 'include/linux/iommu.h';

/**
 * Non-declarator uses of the API's names, before the kit (which does the rest):
 *   iommu_sva_bind_device(dev, mm, NULL)        call
 *   ops->sva_bind(dev, mm, drvdata)             call through the ops table
 *   .sva_bind = intel_svm_bind                  registration
 * (a test of the pointer `if (!ops->sva_bind)` and an export are the kit's).
 */
function handleUse(ctx: FileContext, occ: Occurrence, node: SyntaxNode): void {
  const parent = node.parent;
  if (!parent) return;
  if (occ.role === 'api' || occ.role === 'impl') {
    if (parent.type === 'call_expression' && parent.childForFieldName('function')?.id === node.id) {
      handleCall(ctx, occ, parent);
      return;
    }
    if ((parent.type === 'initializer_pair' || parent.type === 'assignment_expression') && registrationOfValue(node)) {
      ctx.end(occ, 'other', 'unchanged', 'ops-initializer');
    }
    return;
  }
  if (occ.role === 'field') {
    const impl = registrationOf(node);
    if (impl) {
      ctx.end(occ, 'other', 'unchanged', 'ops-initializer', { name: impl.text });
      return;
    }
    // A read of the pointer (`if (!ops->sva_bind)`) is the kit's (reportReads: ops-test).
    const call = parent.parent;
    if (parent.type === 'field_expression' && call?.type === 'call_expression' && call.childForFieldName('function')?.id === parent.id) handleCall(ctx, occ, call);
  }
}

/** True when `value` is the right-hand side of a `.sva_bind = value` registration. */
function registrationOfValue(value: SyntaxNode): boolean {
  const p = value.parent!;
  const field = p.type === 'initializer_pair' ? p.childForFieldName('designator')?.namedChildren[0] : p.childForFieldName('left')?.childForFieldName('field');
  return field?.text === OPS_FIELD && registrationOf(field)?.id === value.id;
}

/**
 * An old flag the kit's rename (SVM_FLAG_SUPERVISOR_MODE →
 * IOMMU_SVA_BIND_SUPERVISOR) must not handle: one in a deleted statement, in
 * a macro body (for a person), in code tree-sitter cannot parse, or one with
 * no new name.
 */
function handleFlag(ctx: FileContext, occ: Occurrence, node: SyntaxNode): void {
  const end = occ.offset + occ.name.length;
  if (ctx.claimed(occ.offset, end)) {
    ctx.end(occ, 'other', 'rewritten', 'flag-assignment-removed', { old: occ.name });
    return;
  }
  if (isCommentOrString(node)) return; // the kit's: in-comment, in-string
  const parent = node.parent;
  if (parent?.type === 'preproc_def' && parent.childForFieldName('name')?.id === node.id) return; // the define: remove-define
  if (node.type === 'preproc_arg' || findAncestor(node, 'preproc_arg')) ctx.end(occ, 'macro-body', 'manual', 'macro-body');
  else if (isInsideError(node)) ctx.end(occ, 'other', 'manual', 'error-node');
  else if (!FLAG_MAP[occ.name]) ctx.end(occ, 'other', 'manual', 'unknown-flag');
}
