// The i2c core model: the value a driver's probe sees as `id` in Linux 6.1,
// before and after a `.probe` → `.probe_new` migration.
//
// drivers/i2c/i2c-core-base.c:588-594, i2c_device_probe():
//   if (driver->probe_new)
//           status = driver->probe_new(client);
//   else if (driver->probe)
//           status = driver->probe(client, i2c_match_id(driver->id_table, client));
// drivers/i2c/i2c-core-base.c:2441-2446:
//   i2c_client_get_device_id(client)
//           = i2c_match_id(to_i2c_driver(client->dev.driver)->id_table, client)
// `driver` in i2c_device_probe() is to_i2c_driver(dev->driver): the driver
// being bound, the same one i2c_client_get_device_id() reads during probe.
// i2c_match_id(NULL, client) is NULL (line 108).
import { ofType, type SyntaxNode } from '../../codemods/c/index.js';
import { counterparts, readSides, type BusReading, type CallbackSite, type Found } from '../bus-side.js';
import { normalText, paramName, sideProblems, squeeze, type FunctionDef, type Registration } from '../driver-c.js';
import { finishResult, type CheckInput, type CheckResultShape, type ModelShape, type ProblemResult, type SiteResult } from '../model-shape.js';

export const MODEL_NAME = 'i2c-core';
const FIELDS = ['probe', 'probe_new'] as const;
type Field = (typeof FIELDS)[number];

/** What `id` holds in the probe: i2c_match_id(table, client), NULL, a value the model cannot name, or nothing (no `id`). */
export type IdValue = { kind: 'match'; table: string | null } | { kind: 'null' } | { kind: 'unknown'; text: string } | { kind: 'absent' };

export function describeId(v: IdValue): string {
  if (v.kind === 'match') return `i2c_match_id(${v.table ?? 'NULL'}, client)`;
  if (v.kind === 'null') return 'NULL';
  if (v.kind === 'unknown') return `a value the model cannot name (${v.text})`;
  return 'no id';
}

/** Same value whatever the client: the same table, or NULL either way (i2c_match_id(NULL, c) is NULL). */
export function sameId(a: IdValue, b: IdValue): boolean | 'unknown' {
  if (a.kind === 'unknown' || b.kind === 'unknown') return 'unknown';
  const norm = (v: IdValue) => (v.kind === 'match' && v.table === null ? { kind: 'null' as const } : v);
  const x = norm(a);
  const y = norm(b);
  if (x.kind !== y.kind) return false;
  return x.kind !== 'match' || y.kind !== 'match' || x.table === y.table;
}

/** The driver's `.id_table` as written (normalised), or null when it has none or it is NULL. */
function tableOf(r: Registration): string | null {
  const text = r.values.get('id_table') ?? null;
  return text === 'NULL' ? null : text;
}

/** What the judge reads of a probe, taken while its tree is alive: data, no nodes. */
interface ProbeDef {
  params: number;
  /** The `id` parameter's name, when the probe takes (client, id). */
  idParam: string | null;
  /** Whether the body reads `idParam`. */
  readsId: boolean;
  /** normalText() of the whole definition, and of the body. */
  text: string;
  body: string;
  /** A probe(client) read for the before probe's `id` name (the hint): what `id` is there. */
  afterId?: AfterId;
}

const READING: BusReading<ProbeDef> = {
  structName: 'i2c_driver',
  fields: FIELDS,
  keep: ['id_table'],
  summarize(def, hint) {
    const idParam = def.params.length === 2 ? paramName(def.params[1]!) : null;
    const readsId = idParam !== null && ofType(def.body, 'identifier', (n) => n.text === idParam).length > 0;
    const data: ProbeDef = { params: def.params.length, idParam, readsId, text: normalText(def.source, def.node), body: normalText(def.source, def.body) };
    if (hint !== undefined && def.params.length === 1) data.afterId = afterId(def, hint);
    return data;
  },
  lacks: (data, hint) => data.params === 1 && data.afterId?.idName !== hint,
};

/**
 * Each side is read into data (bus-side.ts), one file's tree alive at a
 * time; an after probe(client) is read for the name of its before probe's
 * `id`. The sites are judged from that data.
 */
export async function checkI2cCore(opts: CheckInput): Promise<CheckResultShape> {
  const read = await readSides(opts, READING, (site) => site.def?.data.idParam ?? undefined);
  const problems = read.problems;
  const sites = read.sites.map((site, i) => {
    const after = read.after[i]!;
    problems.push(...after.problems);
    return judge(site, after.found, counterparts(site, read.afterRegs), problems);
  });
  return finishResult(MODEL_NAME, opts, sites, problems);
}

