// score:upstream's verdicts: each function the migration concerns, compared
// between the old tree (6.1), our result (6.1 + the run's rewrites, in
// memory) and the upstream tree (6.12), sorted into buckets.
//
// Shape of the inputs (all plain data; nothing here reads the disk itself):
//   c         the project's codemods/c module (see score-c.mjs)
//   target    { struct, member, moveTo?, otherReplacement? } — the ops member
//             the migration converts; moveTo is the member converted
//             registrations move to (an equivalent name upstream)
//   result    the engine's RunResult for the old tree
//   old       { list(): paths, read(path): text | undefined } — the 6.1 tree
//   upstream  { read(path): text | undefined } — the 6.12 tree
//   registered, described  registeredInTree's answer and its `described`
//             map, when the caller ran it already (else scoreRun does)
import { describeFunctions, describeTree, escapeRe, registrations, signatureText } from './score-c.mjs';

/** The buckets, in report order, with the one-line title each is printed under. */
export const BUCKETS = [
  ['agree', 'agree (signature, returns and registration as upstream)'],
  ['agreeOther', 'agree, other replacement (signature as upstream; upstream reads the match data another way)'],
  ['disagree', 'disagree (both converted, differently)'],
  ['leftHere', 'converted upstream, left here as manual'],
  ['silentlyLeft', 'converted upstream, left here SILENTLY (no manual site; must be 0)'],
  ['onlyHere', 'converted here, not upstream'],
  ['neither', 'converted neither here nor upstream'],
  ['noOracle', 'no oracle (file, function or registration gone in upstream)'],
];

/** Site kinds whose `symbol` names a function the migration converts. */
const FUNCTION_KINDS = new Set(['implementation', 'definition', 'prototype']);
/** Manual sites that stand for the whole file (it was not rewritten at all). */
const FILE_LEVEL_CODES = new Set(['not-utf8', 'unreadable', 'internal-error']);

const key = (path, fn) => `${path}\0${fn}`;

/**
 * The functions registered in `.member` of a `struct <struct>` initializer in
 * the old tree's .c files, found without the run: [{ path, fn, line }].
 * Only files whose text mentions both are parsed. A function registered in a
 * file that does not define it (a shared helper: `.remove =
 * ata_platform_remove_one`) is looked for in the other .c files, among
 * definitions that are not static; each found adds { path (the definition's
 * file), fn, line, registeredIn }. `described` (optional, a Map) gets path →
 * what describeFunctions says of the functions found, so that scoreRun need
 * not parse those files again.
 */
export function registeredInTree(c, old, target, described = new Map()) {
  const structRe = new RegExp(`\\bstruct\\s+${escapeRe(target.struct)}\\b`);
  const memberRe = new RegExp(`\\.\\s*${escapeRe(target.member)}\\s*=`);
  const out = [];
  const elsewhere = new Map(); // fn → the files registering it without defining it
  const paths = old.list().filter((p) => p.endsWith('.c'));
  for (const path of paths) {
    const text = old.read(path);
    if (text === undefined || !structRe.test(text) || !memberRe.test(text)) continue;
    const root = c.parseC(text).rootNode;
    const regs = registrations(c, root, target.struct, text);
    const mine = regs.filter((r) => r.member === target.member);
    if (mine.length === 0) continue;
    const d = describeTree(c, root, text, [...new Set(mine.map((r) => r.fn))], target.struct, new Map(), regs);
    described.set(path, d);
    for (const r of mine) {
      out.push({ path, fn: r.fn, line: r.line });
      if (!d.get(r.fn)?.def) (elsewhere.get(r.fn) ?? elsewhere.set(r.fn, new Set()).get(r.fn)).add(path);
    }
  }
  if (elsewhere.size === 0) return out;
  const names = [...elsewhere.keys()];
  const anyRe = new RegExp(`\\b(?:${names.map(escapeRe).join('|')})\\s*\\(`);
  for (const path of paths) {
    const text = old.read(path);
    if (text === undefined || !anyRe.test(text)) continue;
    const present = names.filter((n) => new RegExp(`\\b${escapeRe(n)}\\s*\\(`).test(text));
    const d = describeFunctions(c, text, present, target.struct);
    for (const fn of present) {
      const def = d.get(fn)?.def;
      if (!def || def.isStatic || elsewhere.get(fn).has(path)) continue;
      const known = described.get(path) ?? described.set(path, new Map()).get(path);
      known.set(fn, d.get(fn));
      out.push({ path, fn, line: def.line, registeredIn: [...elsewhere.get(fn)].sort() });
    }
  }
  return out;
}

/** Which member a registration counts as upstream: moveTo and member are one name there. */
function canonicalMembers(members, target) {
  return [...new Set(members.map((m) => (target.moveTo && m === target.moveTo ? target.member : m)))].sort();
}

