// Comparison of one call site: the model run on the before call and on the
// after call in every environment, and the verdict (the same outcome
// everywhere, different only where a declared change explains it, or
// different).
import { describeMm, describeThird, type CallAbstraction } from './abstraction.js';
import type { ConcreteCall, DeclaredChange, Environment } from './declared.js';
import { assignments, describeEnvironment, hardwareEnvironments, mmPaths, pairPaths, representativeFlagValues, runModel, thirdPaths } from './environments.js';
import type { EraInfo } from './era.js';
import { describeOutcome, sameOutcome, type ApiEra, type BindArgument, type BindOutcome, type MmPointer } from './model.js';

/** Most model runs the checker makes for one call site before it gives up. */
const MAX_RUNS_PER_SITE = 200_000;

export type Verdict = 'equivalent' | 'differs' | 'unknown';

export interface SiteReport {
  path: string;
  /** The call's line (and column) in the before tree. */
  line: number;
  column: number;
  function: string | null;
  verdict: Verdict;
  /**
   * True when the outcomes differ only where a declared change explains it
   * (the verdict is then `equivalent`); false otherwise. A `differs` verdict
   * is always an undeclared difference.
   */
  declared: boolean;
  /** The declared change(s) that explained differences. */
  declaredChanges: string[];
  /** The first environment where the outcomes differ ('' when they never do). */
  environment: string;
  environmentDetail: Environment | null;
  /** Outcome before and after in that environment ('' when none). */
  before: string;
  after: string;
  reason: string;
  afterLine: number | null;
  /** The abstract arguments, one line each. */
  beforeArguments: string;
  afterArguments: string;
  /** Environments (× symbol values × paths) the model was run in. */
  runs: number;
}

export interface KeyedCall {
  /** Enclosing function and ordinal within it: `idxd_enable_system_pasid#1`. */
  key: string;
  abstraction: CallAbstraction;
}