function arityProblem(def: Found<ProbeDef>, field: Field, side: string): ProblemResult | null {
  const want = field === 'probe' ? 2 : 1;
  if (def.data.params === want) return null;
  return { path: def.path, line: def.line, severity: 'error', code: 'callback-type', message: `${side} tree: ${def.name}() takes ${def.data.params} parameter(s) but is registered as .${field}, which takes ${want === 2 ? '(client, id)' : '(client)'} in 6.1's struct i2c_driver` };
}

/** `id` in an after probe: i2c_match_id() of the bound driver's table, or a value of its own. */
type IdSource = { kind: 'bound' } | { kind: 'fixed'; value: IdValue };

function idOf(source: IdSource, boundTable: string | null): IdValue {
  return source.kind === 'bound' ? { kind: 'match', table: boundTable } : source.value;
}

/** The after body's `id` (named as the before probe's parameter): its value, and the body with its declaration cut. */
interface AfterId {
  idName: string;
  value: IdSource;
  /** The body text with the declaration cut and an inline call read as `id`. */
  body: string;
}

function afterId(def: FunctionDef, idName: string): AfterId {
  const f = { text: def.source };
  const client = def.params[0] ? paramName(def.params[0]) : null;
  const fixed = (value: IdValue): IdSource => ({ kind: 'fixed', value });
  const evaluate = (e: SyntaxNode): IdSource => {
    const t = normalText(f.text, e);
    if (t === 'NULL' || t === '0') return fixed({ kind: 'null' });
    if (client && t === `i2c_client_get_device_id(${client})`) return { kind: 'bound' };
    const m = e.type === 'call_expression' && e.childForFieldName('function')?.text === 'i2c_match_id' ? e.childForFieldName('arguments')!.namedChildren.filter((c) => c.type !== 'comment') : null;
    if (m && m.length === 2 && normalText(f.text, m[1]!) === client) {
      const table = normalText(f.text, m[0]!);
      return fixed({ kind: 'match', table: table === 'NULL' ? null : table });
    }
    return fixed({ kind: 'unknown', text: t });
  };
  const uses = ofType(def.body, 'identifier', (n) => n.text === idName);
  const decls = ofType(def.body, 'declaration').filter((d) => d.childrenForFieldName('declarator').some((x) => (x.type === 'init_declarator' ? x.childForFieldName('declarator') : x)?.text.replace(/^\*+\s*/, '') === idName));
  if (decls.length === 0) {
    const inline = client ? squeeze(normalText(f.text, def.body)).split(`i2c_client_get_device_id(${client})`).join(idName) : normalText(f.text, def.body);
    if (uses.length > 0) return { idName, value: fixed({ kind: 'unknown', text: `\`${idName}\` is read but not declared` }), body: inline };
    return { idName, value: { kind: 'bound' }, body: inline };
  }
  const decl = decls[0]!;
  const ds = decl.childrenForFieldName('declarator');
  const init = ds[0]?.type === 'init_declarator' ? ds[0].childForFieldName('value') : null;
  if (decls.length > 1 || ds.length > 1 || !init) {
    return { idName, value: fixed({ kind: 'unknown', text: `\`${idName}\` is not declared once with an initialiser` }), body: normalText(f.text, def.body) };
  }
  const early = uses.filter((u) => u.startIndex < decl.startIndex);
  if (early.length > 0) return { idName, value: fixed({ kind: 'unknown', text: `\`${idName}\` is read before its declaration` }), body: normalText(f.text, def.body) };
  return { idName, value: evaluate(init), body: normalText(f.text, def.body, [decl]) };
}

