// One file under a migration file's changes: every occurrence of a name the
// changes mention is sent to the primitive that knows its shape, and each
// ends as a site (rewritten, manual, or unchanged with the reason).
import { enclosingFunction, findAncestor, isCommentOrString, isInsideError, occurrencesByName, wordOccurrences, type SyntaxNode } from '../c/index.js';
import type { FileRewrite, SourceFile } from '../engine/migration.js';
import type { Edit, SiteKind } from '../engine/types.js';
import { HALF_CONVERTED, isNullStandIn, registrationOfName, removedParamsOf, valueUnused } from './analysis.js';
import { renamedParamUses, returnsToVoid, removedParamUses, type BodyPlan } from './body.js';
import { unitOf, type Indexed, type KitFacts, type Plan, type Verdict } from './facts.js';
import { declaredStructOf, functionShapeOf, isStub, registrationAt, type FunctionShape } from './c-shapes.js';
import { callEdits } from './calls.js';
import { KitFile, type SiteExtras } from './context.js';
import { addDefine, deleteInitializers, dropIncludes, removeDefines, renameAll } from './primitives.js';
import { describeChange, formOf, kernelDocDescriptions, kernelDocEdits, kernelDocOf, paramWords, signatureEdits, type TypeChange } from './signature.js';
import type { FunctionSpec, MemberSpec, ParamSpec } from './spec.js';
import type { KitExtension } from './extension.js';

export function rewriteKitFile(plan: Plan, file: SourceFile, facts: KitFacts, exts: readonly [string, KitExtension][] = []): FileRewrite {
  const k = new KitFile(file, plan.catalogue);
  // TypeScript steps first: what they end, the primitives leave alone.
  for (const [id, e] of exts) e.rewrite?.(k, facts.ext[id]);
  if (exts.some(([id, e]) => e.applies?.(facts.ext[id]) === false)) return { edits: k.edits, sites: k.sites };
  // Each change's sites take the codes its table gives (`codes`).
  for (const m of plan.members) k.under(m.spec.codes, () => rewriteMember(k, plan, m, facts));
  for (const f of plan.functions) k.under(f.spec.codes, () => rewriteFunction(k, plan, f));
  for (const r of plan.renames) k.under(r.spec.codes, () => renameAll(k, r, 'code'));
  for (const d of plan.deletes) deleteInitializers(k, d);
  for (const d of plan.addDefines) addDefine(k, d, facts);
  for (const d of plan.removeDefines) if (facts.defineFile[d.spec.name] === file.path) removeDefines(k, d, facts);
  for (const r of plan.renames) k.under(r.spec.codes, () => renameAll(k, r, 'text'));
  if (k.edits.length > 0) for (const d of plan.dropIncludes) k.under(d.spec.codes, () => dropIncludes(k, d, facts));
  for (const [id, e] of exts) e.finish?.(k, facts.ext[id]);
  return { edits: k.edits, sites: k.sites };
}

/** Where an occurrence is that no primitive claims: comment, string, macro body, or unknown. */
export function endOther(k: KitFile, node: SyntaxNode, off: number, name: string, group: string): void {
  if (k.ended.has(off)) return;
  const extras = { group, symbol: name };
  if (isCommentOrString(node)) k.end(off, 'other', 'unchanged', node.type === 'comment' || findAncestor(node, 'comment') ? 'in-comment' : 'in-string', {}, extras);
  else if (node.type === 'preproc_arg' || findAncestor(node, 'preproc_arg')) k.end(off, 'macro-body', 'manual', 'macro-body', { name }, extras);
  else if (isInsideError(node)) k.end(off, 'other', 'manual', 'error-node', { name }, extras);
  else k.end(off, 'other', 'manual', 'unrecognized', { name }, extras);
}

/** The node at a word occurrence (identifier, field identifier, or the comment/string/macro text holding it). */
function nodeAt(file: SourceFile, off: number, name: string): SyntaxNode {
  return file.root.descendantForIndex(off, off + name.length);
}

function isName(node: SyntaxNode, off: number): boolean {
  return (node.type === 'identifier' || node.type === 'field_identifier') && node.startIndex === off;
}

