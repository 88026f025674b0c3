// Call sites under a type change: per-argument rules (a value map, values
// that may simply go, anything else for a person) and a removed parameter
// that a wrapper only forwards.
import { callArguments, enclosingFunction, type SyntaxNode } from '../c/index.js';
import { wrapListEdits } from '../engine/layout.js';
import type { Edit } from '../engine/types.js';
import { functionShapeOf } from './c-shapes.js';
import { paramName } from './signature.js';
import type { ParamSpec } from './spec.js';

export type CallPlan =
  | {
      ok: true;
      edits: Edit[];
      what: string[];
      already?: boolean;
      /** The first argument a rule changed, as written (`NULL`). */
      arg?: string;
      /** Every change is a retyped parameter forwarded under its new name: the argument and that name. */
      forward?: { arg: string; name: string };
    }
  | {
      ok: false;
      code: 'call-arg' | 'call-arity';
      params: Record<string, string | number>;
      /** The argument is a TypeScript step's to judge (`args.others: step`). */
      stepTakes?: boolean;
    };

/** Whitespace-normalised text of an expression. */
export function argText(node: SyntaxNode): string {
  return node.text.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();
}

/** `THIS_MODULE` matches `THIS_MODULE`; `*` anything; `name(*)` any call of name. */
export function matchesPattern(text: string, pattern: string): boolean {
  const p = pattern.replace(/\s+/g, ' ').trim();
  if (p === '*') return true;
  const call = /^(\w+)\(\*\)$/.exec(p);
  if (call) return new RegExp(`^${call[1]}\\s*\\(`).test(text) && text.endsWith(')');
  return text === p;
}

/**
 * The names of the parameters the enclosing function loses in this
 * migration (a wrapper that forwards its own removed parameter drops it
 * from the inner call too):
 *   struct iommu_sva *iommu_sva_bind_device(..., void *drvdata)
 *   { ... ops->sva_bind(dev, mm, drvdata); ... }
 */
export type RemovedParams = (fnDef: SyntaxNode) => Set<string>;

/** Edits for one call of a changed function: every parameter rule applied to its argument. */
export function callEdits(
  text: string,
  call: SyntaxNode,
  fn: string,
  params: readonly ParamSpec[],
  removedOf: RemovedParams,
  step: string | undefined,
  expected?: number,
  /** The new name a forwarded parameter takes in the enclosing function, when a step named it (KitFile.nameParam). */
  forwardedName: (old: string) => string | undefined = () => undefined,
): CallPlan {
  const args = callArguments(call);
  const list = call.childForFieldName('arguments')!;
  const oldCount = expected ?? Math.max(0, ...params.filter((p) => p.action !== 'add').map((p) => p.index + 1));
  if (expected !== undefined && args.length !== expected) return { ok: false, code: 'call-arity', params: { fn, count: args.length, expected } };
  // A call that already has the new arity (the migration ran before): nothing to do.
  const newCount = oldCount - params.filter((p) => p.action === 'remove').length + params.filter((p) => p.action === 'add').length;
  if (newCount !== oldCount && args.length === newCount && expected === undefined) return { ok: true, edits: [], what: [], already: true };
  if (args.length < oldCount) return { ok: false, code: 'call-arity', params: { fn, count: args.length, expected: oldCount } };
  const def = enclosingFunction(call);
  const forwarded = def ? removedOf(def) : new Set<string>();
  const edits: Edit[] = [];
  const itemEdits: Edit[] = [];
  const what: string[] = [];
  const removed = new Set<number>();
  let first: string | undefined;
  let forward: { arg: string; name: string } | undefined;
  for (const p of params) {
    const arg = args[p.index];
    if (p.action === 'add') {
      const value = p.args?.value ?? '0';
      const prev = args[p.index - 1];
      if (prev) itemEdits.push({ start: prev.endIndex, end: prev.endIndex, text: `, ${value}`, step });
      else if (arg) itemEdits.push({ start: arg.startIndex, end: arg.startIndex, text: `${value}, `, step });
      else itemEdits.push({ start: list.startIndex + 1, end: list.endIndex - 1, text: value, step });
      what.push(`passes ${value}`);
      continue;
    }
    if (!arg) continue;
    const t = argText(arg);
    if (p.action === 'remove') {
      if (arg.type === 'identifier' && forwarded.has(t)) {
        removed.add(p.index);
        what.push(`the forwarded ${t} goes`);
      } else if ((p.args?.drop ?? []).some((d) => matchesPattern(t, d))) {
        removed.add(p.index);
        what.push(`${t} goes`);
      } else return { ok: false, code: 'call-arg', stepTakes: p.args?.others === 'step', params: { fn, message: (p.args?.message ?? `argument ${p.index + 1} ({arg}) has no rule: change the call by hand`).replace(/\{arg\}/g, t) } };
    } else {
      const map = p.args?.map ?? {};
      const hit = Object.entries(map).find(([from]) => matchesPattern(t, from));
      if (hit) {
        if (hit[1] !== t) itemEdits.push({ start: arg.startIndex, end: arg.endIndex, text: hit[1], step });
        what.push(hit[1] === t ? `${t} kept` : `${t} -> ${hit[1]}`);
        if (hit[1] !== t) first ??= arg.text;
      } else if (arg.type === 'identifier' && forwarded.has(t) && p.name) {
        const name = forwardedName(t) ?? p.name;
        itemEdits.push({ start: arg.startIndex, end: arg.endIndex, text: name, step });
        what.push(`forwards ${name}`);
        first ??= arg.text;
        forward ??= { arg: t, name };
      } else return { ok: false, code: 'call-arg', stepTakes: p.args?.others === 'step', params: { fn, arg: arg.text, message: (p.args?.message ?? `argument ${p.index + 1} ({arg}) has no rule: change the call by hand`).replace(/\{arg\}/g, t) } };
    }
  }
  edits.push(...itemEdits);
  if (itemEdits.length > 0) edits.push(...wrapListEdits(text, list, itemEdits).map((e) => ({ ...e, step })));
  if (removed.size > 0) {
    const firstKept = args.findIndex((_, i) => !removed.has(i));
    if (firstKept < 0) edits.push({ start: list.startIndex + 1, end: list.endIndex - 1, text: '', step });
    else {
      for (const i of [...removed].sort((a, b) => a - b)) {
        if (i < firstKept) edits.push({ start: args[i]!.startIndex, end: args[i + 1]!.startIndex, text: '', step });
        else edits.push({ start: args[i - 1]!.endIndex, end: args[i]!.endIndex, text: '', step });
      }
    }
  }
  const onlyForward = forward !== undefined && removed.size === 0 && params.every((p) => p.action === 'retype') && itemEdits.length === 1;
  return { ok: true, edits, what, ...(first !== undefined ? { arg: first } : {}), ...(onlyForward ? { forward } : {}) };
}

/** The parameters of `def` (a function_definition) removed by `specs` when its name is one the change covers. */
export function removedParamNames(def: SyntaxNode, specs: readonly ParamSpec[]): Set<string> {
  const out = new Set<string>();
  const declarator = def.descendantsOfType('function_declarator')[0];
  const name = declarator?.childForFieldName('declarator');
  if (!name) return out;
  const shape = functionShapeOf(name);
  if (!shape) return out;
  const params = shape.params.filter((p) => p.type === 'parameter_declaration');
  for (const p of specs) {
    if (p.action !== 'remove' && p.action !== 'retype') continue;
    const n = paramName(params[p.index]);
    if (n) out.add(n);
  }
  return out;
}