const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const setText = (xs) => `{${xs.map((x) => JSON.stringify(x)).join(', ')}}`;

/** What one side looks like in the report. */
function sideOf(d, target) {
  if (!d?.def) return null;
  const side = {
    line: d.def.line,
    signature: signatureText(d.def.signature),
    returns: d.def.returns,
    members: canonicalMembers(d.members, target),
    matchData: d.def.matchData,
    params: d.def.params,
    declares: d.def.declares,
  };
  // Every name the body reads: for the removed-parameter check, kept out of the JSON report.
  Object.defineProperty(side, 'idents', { value: d.def.idents, enumerable: false });
  return side;
}

/**
 * Score a run. Returns { target, functions: [{ path, function, bucket, why,
 * from, old, ours, upstream, manual }], buckets: { name: count },
 * convertedUpstream, precision, recall, precisionStrict, recallStrict }.
 */
export function scoreRun({ c, target, result, old, upstream, registered, described = new Map() }) {
  // The functions concerned: named by our sites, or registered in 6.1.
  const affected = new Map();
  const add = (path, fn, from) => {
    const k = key(path, fn);
    const e = affected.get(k) ?? { path, fn, from: [] };
    if (!e.from.includes(from)) e.from.push(from);
    affected.set(k, e);
  };
  for (const s of result.sites) if (s.symbol && FUNCTION_KINDS.has(s.kind)) add(s.path, s.symbol, 'site');
  for (const r of registered ?? registeredInTree(c, old, target, described)) add(r.path, r.fn, 'registration');

  const after = new Map(result.files.filter((f) => f.status === 'changed').map((f) => [f.path, f.after]));
  const manualBy = new Map();
  for (const s of result.sites) if (s.action === 'manual') (manualBy.get(s.path) ?? manualBy.set(s.path, []).get(s.path)).push(s);

  // One parse per file and side: the functions are described per path.
  const byPath = new Map();
  for (const e of affected.values()) (byPath.get(e.path) ?? byPath.set(e.path, []).get(e.path)).push(e.fn);
  const describe = (text, names) => (text === undefined ? undefined : describeFunctions(c, text, names, target.struct));
  const olds = new Map();
  for (const [path, names] of byPath) {
    const known = described?.get(path);
    olds.set(path, known && names.every((n) => known.has(n)) ? known : describe(old.read(path), names));
  }
  // A name found where it is not defined (a prototype in a header, a table in
  // another file) is dropped when its definition is among the affected.
  const definedSomewhere = new Set([...affected.values()].filter((e) => olds.get(e.path)?.get(e.fn)?.def).map((e) => e.fn));

  const functions = [];
  for (const path of [...byPath.keys()].sort()) {
    const names = byPath.get(path).sort();
    const o = olds.get(path);
    const ours = after.has(path) ? describe(after.get(path), names) : o;
    const upText = upstream.read(path);
    const up = describe(upText, names);
    for (const fn of names) {
      const od = o?.get(fn);
      if (!od?.def && definedSomewhere.has(fn)) continue;
      const manual = matchingManual(manualBy.get(path) ?? [], fn, od);
      const entry = {
        path,
        function: fn,
        from: affected.get(key(path, fn)).from.sort(),
        old: sideOf(od, target),
        ours: sideOf(ours?.get(fn), target),
        upstream: sideOf(up?.get(fn), target),
        manual: manual.map((s) => ({ line: s.line, kind: s.kind, code: s.code, message: s.message })),
      };
      functions.push({ ...entry, ...classify(entry, target, upText) });
    }
  }

  const buckets = Object.fromEntries(BUCKETS.map(([b]) => [b, functions.filter((f) => f.bucket === b).length]));
  const agreeing = buckets.agree + buckets.agreeOther;
  const convertedUpstream = agreeing + buckets.disagree + buckets.leftHere + buckets.silentlyLeft;
  const claimed = agreeing + buckets.disagree + buckets.onlyHere;
  const ratio = (n, d) => (d === 0 ? null : n / d);
  return {
    target,
    functions,
    buckets,
    convertedUpstream,
    precision: ratio(agreeing, claimed),
    recall: ratio(agreeing, convertedUpstream),
    precisionStrict: ratio(buckets.agree, claimed),
    recallStrict: ratio(buckets.agree, convertedUpstream),
  };
}

/** Our manual sites that concern `fn`: by symbol, inside its 6.1 definition, on its registration, or the whole file. */
function matchingManual(sites, fn, o) {
  const inside = (line) => o?.def && line >= o.def.line && line <= o.def.endLine;
  return sites.filter((s) => s.symbol === fn || inside(s.line) || o?.registrationLines.includes(s.line) || FILE_LEVEL_CODES.has(s.code));
}