// ---------------------------------------------------------------------------
// Ops-struct members and their implementations

function rewriteMember(k: KitFile, plan: Plan, m: Indexed<MemberSpec>, facts: KitFacts): void {
  const group = m.spec.group ?? String(m.index);
  const spec = m.spec;
  const change: TypeChange = { params: spec.params ?? [], returns: spec.returns };
  const regs = facts.regs[m.index] ?? {};
  const verdicts = facts.verdicts[m.index] ?? {};
  // 1. The implementations' names: definitions, prototypes, registrations, calls
  // (every occurrence of the names this file holds, found in one pass over its
  // identifiers: a search of the whole text per name costs names × size, and a
  // file with thousands of drivers holds thousands of names).
  const present = occurrencesByName(k.text, new Set(Object.keys(regs)));
  for (const [fn, offsets] of [...present].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    // The name may mean another function here (a static of the same name): then it is not ours.
    const verdict: Verdict | undefined = verdicts[unitOf(facts, fn, k.file.path)];
    if (!verdict) continue;
    for (const off of offsets) {
      const node = nodeAt(k.file, off, fn);
      if (k.ended.has(off)) continue;
      if (!isName(node, off) || isInsideError(node)) {
        endOther(k, node, off, fn, group);
        continue;
      }
      implementationOccurrence(k, plan, m, change, fn, verdict, node, unitOf(facts, fn, k.file.path));
    }
  }
  // 2. The member's own name: registrations of other values, the declaration, calls through it, macros.
  for (const member of [spec.member, ...(spec.moveTo ? [spec.moveTo] : [])]) {
    for (const off of wordOccurrences(k.text, member)) {
      const node = nodeAt(k.file, off, member);
      if (k.ended.has(off)) continue;
      if (node.type === 'preproc_arg' && node.text.includes(`struct ${spec.struct}`) && new RegExp(`\\.\\s*${member}\\b`).test(node.text)) {
        k.end(node.startIndex, 'macro-body', 'manual', 'registration-in-macro', { member }, { group });
        continue;
      }
      if (node.type !== 'field_identifier' || node.startIndex !== off) continue;
      memberOccurrence(k, plan, m, change, member, node);
    }
  }
}