export function compareSite(p: string, before: KeyedCall, after: KeyedCall | undefined, eras: { before: EraInfo; after: EraInfo }, declared: readonly DeclaredChange[]): SiteReport {
  const b = before.abstraction;
  const report: SiteReport = {
    path: p,
    line: b.line,
    column: b.column,
    function: b.function,
    verdict: 'unknown',
    declared: false,
    declaredChanges: [],
    environment: '',
    environmentDetail: null,
    before: '',
    after: '',
    reason: '',
    afterLine: after?.abstraction.line ?? null,
    beforeArguments: describeArguments(b),
    afterArguments: after ? describeArguments(after.abstraction) : '',
    runs: 0,
  };
  const unknown = (reason: string): SiteReport => ({ ...report, verdict: 'unknown', reason });
  if (!after) return unknown(`no matching call in the after tree (call #${before.key.split('#')[1]} in ${b.function ?? 'file scope'})`);
  const a = after.abstraction;
  if (b.parseError) return unknown('the before call is inside a parse error');
  if (a.parseError) return unknown('the after call is inside a parse error');
  if (b.argumentCount !== 3 || a.argumentCount !== 3) return unknown(`the call has ${b.argumentCount} argument(s) before and ${a.argumentCount} after, not 3`);
  if (eras.before.kind === 'unknown') return unknown(`before tree: ${eras.before.why}`);
  if (eras.after.kind === 'unknown') return unknown(`after tree: ${eras.after.why}`);
  const beforeEra: ApiEra = { kind: eras.before.kind, supervisorFlag: eras.before.supervisorFlag };
  const afterEra: ApiEra = { kind: eras.after.kind, supervisorFlag: eras.after.supervisorFlag };

  const bThird = thirdPaths(b.third, eras.before);
  if (!bThird.ok) return unknown(`before: ${bThird.why}`);
  const aThird = thirdPaths(a.third, eras.after);
  if (!aThird.ok) return unknown(`after: ${aThird.why}`);
  const bMm = mmPaths(b);
  if (!bMm.ok) return unknown(`before: ${bMm.why}`);
  const aMm = mmPaths(a);
  if (!aMm.ok) return unknown(`after: ${aMm.why}`);
  const thirdPairs = pairPaths(bThird.paths, aThird.paths, 'third argument');
  if ('why' in thirdPairs) return unknown(thirdPairs.why);
  const mmPairs = pairPaths(bMm.paths, aMm.paths, 'mm argument');
  if ('why' in mmPairs) return unknown(mmPairs.why);

  const flagValues = representativeFlagValues(eras);
  const hardware = hardwareEnvironments();
  let runs = 0;
  let firstDeclared: { env: Environment; before: BindOutcome; after: BindOutcome } | undefined;
  const declaredIds = new Set<string>();
  for (const hw of hardware) {
    for (const [bt, at] of thirdPairs) {
      for (const [bm, am] of mmPairs) {
        const flagSymbols = [...new Set([...bt.flagSymbols, ...at.flagSymbols, ...bm.flagSymbols, ...am.flagSymbols])];
        const mmSymbols = [...new Set([...bm.mmSymbols, ...am.mmSymbols])];
        const combinations = flagValues.length ** flagSymbols.length * 2 ** mmSymbols.length;
        if (combinations * hardware.length * thirdPairs.length * mmPairs.length > MAX_RUNS_PER_SITE) {
          return unknown(`too many run-time values to enumerate (${flagSymbols.length + mmSymbols.length} symbols)`);
        }
        for (const flags of assignments(flagSymbols, flagValues)) {
          for (const mms of assignments(mmSymbols, [true, false])) {
            const bThirdValue = bt.make(flags, mms);
            const aThirdValue = at.make(flags, mms);
            const bMmValue = bm.make(flags, mms);
            const aMmValue = am.make(flags, mms);
            for (const v of [bThirdValue, aThirdValue, bMmValue, aMmValue]) {
              if (v !== null && typeof v === 'object' && 'why' in v) return unknown(v.why);
            }
            const beforeCall: ConcreteCall = { mm: bMmValue as MmPointer, third: bThirdValue as BindArgument };
            const afterCall: ConcreteCall = { mm: aMmValue as MmPointer, third: aThirdValue as BindArgument };
            const beforeOutcome = runModel(beforeEra, hw, beforeCall);
            const afterOutcome = runModel(afterEra, hw, afterCall);
            runs++;
            if (sameOutcome(beforeOutcome, afterOutcome)) continue;
            const env: Environment = {
              ...hw,
              symbols: Object.fromEntries([
                ...[...flags].map(([k, v]) => [k, '0x' + v.toString(16)]),
                ...[...mms].map(([k, v]) => [k, v ? 'non-NULL' : 'NULL']),
              ]),
              paths: Object.fromEntries([
                ...(thirdPairs.length > 1 ? [['third argument', `${bt.label} / ${at.label}`]] : []),
                ...(mmPairs.length > 1 ? [['mm', `${bm.label} / ${am.label}`]] : []),
              ]),
            };
            const change = declared.find((d) => d.matches({ env, before: beforeOutcome, after: afterOutcome, beforeCall, afterCall, beforeEra, afterEra }));
            if (!change) {
              return {
                ...report,
                verdict: 'differs',
                declared: false,
                declaredChanges: [...declaredIds],
                environment: describeEnvironment(env),
                environmentDetail: env,
                before: describeOutcome(beforeOutcome),
                after: describeOutcome(afterOutcome),
                reason: `the outcomes differ, and no declared change explains it`,
                runs,
              };
            }
            declaredIds.add(change.id);
            firstDeclared ??= { env, before: beforeOutcome, after: afterOutcome };
          }
        }
      }
    }
  }
  if (firstDeclared) {
    return {
      ...report,
      verdict: 'equivalent',
      declared: true,
      declaredChanges: [...declaredIds],
      environment: describeEnvironment(firstDeclared.env),
      environmentDetail: firstDeclared.env,
      before: describeOutcome(firstDeclared.before),
      after: describeOutcome(firstDeclared.after),
      reason: `equivalent in ${runs} runs except where declared: ${[...declaredIds].map((id) => declared.find((d) => d.id === id)?.description ?? id).join('; ')}`,
      runs,
    };
  }
  return { ...report, verdict: 'equivalent', reason: `the same outcome in all ${runs} runs`, runs };
}

function describeArguments(c: CallAbstraction): string {
  return `mm: ${describeMm(c.mm)}; third: ${describeThird(c.third)}`;
}
