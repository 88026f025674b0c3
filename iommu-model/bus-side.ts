// The two sides of a bus model's check, read into plain data: the driver
// structures' registrations, and the definitions the judge asks for, each
// summarised by the model while its file's tree is alive.
//
//   before: registrations -> the function each names: defined in the
//           registering file, else recovered from its text there, else the
//           first file of the tree (in path order) that defines it
//   after:  registrations, and the same lookup for each before site, from
//           the file of the before definition
//
// A file is parsed when something is first asked of it, and everything
// asked of it then is taken in that one parse: its registrations, the
// definitions it is asked for, the names it defines. The tree is dropped
// when the parse's work returns, since summaries are data and never nodes,
// and a large file's dead tree is freed (freeDeadTrees) before the next
// parse. So one tree is alive at a time: a 50 MB file's tree is 1.1 GB.
// The before side is read to the end before the after side starts, because
// the after lookups start from the before definitions. A file whose after
// text is its before text shares the before side's facts, and is parsed
// again only when the after side asks for something the before side did not.
import { afterParse, noteTree, parseC } from '../codemods/c/index.js';
import { functionDefinitions, mayRegister, recoverDefinition, registrationsIn, type FunctionDef, type ParsedFile, type Registration } from './driver-c.js';
import type { CheckInput, ProblemResult, TreeInput } from './model-shape.js';

/** A definition as the judge reads it: where it is, and the model's summary of it. */
export interface Found<S> {
  path: string;
  name: string;
  /** 1-based line of the definition's first line. */
  line: number;
  data: S;
}

/** What a model reads of each side. */
export interface BusReading<S> {
  structName: string;
  /** The callback fields: `remove`, `remove_new`. */
  fields: readonly string[];
  /** Other fields of the same initializer the judge reads, as text: `id_table`. */
  keep: readonly string[];
  /**
   * What the judge needs of a definition, as plain data: a SyntaxNode kept
   * here would keep its whole tree alive. `hint` is what the before side
   * tells the after side's reading (i2c: the before probe's `id` name); a
   * summary made with a hint serves a query without one too.
   */
  summarize(def: FunctionDef, hint?: string): S;
  /** Whether a summary made without `hint` lacks what `hint` asks for (then the file is read again with it). */
  lacks?(data: S, hint: string): boolean;
}

/** Look for the definition of `name`, in `path` first. */
interface Query {
  name: string;
  path: string;
  hint?: string;
}

/** An answer, and the problems met reading the files it needed. */
export interface Lookup<S> {
  found: Found<S> | undefined;
  problems: ProblemResult[];
}

/** What is known of one file's text; shared by both sides when the text is the same. */
interface FileFacts<S> {
  text: string;
  regs?: Registration[];
  /** Every function name defined at file scope (once the file was parsed). */
  defined?: Set<string>;
  /** The first definition of a name, summarised without a hint. */
  first: Map<string, Found<S>>;
  /** A name the file does not define, recovered from its text (null: not there). */
  recovered: Map<string, Found<S> | null>;
  /** Summaries made with a hint, by `name\0hint`. */
  hinted: Map<string, Found<S>>;
}

class Side<S> {
  private readonly facts = new Map<string, FileFacts<S> | null>();

  constructor(
    private readonly tree: TreeInput,
    private readonly side: 'before' | 'after',
    private readonly reading: BusReading<S>,
    private readonly previous?: Side<S>,
  ) {}

  /** A file's facts; an unreadable file is reported once, into `problems`. */
  private file(path: string, problems: ProblemResult[]): FileFacts<S> | undefined {
    const known = this.facts.get(path);
    if (known !== undefined) return known ?? undefined;
    const text = this.tree.read(path);
    if (text === undefined) {
      problems.push({ path, line: 0, severity: 'error', code: 'unreadable', message: `${this.side} tree (${this.tree.label}): the file is missing or not valid UTF-8` });
      this.facts.set(path, null);
      return undefined;
    }
    const shared = this.previous?.facts.get(path);
    const f: FileFacts<S> = shared && shared.text === text ? shared : { text, first: new Map(), recovered: new Map(), hinted: new Map() };
    this.facts.set(path, f);
    return f;
  }

