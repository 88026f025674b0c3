// After pass 2, before any rewrite: for each implementation registered in a
// changed member, decide once for the whole tree what becomes of it. A
// function is converted only when every definition has the old form, every
// body can follow, and nothing else in the tree uses it in a way the new
// type would break (a caller that uses its value, a registration in another
// struct, its address stored elsewhere). Its registrations, prototypes and
// callers then follow that one decision, in whatever file they are.
import { isCommentOrString, isInsideError, namedWords, type SyntaxNode } from '../c/index.js';
import type { SourceFile } from '../engine/migration.js';
import { returnsToVoid, removedParamUses } from './body.js';
import { functionShapeOf, registeredFunction, registrationAt, type RegistrationNode } from './c-shapes.js';
import { callEdits, removedParamNames } from './calls.js';
import { unitOf, type Block, type Indexed, type KitFacts, type Plan, type SurveyEntry, type Verdict } from './facts.js';
import { describeChange, formOf, type FormVerdict } from './signature.js';
import type { MemberSpec, ParamSpec, ReturnSpec } from './spec.js';


/**
 * Pass 1, per file, in any thread: every code occurrence of a name the
 * candidates register (`names`), judged for each member change on its own:
 * a definition (its form, whether its body can follow) or a use (fine, or
 * why it blocks a conversion). Prototypes, registrations in the member
 * itself, exports and `#define fn NULL` stand-ins block nothing.
 */
export function surveyFile(plan: Plan, file: SourceFile, names: ReadonlySet<string>, facts: KitFacts): void {
  if (names.size === 0 || plan.members.length === 0) return;
  const here = `${file.path}:`;
  for (const { name: fn, index } of namedWords(file.text, names)) {
    const node = file.root.descendantForIndex(index, index + fn.length);
    if (isCommentOrString(node) || (node.startIndex !== index && node.type !== 'preproc_arg')) continue;
    const line = node.startPosition.row + 1;
    const list = (facts.occ[fn] ??= []);
    const shape = node.type === 'preproc_arg' ? null : functionShapeOf(node);
    if (shape?.container.type === 'function_definition') {
      const forms: Record<string, FormVerdict> = {};
      const bodies: Record<string, Block | null> = {};
      const isStatic = shape.container.namedChildren.some((c) => c.type === 'storage_class_specifier' && c.text === 'static');
      for (const c of plan.members) {
        const change = { params: c.spec.params ?? [], returns: c.spec.returns };
        forms[c.index] = formOf(shape, change);
        bodies[c.index] = forms[c.index]!.form === 'old' ? bodyBlock(fn, file, shape, change) : null;
      }
      list.push({ path: file.path, line, kind: 'def', global: !isStatic || file.path.endsWith('.h'), forms, bodies });
      continue;
    }
    if (shape) continue; // a prototype or a member declaration
    const blocks: Record<string, Block | null> = {};
    for (const c of plan.members) blocks[c.index] = useBlock(fn, c, node, file, plan, here + line);
    list.push({ path: file.path, line, kind: 'use', blocks });
  }
}

/** Can this old-form body follow the change? null when it can. */
function bodyBlock(fn: string, file: SourceFile, shape: NonNullable<ReturnType<typeof functionShapeOf>>, change: { params: readonly ParamSpec[]; returns?: ReturnSpec }): Block | null {
  const body = shape.container.childForFieldName('body');
  if (!body) return null;
  if (change.returns) {
    const r = returnsToVoid(file.text, body, undefined);
    if (!r.ok) return { code: r.code, params: { fn, ...r.params, consequence: change.returns.message ?? 'the caller read the value' } };
  }
  for (const p of change.params.filter((x) => x.action === 'remove')) {
    const r = removedParamUses(file.text, shape, body, p, undefined);
    if (!r.ok) return { code: r.code, params: { fn, ...r.params } };
  }
  return null;
}