/** The bucket of one function and why, from the three sides. */
function classify(e, target, upText) {
  if (!e.old) return { bucket: 'noOracle', why: 'no definition in the old tree (only a prototype or a registration here)' };
  if (upText === undefined) return { bucket: 'noOracle', why: 'file gone upstream' };
  if (!e.upstream) return { bucket: 'noOracle', why: 'function gone or renamed upstream' };
  if (e.old.members.length > 0 && e.upstream.members.length === 0) {
    return { bucket: 'noOracle', why: `registration in struct ${target.struct} gone upstream` };
  }
  const convertedUp = e.upstream.signature !== e.old.signature;
  const convertedHere = e.ours ? e.ours.signature !== e.old.signature : true;
  if (!convertedUp && !convertedHere) return { bucket: 'neither', why: `both keep ${e.old.signature}` };
  if (convertedUp && !convertedHere) {
    if (e.manual.length === 0) return { bucket: 'silentlyLeft', why: `upstream ${e.upstream.signature}; we kept ${e.old.signature} and reported nothing` };
    return { bucket: 'leftHere', why: `manual: ${[...new Set(e.manual.map((m) => m.code))].join(', ')}` };
  }
  if (!convertedUp) return { bucket: 'onlyHere', why: `ours ${e.ours.signature}; upstream kept ${e.old.signature}` };
  if (!e.ours) return { bucket: 'disagree', why: 'our result has no definition of it any more', differs: ['signature'] };

  const differs = [];
  const whys = [];
  if (e.ours.signature !== e.upstream.signature) {
    differs.push('signature');
    whys.push(`signature: ours ${e.ours.signature}, upstream ${e.upstream.signature}`);
  }
  // Return statements count only for a migration that changes the return type.
  if (target.comparesReturns !== false && !sameList(e.ours.returns, e.upstream.returns)) {
    differs.push('returns');
    whys.push(`returns: ours ${setText(e.ours.returns)}, upstream ${setText(e.upstream.returns)}`);
  }
  if (!sameList(e.ours.members, e.upstream.members)) {
    differs.push('registration');
    whys.push(`registration: ours ${setText(e.ours.members)}, upstream ${setText(e.upstream.members)}`);
  }
  // A removed parameter that our body still reads must be declared there.
  for (const i of target.removedParams ?? []) {
    const name = e.old.params?.[i];
    if (!name || !e.ours.declares || (e.ours.params ?? []).includes(name)) continue;
    if (e.ours.idents?.has(name) && !e.ours.declares.includes(name)) {
      differs.push('declaration');
      whys.push(`our body reads ${name} without declaring it`);
    }
  }
  const readers = e.upstream.matchData.filter((m) => !e.ours.matchData.includes(m));
  if (target.otherReplacement && readers.length > 0 && !differs.includes('signature') && !differs.includes('registration') && !differs.includes('declaration')) {
    const also = differs.includes('returns') ? `; ${whys[0]}` : '';
    return { bucket: 'agreeOther', why: `upstream reads the match data with ${readers.map((r) => `${r}()`).join(', ')}${also}`, differs };
  }
  if (differs.length === 0) return { bucket: 'agree', why: e.ours.signature };
  return { bucket: 'disagree', why: whys.join('; '), differs };
}

/** The members of the migrations the lead is writing, for when the migration object does not say. */
export const KNOWN_TARGETS = {
  'platform-remove-void': { struct: 'platform_driver', member: 'remove', moveTo: 'remove_new', otherReplacement: false, comparesReturns: true, removedParams: [] },
  'i2c-probe-drop-id': { struct: 'i2c_driver', member: 'probe', moveTo: 'probe_new', otherReplacement: true, comparesReturns: false, removedParams: [1] },
};

/**
 * The ops member a migration converts: from its spec (MigrationSpec, the
 * first `member` change) when the object carries one, else from
 * KNOWN_TARGETS; undefined when neither knows. `source` says which.
 */
export function targetFor(migration, id) {
  const changes = migration?.spec?.changes;
  if (Array.isArray(changes)) {
    const m = changes.find((ch) => ch && typeof ch === 'object' && ch.member)?.member;
    if (m?.struct && m?.member) {
      return {
        struct: m.struct,
        member: m.member,
        moveTo: m.moveTo,
        // A removed parameter's uses may be replaced upstream by reading the match data.
        otherReplacement: (m.params ?? []).some((p) => p.action === 'remove'),
        comparesReturns: Boolean(m.returns),
        removedParams: (m.params ?? []).filter((p) => p.action === 'remove').map((p) => Number(p.index)),
        source: 'migration spec',
      };
    }
  }
  const known = KNOWN_TARGETS[migration?.meta?.id ?? id] ?? KNOWN_TARGETS[id];
  return known ? { ...known, source: 'score-upstream table' } : undefined;
}