  /**
   * The answer from what is known: a definition, null (none in this file),
   * or undefined (the file must be parsed). `local`: the query's own file,
   * where a definition the parser lost is recovered from the text.
   */
  private known(f: FileFacts<S>, q: Query, local: boolean): Found<S> | null | undefined {
    if (!f.defined) return undefined;
    let found: Found<S> | null | undefined;
    if (f.defined.has(q.name)) found = f.first.get(q.name);
    else if (local) found = f.recovered.get(q.name);
    else return null;
    if (!found || q.hint === undefined || !this.reading.lacks?.(found.data, q.hint)) return found;
    return f.hinted.get(`${q.name}\0${q.hint}`);
  }

  /**
   * Parse a file and take what is asked and not yet known. Synchronous, and
   * nothing it keeps holds a node: the tree is dead when it returns.
   */
  private take(path: string, f: FileFacts<S>, regs: boolean, local: (regs: Registration[]) => readonly Query[], global: readonly Query[]): void {
    const pf: ParsedFile = { path, text: f.text, tree: parseC(f.text) };
    const byName = new Map<string, FunctionDef>();
    for (const d of functionDefinitions(pf)) if (!byName.has(d.name)) byName.set(d.name, d);
    f.defined ??= new Set(byName.keys());
    if (regs) f.regs ??= registrationsIn(pf, this.reading.structName, this.reading.fields, this.reading.keep);
    const summary = (def: FunctionDef, hint?: string): Found<S> => ({ path: def.path, name: def.name, line: def.line, data: this.reading.summarize(def, hint) });
    const read = (q: Query, isLocal: boolean) => {
      if (this.known(f, q, isLocal) !== undefined) return;
      const defined = byName.get(q.name);
      if (!defined && !isLocal) return;
      // Not known: not summarised yet, or summarised without what the hint asks for.
      const made = defined ? f.first.get(q.name) : f.recovered.get(q.name);
      const def = defined ?? recoverDefinition(pf, q.name);
      if (!def) {
        f.recovered.set(q.name, null);
        return;
      }
      const found = summary(def, q.hint);
      if (!made) (defined ? f.first : f.recovered).set(q.name, found);
      else f.hinted.set(`${q.name}\0${q.hint}`, found);
    };
    for (const q of local(f.regs ?? [])) read(q, true);
    for (const q of global) read(q, false);
  }

  private async parse(path: string, f: FileFacts<S>, regs: boolean, local: (regs: Registration[]) => readonly Query[], global: readonly Query[]): Promise<void> {
    this.take(path, f, regs, local, global);
    // The tree is dead now: a large one is freed before the next parse,
    // small ones in a minor collection every 16 (c/collect.ts).
    noteTree(f.text.length);
    await afterParse();
  }

  /**
   * Every `.field = fn` of the tree's files, in path order. A file that may
   * hold some is parsed (once), and what `local` asks of it is taken then.
   */
  async registrations(problems: ProblemResult[], local: (path: string, regs: Registration[]) => readonly Query[]): Promise<Registration[]> {
    const out: Registration[] = [];
    for (const p of this.tree.paths) {
      const f = this.file(p, problems);
      if (!f || !mayRegister(f.text, this.reading.structName, this.reading.fields)) continue;
      if (!f.regs) await this.parse(p, f, true, (regs) => local(p, regs), []);
      out.push(...f.regs!);
    }
    return out;
  }

  /**
   * The definition each query finds: the first in its own file (or one
   * recovered there), else the first among the tree's other files, in
   * path order. The same query twice is answered once; an unreadable file
   * is reported with the first query that reads it.
   */
  async lookup(queries: readonly Query[]): Promise<Lookup<S>[]> {
    const out: Lookup<S>[] = queries.map(() => ({ found: undefined, problems: [] }));
    const first = new Map<string, number>();
    const same: number[] = [];
    const byPath = new Map<string, number[]>();
    queries.forEach((q, i) => {
      const key = `${q.name}\0${q.path}\0${q.hint ?? ''}`;
      same.push(first.get(key) ?? i);
      if (first.has(key)) return;
      first.set(key, i);
      const ids = byPath.get(q.path);
      if (ids) ids.push(i);
      else byPath.set(q.path, [i]);
    });
    let left: number[] = [];
    for (const [path, ids] of byPath) {
      const f = this.file(path, out[ids[0]!]!.problems);
      if (!f) {
        left.push(...ids);
        continue;
      }
      if (ids.some((i) => this.known(f, queries[i]!, true) === undefined)) {
        await this.parse(path, f, false, () => ids.map((i) => queries[i]!), []);
      }
      for (const i of ids) {
        const found = this.known(f, queries[i]!, true);
        if (found) out[i]!.found = found;
        else left.push(i);
      }
    }
    // Not in their own file: the tree's files that name them, in path order.
    left.sort((a, b) => a - b);
    for (const p of this.tree.paths) {
      if (left.length === 0) break;
      const f = this.file(p, out[left[0]!]!.problems);
      if (!f) continue;
      const here = left.filter((i) => queries[i]!.path !== p && f.text.includes(queries[i]!.name));
      if (here.length === 0) continue;
      if (here.some((i) => this.known(f, queries[i]!, false) === undefined)) {
        await this.parse(p, f, false, () => [], here.map((i) => queries[i]!));
      }
      const found = new Set<number>();
      for (const i of here) {
        const x = this.known(f, queries[i]!, false);
        if (x) {
          out[i]!.found = x;
          found.add(i);
        }
      }
      left = left.filter((i) => !found.has(i));
    }
    return out.map((o, i) => (same[i] === i ? o : { found: out[same[i]!]!.found, problems: [] }));
  }
}

