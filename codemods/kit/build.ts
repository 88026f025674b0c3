// A migration file (MigrationSpec) made into a Migration the engine drives:
// needles and the pass-1 text test from the names it mentions, facts learned
// across the tree (registrations, which implementations can be converted),
// and the per-file rewrite (rewrite.ts).
import { escapeRegExp, isCommentOrString, namedWords, wordOccurrences, type SyntaxNode } from '../c/index.js';
import { covers, parseNeedle } from '../engine/scan-core.js';
import type { AnyMigration, Migration, MigrationMeta, SourceFile } from '../engine/migration.js';
import type { Site } from '../engine/types.js';
import { judgeImplementations, surveyFile } from './analysis.js';
import { registeredFunction, registrationAt } from './c-shapes.js';
import { definedNames } from './names.js';
import { rewriteKitFile, residualUses } from './rewrite.js';
import { unitOf, type Indexed, type KitFacts, type Plan, type Verdict } from './facts.js';
import type { MemberSpec, MigrationSpec } from './spec.js';
import { kitMessages } from './messages.js';
import type { BundledExtensions, KitExtension } from './extension.js';

export type { Plan } from './facts.js';

export function planOf(spec: MigrationSpec): Plan {
  const plan: Plan = { spec, members: [], functions: [], renames: [], deletes: [], addDefines: [], removeDefines: [], dropIncludes: [] };
  spec.changes.forEach((c, index) => {
    if ('member' in c) plan.members.push({ index, spec: c.member });
    else if ('function' in c) plan.functions.push({ index, spec: c.function });
    else if ('rename' in c) plan.renames.push({ index, spec: c.rename });
    else if ('delete-initializer' in c) plan.deletes.push({ index, spec: c['delete-initializer'] });
    else if ('add-define' in c) plan.addDefines.push({ index, spec: c['add-define'] });
    else if ('remove-define' in c) plan.removeDefines.push({ index, spec: c['remove-define'] });
    else plan.dropIncludes.push({ index, spec: c['drop-include'] });
  });
  return plan;
}

function paragraphs(text: string): string[] {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => p.trim());
}

export function metaOf(spec: MigrationSpec): MigrationMeta {
  const steps = spec.steps?.map((s) => ({ id: s.id, subject: s.subject, body: paragraphs(s.body), ...(s.main ? { main: true } : {}) })) ?? [
    { id: 'main', subject: spec.subject, body: paragraphs(spec.rationale), main: true },
  ];
  return {
    id: spec.id,
    subject: spec.subject,
    summary: spec.summary,
    rationale: paragraphs(spec.rationale),
    reference: spec.reference,
    steps,
    ...(spec.model ? { model: spec.model } : {}),
    ...(spec.declared ? { declared: spec.declared } : {}),
    ...(spec.kconfig ? { kconfig: spec.kconfig } : {}),
    patchSummary: spec.patchSummary ?? spec.subject.replace(/^[^:]*:\s*/, ''),
    patchBody: paragraphs(spec.patchBody ?? spec.rationale),
  };
}

/** Codes of sites that show the old API (a rewrite was due) and the new one (already done). */
const OLD_CODES = new Set<string>(['converted', 'prototype', 'registration-moved', 'call-args', 'call-forward', 'member-retyped', 'signature', 'renamed', 'kernel-doc', 'registration-mismatch', 'half-converted']);
const NEW_CODES = new Set<string>(['already-new', 'already-moved', 'call-already-new']);

/** A needle (`\\bSVM_FLAG_`: at a word start) as a regular expression. */
function needleSource(needle: string): string {
  const { text, wordStart } = parseNeedle(needle);
  return (wordStart ? '\\b' : '') + escapeRegExp(text);
}

/** The TypeScript steps a spec names, from its bundled folder's exports. */
function extensionsOf(spec: MigrationSpec, bundled: BundledExtensions | undefined): [string, KitExtension][] {
  return (spec.extensions ?? []).map((id) => {
    const step = bundled?.steps[id];
    if (!step) throw new Error(`${spec.id}: no TypeScript step '${id}' beside the migration file`);
    return [id, step];
  });
}

