// `kmigrate check`: pair every call of iommu_sva_bind_device in a "before"
// tree with its counterpart in an "after" tree, run the model on both under
// every environment, and say whether they mean the same.
//
// The era of each side comes from that tree's own prototype in
// include/linux/iommu.h (third parameter `void *` → drvdata, `unsigned int`
// → flags), and its flag values from that tree's own #defines.
import { forEachNamed, parseC, paramShape, functionDeclaratorOf, declaratorName, parameters, type Tree } from '../codemods/c/index.js';
import { abstractCall, bindCalls, describeMm, describeThird, enclosingFunctionName, BIND_FUNCTION, type CallAbstraction, type MmValue, type ThirdArg } from './abstraction.js';
import { evaluate, showExpr, symbolsOf, type SymExpr } from './c-expr.js';
import { DECLARED_CHANGES, type ConcreteCall, type DeclaredChange, type Environment } from './declared.js';
import { evaluateMacro, fileMacroTable, headerMacroTable, type MacroTable } from './macros.js';
import { describeOutcome, sameOutcome, SvaSystem, type ApiEra, type BindArgument, type BindOutcome, type MmPointer } from './model.js';
import type { ReachingValue } from './reaching.js';
import type { TreeInput as TreeSource } from './model-shape.js';

export const CODEMOD_ID = 'iommu-sva-bind-flags';
export const IOMMU_HEADER = 'include/linux/iommu.h';

/** Most model runs the checker makes for one call site before it gives up. */
const MAX_RUNS_PER_SITE = 200_000;

export interface EraInfo {
  kind: 'drvdata' | 'flags' | 'unknown';
  /** The bit VT-d tests for a supervisor bind in this tree. */
  supervisorFlag: number;
  /** The macro it came from, or null when the model's default BIT(0) was used. */
  supervisorMacro: string | null;
  /** `include/linux/iommu.h:669`: where the third parameter's type was read. */
  source: string | null;
  /** The third parameter as written: `void *drvdata`, `unsigned int flags`. */
  parameter: string | null;
  why?: string;
}

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

export interface Problem {
  path: string;
  line: number;
  severity: 'error' | 'note';
  code: string;
  message: string;
}

export interface CheckResult {
  codemod: string;
  before: string;
  after: string;
  eras: { before: EraInfo; after: EraInfo };
  sites: SiteReport[];
  problems: Problem[];
  summary: { equivalent: number; differs: number; unknown: number; declared: number; problems: number };
  /** False when a person must look: a difference not declared, an unknown site, or an error problem. */
  ok: boolean;
}

export interface CheckOptions {
  before: TreeSource;
  after: TreeSource;
  declared?: readonly DeclaredChange[];
}

/** Run the model on every call site of both trees and compare. */
export function checkTrees(opts: CheckOptions): CheckResult {
  const declared = opts.declared ?? DECLARED_CHANGES;
  const problems: Problem[] = [];
  const beforeSide = new Side(opts.before, problems, 'before');
  const afterSide = new Side(opts.after, problems, 'after');
  const eras = { before: beforeSide.era, after: afterSide.era };
  if (eras.after.kind === 'drvdata') {
    problems.push({ path: IOMMU_HEADER, line: lineOfSource(eras.after.source), severity: 'error', code: 'old-api-prototype', message: `the after tree still declares ${BIND_FUNCTION}(..., ${eras.after.parameter ?? 'void *drvdata'})` });
  }

  const sites: SiteReport[] = [];
  const allPaths = [...new Set([...opts.before.paths, ...opts.after.paths])].sort();
  for (const p of allPaths) {
    const b = beforeSide.calls(p);
    const a = afterSide.calls(p);
    const afterByKey = new Map(a.map((c) => [c.key, c]));
    for (const call of b) {
      const counterpart = afterByKey.get(call.key);
      afterByKey.delete(call.key);
      sites.push(compareSite(p, call, counterpart, eras, declared));
    }
    for (const call of a) {
      checkAfterCall(p, call.abstraction, eras.after, problems);
      if (afterByKey.has(call.key)) {
        problems.push({ path: p, line: call.abstraction.line, severity: 'note', code: 'new-call', message: `a call in ${call.abstraction.function ?? 'file scope'} that the before tree does not have; not compared` });
      }
    }
  }

  const count = (v: Verdict) => sites.filter((s) => s.verdict === v).length;
  const summary = {
    equivalent: count('equivalent'),
    differs: count('differs'),
    unknown: count('unknown'),
    declared: sites.filter((s) => s.declared).length,
    problems: problems.filter((q) => q.severity === 'error').length,
  };
  return {
    codemod: CODEMOD_ID,
    before: opts.before.label,
    after: opts.after.label,
    eras,
    sites,
    problems,
    summary,
    ok: summary.differs === 0 && summary.unknown === 0 && summary.problems === 0,
  };
}

