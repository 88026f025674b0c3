// The kit's small primitives: rename a name, delete an initializer entry,
// add or remove a #define with its comment, drop an include nothing uses.
import { findAncestor, isCommentOrString, lineEndOf, ofType, wordOccurrences, type SyntaxNode } from '../c/index.js';
import { deleteLineRanges, wholeLines, withEol } from '../engine/layout.js';
import type { Indexed, KitFacts } from './facts.js';
import { initializedStruct } from './c-shapes.js';
import type { KitFile } from './context.js';
import type { AddDefineSpec, DeleteInitializerSpec, DropIncludeSpec, RemoveDefineSpec, RenameSpec } from './spec.js';

/**
 * `prandom_u32_max(n)` → `get_random_u32_below(n)`: every code occurrence
 * of the name (macro bodies too: a name is a name there); comments and
 * strings are left and said so. A member rename touches field names only,
 * and with `struct` only those of that struct that can be told.
 */
export function renameAll(k: KitFile, r: Indexed<RenameSpec>, phase: 'code' | 'text'): void {
  const { from, to, kind = 'any', struct, keepDefine, step } = r.spec;
  const group = r.spec.group ?? String(r.index);
  for (const off of wordOccurrences(k.text, from)) {
    if (k.ended.has(off)) continue;
    const node = k.file.root.descendantForIndex(off, off + from.length);
    // Comments and strings last (phase `text`, after remove-define): one the define's comment takes with it is not left.
    if (isCommentOrString(node)) {
      if (phase === 'text' && !k.touched(off, off + from.length)) k.end(off, 'other', 'unchanged', findAncestor(node, 'comment') || node.type === 'comment' ? 'in-comment' : 'in-string', {}, { group, symbol: from });
      continue;
    }
    if (phase === 'text') continue;
    const isField = node.type === 'field_identifier' && node.startIndex === off;
    if (kind === 'member' && !isField) continue;
    if (kind !== 'member' && kind !== 'any' && isField) continue;
    if (kind === 'member' && struct && !fieldOfStruct(node, struct)) continue;
    if (k.touched(off, off + from.length)) continue;
    // The definition stays for remove-define, which removes it once nothing uses the name.
    if (keepDefine && node.parent?.type === 'preproc_def' && node.parent.childForFieldName('name')?.id === node.id) continue;
    k.edit({ start: off, end: off + from.length, text: to, step: step });
    k.end(off, node.type === 'preproc_arg' ? 'macro-body' : 'other', 'rewritten', 'renamed', { from, to, old: from, new: to }, { group, symbol: from });
  }
}

/** Does this field name belong to `struct`, as far as the file tells? */
function fieldOfStruct(field: SyntaxNode, struct: string): boolean {
  const decl = findAncestor(field, 'field_declaration');
  if (decl) return findAncestor(decl, 'struct_specifier')?.childForFieldName('name')?.text === struct;
  const pair = findAncestor(field, 'initializer_pair');
  if (pair?.parent?.type === 'initializer_list') return initializedStruct(pair.parent) === struct;
  return true; // `x->m`, `x.m`: the type is not known here; the name decides
}

/**
 *   static const struct file_operations foo_fops = {
 *   	.owner	= THIS_MODULE,
 *   	.llseek	= no_llseek,      → (the line goes)
 *   };
 */
export function deleteInitializers(k: KitFile, d: Indexed<DeleteInitializerSpec>): void {
  const { member, value, struct, step } = d.spec;
  const group = String(d.index);
  const norm = (s: string) => s.replace(/\s+/g, '');
  for (const off of wordOccurrences(k.text, member)) {
    const node = k.file.root.descendantForIndex(off, off + member.length);
    if (node.type !== 'field_identifier' || node.parent?.type !== 'field_designator') continue;
    const pair = node.parent.parent;
    if (pair?.type !== 'initializer_pair' || norm(pair.childForFieldName('value')?.text ?? '') !== norm(value)) continue;
    if (struct && pair.parent && initializedStruct(pair.parent) !== struct) continue;
    // The entry with its comma.
    const next = pair.nextSibling;
    const end = next?.type === ',' ? next.endIndex : pair.endIndex;
    const lines = wholeLines(k.text, pair.startIndex, end);
    if (lines) k.edit(...deleteLineRanges(k.text, [lines]).map((e) => ({ ...e, step })));
    else {
      const after = /^[ \t]*/.exec(k.text.slice(end))![0].length;
      k.edit({ start: pair.startIndex, end: end + after, text: '', step });
    }
    k.end(off, 'other', 'rewritten', 'initializer-deleted', { member, value }, { group });
  }
}

/**
 *   #define IOMMU_PASID_INVALID	(-1U)
 *                                      → added after it:
 *   /*
 *    * comment
 *    *\/
 *   #define IOMMU_SVA_BIND_SUPERVISOR	BIT(0)
 */