function implementationOccurrence(k: KitFile, plan: Plan, m: Indexed<MemberSpec>, memberChange: TypeChange, fn: string, verdict: Verdict, node: SyntaxNode, unit: string): void {
  const group = m.spec.group ?? String(m.index);
  const spec = m.spec;
  // Through a transitional member each function is converted on its own: its sites form their own group.
  const extras = { group: m.spec.moveTo ? `${group}|${unit}` : group, symbol: fn };
  const shape = functionShapeOf(node);
  const change = shape ? k.changeFor(shape.container, shape.params, memberChange) : memberChange;
  if (shape && shape.container.type !== 'field_declaration') {
    const isDef = shape.container.type === 'function_definition';
    const kind = isDef ? (isStub(shape.container) ? 'stub' : 'implementation') : 'prototype';
    if (verdict.v === 'convert') {
      const form = formOf(shape, change);
      if (form.form !== 'old') {
        k.end(node.startIndex, kind, 'unchanged', 'not-old-shape', { fn, why: form.form === 'new' ? 'already converted' : form.why }, extras);
        return;
      }
      const renamed = isDef ? renamedUses(k, plan, shape, change) : undefined;
      if (renamed && !renamed.ok) {
        k.end(node.startIndex, kind, 'manual', renamed.code, renamed.params, extras);
        return;
      }
      const edits = [...signatureEdits(k.text, shape, change, spec.step), ...tidyPointerParams(shape, spec.step)];
      if (isDef) edits.push(...bodyEdits(k, shape, change, spec.step));
      const doc = isDef ? kernelDocOf(shape.container) : null;
      if (doc) edits.push(...kernelDocEdits(k.text, doc, shape, change, spec.step));
      k.edit(...edits);
      k.end(node.startIndex, kind, 'rewritten', isDef ? 'converted' : 'prototype', { fn, what: describeChange(change, shape), ...paramWords(shape, change) }, extras);
      if (doc) newKernelDoc(k, doc, shape, change, kind, fn, spec.step, extras);
    } else if (verdict.v === 'manual') {
      if (isDef) k.end(node.startIndex, kind, 'manual', verdict.code, verdict.params, extras);
      else k.end(node.startIndex, kind, 'unchanged', 'registration-kept', { fn, member: spec.member }, extras);
    } else if (verdict.v === 'new') {
      k.end(node.startIndex, kind, 'unchanged', 'already-new', { fn, what: verdict.what }, extras);
    } else if (verdict.v === 'other') {
      // Registered in the member yet not of its old type: a person must look (a typedef, a half-done conversion).
      // Definitions that disagree: each says which side it is on (the series validator names the one behind).
      const own = verdict.why === HALF_CONVERTED ? formOf(shape, change) : undefined;
      if (isDef && own?.form === 'old') k.end(node.startIndex, kind, 'manual', 'half-converted', { fn, why: verdict.why, ...paramWords(shape, change) }, extras);
      else if (isDef && own?.form === 'new') k.end(node.startIndex, kind, 'unchanged', 'already-new', { fn, what: own.what }, extras);
      else if (isDef) k.end(node.startIndex, kind, 'manual', 'signature-unexpected', { fn, why: verdict.why }, extras);
      else k.end(node.startIndex, kind, 'unchanged', 'registration-kept', { fn, member: spec.member }, extras);
    } else {
      k.end(node.startIndex, kind, 'manual', 'definition-not-found', { fn }, extras);
    }
    return;
  }
  const reg = registrationOfName(node);
  if (reg) {
    const ours = reg.struct === spec.struct && (reg.field.text === spec.member || reg.field.text === spec.moveTo);
    if (!ours) {
      k.end(node.startIndex, 'other', verdict.v === 'manual' ? 'manual' : 'unchanged', verdict.v === 'manual' ? 'impl-other-use' : 'registration-kept', { fn, member: spec.member, how: `registered as .${reg.field.text}` }, extras);
      return;
    }
    registration(k, m, fn, verdict, reg, extras);
    return;
  }
  const parent = node.parent;
  if (parent?.type === 'argument_list' && /^EXPORT_SYMBOL/.test(parent.parent?.childForFieldName('function')?.text ?? '')) {
    k.end(node.startIndex, 'other', 'unchanged', 'export-symbol', {}, extras);
    return;
  }
  if (parent?.type === 'call_expression' && parent.childForFieldName('function')?.id === node.id) {
    // The call that keeps the function from being converted: the place a person must change.
    if (verdict.v === 'manual' && verdict.where === `${k.file.path}:${node.startPosition.row + 1}`) {
      k.end(node.startIndex, 'call', 'manual', verdict.code === 'impl-other-use' ? 'call-arg' : verdict.code, verdict.code === 'impl-other-use' ? { fn, message: String(verdict.params.how ?? '') } : verdict.params, extras);
      return;
    }
    // A caller that reads the value of a function whose return type goes: a person must change it first.
    if (change.returns && !valueUnused(parent) && verdict.v !== 'new') {
      k.end(node.startIndex, 'call', 'manual', 'return-value-used', { fn }, extras);
      return;
    }
    if (verdict.v !== 'convert' || change.params.length === 0) {
      k.end(node.startIndex, 'call', 'unchanged', 'call-unchanged', { fn }, extras);
      return;
    }
    rewriteCall(k, plan, parent, fn, fn, change.params, spec, node.startIndex, extras);
    return;
  }
  if (isNullStandIn(node)) {
    k.end(node.startIndex, 'other', 'unchanged', 'config-stand-in', { fn }, extras);
    return;
  }
  if (verdict.v === 'manual' && verdict.where === `${k.file.path}:${node.startPosition.row + 1}`) {
    k.end(node.startIndex, 'other', 'manual', verdict.code === 'return-value-used' ? 'return-value-used' : 'impl-other-use', verdict.params, extras);
    return;
  }
  if (verdict.v === 'convert') {
    // Cannot happen: analysis saw every use. Report rather than guess.
    k.end(node.startIndex, 'other', 'manual', 'unrecognized', { name: fn }, extras);
    return;
  }
  k.end(node.startIndex, 'other', 'unchanged', 'registration-kept', { fn, member: spec.member }, extras);
}