/** A function judged once, with every registration that names it. */
export interface CallbackSite<S> {
  fn: string;
  def: Found<S> | undefined;
  regs: Registration[];
}

/** What a bus model judges from: data only, both sides' trees gone. */
export interface BusSides<S> {
  sites: CallbackSite<S>[];
  /** Each site's after definition (by index; none when the site has no before one), and the problems met finding it. */
  after: Lookup<S>[];
  afterRegs: Registration[];
  /** The problems of reading the trees' files: the after tree's, then the before tree's. */
  problems: ProblemResult[];
}

/**
 * Read the before side to the end (registrations, their definitions), then
 * the after side (registrations, and each before site's definition looked
 * up from the before definition's file, with `hint(site)`).
 */
export async function readSides<S>(opts: CheckInput, reading: BusReading<S>, hint: (site: CallbackSite<S>) => string | undefined = () => undefined): Promise<BusSides<S>> {
  const beforeProblems: ProblemResult[] = [];
  const before = new Side(opts.before, 'before', reading);
  const beforeRegs = await before.registrations(beforeProblems, (path, regs) => regs.map((r) => ({ name: r.fn, path })));
  const defs = await before.lookup(beforeRegs.map((r) => ({ name: r.fn, path: r.path })));
  for (const d of defs) beforeProblems.push(...d.problems);
  const sites = callbackSites(beforeRegs, defs);

  const afterProblems: ProblemResult[] = [];
  const after = new Side(opts.after, 'after', reading, before);
  const queries: Query[] = [];
  const byPath = new Map<string, Query[]>();
  for (const s of sites) {
    if (!s.def) continue;
    const h = hint(s);
    const q: Query = h === undefined ? { name: s.fn, path: s.def.path } : { name: s.fn, path: s.def.path, hint: h };
    queries.push(q);
    const here = byPath.get(q.path);
    if (here) here.push(q);
    else byPath.set(q.path, [q]);
  }
  const afterRegs = await after.registrations(afterProblems, (path) => byPath.get(path) ?? []);
  const found = await after.lookup(queries);
  let next = 0;
  const afterDefs = sites.map((s) => (s.def ? found[next++]! : { found: undefined, problems: [] }));
  return { sites, after: afterDefs, afterRegs, problems: [...afterProblems, ...beforeProblems] };
}

/**
 * Group registrations by the definition they name (a static function is
 * looked up in the registering file first), in path and line order.
 */
function callbackSites<S>(regs: Registration[], defs: Lookup<S>[]): CallbackSite<S>[] {
  const groups = new Map<string, CallbackSite<S>>();
  regs.forEach((r, i) => {
    const def = defs[i]!.found;
    const key = def ? `${def.path}:${def.line}` : `?${r.fn}`;
    const g = groups.get(key) ?? { fn: r.fn, def, regs: [] };
    g.regs.push(r);
    groups.set(key, g);
  });
  const line = (g: CallbackSite<S>) => g.def?.line ?? 0;
  return [...groups.values()].sort((a, b) => (a.def?.path ?? a.regs[0]!.path).localeCompare(b.def?.path ?? b.regs[0]!.path) || line(a) - line(b));
}

/** The after registrations of the same driver variables naming the same function. */
export function counterparts<S>(site: CallbackSite<S>, afterRegs: Registration[]): Registration[] {
  return afterRegs.filter((x) => x.fn === site.fn && site.regs.some((r) => r.path === x.path && r.variable === x.variable));
}
