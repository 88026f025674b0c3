// The platform bus model: what Linux 6.1's platform_remove()
// (drivers/base/platform.c:1414-1428) does with each way out of a driver's
// remove callback, before and after a migration.
//
//   if (drv->remove_new) {
//           drv->remove_new(dev);                 result not read
//   } else if (drv->remove) {
//           int ret = drv->remove(dev);
//           if (ret)
//                   dev_warn(_dev, "remove callback returned a non-zero value. This will be ignored.\n");
//   }
//   dev_pm_domain_detach(_dev, true);             always; the device is unbound either way
import { counterparts, readSides, type BusReading, type CallbackSite, type Found } from '../bus-side.js';
import { normalText, sideProblems, type Registration } from '../driver-c.js';
import { finishResult, type CheckInput, type CheckResultShape, type ModelShape, type ProblemResult, type SiteResult } from '../model-shape.js';
import { abstractRemove, type Abstraction, type RemovePath, type ReturnValue } from './paths.js';

export const MODEL_NAME = 'platform-bus';
export const WARNING_GONE = 'remove-warning-gone';
export const WARNING_TEXT = 'remove callback returned a non-zero value. This will be ignored.';
const FIELDS = ['remove', 'remove_new'] as const;
type Field = (typeof FIELDS)[number];

/** Whether platform_remove() prints its warning for a path. */
export type Warning = 'yes' | 'no' | 'if non-zero';

/** The core's outcome for one path of the callback. */
export interface CoreOutcome {
  cleanup: string[];
  warning: Warning;
  /** Always true in 6.1: platform_remove() is void, the driver core unbinds. */
  unbound: true;
  pmDomainDetached: true;
}

export function coreOutcome(field: Field, path: RemovePath): CoreOutcome {
  let warning: Warning = 'no';
  if (field === 'remove' && path.end.kind === 'return') {
    const v = path.end.value;
    warning = v.kind === 'zero' || v.kind === 'none' ? 'no' : v.kind === 'nonzero' ? 'yes' : 'if non-zero';
  }
  return { cleanup: path.statements, warning, unbound: true, pmDomainDetached: true };
}

function describeValue(v: ReturnValue): string {
  return v.kind === 'none' ? 'nothing (void)' : v.kind === 'unknown' ? `a run-time value (${v.text})` : v.text;
}

export function describeOutcome(o: CoreOutcome): string {
  const warn = o.warning === 'yes' ? 'warning printed' : o.warning === 'no' ? 'no warning' : 'warning printed if the value is non-zero';
  return `cleanup [${o.cleanup.join(' ')}]; ${warn}; device unbound; PM domain detached`;
}

function describePath(p: RemovePath): string {
  const ds = p.decisions.map((d) => `\`${d.text}\` ${d.taken ? 'true' : 'false'} (line ${d.line})`);
  const end = p.end.kind === 'return' ? `returns ${describeValue(p.end.value)} at line ${p.end.line}` : `unknown at line ${p.end.line}`;
  return ds.length > 0 ? `${ds.join(', ')}; ${end}` : `the only path; ${end}`;
}

/** What the core did with a before path's non-zero or unknown return value. */
function errorNote(p: RemovePath): string | null {
  if (p.end.kind !== 'return') return null;
  const v = p.end.value;
  if (v.kind !== 'nonzero' && v.kind !== 'unknown') return null;
  const skipped = p.end.early ? ', and the cleanup after this early return was skipped' : '';
  const head = v.kind === 'nonzero' ? `returns ${v.text} at line ${p.end.line}: the core printed a warning and ignored the value` : `returns ${v.text} at line ${p.end.line}: if it is non-zero, the core printed a warning and ignored the value`;
  return `${head}: the device was unbound anyway${skipped}`;
}

/** Where the walk of an int callback stopped, what the core did with whatever it returned there. */
function unfollowedNote(abs: Abstraction): string[] {
  const stop = abs.unknown ?? abs.paths.map((p) => (p.end.kind === 'unknown' ? `${p.end.reason} at line ${p.end.line}` : null)).find((r) => r !== null);
  if (!stop) return [];
  return [`its return paths are not all followed (${stop}): whatever it returns there, a non-zero value printed the core's warning and was ignored, and the device was unbound anyway`];
}