interface KeyedCall {
  /** Enclosing function and ordinal within it: `idxd_enable_system_pasid#1`. */
  key: string;
  abstraction: CallAbstraction;
}

/** One tree: its era, its macros, its parsed files. */
class Side {
  readonly era: EraInfo;
  private readonly headerMacros: MacroTable;

  constructor(private readonly tree: TreeSource, private readonly problems: Problem[], private readonly name: 'before' | 'after') {
    this.headerMacros = headerMacroTable((p) => tree.read(p));
    this.era = eraOf(tree, this.headerMacros, problems, name);
  }

  calls(p: string): KeyedCall[] {
    const text = this.tree.read(p);
    if (text === undefined) {
      if (this.tree.paths.includes(p)) this.problems.push({ path: p, line: 1, severity: 'error', code: 'unreadable', message: `cannot read ${p} in the ${this.name} tree (missing, or not valid UTF-8)` });
      return [];
    }
    if (!text.includes(BIND_FUNCTION)) return [];
    const tree = parseC(text);
    const macros = fileMacroTable((f) => this.tree.read(f), this.headerMacros, p, text, tree);
    const ordinals = new Map<string, number>();
    return bindCalls(tree).map((call) => {
      const fn = enclosingFunctionName(call) ?? '<file scope>';
      const n = (ordinals.get(fn) ?? 0) + 1;
      ordinals.set(fn, n);
      return { key: `${fn}#${n}`, abstraction: abstractCall({ call, tree, text, macros }) };
    });
  }
}

/** The API era of a tree, from the prototype(s) in include/linux/iommu.h. */
export function eraOf(tree: TreeSource, macros: MacroTable, problems: Problem[] = [], name = 'the'): EraInfo {
  const unknown = (why: string): EraInfo => ({ kind: 'unknown', supervisorFlag: 1, supervisorMacro: null, source: null, parameter: null, why });
  const text = tree.read(IOMMU_HEADER);
  if (text === undefined) return unknown(`${IOMMU_HEADER} is missing from the ${name} tree`);
  const found = prototypesIn(parseC(text));
  if (found.length === 0) return unknown(`${IOMMU_HEADER} of the ${name} tree declares no ${BIND_FUNCTION}()`);
  const kinds = new Set(found.map((f) => f.kind));
  const first = found[0]!;
  if (kinds.size > 1) {
    const list = found.map((f) => `line ${f.line}: ${f.parameter}`).join('; ');
    problems.push({ path: IOMMU_HEADER, line: first.line, severity: 'error', code: 'inconsistent-prototypes', message: `the ${name} tree declares ${BIND_FUNCTION}() with different third parameters (${list})` });
  }
  if (first.kind === 'unknown') return { ...unknown(`the third parameter '${first.parameter}' is neither void * nor unsigned int`), source: `${IOMMU_HEADER}:${first.line}`, parameter: first.parameter };
  const macro = first.kind === 'drvdata' ? 'SVM_FLAG_SUPERVISOR_MODE' : 'IOMMU_SVA_BIND_SUPERVISOR';
  const value = evaluateMacro(macro, macros);
  let supervisorFlag = 1;
  let supervisorMacro: string | null = null;
  if (value.ok && value.expr.op === 'const') {
    supervisorFlag = Number(BigInt.asUintN(32, value.expr.value));
    supervisorMacro = macro;
  } else if (first.kind === 'flags' && !macros.has(macro)) {
    // The flags API without its flag: callers that use it do not build.
    problems.push({ path: IOMMU_HEADER, line: first.line, severity: 'error', code: 'missing-supervisor-flag', message: `the ${name} tree has the flags API but does not define ${macro}` });
  } else if (first.kind === 'flags') {
    // Defined, but through macros this tree does not hold (a small tree
    // without BIT()): the same assumption as for the old flag, said as a note.
    problems.push({ path: IOMMU_HEADER, line: first.line, severity: 'note', code: 'supervisor-flag-assumed', message: `${macro} does not evaluate in the ${name} tree (${value.ok ? 'not a constant' : value.why}); the model assumes BIT(0)` });
  } else {
    // Said where the flag is defined, else at the prototype that makes it needed (never at line 0).
    const def = macros.lookup(macro);
    const at = def?.kind === 'defined' ? { path: def.definition.path, line: def.definition.line } : { path: IOMMU_HEADER, line: first.line };
    problems.push({ path: at.path, line: at.line, severity: 'note', code: 'missing-supervisor-flag', message: `${macro} does not evaluate in the ${name} tree (${value.ok ? 'not a constant' : value.why}); the model assumes BIT(0)` });
  }
  return { kind: first.kind, supervisorFlag, supervisorMacro, source: `${IOMMU_HEADER}:${first.line}`, parameter: first.parameter };
}