/**
 * `.remove = foo_remove,` → `.remove_new = foo_remove,` for a converted
 * function; the `=` stays in its column when the entry was aligned with tabs.
 */
function registration(k: KitFile, m: Indexed<MemberSpec>, fn: string, verdict: Verdict, reg: NonNullable<ReturnType<typeof registrationAt>>, extras: { group: string; symbol: string }): void {
  const spec = m.spec;
  const at = reg.field.startIndex;
  const moved = reg.field.text === spec.moveTo;
  if (moved) {
    if (verdict.v === 'convert' || verdict.v === 'manual') k.end(at, 'other', 'manual', 'registration-mismatch', { fn, member: spec.moveTo!, why: 'still has the old form' }, extras);
    else k.end(at, 'other', 'unchanged', 'already-moved', { fn, member: spec.moveTo! }, extras);
    k.ended.add(reg.value.startIndex);
    return;
  }
  if (verdict.v === 'convert') {
    if (spec.moveTo) {
      k.edit(...renameField(k.text, reg.field, spec.moveTo, spec.step));
      k.end(at, 'other', 'rewritten', 'registration-moved', { from: spec.member, to: spec.moveTo, fn }, extras);
    } else {
      k.end(at, 'other', 'unchanged', 'registration-follows', { fn, member: spec.member, name: fn }, extras);
    }
  } else if (verdict.v === 'new' && spec.moveTo) {
    k.end(at, 'other', 'manual', 'registration-mismatch', { fn, member: spec.member, why: `already has the new form (${verdict.what})` }, extras);
  } else if (spec.retype && verdict.v !== 'new') {
    // The member changes type and this function does not: the registration no longer compiles.
    k.end(at, 'other', 'manual', 'registration-mismatch', { fn, member: spec.member, why: 'keeps the old type while the member changes' }, extras);
  } else {
    k.end(at, 'other', 'unchanged', 'registration-kept', { fn, member: spec.member }, extras);
  }
  // The function's name in the value has ended with its registration.
  const name = reg.value.descendantsOfType('identifier').find((i) => i.text === fn);
  if (name) k.ended.add(name.startIndex);
  k.ended.add(reg.value.startIndex);
}

/** Rename a designator, keeping a tab-aligned `=` in its column. */
function renameField(text: string, field: SyntaxNode, to: string, step: string | undefined): Edit[] {
  const edits: Edit[] = [{ start: field.startIndex, end: field.endIndex, text: to, step }];
  const after = /^[ \t]*/.exec(text.slice(field.endIndex))![0];
  const lineStart = text.lastIndexOf('\n', field.startIndex - 1) + 1;
  const col = (s: string) => [...s].reduce((c, ch) => (ch === '\t' ? c + 8 - (c % 8) : c + 1), 0);
  // The line changes anyway: an indent of spaces becomes tabs (checkpatch wants them on a changed line).
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  if (indent.includes('        ') && lineStart + indent.length === field.startIndex - 1) {
    const width = col(indent);
    edits.push({ start: lineStart, end: lineStart + indent.length, text: '\t'.repeat(Math.floor(width / 8)) + ' '.repeat(width % 8), step });
  }
  if (!after.includes('\t') || text[field.endIndex + after.length] !== '=') return edits;
  const eqCol = col(text.slice(lineStart, field.endIndex + after.length));
  const newEnd = col(text.slice(lineStart, field.startIndex) + to);
  let pad = '';
  let c = newEnd;
  while (c < eqCol) {
    pad += '\t';
    c = c + 8 - (c % 8);
  }
  if (c !== eqCol || pad === '') pad = ' ';
  edits.push({ start: field.endIndex, end: field.endIndex + after.length, text: pad, step });
  return edits;
}

/**
 * `struct platform_device* pdev` → `struct platform_device *pdev` on the
 * line whose return type changes: checkpatch reports the `*` of a changed
 * line, so the patch fixes it there (and nowhere else).
 */
