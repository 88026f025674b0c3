// A small interpreter of kbuild Makefiles: would kbuild build this object
// with this .config? It reads obj-$(CONFIG_…) assignments and conditionals
// on CONFIG values, folder by folder up to the top of the tree.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { srcArch, type KernelArch } from './toolchain.js';

export type Enabled = { built: true } | { built: false; reason: string } | { built: 'unknown' };

export interface ParsedKbuild {
  /** Expanded variable values. */
  vars: Map<string, string[]>;
  /** Every word seen on the right of an assignment → the raw left-hand sides it was seen under. */
  mentions: Map<string, string[]>;
  text: string;
  file: string;
}

/**
 * A small reading of a kbuild Makefile: assignments (=, :=, +=, ?=) with
 * $(CONFIG_X) and $(var) expanded, and ifdef/ifndef/ifeq/ifneq on CONFIG
 * values; any other conditional is taken as true. Functions such as
 * $(addprefix …) are not expanded (objects behind them come out "unknown").
 */
function parseKbuildMakefile(srcDir: string, dir: string, config: ReadonlyMap<string, string>): ParsedKbuild | undefined {
  let file = '';
  let text = '';
  for (const name of ['Kbuild', 'Makefile']) {
    const candidate = path.posix.join(dir, name);
    try {
      text = readFileSync(path.join(srcDir, candidate), 'utf8');
      file = candidate;
      break;
    } catch {
      // try the next name
    }
  }
  if (!file) return undefined;
  const value = (name: string): string => {
    const v = config.get(name.replace(/^CONFIG_/, ''));
    return v === undefined || v === 'n' ? '' : v;
  };
  const vars = new Map<string, string[]>();
  const mentions = new Map<string, string[]>();
  const expand = (s: string): string =>
    s.replace(/\$\(([A-Za-z0-9_.-]+)\)/g, (whole, name: string) =>
      name.startsWith('CONFIG_') ? value(name) : vars.has(name) ? (vars.get(name) ?? []).join(' ') : whole,
    );
  const evalCond = (kind: string, arg: string): boolean | undefined => {
    if (kind === 'ifdef' || kind === 'ifndef') {
      const name = arg.trim();
      if (!name.startsWith('CONFIG_')) return undefined;
      return (value(name) !== '') === (kind === 'ifdef');
    }
    const m = /^\(\s*([^,]*?)\s*,\s*([^)]*?)\s*\)$/.exec(arg.trim());
    if (!m) return undefined;
    const a = expand(m[1] ?? '');
    const b = expand(m[2] ?? '');
    if (/\$\(/.test(a + b)) return undefined;
    return (a === b) === (kind === 'ifeq');
  };
  // A stack of conditionals: false when that branch is surely not taken.
  const stack: { cond: boolean | undefined; inElse: boolean }[] = [];
  const active = (): boolean =>
    stack.every((s) => (s.cond === undefined ? true : s.inElse ? !s.cond : s.cond));
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const rawLine of lines) {
    const line = rawLine.replace(/(^|[^\\])#.*$/, '$1').trim();
    if (!line) continue;
    const cond = /^(ifdef|ifndef|ifeq|ifneq)\s+(.*)$/.exec(line);
    if (cond?.[1] && cond[2] !== undefined) {
      stack.push({ cond: evalCond(cond[1], cond[2]), inElse: false });
      continue;
    }
    if (/^else\b/.test(line)) {
      const top = stack[stack.length - 1];
      if (top) top.inElse = true;
      continue;
    }
    if (/^endif\b/.test(line)) {
      stack.pop();
      continue;
    }
    const assign = /^([A-Za-z0-9_.$()/-]+)\s*(\+=|:=|\?=|=)\s*(.*)$/.exec(line);
    if (!assign?.[1] || !assign[2]) continue;
    const lhs = expand(assign[1]);
    const words = expand(assign[3] ?? '')
      .split(/\s+/)
      .filter(Boolean);
    // In a branch not taken, a word is mentioned (so known not built) but assigns nothing.
    const under = active() ? assign[1] : `${assign[1]} (in a conditional branch not taken)`;
    for (const w of words) mentions.set(w, [...(mentions.get(w) ?? []), under]);
    if (!active()) continue;
    if (assign[2] === '+=') vars.set(lhs, [...(vars.get(lhs) ?? []), ...words]);
    else if (assign[2] === '?=') {
      if (!vars.has(lhs)) vars.set(lhs, words);
    } else vars.set(lhs, words);
  }
  return { vars, mentions, text, file };
}