export function addDefine(k: KitFile, d: Indexed<AddDefineSpec>, facts: KitFacts): void {
  const { name, value, file, after, comment, step } = d.spec;
  if (k.file.path !== file) return;
  const group = String(d.index);
  const defs = ofType(k.file.root, 'preproc_def');
  const existing = defs.find((x) => x.childForFieldName('name')?.text === name);
  if (existing || facts.definePresent[name]) {
    const at = existing ? existing.childForFieldName('name')!.startIndex : 0;
    k.end(at, 'define', 'unchanged', 'define-present', { name }, { group });
    return;
  }
  const anchor = defs.find((x) => x.childForFieldName('name')?.text === after);
  if (!anchor) {
    k.site(0, 'define', 'manual', 'define-anchor-missing', { after, file, name }, { group });
    return;
  }
  const lines = comment ? ['/*', ...comment.trim().split('\n').map((l) => (l.trim() ? ` * ${l.trim()}` : ' *')), ' */'] : [];
  const block = ['', ...lines, `#define ${name}\t${value}`, ''].join('\n');
  const at = Math.min(lineEndOf(k.text, anchor.startIndex) + 1, k.text.length);
  k.edit({ start: at, end: at, text: withEol(block, k.text), step });
  k.site(anchor.startIndex, 'define', 'rewritten', 'define-added', { name, after }, { group });
}

/**
 * The define (and the comment right above it that names it) goes once no
 * code in the tree uses the name. Run in the last round, after every other
 * file; with a path-limited scan uses elsewhere are unknown, so it stays.
 */
export function removeDefines(k: KitFile, d: Indexed<RemoveDefineSpec>, facts: KitFacts): void {
  const { name, step } = d.spec;
  const group = String(d.index);
  for (const def of ofType(k.file.root, 'preproc_def')) {
    const nameNode = def.childForFieldName('name');
    if (nameNode?.text !== name) continue;
    const here = wordOccurrences(k.text, name)
      .filter((o) => o !== nameNode.startIndex && !isCommentOrString(k.file.root.descendantForIndex(o, o + name.length)) && !k.touched(o, o + name.length))
      .map((o) => `${k.file.path}:${k.file.lines.position(o).line}`);
    const users = [...here, ...(facts.residual[name] ?? [])];
    if (users.length > 0 || facts.limited) {
      const where = users.length > 0 ? users.slice(0, 3).join(', ') : 'files outside the paths scanned (uses there are not known)';
      k.end(nameNode.startIndex, 'define', 'unchanged', 'define-kept', { name, where }, { group });
      continue;
    }
    const defEnd = def.endIndex - (k.text[def.endIndex - 1] === '\n' ? 1 : 0);
    const ranges = [wholeLines(k.text, def.startIndex, defEnd)];
    const prev = def.previousNamedSibling;
    if (prev?.type === 'comment' && prev.text.includes(name) && k.text.slice(prev.endIndex, def.startIndex).trim() === '') ranges.push(wholeLines(k.text, prev.startIndex, prev.endIndex));
    const ok = ranges.filter((r): r is { start: number; end: number } => r !== null);
    if (ok.length === 0) continue;
    k.edit(...deleteLineRanges(k.text, ok).map((e) => ({ ...e, step })));
    // No use is left once the file's other edits are applied: it goes if any of them is refused.
    k.end(nameNode.startIndex, 'define', 'rewritten', 'define-removed', { name }, { group, needsFile: true });
  }
}

/** `#include <header>` goes from a file this migration changed when nothing the header defines is used any more. */
export function dropIncludes(k: KitFile, d: Indexed<DropIncludeSpec>, facts: KitFacts): void {
  const names = facts.headerNames[d.spec.header];
  if (!names || names.length === 0) return;
  // The path's text is in the file's: a file without it has no such include (and no walk of its whole tree).
  const path = `<${d.spec.header}>`;
  if (!k.text.includes(path)) return;
  const include = ofType(k.file.root, 'preproc_include').find((n) => n.childForFieldName('path')?.text === path);
  if (!include) return;
  let edited = false;
  for (const name of names) {
    for (const off of wordOccurrences(k.text, name)) {
      const node = k.file.root.descendantForIndex(off, off + name.length);
      if (isCommentOrString(node)) continue;
      if (!k.touched(off, off + name.length)) return; // still used
      edited = true;
    }
  }
  // `names-edited`: only where this migration renamed or removed a use of the header's names.
  if (d.spec.when === 'names-edited' && !edited) return;
  const lines = wholeLines(k.text, include.startIndex, include.endIndex - (k.text[include.endIndex - 1] === '\n' ? 1 : 0));
  if (!lines) return;
  k.edit(...deleteLineRanges(k.text, [lines]).map((e) => ({ ...e, step: d.spec.step })));
  k.site(include.startIndex, 'other', 'rewritten', 'include-removed', { header: d.spec.header }, { group: d.spec.group ?? String(d.index), needsFile: true });
}
