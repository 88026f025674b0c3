// A change of a function's type (return type, parameters), as the kit's
// `function` and `member` primitives describe it: is a definition of the old
// form, and the edits that give a definition, a prototype or a stub the new
// one. Bodies are judged in body.ts.
import { lineEndOf, lineStartOf, type SyntaxNode } from '../c/index.js';
import { wrapListEdits } from '../engine/layout.js';
import type { Edit } from '../engine/types.js';
import { normType, paramType, returnType, type FunctionShape } from './c-shapes.js';
import type { ParamSpec, ReturnSpec } from './spec.js';

/** What one change does to a function type. */
export interface TypeChange {
  params: readonly ParamSpec[];
  returns?: ReturnSpec;
}

export type FormVerdict = { form: 'old' } | { form: 'new'; what: string } | { form: 'other'; why: string };

/**
 * Which form a function has: `old` when every part the change touches is as
 * before (`int` return, the parameter of type `from` at its index), `new`
 * when every part is already changed, `other` when it is neither (a different
 * function that happens to share the name, or a half-done conversion).
 */
export function formOf(shape: FunctionShape, change: TypeChange): FormVerdict {
  const parts: ('old' | 'new' | string)[] = [];
  if (change.returns) {
    const ret = returnType(shape);
    if (ret === normType(change.returns.from)) parts.push('old');
    else if (ret === normType(change.returns.to)) parts.push('new');
    else parts.push(`returns ${ret}, not ${change.returns.from}`);
  }
  const params = shape.params.filter((p) => p.type === 'parameter_declaration');
  for (const p of change.params) {
    const at = params[p.index];
    const atType = at ? paramType(at) : undefined;
    if (p.action === 'remove') {
      if (at && (!p.from || atType === normType(p.from))) parts.push('old');
      else if (!at || (p.from && atType !== normType(p.from))) parts.push(at ? `parameter ${p.index + 1} is ${atType}, not ${p.from}` : 'new');
    } else if (p.action === 'retype') {
      if (at && (!p.from || atType === normType(p.from))) parts.push('old');
      else if (at && (atType === normType(p.to!) || (p.alsoNew ?? []).some((t) => atType === normType(t)))) parts.push('new');
      else parts.push(at ? `parameter ${p.index + 1} is ${atType}, not ${p.from ?? p.to}` : `no parameter ${p.index + 1}`);
    } else {
      if (at && atType === normType(p.to!) && (!p.name || at.text.includes(p.name))) parts.push('new');
      else parts.push('old');
    }
  }
  // A removed parameter that is gone is 'new' only if the remaining ones are all there.
  const odd = parts.find((x) => x !== 'old' && x !== 'new');
  if (odd) return { form: 'other', why: odd };
  if (parts.every((x) => x === 'old')) return { form: 'old' };
  if (parts.every((x) => x === 'new')) return { form: 'new', what: describeChange(change) };
  return { form: 'other', why: 'half of the change is already made' };
}

/** `int -> void`, `drops id`, `void *drvdata -> unsigned int flags`. */
export function describeChange(change: TypeChange, shape?: FunctionShape): string {
  const words: string[] = [];
  if (change.returns) words.push(`${change.returns.from} -> ${change.returns.to}`);
  const params = shape?.params.filter((p) => p.type === 'parameter_declaration') ?? [];
  for (const p of change.params) {
    const name = paramName(params[p.index]) ?? p.from ?? `parameter ${p.index + 1}`;
    if (p.action === 'remove') words.push(`drops ${name}`);
    else if (p.action === 'retype') words.push(`${params[p.index]?.text ?? p.from ?? name} -> ${p.to}${p.name ? ` ${p.name}` : ''}`);
    else words.push(`adds ${p.to} ${p.name}`);
  }
  return words.join(', ');
}

/** The name a parameter declares (`id` of `const struct i2c_device_id *id`), or null. */
export function paramName(param: SyntaxNode | undefined): string | null {
  let d = param?.childForFieldName('declarator') ?? null;
  while (d && d.type !== 'identifier') d = d.childForFieldName('declarator');
  return d?.text ?? null;
}

/**
 * Edits giving a definition, prototype or member declaration the new type.
 * The caller has checked `formOf(...) === old`.
 */
export function signatureEdits(text: string, shape: FunctionShape, change: TypeChange, step: string | undefined): Edit[] {
  const edits: Edit[] = [];
  if (change.returns && shape.type) edits.push({ start: shape.type.startIndex, end: shape.type.endIndex, text: change.returns.to, step });
  const list = shape.declarator.childForFieldName('parameters');
  const params = shape.params.filter((p) => p.type === 'parameter_declaration');
  if (!list) return edits;
  const removed = new Set(change.params.filter((p) => p.action === 'remove').map((p) => p.index));
  const itemEdits: Edit[] = [];
  for (const p of change.params) {
    const at = params[p.index];
    if (p.action === 'retype' && at) {
      // A prototype's parameter without a name (`void *`) stays without one.
      const old = paramName(at);
      const name = old === null && shape.container.type !== 'function_definition' ? null : (p.name ?? old);
      itemEdits.push({ start: at.startIndex, end: at.endIndex, text: joinType(p.to!, name), step });
    } else if (p.action === 'add') {
      const prev = params[p.index - 1];
      const next = params[p.index];
      const decl = joinType(p.to!, p.name ?? null);
      if (prev) itemEdits.push({ start: prev.endIndex, end: prev.endIndex, text: `, ${decl}`, step });
      else if (next) itemEdits.push({ start: next.startIndex, end: next.startIndex, text: `${decl}, `, step });
      else itemEdits.push({ start: list.startIndex + 1, end: list.endIndex - 1, text: decl, step });
    }
  }
  edits.push(...itemEdits);
  if (itemEdits.length > 0) edits.push(...wrapListEdits(text, list, itemEdits).map((e) => ({ ...e, step })));
  // Removals: a parameter before the first kept one goes with the separator
  // after it (`(a, b)` → `(b)`), any other with the separator before it.
  if (removed.size > 0) {
    const firstKept = params.findIndex((_, i) => !removed.has(i));
    if (firstKept < 0) edits.push({ start: list.startIndex + 1, end: list.endIndex - 1, text: 'void', step });
    else {
      for (const i of [...removed].sort((x, y) => x - y)) {
        if (!params[i]) continue;
        if (i < firstKept) edits.push({ start: params[i]!.startIndex, end: params[i + 1]!.startIndex, text: '', step });
        else edits.push({ start: params[i - 1]!.endIndex, end: params[i]!.endIndex, text: '', step });
      }
    }
  }
  return dedupe(edits);
}

