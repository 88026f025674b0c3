// C shapes the kit's primitives match: type spellings, a function's return
// type and parameters, registrations in designated initializers. Pure
// readers: nothing here edits.
import { findAncestor, paramShape, parameters, type SyntaxNode } from '../c/index.js';

/** `const  struct x*` → `const struct x *`: one space between words, `*` apart. */
export function normType(type: string): string {
  return type.replace(/\*/g, ' * ').replace(/\s+/g, ' ').trim().replace(/\* \*/g, '**');
}

/** The type of a parameter as written, without its name: `const struct i2c_device_id *`. */
export function paramType(param: SyntaxNode): string {
  const s = paramShape(param);
  return normType(`${s.base} ${'*'.repeat(s.pointerDepth)}`);
}

/**
 * A function's declarator and what surrounds it, for a definition or a
 * prototype:
 *   static int __exit foo_remove(struct platform_device *pdev) { ... }
 *   struct iommu_sva *intel_svm_bind(struct device *dev, ...);
 */
export interface FunctionShape {
  /** The function_definition, declaration or field_declaration. */
  container: SyntaxNode;
  /** The function_declarator whose declarator is the name. */
  declarator: SyntaxNode;
  name: SyntaxNode;
  /** The `type` node of the container (`int`, `struct iommu_sva`). */
  type: SyntaxNode | null;
  /** Pointer declarators between the container and the function_declarator. */
  pointerDepth: number;
  params: SyntaxNode[];
}

/** The function shape whose name is `name` (an identifier or field_identifier), or null. */
export function functionShapeOf(name: SyntaxNode): FunctionShape | null {
  let fd = name.parent;
  // (*sva_bind)(...) in a struct member: the name sits in a parenthesized pointer declarator.
  let depth = 0;
  if (fd?.type === 'pointer_declarator' && fd.parent?.type === 'parenthesized_declarator') {
    fd = fd.parent.parent;
  }
  if (!fd || fd.type !== 'function_declarator') return null;
  const inner = fd.childForFieldName('declarator');
  if (!inner || (inner.id !== name.id && !(inner.type === 'parenthesized_declarator' && inner.startIndex <= name.startIndex && name.endIndex <= inner.endIndex))) return null;
  let container: SyntaxNode | null = fd.parent;
  while (container && (container.type === 'pointer_declarator' || container.type === 'parenthesized_declarator' || container.type === 'attributed_declarator')) {
    if (container.type === 'pointer_declarator') depth++;
    container = container.parent;
  }
  if (!container) return null;
  if (container.type === 'init_declarator') return null;
  if (!['function_definition', 'declaration', 'field_declaration'].includes(container.type)) return null;
  return { container, declarator: fd, name, type: container.childForFieldName('type'), pointerDepth: depth, params: parameters(fd) };
}

/** `int`, `struct iommu_sva *`: a function's return type as written. */
export function returnType(shape: FunctionShape): string {
  return normType(`${shape.type?.text ?? ''} ${'*'.repeat(shape.pointerDepth)}`);
}

/** `static inline` definitions are config stubs (`#else` branches of headers). */
export function isStub(def: SyntaxNode): boolean {
  const specs = def.namedChildren.filter((c) => c.type === 'storage_class_specifier').map((c) => c.text);
  return def.type === 'function_definition' && specs.includes('static') && specs.includes('inline');
}

/**
 * The function named by a registration's value:
 *   fn   &fn   __exit_p(fn)   __devexit_p(fn)   (fn)
 * or null when the value is something else (NULL, a macro, an expression).
 */
export function registeredFunction(value: SyntaxNode): SyntaxNode | null {
  let v = value;
  while (v.type === 'parenthesized_expression' && v.namedChildCount === 1) v = v.namedChildren[0]!;
  if (v.type === 'identifier') return v;
  if (v.type === 'pointer_expression' && v.child(0)?.type === '&') {
    const arg = v.childForFieldName('argument');
    return arg?.type === 'identifier' ? arg : null;
  }
  if (v.type === 'call_expression' && /^__(dev)?exit_p$/.test(v.childForFieldName('function')?.text ?? '')) {
    const args = v.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
    return args.length === 1 && args[0]!.type === 'identifier' ? args[0]! : null;
  }
  return null;
}

/**
 * The struct an initializer list initialises, when it is written down:
 *   static struct platform_driver foo = { ... };          → platform_driver
 *   static struct platform_driver foo[] = { { ... } };    → platform_driver
 *   (struct platform_driver){ ... }                        → platform_driver
 * null for a nested member's initializer (`.driver = { ... }`) or an unknown type.
 */
