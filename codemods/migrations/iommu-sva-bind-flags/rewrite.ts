// One file's rewrite: find every occurrence of the API's names, send each to
// the step that knows its shape, and make sure each ends somewhere.
import { ofType, findAncestor, isCommentOrString, isInsideError, lineEndOf, wordOccurrences, type SyntaxNode } from '../../c/index.js';
import { deleteLineRanges, wholeLines, withEol } from '../../engine/layout.js';
import type { FileRewrite, SourceFile } from '../../engine/migration.js';
import { handleCall } from './calls.js';
import { FileContext, type Occurrence, type Role } from './context.js';
import type { Facts } from './facts.js';
import { registrationOf } from './facts.js';
import { handleFunctionName, handleOpsMember, reportOldFnPointers } from './functions.js';
import {
  API,
  FLAG_MAP,
  NEW_DEFINE_ANCHOR,
  NEW_DEFINE_NAME,
  NEW_DEFINE_TEXT,
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

export function rewriteFile(file: SourceFile, facts: Facts): FileRewrite {
  const ctx = new FileContext(file, facts);
  const occs = findOccurrences(file.text, facts);
  const nodes = new Map<number, SyntaxNode>();
  for (const occ of occs) nodes.set(occ.offset, file.root.descendantForIndex(occ.offset, occ.offset + occ.name.length));
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
    return { edits: [], sites: ctx.sites };
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
  // 3. The new define, in the header that declares the API.
  addNewDefine(ctx, code);
  // 4. Old flags in code: renamed, or gone with a deleted statement.
  for (const occ of code) {
    if (occ.role !== 'flag' || ctx.ended.has(occ.offset)) continue;
    handleFlag(ctx, occ, nodes.get(occ.offset)!);
  }
  // 5. The old header's include, where nothing from it is used any more.
  removeOldInclude(ctx, nodes);
  // 6. The old define itself (deferred file: every other file is done).
  if (file.path === facts.oldFlagHeader) removeOldDefines(ctx, occs, nodes);
  // 7. Comments, strings, macro bodies, and whatever no step recognised.
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
  return { edits: ctx.edits, sites: ctx.sites };
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
 * In the file that declares the API, after
 *   #define IOMMU_PASID_INVALID	(-1U)
 * (outside #ifdef CONFIG_IOMMU_API), add IOMMU_SVA_BIND_SUPERVISOR.
 */
function addNewDefine(ctx: FileContext, code: Occurrence[]): void {
  // Only where this run rewrites the API's own prototype.
  const rewritesApi = ctx.sites.some((s) => s.kind === 'prototype' && s.code === 'signature' && code.some((o) => o.role === 'api' && o.offset === s.offset));
  if (!rewritesApi) return;
  const defs = ofType(ctx.file.root, 'preproc_def');
  const existing = defs.find((d) => d.childForFieldName('name')?.text === NEW_DEFINE_NAME);
  if (existing || ctx.facts.newDefinePresent) return;
  const anchor = defs.find((d) => d.childForFieldName('name')?.text === NEW_DEFINE_ANCHOR && !insideIommuApiIfdef(d));
  const protoSite = ctx.sites.find((s) => s.kind === 'prototype' && s.code === 'signature')!;
  if (!anchor) {
    ctx.site(protoSite.offset!, 'define', 'manual', 'define-anchor-missing', { anchor: NEW_DEFINE_ANCHOR, name: NEW_DEFINE_NAME });
    return;
  }
  const at = Math.min(lineEndOf(ctx.text, anchor.startIndex) + 1, ctx.text.length);
  ctx.edit({ start: at, end: at, text: withEol(NEW_DEFINE_TEXT, ctx.text), step: 'add-flag' });
  ctx.site(anchor.startIndex, 'define', 'rewritten', 'define-added', { name: NEW_DEFINE_NAME });
}

function insideIommuApiIfdef(node: SyntaxNode): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if ((n.type === 'preproc_ifdef' || n.type === 'preproc_if') && /CONFIG_IOMMU_API/.test(n.text.slice(0, n.text.indexOf('\n')))) return true;
  }
  return false;
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

/**
 * In the old header:
 *   /* The SVM_FLAG_SUPERVISOR_MODE flag requests ... *\/
 *   #define SVM_FLAG_SUPERVISOR_MODE	BIT(0)
 * goes (with its comment) once nothing in the tree uses it.
 */
function removeOldDefines(ctx: FileContext, occs: Occurrence[], nodes: Map<number, SyntaxNode>): void {
  const ranges: { start: number; end: number }[] = [];
  for (const def of ofType(ctx.file.root, 'preproc_def')) {
    const nameNode = def.childForFieldName('name');
    const name = nameNode?.text;
    if (!nameNode || !name || !(name in FLAG_MAP)) continue;
    const here = occs
      .filter((o) => o.name === name && o.offset !== nameNode.startIndex && !isCommentOrString(nodes.get(o.offset)!))
      .filter((o) => !ctx.edits.some((e) => o.offset >= e.start && o.offset < e.end))
      .map((o) => `${ctx.file.path}:${ctx.file.lines.position(o.offset).line}`);
    const elsewhere = ctx.facts.residual[name] ?? [];
    const users = [...here, ...elsewhere];
    const occ = occs.find((o) => o.offset === nameNode.startIndex)!;
    if (users.length > 0) {
      ctx.end(occ, 'define', 'unchanged', 'define-kept', { where: users.slice(0, 3).join(', ') });
      continue;
    }
    if (ctx.facts.limited) {
      ctx.end(occ, 'define', 'unchanged', 'define-kept', { where: 'files outside the paths scanned (uses there are not known)' });
      continue;
    }
    const defEnd = def.endIndex - (ctx.text[def.endIndex - 1] === '\n' ? 1 : 0);
    const defLines = wholeLines(ctx.text, def.startIndex, defEnd);
    if (!defLines) continue;
    ranges.push(defLines);
    const prev = def.previousNamedSibling;
    if (prev?.type === 'comment' && prev.text.includes(name) && ctx.text.slice(prev.endIndex, def.startIndex).trim() === '') {
      const c = wholeLines(ctx.text, prev.startIndex, prev.endIndex);
      if (c) ranges.push(c);
    }
    ctx.end(occ, 'define', 'rewritten', 'define-removed');
  }
  if (ranges.length > 0) ctx.edit(...deleteLineRanges(ctx.text, ranges).map((e) => ({ ...e, step: 'remove-unused' as const })));
}

/** Old-flag uses in code that this file still has after its rewrite. */
export function residualFlagUses(file: SourceFile, edits: FileRewrite['edits'], applied: boolean): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of oldFlagNames(file.text)) {
    for (const off of wordOccurrences(file.text, name)) {
      const node = file.root.descendantForIndex(off, off + name.length);
      if (isCommentOrString(node)) continue;
      if (node.parent?.type === 'preproc_def' && node.parent.childForFieldName('name')?.id === node.id) continue;
      if (applied && edits.some((e) => off >= e.start && off < e.end)) continue;
      (out[name] ??= []).push(`${file.path}:${file.lines.position(off).line}`);
    }
  }
  return out;
}

