// After pass 2, before any rewrite: for each implementation registered in a
// changed member, decide once for the whole tree what becomes of it. A
// function is converted only when every definition has the old form, every
// body can follow, and nothing else in the tree uses it in a way the new
// type would break (a caller that uses its value, a registration in another
// struct, its address stored elsewhere). Its registrations, prototypes and
// callers then follow that one decision, in whatever file they are.
import { isCommentOrString, isInsideError, type SyntaxNode } from '../c/index.js';
import type { SourceFile } from '../engine/migration.js';
import { returnsToVoid, removedParamUses } from './body.js';
import { functionShapeOf, registeredFunction, registrationAt, type RegistrationNode } from './c-shapes.js';
import { callEdits, removedParamNames } from './calls.js';
import { unitOf, type Indexed, type KitFacts, type Plan, type Verdict } from './build.js';
import { describeChange, formOf } from './signature.js';
import type { MemberSpec } from './spec.js';

interface Occ {
  file: SourceFile;
  node: SyntaxNode;
}

const where = (o: Occ) => `${o.file.path}:${o.node.startPosition.row + 1}`;

export function analyseImplementations(plan: Plan, facts: KitFacts, files: ReadonlyMap<string, SourceFile>): void {
  const targets = new Set<string>();
  for (const m of plan.members) for (const fn of Object.keys(facts.regs[m.index] ?? {})) targets.add(fn);
  if (targets.size === 0) return;
  // Every identifier occurrence of a target name in the parsed files, in one pass over each text.
  const occs = new Map<string, Occ[]>();
  const word = /[A-Za-z_]\w*/g;
  for (const file of files.values()) {
    for (const m of file.text.matchAll(word)) {
      if (!targets.has(m[0])) continue;
      const node = file.root.descendantForIndex(m.index!, m.index! + m[0].length);
      if (isCommentOrString(node) || (node.startIndex !== m.index && node.type !== 'preproc_arg')) continue;
      (occs.get(m[0]) ?? occs.set(m[0], []).get(m[0])!).push({ file, node });
    }
  }
  // Where each name is defined: a static definition in a .c file is that file's alone.
  for (const [fn, list] of occs) {
    for (const o of list) {
      const shape = functionShapeOf(o.node);
      if (shape?.container.type !== 'function_definition') continue;
      const isStatic = shape.container.namedChildren.some((c) => c.type === 'storage_class_specifier' && c.text === 'static');
      const defs = (facts.defs[fn] ??= []);
      if (!defs.some((d) => d.path === o.file.path)) defs.push({ path: o.file.path, global: !isStatic || o.file.path.endsWith('.h') });
    }
  }
  for (const m of plan.members) {
    const regs = facts.regs[m.index] ?? {};
    const units = new Set<string>();
    for (const [fn, list] of Object.entries(regs)) for (const r of list) if (!r.moved) units.add(unitOf(facts, fn, r.path));
    for (const [fn, list] of Object.entries(regs)) for (const r of list) if (r.moved) units.add(unitOf(facts, fn, r.path));
    const verdicts = (facts.verdicts[m.index] ??= {});
    for (const unit of [...units].sort()) {
      const fn = unit.slice(0, unit.indexOf('@'));
      const mine = (occs.get(fn) ?? []).filter((o) => unitOf(facts, fn, o.file.path) === unit);
      verdicts[unit] = judge(fn, m, mine, plan);
    }
  }
}

/** Is `node` the function of a registration in this member (or its new place)? */
export function registrationOfName(node: SyntaxNode): RegistrationNode | null {
  let v: SyntaxNode = node;
  for (let i = 0; i < 4 && v.parent; i++) {
    const p: SyntaxNode = v.parent;
    if (p.type === 'initializer_pair' && p.childForFieldName('value')?.id === v.id) {
      const field = p.childForFieldName('designator')?.namedChildren[0];
      return field ? checked(registrationAt(field), node) : null;
    }
    if (p.type === 'assignment_expression' && p.childForFieldName('right')?.id === v.id) {
      const field = p.childForFieldName('left')?.childForFieldName('field');
      return field ? checked(registrationAt(field), node) : null;
    }
    if (!['pointer_expression', 'argument_list', 'call_expression', 'parenthesized_expression'].includes(p.type)) return null;
    v = p;
  }
  return null;
}

function checked(reg: RegistrationNode | null, node: SyntaxNode): RegistrationNode | null {
  return reg && registeredFunction(reg.value)?.id === node.id ? reg : null;
}

/** A call whose value nobody reads: `foo_remove(pdev);` or `(void)foo_remove(pdev);`. */
export function valueUnused(call: SyntaxNode): boolean {
  let n = call;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const p = n.parent;
  if (p?.type === 'expression_statement') return true;
  return p?.type === 'cast_expression' && p.childForFieldName('type')?.text.trim() === 'void';
}