function tidyPointerParams(shape: FunctionShape, step: string | undefined): Edit[] {
  const row = shape.type?.startPosition.row;
  const out: Edit[] = [];
  for (const p of shape.params) {
    if (p.startPosition.row !== row) continue;
    const d = p.childForFieldName('declarator');
    if (d?.type !== 'pointer_declarator') continue;
    const star = d.child(0);
    const inner = d.childForFieldName('declarator');
    if (star?.type !== '*' || !inner || inner.startIndex === star.endIndex) continue;
    const type = p.childForFieldName('type');
    if (!type || star.startIndex !== type.endIndex) continue;
    // `type*  name` → `type *name`
    out.push({ start: type.endIndex, end: inner.startIndex, text: ' *', step });
  }
  return out;
}

function bodyEdits(k: KitFile, shape: FunctionShape, change: TypeChange, step: string | undefined): Edit[] {
  const body = shape.container.childForFieldName('body');
  if (!body) return [];
  const out: Edit[] = [];
  if (change.returns) {
    const r = returnsToVoid(k.text, body, step);
    if (r.ok) out.push(...r.edits);
  }
  for (const p of change.params.filter((x) => x.action === 'remove')) {
    const r = removedParamUses(k.text, shape, body, p, step);
    if (r.ok) out.push(...r.edits);
  }
  return out;
}

/** The member's own name: its declaration in the struct, calls through it, other registrations. */
function memberOccurrence(k: KitFile, plan: Plan, m: Indexed<MemberSpec>, change: TypeChange, member: string, node: SyntaxNode): void {
  const spec = m.spec;
  const group = spec.group ?? String(m.index);
  const reg = registrationAt(node);
  if (reg) {
    if (reg.struct !== spec.struct) return; // another struct's member of the same name
    // Its value was already reported (unparsable code around it, a function of another change).
    if (isInsideError(reg.value) || k.ended.has(reg.value.startIndex) || reg.value.descendantsOfType('identifier').some((i) => k.ended.has(i.startIndex))) {
      k.ended.add(node.startIndex);
      return;
    }
    const v = reg.value.text.trim();
    if (v === 'NULL' || v === '0') k.end(node.startIndex, 'other', 'unchanged', 'registration-kept', { fn: v, member }, { group });
    else k.end(node.startIndex, 'other', 'manual', 'registration-value', { member, value: v }, { group });
    return;
  }
  const decl = findAncestor(node, 'field_declaration');
  if (decl) {
    const struct = findAncestor(decl, 'struct_specifier');
    if (struct?.childForFieldName('name')?.text !== spec.struct) return;
    const shape = functionShapeOf(node);
    if (!spec.retype || !shape || member !== spec.member) {
      k.end(node.startIndex, 'ops-member', 'unchanged', 'member-kept', { to: spec.moveTo ?? spec.member }, { group });
      return;
    }
    const form = formOf(shape, change);
    if (form.form === 'new') k.end(node.startIndex, 'ops-member', 'unchanged', 'already-new', { fn: `${spec.struct}.${member}`, what: describeChange(change) }, { group });
    else if (form.form === 'other') k.end(node.startIndex, 'ops-member', 'manual', 'signature-unexpected', { fn: `${spec.struct}.${member}`, why: form.why }, { group });
    else {
      k.edit(...signatureEdits(k.text, shape, change, spec.step));
      k.end(node.startIndex, 'ops-member', 'rewritten', 'member-retyped', { struct: spec.struct, member, what: describeChange(change, shape), ...paramWords(shape, change) }, { group });
    }
    return;
  }
  const fe = node.parent;
  if (fe?.type !== 'field_expression' || fe.childForFieldName('field')?.id !== node.id) return;
  const call = fe.parent;
  const isCall = call?.type === 'call_expression' && call.childForFieldName('function')?.id === fe.id;
  const struct = declaredStructOf(fe.childForFieldName('argument'));
  if (struct !== null && struct !== spec.struct) return;
  if (!spec.retype || member !== spec.member) {
    if (struct === spec.struct && isCall) k.end(node.startIndex, 'call', 'unchanged', 'core-call', { member }, { group });
    return;
  }
  // `if (!ops->m)`: a test of the pointer; nothing to change.
  if (!isCall) {
    if (spec.reportReads) k.end(node.startIndex, 'other', 'unchanged', 'member-read', { member }, { group });
    return;
  }
  // The core reads what the member returns: with a void member it must change by hand.
  if (spec.returns && !valueUnused(call!)) {
    k.end(node.startIndex, 'call', 'manual', 'return-value-used', { fn: `->${member}` }, { group });
    return;
  }
  if (struct === null && spec.callsThroughUnknown !== 'rewrite') {
    k.end(node.startIndex, 'call', 'manual', 'call-through-unknown', { what: `->${member}()` }, { group });
    return;
  }
  rewriteCall(k, plan, call!, `${spec.struct}.${member}`, `->${member}`, change.params, spec, node.startIndex, { group }, member);
}