/** Every declaration or definition of iommu_sva_bind_device, with its third parameter's kind. */
function prototypesIn(tree: Tree): Array<{ line: number; kind: EraInfo['kind']; parameter: string }> {
  const out: Array<{ line: number; kind: EraInfo['kind']; parameter: string }> = [];
  forEachNamed(tree.rootNode, (n) => {
    if (n.type === 'declaration' || n.type === 'function_definition') {
      const decl = functionDeclaratorOf(n);
      if (decl && declaratorName(decl)?.text === BIND_FUNCTION) {
        const third = parameters(decl)[2];
        if (third) {
          const shape = paramShape(third);
          const base = shape.base.replace(/^const /, '');
          let kind: EraInfo['kind'] = 'unknown';
          if (base === 'void' && shape.pointerDepth === 1) kind = 'drvdata';
          else if (shape.pointerDepth === 0 && ['unsigned int', 'unsigned', 'u32', 'unsigned long'].includes(base)) kind = 'flags';
          out.push({ line: n.startPosition.row + 1, kind, parameter: third.text.replace(/\s+/g, ' ') });
        }
      }
    }
  });
  return out;
}

function lineOfSource(source: string | null): number {
  return source ? Number(source.split(":")[1] ?? 1) : 1;
}

/** An after-tree call that still speaks the old API. */
function checkAfterCall(p: string, call: CallAbstraction, era: EraInfo, problems: Problem[]): void {
  const t = call.third;
  let why: string | undefined;
  if (era.kind === 'drvdata') why = `the after tree's prototype still takes void *drvdata`;
  else if (era.kind === 'flags') {
    if (t.kind === 'null' && t.pointerSyntax) why = `passes the pointer ${t.text} where the prototype takes unsigned int flags`;
    else if (t.kind === 'address') why = `passes ${t.text}, an address, where the prototype takes unsigned int flags`;
    else if (t.kind === 'pointer') why = `passes ${t.text}, a pointer, where the prototype takes unsigned int flags`;
  }
  if (why) problems.push({ path: p, line: call.line, severity: 'error', code: 'old-api-call', message: `${BIND_FUNCTION}() call not migrated: ${why}` });
}

// ---------------------------------------------------------------------------
// From abstract arguments to the model's inputs

type Assignment = ReadonlyMap<string, bigint>;
type MmAssignment = ReadonlyMap<string, boolean>;

/** One way a side's argument may come out: a function of the symbols' values. */
interface ArgPath<T> {
  label: string;
  flagSymbols: string[];
  mmSymbols: string[];
  make(flags: Assignment, mms: MmAssignment): T | { why: string };
}

type PathsOrWhy<T> = { ok: true; paths: Array<ArgPath<T>> } | { ok: false; why: string };