export function initializedStruct(list: SyntaxNode): string | null {
  let n: SyntaxNode = list;
  for (;;) {
    const p = n.parent;
    if (!p) return null;
    if (p.type === 'initializer_list') {
      n = p; // an element of an array of structs
      continue;
    }
    if (p.type === 'init_declarator') {
      const decl = p.parent;
      if (decl?.type !== 'declaration') return null;
      return structName(decl.childForFieldName('type'));
    }
    if (p.type === 'compound_literal_expression') return structName(p.childForFieldName('type')?.childForFieldName('type') ?? p.childForFieldName('type'));
    return null;
  }
}

function structName(type: SyntaxNode | null | undefined): string | null {
  if (!type || type.type !== 'struct_specifier') return null;
  return type.childForFieldName('name')?.text ?? null;
}

/** One registration of a function in a struct member, as written. */
export interface RegistrationNode {
  /** The member's field_identifier (`remove` of `.remove = fn`). */
  field: SyntaxNode;
  /** The value expression. */
  value: SyntaxNode;
  /** The struct, when the initializer says it; null when unknown. */
  struct: string | null;
  /** How it is written: a designated initializer or a run-time assignment. */
  shape: 'initializer' | 'assignment';
}

/**
 * A member name occurrence that registers something:
 *   { .remove = foo_remove, }                      initializer_pair
 *   { #ifdef X  .remove = foo_remove, #endif }     assignment_expression (what tree-sitter makes of it)
 *   drv->remove = foo_remove;                      run-time assignment
 */
export function registrationAt(field: SyntaxNode): RegistrationNode | null {
  const parent = field.parent;
  if (!parent) return null;
  if (parent.type === 'field_designator') {
    const pair = parent.parent;
    const value = pair?.childForFieldName('value');
    if (pair?.type !== 'initializer_pair' || !value) return null;
    // Only the last designator names the member: `.a.b = x` sets b.
    const designators = pair.childrenForFieldName('designator');
    if (designators.length !== 1) return null;
    const list = pair.parent;
    return { field, value, struct: list?.type === 'initializer_list' ? initializedStruct(list) : null, shape: 'initializer' };
  }
  if (parent.type === 'field_expression' && parent.childForFieldName('field')?.id === field.id) {
    const assign = parent.parent;
    if (assign?.type === 'assignment_expression' && assign.childForFieldName('left')?.id === parent.id && assign.child(1)?.type === '=') {
      const value = assign.childForFieldName('right')!;
      // `.remove = fn` inside braces, misread as an assignment: the object is empty or an ERROR.
      const list = findAncestor(assign, 'initializer_list');
      const object = parent.childForFieldName('argument');
      // `#ifdef CONFIG_X` right before `.m = fn` inside braces: the config name becomes the object, on an earlier line.
      const onEarlierLine = object?.type === 'identifier' && object.endPosition.row < field.startPosition.row;
      if (list && (!object || object.text === '' || object.type === 'ERROR' || onEarlierLine)) return { field, value, struct: initializedStruct(list), shape: 'initializer' };
      return { field, value, struct: declaredStructOf(object), shape: 'assignment' };
    }
  }
  return null;
}

/**
 * The struct type of `x` in `x->m` or `x.m`, from x's declaration in the
 * enclosing function (parameters and locals) or at file scope; null when it
 * cannot be seen.
 */
export function declaredStructOf(object: SyntaxNode | null): string | null {
  if (!object || object.type !== 'identifier') return null;
  const name = object.text;
  for (let scope: SyntaxNode | null = object.parent; scope; scope = scope.parent) {
    if (scope.type !== 'compound_statement' && scope.type !== 'function_definition' && scope.type !== 'translation_unit') continue;
    const decls =
      scope.type === 'function_definition'
        ? parameters(scope.childForFieldName('declarator')?.type === 'function_declarator' ? scope.childForFieldName('declarator')! : (scope.descendantsOfType('function_declarator')[0] ?? scope))
        : scope.namedChildren.filter((c) => c.type === 'declaration' && c.startIndex < object.startIndex);
    for (const d of decls) {
      const declared = d.type === 'parameter_declaration' ? [d.childForFieldName('declarator')] : d.childrenForFieldName('declarator');
      for (const decl of declared) {
        let id: SyntaxNode | null = decl;
        while (id && id.type !== 'identifier') id = id.childForFieldName('declarator');
        if (id?.text === name) return structName(d.childForFieldName('type'));
      }
    }
  }
  return null;
}
