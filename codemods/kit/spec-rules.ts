// The rules of a migration file that its JSON Schema cannot say: references
// between keys (a change's `step` names a step), and which keys of a
// parameter go with which action. Runs on a file the schema accepted and
// returns every broken rule with the key path it is at (the loader reports
// the first in the file).
import { kitMessages } from './messages.js';
import type { ArgRules, ChangeSpec, CodeTable, MigrationSpec, ParamSpec, ReturnSpec } from './spec.js';

export type KeyPath = (string | number)[];

export interface BrokenRule {
  path: KeyPath;
  reason: string;
}

export function checkSpecRules(spec: MigrationSpec, opts: { allowExtensions: boolean; knownExtensions?: readonly string[] }): BrokenRule[] {
  const broken: BrokenRule[] = [];
  const say = (path: KeyPath, reason: string) => broken.push({ path, reason });

  if (spec.declared && spec.model === undefined) say(['declared'], 'declared behaviour changes need a `model` that knows them');
  if (spec.extensions && !opts.allowExtensions) say(['extensions'], 'only a migration bundled with kmigrate may name TypeScript extensions');
  else if (spec.extensions && opts.knownExtensions) {
    const known = opts.knownExtensions;
    spec.extensions.forEach((id, i) => {
      if (!known.includes(id)) say(['extensions', i], `no TypeScript step '${id}' in the folder's index.ts (known: ${known.join(', ') || 'none'})`);
    });
  }
  if (spec.changes.length === 0 && !spec.extensions?.length) say(['changes'], 'no changes: the migration would do nothing');

  const stepIds = new Map<string, number>();
  let mains = 0;
  spec.steps?.forEach((s, i) => {
    if (stepIds.has(s.id)) say(['steps', i, 'id'], `step '${s.id}' is already steps[${stepIds.get(s.id)}]`);
    else stepIds.set(s.id, i);
    if (s.main && ++mains > 1) say(['steps', i, 'main'], 'only one step can be the main one');
  });

  spec.changes.forEach((change, i) => {
    const [kind, body] = Object.entries(change)[0] as [keyof ChangeSpec & string, Record<string, unknown>];
    const at: KeyPath = ['changes', i, kind];
    const step = body.step;
    if (typeof step === 'string' && !stepIds.has(step)) {
      say(
        [...at, 'step'],
        stepIds.size === 0 ? `no step '${step}': the file has no \`steps\`` : `no step '${step}' in steps (known: ${[...stepIds.keys()].join(', ')})`,
      );
    }
    checkChange(change, at, say);
    checkCodes(body.codes as CodeTable | undefined, spec, [...at, 'codes'], say);
    ((body.params as ParamSpec[] | undefined) ?? []).forEach((p, j) => {
      if (p.args?.others === 'step' && !spec.extensions?.length) say([...at, 'params', j, 'args', 'others'], 'only with `extensions`: a TypeScript step must take those calls');
    });
  });

  return broken;
}

function checkChange(change: ChangeSpec, at: KeyPath, say: (path: KeyPath, reason: string) => void): void {
  if ('rename' in change) {
    const r = change.rename;
    if (r.from === r.to) say([...at, 'to'], `renames ${r.from} to itself`);
    if (r.keepDefine && r.kind === 'member') say([...at, 'keepDefine'], 'a member has no `#define` to keep');
    if (r.struct !== undefined && r.kind !== 'member') say([...at, 'struct'], '`struct` is only for `kind: member`');
  } else if ('function' in change) {
    const f = change.function;
    if (!f.params && !f.returns) say(at, 'a function change needs `params` or `returns`');
    checkParams(f.params, [...at, 'params'], say);
    checkReturns(f.returns, [...at, 'returns'], say);
  } else if ('member' in change) {
    const m = change.member;
    if (!m.params && !m.returns && m.moveTo === undefined && !m.retype) say(at, 'a member change needs `params`, `returns`, `moveTo` or `retype`');
    if (m.moveTo === m.member) say([...at, 'moveTo'], `moves .${m.member} to itself: \`moveTo\` must name another member`);
    if (m.callsThroughUnknown !== undefined && !m.retype) say([...at, 'callsThroughUnknown'], 'only with `retype: true` (the core\'s calls through the member are the change\'s only then)');
    if (m.reportReads && !m.retype) say([...at, 'reportReads'], 'only with `retype: true` (reads of a member that keeps its type are not the change\'s)');
    checkParams(m.params, [...at, 'params'], say);
    checkReturns(m.returns, [...at, 'returns'], say);
  } else if ('add-define' in change) {
    const d = change['add-define'];
    if (d.after === d.name) say([...at, 'after'], `${d.name} cannot go after itself`);
  }
}