/**
 * One call of a changed function or member: the argument rules applied
 * (callEdits), or the reason not; a call whose parse holds an ERROR node is
 * for a person when the change says so (`callsWithErrors: manual`).
 */
function rewriteCall(k: KitFile, plan: Plan, call: SyntaxNode, fn: string, shown: string, params: readonly ParamSpec[], spec: FunctionSpec | MemberSpec, at: number, extras: SiteExtras, name = fn): void {
  if (spec.callsWithErrors === 'manual' && (call.hasError || isInsideError(call))) {
    k.end(at, 'call', 'manual', 'error-node', { name }, extras);
    return;
  }
  const within = enclosingFunction(call);
  const p = callEdits(k.text, call, fn, params, (def) => removedParamsOf(def, plan), spec.step, undefined, (old) => k.paramNamed(within, old));
  if (!p.ok) k.end(at, 'call', 'manual', p.code, p.params, extras);
  else if (p.already) k.end(at, 'call', 'unchanged', 'call-already-new', { fn: shown }, extras);
  else if (p.edits.length === 0) k.end(at, 'call', 'unchanged', 'call-unchanged', { fn: shown }, extras);
  else {
    k.edit(...p.edits);
    if (p.forward) k.end(at, 'call', 'rewritten', 'call-forward', { fn: shown, ...p.forward }, extras);
    else k.end(at, 'call', 'rewritten', 'call-args', { fn: shown, what: p.what.join(', '), arg: p.arg ?? '' }, extras);
  }
}

/** A retyped parameter's new name against the body (body.ts renamedParamUses); what others already rewrote is settled. */
function renamedUses(k: KitFile, plan: Plan, shape: FunctionShape, change: TypeChange): BodyPlan | undefined {
  const body = shape.container.childForFieldName('body');
  if (!body) return undefined;
  const settled = (n: SyntaxNode) => k.touched(n.startIndex, n.endIndex);
  return change.params.map((p) => renamedParamUses(k.text, shape, body, p, settled, (u) => forwardedUse(u, plan, 'retype'))).find((r) => !r.ok);
}

/** The kernel-doc entries given new words (`doc`): each a site of its own. */
function newKernelDoc(k: KitFile, doc: SyntaxNode, shape: FunctionShape, change: TypeChange, kind: SiteKind, fn: string, step: string | undefined, extras: SiteExtras): void {
  for (const d of kernelDocDescriptions(doc, shape, change, step)) {
    k.edit(d.edit);
    k.site(d.at, kind, 'rewritten', 'kernel-doc', { fn, what: `@${d.param} -> @${d.name}`, param: d.param, name: d.name }, extras);
  }
}

// ---------------------------------------------------------------------------
// API functions