function dedupe(edits: Edit[]): Edit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const k = `${e.start}:${e.end}:${e.text}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** `unsigned int` + `flags` → `unsigned int flags`; `const struct x *` + `id` → `const struct x *id`. */
export function joinType(type: string, name: string | null): string {
  const t = normType(type);
  if (!name) return t;
  return t.endsWith('*') ? `${t}${name}` : `${t} ${name}`;
}

/**
 * The kernel-doc comment right above a definition (`/** ... *\/`, only blank
 * space between), or null.
 */
export function kernelDocOf(def: SyntaxNode): SyntaxNode | null {
  const prev = def.previousSibling;
  return prev?.type === 'comment' && prev.text.startsWith('/**') ? prev : null;
}

/**
 * Kernel-doc edits: `@old:` → `@new:` for a renamed parameter; the whole
 * `@old: …` entry (with its continuation lines) for a removed one.
 */
export function kernelDocEdits(text: string, doc: SyntaxNode, shape: FunctionShape, change: TypeChange, step: string | undefined): Edit[] {
  const params = shape.params.filter((p) => p.type === 'parameter_declaration');
  const edits: Edit[] = [];
  for (const p of change.params) {
    const old = paramName(params[p.index]);
    if (!old) continue;
    const re = new RegExp(`@${old}\\b\\s*:`);
    const m = re.exec(doc.text);
    if (!m) continue;
    const at = doc.startIndex + m.index;
    if (p.action === 'retype' && p.doc !== undefined) continue; // a new description: kernelDocDescriptions
    if (p.action === 'retype' && p.name && p.name !== old) {
      edits.push({ start: at + 1, end: at + 1 + old.length, text: p.name, step });
    } else if (p.action === 'remove') {
      // The entry's lines: from its line to the line before the next `@x:`, blank ` *`, or the end.
      const start = lineStartOf(text, at);
      let end = lineEndOf(text, at) + 1;
      while (end < doc.endIndex) {
        const line = text.slice(end, lineEndOf(text, end));
        if (/^\s*\*\s*(@\w+\s*:|$|\/)/.test(line) || /^\s*\*\s*[A-Z][a-z]+:/.test(line)) break;
        end = lineEndOf(text, end) + 1;
      }
      edits.push({ start, end, text: '', step });
    }
  }
  return edits;
}

/** A kernel-doc entry given new words (a retyped parameter's `doc`): its edit, and what the site says. */
export interface DocRewrite {
  edit: Edit;
  /** Where the entry's `@` is. */
  at: number;
  param: string;
  name: string;
}

/**
 * The whole entry of a retyped parameter that has a `doc` (its `@old:` line
 * and the continuation lines after it: more text that is not a new `@name:`)
 * becomes `@new: doc`:
 *    * @drvdata: opaque data pointer to pass
 *    *           to bind callback            →   * @flags: IOMMU_SVA_BIND_* flags for the bond, or 0
 */
export function kernelDocDescriptions(doc: SyntaxNode, shape: FunctionShape, change: TypeChange, step: string | undefined): DocRewrite[] {
  const params = shape.params.filter((p) => p.type === 'parameter_declaration');
  const out: DocRewrite[] = [];
  for (const p of change.params) {
    const old = paramName(params[p.index]);
    if (p.action !== 'retype' || p.doc === undefined || !old) continue;
    const re = new RegExp(`^([ \\t]*\\*[ \\t]*)@${old}:[^\\r\\n]*((\\r?\\n[ \\t]*\\*[ \\t]+(?!@)[^\\s*/][^\\r\\n]*)*)`, 'm');
    const m = re.exec(doc.text);
    if (!m) continue;
    const start = doc.startIndex + m.index + m[1]!.length;
    const name = p.name ?? old;
    out.push({ edit: { start, end: doc.startIndex + m.index + m[0].length, text: `@${name}: ${p.doc}`, step }, at: start, param: old, name });
  }
  return out;
}

/**
 * What a site of a signature change says besides `what`: the first changed
 * parameter's old name (`param`, empty when it has none) and new name (`name`),
 * for a code table's template (`void *{param} -> unsigned int {name}`).
 */
export function paramWords(shape: FunctionShape, change: TypeChange): { param: string; name: string } {
  const params = shape.params.filter((p) => p.type === 'parameter_declaration');
  const p = change.params.find((x) => x.action !== 'add');
  if (!p) return { param: '', name: '' };
  const old = paramName(params[p.index]);
  return { param: old ?? '', name: p.name ?? old ?? '' };
}