/** The keys of a parameter that only some actions use. */
const ONLY_FOR: { key: keyof ParamSpec; actions: ParamSpec['action'][]; what: string }[] = [
  { key: 'to', actions: ['retype', 'add'], what: 'the new type' },
  { key: 'name', actions: ['retype', 'add'], what: 'the new name' },
  { key: 'replacement', actions: ['remove'], what: 'a declaration for bodies that still use the removed parameter' },
  { key: 'doc', actions: ['retype'], what: 'the new kernel-doc description' },
  { key: 'alsoNew', actions: ['retype'], what: 'types that already count as the new one' },
];

const ARGS_ONLY_FOR: { key: keyof ArgRules; action: ParamSpec['action'] }[] = [
  { key: 'map', action: 'retype' },
  { key: 'drop', action: 'remove' },
  { key: 'value', action: 'add' },
];

function checkParams(params: ParamSpec[] | undefined, at: KeyPath, say: (path: KeyPath, reason: string) => void): void {
  const touched = new Map<number, number>();
  params?.forEach((p, i) => {
    const here = [...at, i];
    for (const rule of ONLY_FOR) {
      if (p[rule.key] !== undefined && !rule.actions.includes(p.action)) {
        say([...here, rule.key], `only for action ${rule.actions.join(' or ')} (${rule.what}), not ${p.action}`);
      }
    }
    for (const rule of ARGS_ONLY_FOR) {
      if (p.args?.[rule.key] !== undefined && p.action !== rule.action) say([...here, 'args', rule.key], `only for action ${rule.action}, not ${p.action}`);
    }
    if (p.action === 'retype' && p.to === undefined) say(here, "action retype needs 'to' (the new type)");
    if (p.action === 'add') {
      if (p.to === undefined) say(here, "action add needs 'to' (the new parameter's type)");
      else if (p.name === undefined) say(here, "action add needs 'name' (the new parameter's name)");
      else if (p.args?.value === undefined) say(here, "action add needs 'args.value' (what callers pass)");
    }
    if (p.action !== 'add') {
      // One old parameter is retyped or removed once; `add` inserts and may share an index.
      const other = touched.get(p.index);
      if (other !== undefined) say([...here, 'index'], `parameter ${p.index} is already changed by params[${other}]`);
      else touched.set(p.index, i);
    }
  });
}

function checkReturns(r: ReturnSpec | undefined, at: KeyPath, say: (path: KeyPath, reason: string) => void): void {
  if (r && r.from.replace(/\s+/g, ' ').trim() === 'void') say([...at, 'from'], 'already returns void');
}

/**
 * A change's code table: each key a code the kit reports, each value a code
 * with words (the kit's or the file's `messages`; with TypeScript steps,
 * theirs too, which only the build knows).
 */
function checkCodes(table: CodeTable | undefined, spec: MigrationSpec, at: KeyPath, say: (path: KeyPath, reason: string) => void): void {
  for (const [from, to] of Object.entries(table ?? {})) {
    if (!Object.hasOwn(kitMessages, from)) say([...at, from], `'${from}' is not a code the kit reports (docs/codes.md)`);
    else if (!spec.extensions?.length && !Object.hasOwn(kitMessages, to) && !Object.hasOwn(spec.messages ?? {}, to)) {
      say([...at, from], `no message for code '${to}': add it to \`messages\` (or name a kit code)`);
    }
  }
}