function thirdPaths(arg: ThirdArg, era: EraInfo): PathsOrWhy<BindArgument> {
  const single = (label: string, value: BindArgument): PathsOrWhy<BindArgument> => ({ ok: true, paths: [{ label, flagSymbols: [], mmSymbols: [], make: () => value }] });
  const fromValues = (values: ReachingValue[], wrapValue: (word: number) => BindArgument | { why: string }): PathsOrWhy<BindArgument> => {
    const unknown = values.find((v) => v.kind === 'unknown');
    if (unknown) return { ok: false, why: (unknown as { why: string }).why };
    return {
      ok: true,
      paths: values.map((v) => {
        const expr = (v as { expr: SymExpr }).expr;
        return {
          label: v.line === null ? showExpr(expr) : `${showExpr(expr)} from line ${v.line}`,
          flagSymbols: symbolsOf(expr),
          mmSymbols: [],
          make: (flags: Assignment) => {
            const r = evaluate(expr, flags);
            if (!r.ok) return { why: r.why };
            return wrapValue(Number(BigInt.asUintN(32, r.value.value)));
          },
        };
      }),
    };
  };
  if (era.kind === 'unknown') return { ok: false, why: era.why ?? 'the API era of the tree is unknown' };
  if (era.kind === 'drvdata') {
    switch (arg.kind) {
      case 'null': return single('NULL', null);
      case 'constant':
        if (arg.value === 0) return single('NULL', null);
        return { ok: false, why: `passes the integer ${arg.text} as void *drvdata` };
      case 'address': {
        const size = arg.target.sizeBytes;
        if (size !== null && size < 4) return { ok: false, why: `VT-d reads four bytes at &${arg.target.name}, a ${size}-byte object` };
        // x86 and arm64 are little-endian: the first four bytes of a long are its low half.
        return fromValues(arg.reaching, (word) => ({ pointee: word, describe: `&${arg.target.name}` }));
      }
      case 'value':
        return { ok: false, why: `passes ${arg.text} as void *drvdata; the model cannot see what it points at` };
      case 'pointer':
      case 'unknown':
        return { ok: false, why: arg.why };
    }
  }
  switch (arg.kind) {
    case 'null': return single(arg.text, 0);
    case 'constant': return single(arg.text, arg.value);
    case 'value': return fromValues(arg.reaching, (word) => word);
    case 'address': return { ok: false, why: `passes ${arg.text}, an address, where the flags API takes unsigned int flags` };
    case 'pointer': return { ok: false, why: `passes a pointer where the flags API takes unsigned int flags: ${arg.why}` };
    case 'unknown': return { ok: false, why: arg.why };
  }
}

function mmPaths(call: CallAbstraction): PathsOrWhy<MmPointer> {
  const fixed = (label: string, value: MmPointer): PathsOrWhy<MmPointer> => ({ ok: true, paths: [{ label, flagSymbols: [], mmSymbols: [], make: () => value }] });
  const fromValue = (v: MmValue, label: string): ArgPath<MmPointer> | { why: string } => {
    switch (v.kind) {
      case 'null': return { label, flagSymbols: [], mmSymbols: [], make: () => null };
      case 'current-mm': return { label, flagSymbols: [], mmSymbols: [], make: () => ({ name: 'current->mm' }) };
      case 'init-mm': return { label, flagSymbols: [], mmSymbols: [], make: () => ({ name: 'init_mm' }) };
      case 'symbol': return { label, flagSymbols: [], mmSymbols: [v.name], make: (_f, mms) => (mms.get(v.name) ? { name: v.name } : null) };
      // Both arms, each where its condition holds: the test's symbols take
      // every representative value, as the flags do, and the same value on
      // both sides, so `kernel ? NULL : current->mm` pairs with the flags
      // that `kernel` chooses.
      case 'cond': {
        const then = fromValue(v.then, label);
        const otherwise = fromValue(v.otherwise, label);
        if ('why' in then) return then;
        if ('why' in otherwise) return otherwise;
        return {
          label,
          flagSymbols: [...new Set([...symbolsOf(v.test), ...then.flagSymbols, ...otherwise.flagSymbols])],
          mmSymbols: [...new Set([...then.mmSymbols, ...otherwise.mmSymbols])],
          make: (flags, mms) => {
            const test = evaluate(v.test, flags);
            if (!test.ok) return { why: `the mm's condition ${showExpr(v.test)}: ${test.why}` };
            return test.value.value !== 0n ? then.make(flags, mms) : otherwise.make(flags, mms);
          },
        };
      }
      case 'unknown': return { why: v.why };
    }
  };
  const mm = call.mm;
  switch (mm.kind) {
    case 'null-mm': return fixed('NULL', null);
    case 'current-mm': return fixed('current->mm', { name: 'current->mm' });
    case 'init-mm': return fixed('&init_mm', { name: 'init_mm' });
    case 'mm-expression': {
      const p = fromValue({ kind: 'symbol', name: mm.name }, mm.name);
      return 'why' in p ? { ok: false, why: p.why } : { ok: true, paths: [p] };
    }
    case 'mm-variable': {
      const paths: Array<ArgPath<MmPointer>> = [];
      for (const v of mm.values) {
        const p = fromValue(v.value, v.line === null ? mm.name : `${mm.name} from line ${v.line}`);
        if ('why' in p) return { ok: false, why: `the mm ${mm.name}: ${p.why}` };
        paths.push(p);
      }
      return { ok: true, paths };
    }
    case 'unknown': return { ok: false, why: `the mm argument: ${mm.why}` };
  }
}

