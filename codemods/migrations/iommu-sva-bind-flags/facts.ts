// Pass 1: what the whole tree tells us before any file is rewritten.
import { ofType, findAncestor, parameters, parseC, wordOccurrences, type SyntaxNode } from '../../c/index.js';
import type { DiscoverContext, SourceFile } from '../../engine/migration.js';
import { headerFieldTypes } from './fields.js';
import { API, OLD_FLAG_HEADER, OPS_FIELD, OPS_STRUCT } from './meta.js';

export interface Facts {
  /** Implementation name → where it is registered (`.sva_bind = name`). */
  implementations: Record<string, { path: string; line: number }[]>;
  /** Names the old-flag header defines (for the include clean-up). */
  oldHeaderNames: string[];
  /** Per file: the types of fields a bind call passes, found in the headers it includes (fields.ts). */
  headerFields: Record<string, Record<string, string[]>>;
  /** Every declaration or definition of the API: where, and how many parameters it has. */
  apiDeclarations: { path: string; line: number; params: number }[];
}

export function createFacts(): Facts {
  return { implementations: {}, oldHeaderNames: [], headerFields: {}, apiDeclarations: [] };
}

/** Fold the facts one file taught (a job, in any thread) into the run's. */
export function mergeFacts(into: Facts, from: Facts): void {
  for (const [fn, list] of Object.entries(from.implementations)) {
    const t = (into.implementations[fn] ??= []);
    for (const r of list) if (!t.some((x) => x.path === r.path && x.line === r.line)) t.push(r);
  }
  if (into.oldHeaderNames.length === 0) into.oldHeaderNames = from.oldHeaderNames;
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

let headerNamesCache: { text: string; names: string[] } | undefined;

export function discover(file: SourceFile, facts: Facts, ctx: DiscoverContext): void {
  if (facts.oldHeaderNames.length === 0) {
    const header = file.path === OLD_FLAG_HEADER ? file.text : ctx.readAux(OLD_FLAG_HEADER);
    // Each job learns from fresh facts: the header is parsed once per thread, not once per file.
    if (header !== undefined && headerNamesCache?.text !== header) {
      headerNamesCache = { text: header, names: definedNames(file.path === OLD_FLAG_HEADER ? file.root : parseC(header).rootNode) };
    }
    if (header !== undefined) facts.oldHeaderNames = headerNamesCache!.names;
  }
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

/** Macro, function and type names a header defines (its include guard excluded). */
export function definedNames(root: SyntaxNode): string[] {
  const names = new Set<string>();
  for (const n of ofType(root, ['preproc_def', 'preproc_function_def'])) {
    if (n.type === 'preproc_def' && !n.childForFieldName('value')) continue; // include guard
    const name = n.childForFieldName('name')?.text;
    if (name) names.add(name);
  }
  for (const n of ofType(root, 'function_declarator')) {
    const id = n.childForFieldName('declarator');
    if (id?.type === 'identifier') names.add(id.text);
  }
  for (const n of ofType(root, ['struct_specifier', 'enum_specifier'], (x) => x.childForFieldName('body') !== null)) {
    const name = n.childForFieldName('name')?.text;
    if (name) names.add(name);
  }
  for (const n of ofType(root, 'enumerator')) {
    const name = n.childForFieldName('name')?.text;
    if (name) names.add(name);
  }
  return [...names].sort();
}
