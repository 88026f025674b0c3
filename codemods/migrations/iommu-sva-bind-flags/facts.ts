// Pass 1: what the whole tree tells us before any file is rewritten.
import { findAncestor, parameters, wordOccurrences, type SyntaxNode } from '../../c/index.js';
import type { DiscoverContext, SourceFile } from '../../engine/migration.js';
import { headerFieldTypes } from './fields.js';
import { API, OPS_FIELD, OPS_STRUCT } from './meta.js';

export interface Facts {
  /** Implementation name → where it is registered (`.sva_bind = name`). */
  implementations: Record<string, { path: string; line: number }[]>;
  /** Per file: the types of fields a bind call passes, found in the headers it includes (fields.ts). */
  headerFields: Record<string, Record<string, string[]>>;
  /** Every declaration or definition of the API: where, and how many parameters it has. */
  apiDeclarations: { path: string; line: number; params: number }[];
}

export function createFacts(): Facts {
  return { implementations: {}, headerFields: {}, apiDeclarations: [] };
}

/** Fold the facts one file taught (a job, in any thread) into the run's. */
export function mergeFacts(into: Facts, from: Facts): void {
  for (const [fn, list] of Object.entries(from.implementations)) {
    const t = (into.implementations[fn] ??= []);
    for (const r of list) if (!t.some((x) => x.path === r.path && x.line === r.line)) t.push(r);
  }
  Object.assign(into.headerFields, from.headerFields);
  into.apiDeclarations.push(...from.apiDeclarations);
}

/**
 * Registrations of an implementation, in the shapes the kernel really holds:
 *   static struct iommu_ops o = { .sva_bind = fn, };     (initializer_pair)
 *   { ... #ifdef X .sva_bind = fn, #endif ... }          (assignment_expression on a field_expression)
 *   ops->sva_bind = fn;                                  (run-time assignment)
 */
export function registrationOf(field: SyntaxNode): SyntaxNode | null {
  const parent = field.parent;
  if (!parent) return null;
  if (parent.type === 'field_designator') {
    const pair = parent.parent;
    const value = pair?.childForFieldName('value');
    if (pair?.type === 'initializer_pair' && value?.type === 'identifier') return isOtherStruct(pair) ? null : value;
    return null;
  }
  if (parent.type === 'field_expression' && parent.childForFieldName('field')?.id === field.id) {
    const assign = parent.parent;
    if (assign?.type === 'assignment_expression' && assign.childForFieldName('left')?.id === parent.id) {
      const right = assign.childForFieldName('right');
      if (right?.type === 'identifier' && assign.child(1)?.type === '=') return isOtherStruct(assign) ? null : right;
    }
  }
  return null;
}

/** True when the initializer clearly belongs to a struct other than iommu_ops. */
function isOtherStruct(node: SyntaxNode): boolean {
  const decl = findAncestor(node, 'declaration');
  const type = decl?.childForFieldName('type');
  if (!decl || !type || findAncestor(node, 'function_definition')) return false;
  if (type.type !== 'struct_specifier') return false;
  const name = type.childForFieldName('name')?.text;
  return name !== undefined && name !== OPS_STRUCT;
}

export function discover(file: SourceFile, facts: Facts, ctx: DiscoverContext): void {
  const fields = headerFieldTypes(file, (p) => ctx.readAux(p));
  if (Object.keys(fields).length > 0) facts.headerFields[file.path] = fields;
  for (const off of wordOccurrences(file.text, API)) {
    const fd = file.root.descendantForIndex(off, off + API.length).parent;
    if (fd?.type !== 'function_declarator' || fd.childForFieldName('declarator')?.startIndex !== off) continue;
    facts.apiDeclarations.push({ path: file.path, line: fd.startPosition.row + 1, params: parameters(fd).length });
  }
  // The fields named OPS_FIELD, found from the text: collecting every
  // field_identifier of a big driver costs more than the parse.
  for (const off of wordOccurrences(file.text, OPS_FIELD)) {
    const field = file.root.descendantForIndex(off, off + OPS_FIELD.length);
    if (field.type !== 'field_identifier' || field.startIndex !== off) continue;
    const impl = registrationOf(field);
    if (!impl) continue;
    const list = (facts.implementations[impl.text] ??= []);
    if (!list.some((r) => r.path === file.path && r.line === impl.startPosition.row + 1)) {
      list.push({ path: file.path, line: impl.startPosition.row + 1 });
    }
  }
}
