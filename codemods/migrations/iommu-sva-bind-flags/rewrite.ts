// One file's rewrite: find every occurrence of the API's names, send each to
// the step that knows its shape, and make sure each ends somewhere.
import { ofType, findAncestor, isCommentOrString, isInsideError, wordOccurrences, type SyntaxNode } from '../../c/index.js';
import { deleteLineRanges, wholeLines } from '../../engine/layout.js';
import type { SourceFile } from '../../engine/migration.js';
import { handleCall } from './calls.js';
import { FileContext, type Occurrence, type Role } from './context.js';
import type { Facts } from './facts.js';
import { registrationOf } from './facts.js';
import { handleFunctionName, handleOpsMember, reportOldFnPointers } from './functions.js';
import {
  API,
  FLAG_MAP,
  OLD_FLAG_INCLUDE,
  OLD_FLAG_PREFIX,
  OPS_FIELD,
} from './meta.js';

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

  // 1. Declarators first: calls inside a bind function need its plan.
  for (const occ of code) {
    const node = nodes.get(occ.offset)!;
    if (isInsideError(node)) {
      ctx.end(occ, 'other', 'manual', 'error-node');
      continue;
    }
    if (occ.role === 'api' || occ.role === 'impl') handleFunctionName(ctx, occ, node);
    else if (occ.role === 'field' && node.type === 'field_identifier' && findAncestor(node, 'field_declaration')) handleOpsMember(ctx, occ, node);
  }
  // 2. Calls, registrations and other uses.
  for (const occ of code) {
    if (ctx.ended.has(occ.offset) || occ.role === 'flag') continue;
    handleUse(ctx, occ, nodes.get(occ.offset)!);
  }
  reportOldFnPointers(ctx);
  // 3. (The new define is the kit's add-define, in migration.yaml.)
  // 4. Old flags in code: renamed, or gone with a deleted statement.
  for (const occ of code) {
    if (occ.role !== 'flag' || ctx.ended.has(occ.offset)) continue;
    handleFlag(ctx, occ, nodes.get(occ.offset)!);
  }
  // 5. The old header's include, where nothing from it is used any more.
  removeOldInclude(ctx, nodes);
  // 6. (The old define goes with the kit's remove-define, in migration.yaml.)
}

/** After the kit's primitives: comments, strings, macro bodies, and whatever no step recognised. */
export function finishFile(ctx: FileContext): void {
  const { occs, nodes } = occurrencesOf(ctx.file, ctx.facts);
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
 * Non-declarator uses of the API's names:
 *   iommu_sva_bind_device(dev, mm, NULL)        call
 *   ops->sva_bind(dev, mm, drvdata)             call through the ops table
 *   .sva_bind = intel_svm_bind                  registration
 *   if (!ops->sva_bind)                         a test of the pointer
 *   EXPORT_SYMBOL_GPL(iommu_sva_bind_device)    export
 */
function handleUse(ctx: FileContext, occ: Occurrence, node: SyntaxNode): void {
  const parent = node.parent;
  if (!parent) return;
  if (occ.role === 'api' || occ.role === 'impl') {
    if (parent.type === 'call_expression' && parent.childForFieldName('function')?.id === node.id) {
      handleCall(ctx, occ, parent);
      return;
    }
    const outer = parent.parent;
    if (parent.type === 'argument_list' && outer?.type === 'call_expression' && /^EXPORT_SYMBOL(_GPL|_NS|_NS_GPL)?$/.test(outer.childForFieldName('function')?.text ?? '')) {
      ctx.end(occ, 'other', 'unchanged', 'export-symbol');
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
    if (parent.type === 'field_expression') {
      const call = parent.parent;
      if (call?.type === 'call_expression' && call.childForFieldName('function')?.id === parent.id) handleCall(ctx, occ, call);
      else ctx.end(occ, 'other', 'unchanged', 'ops-test');
    }
  }
}

/** True when `value` is the right-hand side of a `.sva_bind = value` registration. */
function registrationOfValue(value: SyntaxNode): boolean {
  const p = value.parent!;
  const field = p.type === 'initializer_pair' ? p.childForFieldName('designator')?.namedChildren[0] : p.childForFieldName('left')?.childForFieldName('field');
  return field?.text === OPS_FIELD && registrationOf(field)?.id === value.id;
}

/** SVM_FLAG_SUPERVISOR_MODE in code → IOMMU_SVA_BIND_SUPERVISOR. */
function handleFlag(ctx: FileContext, occ: Occurrence, node: SyntaxNode): void {
  const end = occ.offset + occ.name.length;
  if (ctx.claimed(occ.offset, end)) {
    ctx.end(occ, 'other', 'rewritten', 'flag-assignment-removed', { old: occ.name });
    return;
  }
  const parent = node.parent;
  if (parent?.type === 'preproc_def' && parent.childForFieldName('name')?.id === node.id) return; // the define: step 6
  if (isInsideError(node)) return; // step 7 reports it
  const mapped = FLAG_MAP[occ.name];
  if (!mapped) {
    ctx.end(occ, 'other', 'manual', 'unknown-flag');
    return;
  }
  ctx.edit({ start: occ.offset, end, text: mapped });
  ctx.end(occ, 'other', 'rewritten', 'flag-renamed', { old: occ.name, new: mapped });
}

/**
 * #include <linux/intel-svm.h> goes when this file used an old flag, the
 * migration removed or renamed every such use, and nothing else the header
 * defines is used any more.
 */
function removeOldInclude(ctx: FileContext, nodes: Map<number, SyntaxNode>): void {
  const flagSites = ctx.sites.filter((s) => s.code === 'flag-renamed' || s.code === 'flag-assignment-removed');
  if (flagSites.length === 0 || ctx.facts.oldHeaderNames.length === 0) return;
  const include = ofType(ctx.file.root, 'preproc_include').find(
    (n) => n.childForFieldName('path')?.text === `<${OLD_FLAG_INCLUDE}>`,
  );
  if (!include) return;
  for (const name of ctx.facts.oldHeaderNames) {
    for (const off of wordOccurrences(ctx.text, name)) {
      const node = nodes.get(off) ?? ctx.file.root.descendantForIndex(off, off + name.length);
      if (isCommentOrString(node)) continue;
      if (ctx.edits.some((e) => off >= e.start && off + name.length <= e.end)) continue; // renamed or deleted
      return; // still used
    }
  }
  const lines = wholeLines(ctx.text, include.startIndex, include.endIndex - (ctx.text[include.endIndex - 1] === '\n' ? 1 : 0));
  if (!lines) return;
  ctx.edit(...deleteLineRanges(ctx.text, [lines]).map((e) => ({ ...e, step: 'remove-unused' as const })));
  ctx.site(include.startIndex, 'other', 'rewritten', 'include-removed', { header: OLD_FLAG_INCLUDE });
}