function rewriteFunction(k: KitFile, plan: Plan, f: Indexed<FunctionSpec>): void {
  const group = f.spec.group ?? String(f.index);
  const spec = f.spec;
  const specChange: TypeChange = { params: spec.params ?? [], returns: spec.returns };
  for (const off of wordOccurrences(k.text, spec.name)) {
    const node = nodeAt(k.file, off, spec.name);
    if (k.ended.has(off)) continue;
    if (!isName(node, off) || isInsideError(node)) {
      endOther(k, node, off, spec.name, group);
      continue;
    }
    const extras = { group, symbol: spec.name };
    const shape = functionShapeOf(node);
    const change = shape ? k.changeFor(shape.container, shape.params, specChange) : specChange;
    if (shape && shape.container.type !== 'field_declaration') {
      const isDef = shape.container.type === 'function_definition';
      const kind = isDef ? (isStub(shape.container) ? 'stub' : 'definition') : 'prototype';
      const form = formOf(shape, change);
      if (form.form === 'new') {
        k.end(off, kind, 'unchanged', 'already-new', { fn: spec.name, what: describeChange(change) }, extras);
        continue;
      }
      if (form.form === 'other') {
        k.end(off, kind, 'manual', 'signature-unexpected', { fn: spec.name, why: form.why }, extras);
        continue;
      }
      const edits = [...signatureEdits(k.text, shape, change, spec.step)];
      const doc = isDef ? kernelDocOf(shape.container) : null;
      if (isDef) {
        const body = shape.container.childForFieldName('body');
        const plans = body
          ? [
              ...(change.returns ? [returnsToVoid(k.text, body, spec.step)] : []),
              ...change.params.filter((p) => p.action === 'remove').map((p) => removedParamUses(k.text, shape, body, p, spec.step, (u) => forwardedUse(u, plan, 'remove'))),
              ...[renamedUses(k, plan, shape, change)].filter((p) => p !== undefined),
            ]
          : [];
        const bad = plans.find((p) => !p.ok);
        if (bad && !bad.ok) {
          k.end(off, kind, 'manual', bad.code, { fn: spec.name, ...bad.params, consequence: change.returns?.message ?? 'the caller read the value' }, extras);
          continue;
        }
        for (const p of plans) if (p.ok) edits.push(...p.edits);
        if (doc) edits.push(...kernelDocEdits(k.text, doc, shape, change, spec.step));
      }
      k.edit(...edits);
      k.end(off, kind, 'rewritten', 'signature', { fn: spec.name, what: describeChange(change, shape), ...paramWords(shape, change) }, extras);
      if (doc) newKernelDoc(k, doc, shape, change, kind, spec.name, spec.step, extras);
      continue;
    }
    const parent = node.parent;
    if (parent?.type === 'argument_list' && /^EXPORT_SYMBOL/.test(parent.parent?.childForFieldName('function')?.text ?? '')) {
      k.end(off, 'other', 'unchanged', 'export-symbol', {}, extras);
      continue;
    }
    if (parent?.type === 'call_expression' && parent.childForFieldName('function')?.id === node.id) {
      rewriteCall(k, plan, parent, spec.name, spec.name, change.params, spec, off, extras);
      continue;
    }
    endOther(k, node, off, spec.name, group);
  }
}

/** A use of a removed (retyped) parameter that a rewritten call drops (renames) anyway: a wrapper forwarding it. */
function forwardedUse(use: SyntaxNode, plan: Plan, action: 'remove' | 'retype'): boolean {
  const list = use.parent;
  if (list?.type !== 'argument_list') return false;
  const call = list.parent!;
  const fn = call.childForFieldName('function');
  const index = list.namedChildren.filter((c) => c.type !== 'comment').findIndex((c) => c.id === use.id);
  const name = fn?.type === 'identifier' ? fn.text : fn?.type === 'field_expression' ? fn.childForFieldName('field')?.text : undefined;
  const specs = [
    ...plan.functions.filter((f) => f.spec.name === name).flatMap((f) => f.spec.params ?? []),
    ...plan.members.filter((m) => m.spec.member === name && m.spec.retype).flatMap((m) => m.spec.params ?? []),
  ];
  return specs.some((p) => p.action === action && p.index === index && (action === 'remove' || p.name !== undefined));
}

/** Uses of the names remove-define removes, left in this file after its rewrite. */
export function residualUses(plan: Plan, file: SourceFile, edits: readonly Edit[], applied: boolean): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of plan.removeDefines) {
    const name = d.spec.name;
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

