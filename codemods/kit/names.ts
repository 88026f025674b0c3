// The names a header defines, for dropping an include nothing uses any more.
import { ofType, parseC, type SyntaxNode } from '../c/index.js';

/** Macro, function, type and enumerator names a header defines (its include guard excluded). */
export function definedNames(text: string | SyntaxNode): string[] {
  const root = typeof text === 'string' ? parseC(text).rootNode : text;
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
  for (const n of ofType(root, ['struct_specifier', 'enum_specifier', 'union_specifier'], (x) => x.childForFieldName('body') !== null)) {
    const name = n.childForFieldName('name')?.text;
    if (name) names.add(name);
  }
  for (const n of ofType(root, 'enumerator')) {
    const name = n.childForFieldName('name')?.text;
    if (name) names.add(name);
  }
  for (const n of ofType(root, 'type_definition')) {
    const d = n.childForFieldName('declarator');
    if (d?.type === 'type_identifier') names.add(d.text);
  }
  return [...names].sort();
}