/** Is `name` (an object "x.o" or a folder "x/") built by the Makefile of `dir` with `config`? */
function enabledIn(parsed: ParsedKbuild, name: string, depth = 0): Enabled {
  const get = (v: string): string[] => parsed.vars.get(v) ?? [];
  const built = new Set([...get('obj-y'), ...get('obj-m'), ...get('lib-y'), ...get('subdir-y'), ...get('subdir-m')]);
  if (built.has(name)) return { built: true };
  if (name.endsWith('.o')) {
    // Part of a composite object: foo-y, foo-m, foo-objs of a built foo.o.
    for (const composite of built) {
      if (!composite.endsWith('.o')) continue;
      const stem = composite.slice(0, -2);
      const parts = [...get(`${stem}-y`), ...get(`${stem}-m`), ...get(`${stem}-objs`)];
      if (parts.includes(name)) return { built: true };
    }
  }
  const bare = name.replace(/\/$/, '');
  if (name.endsWith('.o') && depth < 4) {
    // Part of a composite object that is itself not built: say so.
    for (const [variable, parts] of parsed.vars) {
      const stem = /^(.+)-(?:y|m|objs)$/.exec(variable)?.[1];
      if (stem === undefined || !parts.includes(name)) continue;
      const parent = enabledIn(parsed, `${stem}.o`, depth + 1);
      if (parent.built === false) return { built: false, reason: `${name} is part of ${stem}.o; ${parent.reason}` };
    }
  }
  const under = parsed.mentions.get(name) ?? parsed.mentions.get(bare);
  if (under) return { built: false, reason: `${name} is listed under ${[...new Set(under)].join(', ')} in ${parsed.file}, not built with this .config` };
  // Never seen as a word: either really not built here, or hidden behind a function we do not expand.
  const pattern = new RegExp(`(^|[\\s/=])${bare.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.o|/)?(\\s|$)`, 'm');
  if (pattern.test(parsed.text)) return { built: 'unknown' };
  return { built: false, reason: `${name} is not in ${parsed.file}` };
}

/**
 * Would kbuild build `object` with `config`? Reads the Makefile of the
 * object's folder, then each parent's for the folder ("name/"), up to a
 * top-level folder (drivers/, kernel/, …: always descended into) or the
 * arch's own folder.
 */
export function kbuildBuilds(
  srcDir: string,
  object: string,
  arch: KernelArch,
  config: ReadonlyMap<string, string>,
  cache: Map<string, ParsedKbuild | undefined>,
): Enabled {
  const archRoot = `arch/${srcArch(arch)}`;
  let dir = path.posix.dirname(object);
  let name = path.posix.basename(object);
  for (;;) {
    if (dir === '.' || dir === '') return { built: true };
    if (dir === 'arch') {
      return name === `${srcArch(arch)}/` ? { built: true } : { built: false, reason: `arch/${name} is not ${arch}'s` };
    }
    if (!cache.has(dir)) cache.set(dir, parseKbuildMakefile(srcDir, dir, config));
    const parsed = cache.get(dir);
    if (!parsed) return { built: 'unknown' };
    const e = enabledIn(parsed, name);
    if (e.built !== true) return e;
    if (!dir.includes('/') || dir === archRoot) return { built: true };
    name = `${path.posix.basename(dir)}/`;
    dir = path.posix.dirname(dir);
  }
}