/** Decisions of two paths can hold together: no condition taken both ways. */
function compatible(a: RemovePath, b: RemovePath): boolean {
  const taken = new Map(a.decisions.map((d) => [d.key, d.taken]));
  return b.decisions.every((d) => !taken.has(d.key) || taken.get(d.key) === d.taken);
}

/** What the judge reads of a remove callback, taken while its tree is alive. */
interface RemoveDef {
  returnType: string;
  /** normalText() of the whole definition: the same code before and after? */
  text: string;
  abs: Abstraction;
}

const READING: BusReading<RemoveDef> = {
  structName: 'platform_driver',
  fields: FIELDS,
  keep: [],
  summarize: (def) => ({ returnType: def.returnType, text: normalText(def.source, def.node), abs: abstractRemove(def) }),
};

/**
 * Each side is read into data (bus-side.ts), one file's tree alive at a
 * time; the sites are judged from that data.
 */
export async function checkPlatformBus(opts: CheckInput): Promise<CheckResultShape> {
  const read = await readSides(opts, READING);
  const problems = read.problems;
  const sites = read.sites.map((site, i) => {
    const after = read.after[i]!;
    problems.push(...after.problems);
    return judge(site, after.found, counterparts(site, read.afterRegs), opts.declared, problems);
  });
  return finishResult(MODEL_NAME, opts, sites, problems);
}

function oneField(regs: Registration[]): Field | 'mixed' | null {
  const fields = new Set(regs.map((r) => r.field as Field));
  return fields.size === 0 ? null : fields.size > 1 ? 'mixed' : [...fields][0]!;
}

function typeProblem(def: Found<RemoveDef>, field: Field, side: string): ProblemResult | null {
  const ret = def.data.returnType.replace(/\s+/g, ' ').trim();
  const want = field === 'remove' ? 'int' : 'void';
  if (ret === want || (want === 'int' && ret === 's32')) return null;
  return { path: def.path, line: def.line, severity: 'error', code: 'callback-type', message: `${side} tree: ${def.name}() returns ${ret || '(unknown)'} but is registered as .${field}, which returns ${want} in struct platform_driver` };
}

function judge(site: CallbackSite<RemoveDef>, aDef: Found<RemoveDef> | undefined, afterRegs: Registration[], declared: readonly string[], problems: ProblemResult[]): SiteResult {
  const { fn, regs, def: bDef } = site;
  const home = regs[0]!.path;
  const base = { path: bDef?.path ?? home, line: bDef?.line ?? 0, function: fn, declared: false, declaredChanges: [] as string[], runs: 0 };
  const bField = oneField(regs);
  const aField = oneField(afterRegs);
  if (!bDef) return { ...base, verdict: 'unknown', reason: `no definition of ${fn}() among the before tree's files` };
  if (!aDef) return { ...base, verdict: 'unknown', reason: `no definition of ${fn}() among the after tree's files` };
  if (bField === 'mixed' || aField === 'mixed') return { ...base, verdict: 'unknown', reason: `${fn}() is registered both as .remove and as .remove_new (${bField === 'mixed' ? 'before' : 'after'})` };
  if (!bField || !aField) return { ...base, verdict: 'unknown', reason: `the after tree's ${regs.map((r) => r.variable).join(', ')} registers no .remove or .remove_new named ${fn}` };
  problems.push(...sideProblems(typeProblem(bDef, bField, 'before'), typeProblem(aDef, aField, 'after')));
  const bAbs = bDef.data.abs;
  const notes = bAbs.paths.map(errorNote).filter((n): n is string => n !== null);
  const details: Record<string, unknown> = { drivers: regs.map((r) => `${r.path}: ${r.variable}.${r.field}`), beforeField: bField, afterField: aField };
  if (notes.length > 0) details.errorReturns = notes;

  if (bField === aField && bDef.data.text === aDef.data.text) {
    const what = bField === 'remove' ? 'unconverted: still int, still .remove' : 'already .remove_new';
    // A function left for a person: say what the core did with its value
    // even where the walk stops (the core's part does not depend on it).
    const said = bField === 'remove' ? [...notes, ...unfollowedNote(bAbs)] : notes;
    if (said.length > notes.length) details.errorReturns = said;
    if (bField === 'remove' && said.length === 0 && bAbs.paths.length > 0 && bAbs.paths.every((p) => p.end.kind === 'return' && p.end.value.kind === 'zero')) said.push('every path returns 0: the core never warned');
    return { ...base, verdict: 'equivalent', runs: Math.max(1, bAbs.paths.length), reason: `the same code (${what})${said.length > 0 ? `; ${said.join('; ')}` : ''}`, details };
  }
  const aAbs = aDef.data.abs;
  const giveUp = (abs: Abstraction, side: string) => (abs.unknown ? `${side}: ${abs.unknown}` : null);
  const whyNot = giveUp(bAbs, 'before') ?? giveUp(aAbs, 'after');
  if (whyNot) return { ...base, verdict: 'unknown', reason: `the model cannot follow ${fn}(): ${whyNot}`, details };
  return compare(base, bField, aField, bAbs, aAbs, declared, notes, details);
}

