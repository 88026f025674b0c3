// One pass over the two trees, file by file in path order: each file's
// platform driver registrations, and what the check needs of the functions
// they name (line, return type, normalised text, return paths), kept as
// plain data. A file's tree is let go as soon as the pass leaves it, so the
// check holds a handful of trees at a time instead of every file's (on
// linux-source-6.1: thousands of trees, gigabytes). A file the same before
// and after is parsed once, for both sides.
//
// A callback defined in another file than the one registering it (a
// library's shared remove) is looked up in the whole tree as before; that
// file's tree stays with the index.
import { normalText, registrationsIn, type FunctionDef, type Registration, type TreeIndex } from '../driver-c.js';
import { abstractRemove, type Abstraction } from './paths.js';

export const STRUCT = 'platform_driver';
export const FIELDS = ['remove', 'remove_new'] as const;

/** What the check needs of a definition, without its tree. */
export interface DefFacts {
  path: string;
  name: string;
  line: number;
  returnType: string;
  /** The definition's text, comments dropped and blanks normalised. */
  text: string;
  abs: Abstraction;
}

/** A registration without its initializer's nodes. */
export type Reg = Omit<Registration, 'init'>;

/** A function judged once, with every registration that names it. */
export interface Site {
  fn: string;
  def: DefFacts | undefined;
  regs: Reg[];
}

export function factsOf(def: FunctionDef): DefFacts {
  return { path: def.path, name: def.name, line: def.line, returnType: def.returnType, text: normalText(def.source, def.node), abs: abstractRemove(def) };
}

interface FileScan {
  regs: Reg[];
  /** Function named by a registration of the file → its definition (local first). */
  defs: Map<string, DefFacts | undefined>;
}

function scanFile(index: TreeIndex, p: string): FileScan {
  const regs = registrationsIn(index, p, STRUCT, FIELDS).map(({ init: _init, ...r }) => r);
  const defs = new Map<string, DefFacts | undefined>();
  for (const r of regs) {
    if (defs.has(r.fn)) continue;
    const d = index.definitions(r.fn, p)[0];
    defs.set(r.fn, d && factsOf(d));
  }
  return { regs, defs };
}

export class TreeScan {
  readonly beforeRegs: Reg[] = [];
  readonly afterRegs: Reg[] = [];
  private readonly beforeDefs = new Map<string, Map<string, DefFacts | undefined>>();
  private readonly afterDefs = new Map<string, Map<string, DefFacts | undefined>>();

  constructor(
    before: TreeIndex,
    private readonly after: TreeIndex,
  ) {
    const inBefore = new Set(before.tree.paths);
    const inAfter = new Set(after.tree.paths);
    for (const p of [...new Set([...inBefore, ...inAfter])].sort()) {
      const b = inBefore.has(p) ? scanFile(before, p) : undefined;
      let a: FileScan | undefined;
      if (inAfter.has(p)) {
        const same = b !== undefined && after.file(p)?.text === before.file(p)?.text;
        // The same text registers the same functions with the same local
        // definitions; one defined elsewhere is looked up in the after tree.
        a = same ? { regs: b.regs, defs: new Map([...b.defs].map(([fn, d]) => [fn, d && d.path === p ? d : this.lookAfter(fn, p)])) } : scanFile(after, p);
      }
      if (b) {
        this.beforeRegs.push(...b.regs);
        this.beforeDefs.set(p, b.defs);
      }
      if (a) {
        this.afterRegs.push(...a.regs);
        this.afterDefs.set(p, a.defs);
      }
      before.release(p);
      after.release(p);
    }
  }

  private lookAfter(fn: string, p: string): DefFacts | undefined {
    const d = this.after.definitions(fn, p)[0];
    return d && factsOf(d);
  }

  /** The before registrations grouped by the definition they name, in path and line order. */
  sites(): Site[] {
    const groups = new Map<string, Site>();
    for (const r of this.beforeRegs) {
      const def = this.beforeDefs.get(r.path)?.get(r.fn);
      const key = def ? `${def.path}:${def.line}` : `?${r.fn}`;
      const g = groups.get(key) ?? { fn: r.fn, def, regs: [] };
      g.regs.push(r);
      groups.set(key, g);
    }
    const line = (g: Site) => g.def?.line ?? 0;
    return [...groups.values()].sort((a, b) => (a.def?.path ?? a.regs[0]!.path).localeCompare(b.def?.path ?? b.regs[0]!.path) || line(a) - line(b));
  }

  /** The after tree's definition of `fn`, looked up from `path` (local first). */
  afterDefinition(fn: string, path: string): DefFacts | undefined {
    const known = this.afterDefs.get(path);
    if (known?.has(fn)) return known.get(fn);
    return this.lookAfter(fn, path);
  }

  /** The after registrations of the same driver variables naming the same function. */
  counterparts(site: Site): Reg[] {
    return this.afterRegs.filter((x) => x.fn === site.fn && site.regs.some((r) => r.path === x.path && r.variable === x.variable));
  }
}
