// The environments a call site is run in: from each side's abstract
// arguments, the ways each may come out (its reaching values, as functions of
// the run-time symbols), and the hardware and config the model is run under
// (VT-d or SMMUv3, SVA enabled or not, group size, Debian's x86 check).
import type { CallAbstraction, MmValue, ThirdArg } from './abstraction.js';
import { evaluate, showExpr, symbolsOf, type SymExpr } from './c-expr.js';
import type { ConcreteCall, Environment } from './declared.js';
import type { EraInfo } from './era.js';
import { SvaSystem, type ApiEra, type BindArgument, type BindOutcome, type MmPointer } from './model.js';
import type { ReachingValue } from './reaching.js';

type Assignment = ReadonlyMap<string, bigint>;
type MmAssignment = ReadonlyMap<string, boolean>;

/** One way a side's argument may come out: a function of the symbols' values. */
export interface ArgPath<T> {
  label: string;
  flagSymbols: string[];
  mmSymbols: string[];
  make(flags: Assignment, mms: MmAssignment): T | { why: string };
}

type PathsOrWhy<T> = { ok: true; paths: Array<ArgPath<T>> } | { ok: false; why: string };

export function thirdPaths(arg: ThirdArg, era: EraInfo): PathsOrWhy<BindArgument> {
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

export function mmPaths(call: CallAbstraction): PathsOrWhy<MmPointer> {
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
export function pairPaths<T>(before: Array<ArgPath<T>>, after: Array<ArgPath<T>>, what: string): Array<[ArgPath<T>, ArgPath<T>]> | { why: string } {
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
export function representativeFlagValues(eras: { before: EraInfo; after: EraInfo }): bigint[] {
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

export function* assignments<T>(names: string[], values: T[]): Generator<Map<string, T>> {
  if (names.length === 0) {
    yield new Map();
    return;
  }
  const [first, ...rest] = names;
  for (const v of values) for (const m of assignments(rest, values)) yield new Map([[first!, v], ...m]);
}

export function describeEnvironment(env: Environment): string {
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

export function runModel(era: ApiEra, env: HardwareEnv, call: ConcreteCall): BindOutcome {
  const system = new SvaSystem({
    era,
    driver: env.driver === 'vtd' ? { kind: 'vtd', srs: env.srs ?? false } : { kind: 'smmuv3', stage1: env.stage1 ?? false },
    config: { x86SvaBackport: env.x86Backport },
  });
  const dev = system.addDevice({ name: 'dev', svaEnabled: env.svaEnabled, groupSize: env.groupSize });
  return system.iommu_sva_bind_device(dev, call.mm, call.third);
}