export function buildMigration(spec: MigrationSpec, source: { file: string; dir: string }, bundled?: BundledExtensions): AnyMigration {
  const plan = planOf(spec);
  const exts = extensionsOf(spec, bundled);
  // The kit's codes, the file's own, and its steps' (docs/codes.md).
  const codes: Record<string, string> = Object.assign({}, kitMessages, spec.messages ?? {}, ...exts.map(([, e]) => e.codes ?? {}));
  plan.catalogue = codes;
  checkCodeTables(spec, codes);
  const meta = metaOf(spec);
  const namesOf = (m: Indexed<MemberSpec>) => [m.spec.member, ...(m.spec.moveTo ? [m.spec.moveTo] : [])];
  const memberWords = plan.members.flatMap(namesOf);
  // A file matters when it registers or calls a member, or defines a struct whose member changes type.
  const retyped = plan.members.filter((m) => m.spec.retype).map((m) => m.spec.struct);
  const fieldRe =
    memberWords.length > 0
      ? new RegExp(`(?:\\.|->)\\s*(?:${memberWords.join('|')})\\b${retyped.length > 0 ? `|\\bstruct\\s+(?:${retyped.join('|')})\\s*\\{` : ''}`)
      : null;
  const structRe = plan.members.length > 0 ? new RegExp(`\\bstruct\\s+(?:${plan.members.map((m) => m.spec.struct).join('|')})\\b`) : null;
  const otherNeedles = [
    ...plan.functions.map((f) => f.spec.name),
    ...plan.renames.map((r) => r.spec.from),
    ...plan.deletes.map((d) => d.spec.value),
    ...plan.removeDefines.map((d) => d.spec.name),
  ];
  const otherRe = otherNeedles.length > 0 ? new RegExp(`\\b(?:${otherNeedles.join('|')})\\b`) : null;
  const extNeedles = exts.flatMap(([, e]) => e.needles ?? []);
  const extRe = extNeedles.length > 0 ? new RegExp(extNeedles.map(needleSource).join('|')) : null;
  // A member's struct, as a word (`struct  hv_driver` with two spaces
  // exists), finds the files that register its implementations: `.remove`
  // alone is in thousands of others; the text test narrows them. When
  // another needle holds every name of the member anyway (the flagship's
  // `sva_bind`), each registration, access and declaration of it is found
  // through that needle, and the struct's name would add only files that
  // name the struct without the member: nothing to learn or rewrite there,
  // for one more window of the scanner (`\biommu_ops` doubled the
  // flagship's, bench/README.md).
  const covered = (name: string) => [...otherNeedles, ...extNeedles].some((n) => covers(n, name));
  const memberNeedles = plan.members.filter((m) => !namesOf(m).every(covered)).map((m) => `\\b${m.spec.struct}`);

  const migration: Migration<KitFacts> = {
    meta,
    codes,
    needles: [...new Set([...memberNeedles, ...otherNeedles, ...extNeedles])],
    // An added define's anchor matters only in its file, which is read whatever it holds.
    paths: [...new Set(plan.addDefines.map((d) => d.spec.file))],
    nameHints: [...new Set([...plan.members.map((m) => m.spec.member), ...exts.flatMap(([, e]) => e.nameHints ?? [])])],
    accepts: (text) =>
      (structRe !== null && structRe.test(text) && fieldRe!.test(text)) || (otherRe !== null && otherRe.test(text)) || (extRe !== null && extRe.test(text)),
    createFacts: ({ limited }) => ({
      limited,
      regs: {},
      verdicts: {},
      defs: {},
      occ: {},
      headerNames: {},
      definePresent: {},
      defineFile: {},
      residual: {},
      ext: Object.fromEntries(exts.map(([id, e]) => [id, e.createFacts({ limited })])),
    }),
    discover(file, facts, ctx) {
      for (const [id, e] of exts) e.discover(file, facts.ext[id], ctx);
      for (const m of plan.members) collectRegistrations(file, m, facts);
      surveyFile(plan, file, ctx.names ?? new Set(), facts);
      for (const d of plan.dropIncludes) {
        if (facts.headerNames[d.spec.header]) continue;
        const text = ctx.readAux(`include/${d.spec.header}`);
        if (text !== undefined) facts.headerNames[d.spec.header] = definedNames(text);
      }
      for (const d of plan.addDefines) if (hasDefine(file, d.spec.name)) facts.definePresent[d.spec.name] = true;
      for (const d of plan.removeDefines) if (hasDefine(file, d.spec.name)) facts.defineFile[d.spec.name] = file.path;
    },
    extraNeedles: (facts) => [...new Set([...Object.values(facts.regs).flatMap((r) => Object.keys(r)), ...plan.functions.map((f) => f.spec.name)])],
    afterDiscover(facts) {
      judgeImplementations(plan, facts);
    },
    jobs: {
      // A worker builds the same migration: from the spec alone, or with the steps of the folder's module.
      module: exts.length > 0 ? bundled!.module : new URL('./worker-entry.js', import.meta.url).href,
      data: { spec, source },
      namesFromText: (text) => [...new Set([...registeredNamesIn(text, memberWords), ...exts.flatMap(([, e]) => e.namesFromText?.(text) ?? [])])],
      mergeFacts: (into, from) => {
        mergeFacts(into, from);
        for (const [id, e] of exts) e.mergeFacts(into.ext[id], from.ext[id]);
      },
      // A file's rewrite from its own facts stands when, for every candidate
      // name it holds, the whole tree gives the same verdict (a static
      // callback registered where it is defined, the common case).
      speculate: (file, local, names) => {
        if (plan.addDefines.length + plan.removeDefines.length + plan.dropIncludes.length + exts.length > 0) return undefined;
        const own = JSON.parse(JSON.stringify(local)) as KitFacts;
        judgeImplementations(plan, own);
        return { rewrite: rewriteKitFile(plan, file, own), deps: verdictsOf(plan, namesIn(file.text, names), file.path, own) };
      },
      confirm: (deps, facts, path) => JSON.stringify(verdictsOf(plan, Object.keys(Object.values(deps as Deps)[0] ?? {}), path, facts)) === JSON.stringify(deps),
    },
    isDeferred: (path, facts) => plan.removeDefines.some((d) => facts.defineFile[d.spec.name] === path) || exts.some(([id, e]) => e.isDeferred?.(path, facts.ext[id]) ?? false),
    rewrite: (file, facts) => rewriteKitFile(plan, file, facts, exts),
    afterRewrite(file, result, facts, applied) {
      for (const [name, where] of Object.entries(residualUses(plan, file, result.edits, applied))) (facts.residual[name] ??= []).push(...where);
      for (const [id, e] of exts) e.afterRewrite?.(file, result, facts.ext[id], applied);
    },
    afterUnreadable(path, bytes, facts) {
      for (const [id, e] of exts) e.afterUnreadable?.(path, bytes, facts.ext[id]);
      const text = Buffer.from(bytes).toString('latin1');
      for (const d of plan.removeDefines) {
        for (const off of wordOccurrences(text, d.spec.name)) (facts.residual[d.spec.name] ??= []).push(`${path}:${text.slice(0, off).split('\n').length}`);
      }
    },
    // A step's own sites are its to judge; the kit's by their codes.
    eraOf: (site: Site) => {
      for (const [, e] of exts) {
        const era = e.eraOf?.(site);
        if (era !== undefined) return era === 'neither' ? undefined : era;
      }
      return OLD_CODES.has(site.code) ? 'old' : NEW_CODES.has(site.code) ? 'new' : undefined;
    },
    // A conversion through a transitional member is per function; any other change is one group.
    // (rewrite.ts puts the function, `index|name@path`, in the group of such sites.)
    // A step may group every site itself (extension.ts eraGroup).
    eraGroup: exts.find(([, e]) => e.eraGroup)?.[1].eraGroup ?? ((site: Site) => site.group),
    definedNames: [...new Set([...(spec.defined ?? []), ...plan.renames.map((r) => r.spec.to), ...plan.addDefines.map((d) => d.spec.name), ...replacementCallees(spec)])],
    ...(exts.some(([, e]) => e.flagPrefixes) ? { flagPrefixes: exts.flatMap(([, e]) => e.flagPrefixes ?? []) } : {}),
  };
  return Object.assign(migration, { spec });
}

/**
 * Every code a change's table names must have words: the loader checks a
 * file's own (spec-rules.ts); a bundled file's steps are known only here.
 */
function checkCodeTables(spec: MigrationSpec, codes: Readonly<Record<string, string>>): void {
  spec.changes.forEach((c, i) => {
    const table = Object.values(c)[0] as { codes?: Record<string, string> };
    for (const to of Object.values(table.codes ?? {})) {
      if (!Object.hasOwn(codes, to)) throw new Error(`${spec.id}: changes[${i}].codes: no message for code '${to}' (not the kit's, the file's messages or a step's)`);
    }
  });
}

/** Functions a replacement declaration calls (`i2c_client_get_device_id`): they must stay defined. */
function replacementCallees(spec: MigrationSpec): string[] {
  const out: string[] = [];
  for (const c of spec.changes) {
    const params = 'member' in c ? c.member.params : 'function' in c ? c.function.params : undefined;
    for (const p of params ?? []) for (const m of (p.replacement ?? '').matchAll(/(\w+)\s*\(/g)) out.push(m[1]!);
  }
  return out;
}

function hasDefine(file: SourceFile, name: string): boolean {
  for (const off of wordOccurrences(file.text, name)) {
    const id = file.root.descendantForIndex(off, off + name.length);
    const def = id.parent;
    if ((def?.type === 'preproc_def' || def?.type === 'preproc_function_def') && def.childForFieldName('name')?.id === id.id) return true;
  }
  return false;
}

/**
 * Registrations of implementations in the member (or its new place):
 *   static struct platform_driver foo_driver = { .remove = foo_remove, };
 */
function collectRegistrations(file: SourceFile, m: Indexed<MemberSpec>, facts: KitFacts): void {
  const key = String(m.index);
  for (const member of [m.spec.member, ...(m.spec.moveTo ? [m.spec.moveTo] : [])]) {
    for (const off of wordOccurrences(file.text, member)) {
      const field: SyntaxNode = file.root.descendantForIndex(off, off + member.length);
      if (field.type !== 'field_identifier' || field.startIndex !== off || isCommentOrString(field)) continue;
      const reg = registrationAt(field);
      if (!reg || reg.struct !== m.spec.struct) continue;
      const fn = registeredFunction(reg.value);
      if (!fn) continue;
      const list = ((facts.regs[key] ??= {})[fn.text] ??= []);
      const line = fn.startPosition.row + 1;
      if (!list.some((r) => r.path === file.path && r.line === line)) list.push({ path: file.path, line, moved: member !== m.spec.member });
    }
  }
}

/**
 * The names a file's text registers in one of `members`, before any parse
 * (a superset: the parse confirms the struct):
 *   .remove = foo_remove,   .remove = &foo_remove,   .remove = __exit_p(foo_remove),   ->remove = foo_remove;
 */
export function registeredNamesIn(text: string, members: readonly string[]): string[] {
  const out = new Set<string>();
  if (members.length === 0) return [];
  // The value must end there (`,` `;` `}` or the macro's `)`): `.remove = drv->remove` names no function.
  const re = new RegExp(`(?:\\.|->)\\s*(?:${members.join('|')})\\s*=\\s*(?:&\\s*)?(?:__(?:dev)?exit_p\\s*\\(\\s*)?([A-Za-z_]\\w*)\\s*\\)?\\s*[,;}]`, 'g');
  for (const x of text.matchAll(re)) if (!['NULL', 'true', 'false'].includes(x[1]!)) out.add(x[1]!);
  return [...out];
}

/** Fold the facts one job learnt into the run's. */
function mergeFacts(into: KitFacts, from: KitFacts): void {
  for (const [change, byFn] of Object.entries(from.regs)) {
    const target = (into.regs[change] ??= {});
    for (const [fn, list] of Object.entries(byFn)) {
      const t = (target[fn] ??= []);
      for (const r of list) if (!t.some((x) => x.path === r.path && x.line === r.line)) t.push(r);
    }
  }
  for (const [fn, list] of Object.entries(from.occ)) (into.occ[fn] ??= []).push(...list);
  for (const [h, names] of Object.entries(from.headerNames)) into.headerNames[h] ??= names;
  for (const [n, v] of Object.entries(from.definePresent)) if (v) into.definePresent[n] = true;
  for (const [n, p] of Object.entries(from.defineFile)) into.defineFile[n] ??= p;
  for (const [n, where] of Object.entries(from.residual)) (into.residual[n] ??= []).push(...where);
}

/** For each member change, the verdict each candidate name of a file gets there (null: none). */
type Deps = Record<string, Record<string, Verdict | null>>;

/** The verdict each of `names` (sorted) gets in the file at `path`, per member change. */
function verdictsOf(plan: Plan, names: readonly string[], path: string, facts: KitFacts): Deps {
  const out: Deps = {};
  for (const m of plan.members) {
    const row: Record<string, Verdict | null> = {};
    for (const fn of names) row[fn] = Object.hasOwn(facts.regs[m.index] ?? {}, fn) ? (facts.verdicts[m.index]?.[unitOf(facts, fn, path)] ?? null) : null;
    out[m.index] = row;
  }
  return out;
}

/** The candidate names a text holds, sorted. */
function namesIn(text: string, names: ReadonlySet<string>): string[] {
  return [...new Set(namedWords(text, names).map((w) => w.name))].sort();
}