function compare(base: Omit<SiteResult, 'verdict'>, bField: Field, aField: Field, bAbs: Abstraction, aAbs: Abstraction, declared: readonly string[], notes: string[], details: Record<string, unknown>): SiteResult {
  let runs = 0;
  let declaredSeen = false;
  let unknown: SiteResult | null = null;
  for (const bp of bAbs.paths) {
    for (const ap of aAbs.paths.filter((a) => compatible(bp, a))) {
      runs++;
      const environment = describePath(bp);
      const bo = coreOutcome(bField, bp);
      const ao = coreOutcome(aField, ap);
      const shown = { environment, before: describeOutcome(bo), after: describeOutcome(ao), details };
      if (bp.end.kind === 'unknown' || ap.end.kind === 'unknown') {
        unknown ??= { ...base, ...shown, verdict: 'unknown', reason: bp.end.kind === 'unknown' ? bp.end.reason : ap.end.kind === 'unknown' ? ap.end.reason : '' };
        continue;
      }
      const extra = ao.cleanup.filter((s) => !bo.cleanup.includes(s));
      const missing = bo.cleanup.filter((s) => !ao.cleanup.includes(s));
      if (extra.length > 0 || missing.length > 0 || ao.cleanup.join('\n') !== bo.cleanup.join('\n')) {
        const what = extra.length > 0 ? `after, \`${extra.join(' ')}\` runs where it did not run before` : missing.length > 0 ? `after, \`${missing.join(' ')}\` no longer runs` : 'the same statements run in another order';
        const note = errorNote(bp);
        return { ...base, ...shown, runs, verdict: 'differs', reason: `${what}${note ? ` (before, ${base.function}() ${note})` : ''}` };
      }
      if (bo.warning === ao.warning) continue;
      if (ao.warning === 'no') {
        if (!declared.includes(WARNING_GONE)) {
          return { ...base, ...shown, runs, verdict: 'differs', reason: `the core's warning "${WARNING_TEXT}" is no longer printed on this path; the migration does not declare ${WARNING_GONE}` };
        }
        declaredSeen = true;
        continue;
      }
      unknown ??= { ...base, ...shown, verdict: 'unknown', reason: `the warning changes from "${bo.warning}" to "${ao.warning}": not a change the model knows` };
    }
  }
  if (runs === 0) return { ...base, verdict: 'unknown', reason: 'no before path has a counterpart after', details };
  if (unknown) return { ...unknown, runs };
  const tail = notes.length > 0 ? `; before, ${notes.join('; ')}` : '';
  if (declaredSeen) {
    return { ...base, runs, verdict: 'equivalent', declared: true, declaredChanges: [WARNING_GONE], reason: `the same cleanup runs on every path and the device is unbound and its PM domain detached, before and after; only the core's warning "${WARNING_TEXT}" is gone (declared: ${WARNING_GONE})${tail}`, details };
  }
  return { ...base, runs, verdict: 'equivalent', reason: `the same cleanup and the same core outcome on every path${tail}`, details };
}

/** The model as `kmigrate check` sees it (MigrationModel, structurally). */
export const platformBusModel: ModelShape = {
  name: MODEL_NAME,
  description: "Linux 6.1's platform_remove() (drivers/base/platform.c): .remove_new's result is not read; a non-zero .remove result prints a warning and is ignored; the device is unbound and its PM domain detached either way",
  check: checkPlatformBus,
};