/** Does this use of `fn` survive the member change `c`? null when it does. */
function useBlock(fn: string, c: Indexed<MemberSpec>, node: SyntaxNode, file: SourceFile, plan: Plan, where: string): Block | null {
  const other = (how: string): Block => ({ code: 'impl-other-use', params: { fn, member: c.spec.member, how: `${how} at ${where}` } });
  if (isNullStandIn(node)) return null;
  if (node.type === 'preproc_arg') return other('used in a macro body');
  const reg = registrationOfName(node);
  if (reg) {
    if (reg.struct === c.spec.struct && (reg.field.text === c.spec.member || reg.field.text === c.spec.moveTo)) return null;
    return other(`also registered as .${reg.field.text}${reg.struct ? ` of struct ${reg.struct}` : ''}`);
  }
  const p = node.parent;
  if (p?.type === 'argument_list' && /^EXPORT_SYMBOL/.test(p.parent?.childForFieldName('function')?.text ?? '')) return null;
  if (isInsideError(node)) return other('in code tree-sitter cannot parse');
  if (p?.type === 'call_expression' && p.childForFieldName('function')?.id === node.id) {
    if (c.spec.returns && !valueUnused(p)) return { code: 'return-value-used', params: { fn } };
    if ((c.spec.params ?? []).length > 0) {
      const r = callEdits(file.text, p, fn, c.spec.params ?? [], (def) => removedParamsOf(def, plan), undefined);
      if (!r.ok && !r.stepTakes) return other(`called directly: ${r.params.message ?? 'its arguments do not fit'}`);
    }
    return null;
  }
  return other(p?.type === 'argument_list' ? 'passed as an argument' : p?.type === 'assignment_expression' ? 'assigned' : p?.type ? `a ${p.type.replace(/_/g, ' ')}` : 'used');
}

/**
 * After pass 2, on the facts alone: where each registered name is defined,
 * which function each registration means, and the verdict on each function.
 */
export function judgeImplementations(plan: Plan, facts: KitFacts): void {
  for (const [fn, list] of Object.entries(facts.occ)) {
    for (const e of list) {
      if (e.kind !== 'def') continue;
      const defs = (facts.defs[fn] ??= []);
      if (!defs.some((d) => d.path === e.path)) defs.push({ path: e.path, global: e.global });
    }
  }
  for (const m of plan.members) {
    const regs = facts.regs[m.index] ?? {};
    const units = new Set<string>();
    for (const [fn, list] of Object.entries(regs)) for (const r of list) units.add(unitOf(facts, fn, r.path));
    const verdicts = (facts.verdicts[m.index] ??= {});
    for (const unit of [...units].sort()) {
      const fn = unit.slice(0, unit.indexOf('@'));
      const mine = (facts.occ[fn] ?? []).filter((o) => unitOf(facts, fn, o.path) === unit);
      verdicts[unit] = judge(fn, m, mine);
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

/** Why a function whose definitions disagree (a converted one, an old config stub) is no one's to convert. */
export const HALF_CONVERTED = 'one definition is converted and another is not';

function judge(fn: string, c: Indexed<MemberSpec>, occs: readonly SurveyEntry[]): Verdict {
  const key = String(c.index);
  const change = { params: c.spec.params ?? [], returns: c.spec.returns };
  const defs = occs.filter((o): o is Extract<SurveyEntry, { kind: 'def' }> => o.kind === 'def');
  if (defs.length === 0) return { v: 'missing' };
  const forms = defs.map((d) => d.forms[key]!);
  const odd = forms.find((f) => f.form === 'other');
  if (odd && odd.form === 'other') return { v: 'other', why: odd.why };
  const anyNew = forms.some((f) => f.form === 'new');
  if (anyNew && forms.some((f) => f.form === 'old')) return { v: 'other', why: HALF_CONVERTED };
  if (anyNew) return { v: 'new', what: describeChange(change) };
  for (const d of defs) {
    const b = d.bodies[key];
    if (b) return { v: 'manual', code: b.code, params: b.params, where: `${d.path}:${d.line}` };
  }
  for (const u of occs) {
    if (u.kind !== 'use') continue;
    const b = u.blocks[key];
    if (b) return { v: 'manual', code: b.code, params: b.params, where: `${u.path}:${u.line}` };
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