function judge(site: CallbackSite<ProbeDef>, aDef: Found<ProbeDef> | undefined, afterRegs: Registration[], problems: ProblemResult[]): SiteResult {
  const { fn, regs, def: bDef } = site;
  const home = regs[0]!.path;
  const base = { path: bDef?.path ?? home, line: bDef?.line ?? 0, function: fn, declared: false, declaredChanges: [] as string[], runs: 0 };
  if (!bDef) return { ...base, verdict: 'unknown', reason: `no definition of ${fn}() among the before tree's files` };
  if (!aDef) return { ...base, verdict: 'unknown', reason: `no definition of ${fn}() among the after tree's files` };
  const details: Record<string, unknown> = { drivers: regs.map((r) => `${r.path}: ${r.variable}.${r.field} (id_table ${tableOf(r) ?? 'none'})`) };
  for (const field of FIELDS) {
    const b = regs.some((r) => r.field === field) ? arityProblem(bDef, field, 'before') : null;
    const a = afterRegs.some((r) => r.field === field) ? arityProblem(aDef, field, 'after') : null;
    for (const p of sideProblems(b, a)) pushOnce(problems, p);
  }

  const tables = [...new Set(regs.map((r) => tableOf(r) ?? 'NULL'))];
  const several = tables.length > 1 ? `; registered by ${regs.length} drivers with different id_tables (${tables.join(', ')}): the core matches against the table of the driver being bound, before (i2c_device_probe) and after (i2c_client_get_device_id), so each driver sees its own table` : '';
  const sameCode = bDef.data.text === aDef.data.text;
  const bIdName = bDef.data.idParam;
  const bUsesId = bDef.data.readsId;
  const aAbs = bIdName && aDef.data.params === 1 ? afterIdOf(aDef, bIdName) : null;

  let runs = 0;
  for (const r of regs) {
    const ar = afterRegs.find((x) => x.path === r.path && x.variable === r.variable) ?? (afterRegs.length === 1 && regs.length === 1 ? afterRegs[0] : undefined);
    if (!ar) return { ...base, runs, verdict: 'unknown', reason: `the after tree has no counterpart of ${r.variable} (${r.path}) registering ${fn}`, details };
    runs++;
    const environment = `the client bound to ${r.variable} (${r.path})`;
    const bTable = tableOf(r);
    const aTable = tableOf(ar);
    const bId: IdValue = r.field === 'probe' && bIdName ? { kind: 'match', table: bTable } : { kind: 'absent' };
    if (sameCode && r.field === ar.field) {
      if (bTable !== aTable && bUsesId) return { ...base, runs, environment, verdict: 'differs', before: describeId(bId), after: describeId({ kind: 'match', table: aTable }), reason: `${r.variable}'s id_table changed`, details };
      continue;
    }
    let aId: IdValue;
    if (ar.field === 'probe' && aDef.data.params === 2) aId = { kind: 'match', table: aTable };
    else if (aAbs) aId = idOf(aAbs.value, aTable);
    else aId = { kind: 'absent' };
    const shown = { environment, before: describeId(bId), after: describeId(aId), details };
    if (bUsesId) {
      const same = sameId(bId, aId);
      if (same === 'unknown') return { ...base, ...shown, runs, verdict: 'unknown', reason: `the probe reads \`${bIdName}\`, and after it holds ${describeId(aId)}` };
      if (!same) return { ...base, ...shown, runs, verdict: 'differs', reason: `the probe reads \`${bIdName}\`: before the core passed ${describeId(bId)}, after it is ${describeId(aId)}` };
    }
  }
  if (sameCode) return { ...base, runs, verdict: 'equivalent', reason: `the same code (${regs[0]!.field === 'probe' ? 'unconverted: still .probe(client, id)' : 'already .probe_new'})${several}`, details };
  // The rest of the body: the before body against the after body without the id declaration.
  const bBody = bDef.data.body;
  const aBody = aAbs ? aAbs.body : aDef.data.body;
  if (squeeze(bBody) !== squeeze(aBody)) {
    const at = firstDifference(squeeze(bBody), squeeze(aBody));
    return { ...base, runs, verdict: 'unknown', before: at.before, after: at.after, reason: `the body changed beyond the \`${bIdName ?? 'id'}\` declaration; the model compares the rest as text`, details };
  }
  const idNote = bUsesId ? `\`${bIdName}\` is i2c_match_id(<the bound driver's id_table>, client) before and after` : `the probe never read \`${bIdName ?? 'id'}\``;
  return { ...base, runs, verdict: 'equivalent', reason: `${idNote}; the rest of the body is unchanged${several}`, details };
}

/** The after probe's `id`, read for `idName` (the site's hint: readSides read it so). */
function afterIdOf(def: Found<ProbeDef>, idName: string): AfterId {
  const a = def.data.afterId;
  if (a?.idName !== idName) throw new Error(`i2c-core: ${def.name}() (${def.path}:${def.line}) was not read for \`${idName}\``);
  return a;
}

function pushOnce(problems: ProblemResult[], p: ProblemResult | null): void {
  if (p && !problems.some((q) => q.path === p.path && q.line === p.line && q.code === p.code)) problems.push(p);
}

/** A short window around the first character where two normalised bodies differ. */
function firstDifference(a: string, b: string): { before: string; after: string } {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 30);
  return { before: a.slice(from, i + 50), after: b.slice(from, i + 50) };
}

/** The model as `kmigrate check` sees it (MigrationModel, structurally). */
export const i2cCoreModel: ModelShape = {
  name: MODEL_NAME,
  description: "Linux 6.1's i2c_device_probe() and i2c_client_get_device_id() (drivers/i2c/i2c-core-base.c): probe's id and i2c_client_get_device_id(client) are both i2c_match_id(<the bound driver's id_table>, client)",
  check: checkI2cCore,
};