/** Pair the paths of two sides: one to one when they have as many, else one side's single path with each of the other's. */
function pairPaths<T>(before: Array<ArgPath<T>>, after: Array<ArgPath<T>>, what: string): Array<[ArgPath<T>, ArgPath<T>]> | { why: string } {
  if (before.length === after.length) return before.map((b, i) => [b, after[i]!]);
  if (before.length === 1) return after.map((a) => [before[0]!, a]);
  if (after.length === 1) return before.map((b) => [b, after[0]!]);
  return { why: `the ${what} has ${before.length} reaching values before and ${after.length} after; the model cannot pair them` };
}

// ---------------------------------------------------------------------------
// Environments

/** The hardware and config part of an environment (before symbols and paths are chosen). */
type HardwareEnv = Pick<Environment, 'driver' | 'srs' | 'stage1' | 'svaEnabled' | 'groupSize' | 'x86Backport'>;

/**
 * Every hardware environment, the ordinary one first: VT-d with and without
 * SRS, SMMUv3 with and without a stage-1 domain; SVA enabled or not; a
 * group of one device or two; Debian's x86 check compiled in or not.
 */
export function hardwareEnvironments(): HardwareEnv[] {
  const out: HardwareEnv[] = [];
  const drivers: Array<Pick<HardwareEnv, 'driver' | 'srs' | 'stage1'>> = [
    { driver: 'vtd', srs: true, stage1: null },
    { driver: 'vtd', srs: false, stage1: null },
    { driver: 'smmuv3', srs: null, stage1: true },
    { driver: 'smmuv3', srs: null, stage1: false },
  ];
  for (const d of drivers) {
    for (const svaEnabled of [true, false]) {
      for (const groupSize of [1, 2]) {
        for (const x86Backport of [false, true]) out.push({ ...d, svaEnabled, groupSize, x86Backport });
      }
    }
  }
  return out;
}

/** Representative flag words: every combination of the supervisor bits and one other bit. */
function representativeFlagValues(eras: { before: EraInfo; after: EraInfo }): bigint[] {
  const bits = new Set([eras.before.supervisorFlag, eras.after.supervisorFlag].filter((b) => b !== 0));
  let other = 1;
  const used = [...bits].reduce((a, b) => a | b, 0);
  while (used & other) other <<= 1;
  bits.add(other);
  const list = [...bits];
  const values = new Set<number>();
  for (let mask = 0; mask < 1 << list.length; mask++) {
    let v = 0;
    list.forEach((b, i) => {
      if (mask & (1 << i)) v |= b;
    });
    values.add(v >>> 0);
  }
  return [...values].sort((a, b) => a - b).map((v) => BigInt(v));
}

function* assignments<T>(names: string[], values: T[]): Generator<Map<string, T>> {
  if (names.length === 0) {
    yield new Map();
    return;
  }
  const [first, ...rest] = names;
  for (const v of values) for (const m of assignments(rest, values)) yield new Map([[first!, v], ...m]);
}

function describeEnvironment(env: Environment): string {
  const parts = [
    env.driver === 'vtd' ? `driver=vtd srs=${env.srs ? 'yes' : 'no'}` : `driver=smmuv3 stage1=${env.stage1 ? 'yes' : 'no'}`,
    `sva=${env.svaEnabled ? 'enabled' : 'disabled'}`,
    `group=${env.groupSize}`,
    `x86-backport=${env.x86Backport ? 'on' : 'off'}`,
  ];
  for (const [k, v] of Object.entries(env.symbols)) parts.push(`${k}=${v}`);
  for (const [k, v] of Object.entries(env.paths)) parts.push(`${k}: ${v}`);
  return parts.join(' ');
}

function runModel(era: ApiEra, env: HardwareEnv, call: ConcreteCall): BindOutcome {
  const system = new SvaSystem({
    era,
    driver: env.driver === 'vtd' ? { kind: 'vtd', srs: env.srs ?? false } : { kind: 'smmuv3', stage1: env.stage1 ?? false },
    config: { x86SvaBackport: env.x86Backport },
  });
  const dev = system.addDevice({ name: 'dev', svaEnabled: env.svaEnabled, groupSize: env.groupSize });
  return system.iommu_sva_bind_device(dev, call.mm, call.third);
}

// ---------------------------------------------------------------------------
// One call site

function compareSite(p: string, before: KeyedCall, after: KeyedCall | undefined, eras: { before: EraInfo; after: EraInfo }, declared: readonly DeclaredChange[]): SiteReport {
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