function judge(fn: string, c: Indexed<MemberSpec>, occs: Occ[], plan: Plan): Verdict {
  const change = { params: c.spec.params ?? [], returns: c.spec.returns };
  const defs: Occ[] = [];
  const uses: Occ[] = [];
  for (const o of occs) {
    const shape = functionShapeOf(o.node);
    if (shape?.container.type === 'function_definition') defs.push(o);
    else if (!shape) uses.push(o);
  }
  if (defs.length === 0) return { v: 'missing' };
  let anyOld = false;
  let anyNew = false;
  for (const d of defs) {
    const shape = functionShapeOf(d.node)!;
    const form = formOf(shape, change);
    if (form.form === 'other') return { v: 'other', why: form.why };
    if (form.form === 'new') anyNew = true;
    else anyOld = true;
  }
  if (anyNew && anyOld) return { v: 'other', why: 'one definition is converted and another is not' };
  if (anyNew) return { v: 'new', what: describeChange(change) };
  // Every body must follow.
  for (const d of defs) {
    const shape = functionShapeOf(d.node)!;
    const body = shape.container.childForFieldName('body');
    if (!body) continue;
    if (change.returns) {
      const r = returnsToVoid(d.file.text, body, undefined);
      if (!r.ok) return { v: 'manual', code: r.code, params: { fn, ...r.params, consequence: change.returns.message ?? 'the caller read the value' }, where: where(d) };
    }
    for (const p of change.params.filter((x) => x.action === 'remove')) {
      const r = removedParamUses(d.file.text, shape, body, p, undefined);
      if (!r.ok) return { v: 'manual', code: r.code, params: { fn, ...r.params }, where: where(d) };
    }
  }
  // Every other use must survive the new type.
  for (const u of uses) {
    const reg = registrationOfName(u.node);
    if (reg) {
      const ours = reg.struct === c.spec.struct && (reg.field.text === c.spec.member || reg.field.text === c.spec.moveTo);
      if (ours) continue;
      return { v: 'manual', code: 'impl-other-use', params: { fn, member: c.spec.member, how: `also registered as .${reg.field.text}${reg.struct ? ` of struct ${reg.struct}` : ''} at ${where(u)}` }, where: where(u) };
    }
    // `#else  #define foo_remove NULL`: the config's stand-in for the function.
    if (isNullStandIn(u.node)) continue;
    if (u.node.type === 'preproc_arg') return { v: 'manual', code: 'impl-other-use', params: { fn, member: c.spec.member, how: `used in a macro body at ${where(u)}` }, where: where(u) };
    const p = u.node.parent;
    if (p?.type === 'argument_list' && /^EXPORT_SYMBOL/.test(p.parent?.childForFieldName('function')?.text ?? '')) continue;
    if (isInsideError(u.node)) return { v: 'manual', code: 'impl-other-use', params: { fn, member: c.spec.member, how: `in code tree-sitter cannot parse at ${where(u)}` }, where: where(u) };
    if (p?.type === 'call_expression' && p.childForFieldName('function')?.id === u.node.id) {
      if (change.returns && !valueUnused(p)) return { v: 'manual', code: 'return-value-used', params: { fn }, where: where(u) };
      if (change.params.length > 0) {
        const removedOf = (def: SyntaxNode) => removedParamsOf(def, plan);
        const r = callEdits(u.file.text, p, fn, change.params, removedOf, undefined);
        if (!r.ok) return { v: 'manual', code: 'impl-other-use', params: { fn, member: c.spec.member, how: `called directly at ${where(u)}: ${r.params.message ?? 'its arguments do not fit'}` }, where: where(u) };
      }
      continue;
    }
    const how = p?.type === 'argument_list' ? 'passed as an argument' : p?.type === 'assignment_expression' ? 'assigned' : p?.type ? `a ${p.type.replace(/_/g, ' ')}` : 'used';
    return { v: 'manual', code: 'impl-other-use', params: { fn, member: c.spec.member, how: `${how} at ${where(u)}` }, where: where(u) };
  }
  return { v: 'convert', what: describeChange(change) };
}

/** Parameters the enclosing function loses under any change of the plan (its name decides). */
export function removedParamsOf(def: SyntaxNode, plan: Plan): Set<string> {
  const name = def.descendantsOfType('function_declarator')[0]?.childForFieldName('declarator')?.text;
  const specs = plan.functions.filter((f) => f.spec.name === name).flatMap((f) => f.spec.params ?? []);
  return specs.length > 0 ? removedParamNames(def, specs) : new Set();
}

/** `#define foo_remove NULL` (or 0, or nothing): a stand-in when the function is configured out. */
export function isNullStandIn(node: SyntaxNode): boolean {
  const def = node.parent;
  if (def?.type !== 'preproc_def' || def.childForFieldName('name')?.id !== node.id) return false;
  const value = def.childForFieldName('value')?.text.trim() ?? '';
  return value === '' || value === 'NULL' || value === '0' || value === '(NULL)';
}
