// Reading a build log: gcc's (and objtool's) diagnostics with paths made
// relative to the tree, each attributed to the object whose kbuild "CC" line
// it follows, and the warnings an after-state adds to a before-state.
import { realpathSync } from 'node:fs';
import * as path from 'node:path';

export interface Diagnostic {
  /** Relative to the source (or build) dir when inside it; as printed otherwise (e.g. "cc1"). */
  file: string;
  line?: number;
  column?: number;
  severity: 'warning' | 'error';
  message: string;
}

export interface PathRoots {
  srcDir?: string;
  buildDir?: string;
}

// file:line:col: severity: message   (gcc; line and col optional: "cc1: warning: …",
// objtool's "drivers/x.o: warning: objtool: f()+0x1: …")
const DIAGNOSTIC_RE = /^([^\s:][^:]*?)(?::(\d+))?(?::(\d+))?: (warning|error|fatal error): (.*)$/;

function rootPrefixes(roots: PathRoots): string[] {
  const prefixes: string[] = [];
  for (const dir of [roots.srcDir, roots.buildDir]) {
    if (!dir) continue;
    const abs = path.resolve(dir);
    prefixes.push(`${abs}/`);
    try {
      const real = realpathSync(abs);
      if (real !== abs) prefixes.push(`${real}/`);
    } catch {
      // does not exist (tests)
    }
  }
  return prefixes;
}

function relativize(file: string, prefixes: readonly string[]): string {
  for (const p of prefixes) if (file.startsWith(p)) return file.slice(p.length);
  return file.startsWith('./') ? file.slice(2) : file;
}

/** gcc's quotes are typographic in UTF-8 locales; compare them as ASCII. */
function plainQuotes(s: string): string {
  return s.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"');
}

/** One diagnostic line, or undefined when the line is not one (context, source excerpts, make's own lines). */
export function parseDiagnosticLine(line: string, roots: PathRoots = {}): Diagnostic | undefined {
  const m = DIAGNOSTIC_RE.exec(line.replace(/\x1b\[[0-9;]*[mK]/g, ''));
  if (!m || m[1] === undefined || m[4] === undefined || m[5] === undefined) return undefined;
  if (/^make(\[\d+\])?$/.test(m[1])) return undefined;
  const d: Diagnostic = {
    file: relativize(m[1], rootPrefixes(roots)),
    severity: m[4] === 'warning' ? 'warning' : 'error',
    message: plainQuotes(m[5]),
  };
  if (m[2] !== undefined) d.line = Number(m[2]);
  if (m[3] !== undefined) d.column = Number(m[3]);
  return d;
}

/** All diagnostics of a build log, in order. */
export function parseDiagnostics(output: string, roots: PathRoots = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const line of output.split('\n')) {
    const d = parseDiagnosticLine(line, roots);
    if (d) out.push(d);
  }
  return out;
}

/** "file:line:col: warning: message", the form gcc prints and editors read. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file, d.line, d.column].filter((x) => x !== undefined).join(':');
  return `${where}: ${d.severity}: ${d.message}`;
}

/** A kbuild quiet-mode command line: "  CC      drivers/x.o", "  CC [M]  drivers/x.o". */
const KBUILD_STEP_RE = /^ {2}([A-Z0-9_]+(?: \[M\])?) +(\S+)$/;
/** make[3]: *** [scripts/Makefile.build:250: drivers/x.o] Error 1 */
const MAKE_ERROR_RE = /^make(?:\[\d+\])?: \*\*\* \[[^\]]*?:\s*([^\]\s]+)\] Error \d+/;
/** make[3]: *** No rule to make target 'drivers/x.o'. */
const NO_RULE_RE = /^make(?:\[\d+\])?: \*\*\* No rule to make target '([^']+)'/;

/**
 * Split a build log (make -O, stdout and stderr merged) into diagnostics per
 * requested object: each object's diagnostics follow its kbuild "CC <object>"
 * line. Exported for tests.
 */
export function attributeDiagnostics(
  output: string,
  objects: readonly string[],
  roots: PathRoots = {},
): { perObject: Map<string, { warnings: string[]; errors: string[]; makeErrors: string[] }>; other: string[] } {
  const perObject = new Map<string, { warnings: string[]; errors: string[]; makeErrors: string[] }>();
  for (const o of objects) perObject.set(o, { warnings: [], errors: [], makeErrors: [] });
  const other: string[] = [];
  let current: string | undefined;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const step = KBUILD_STEP_RE.exec(line);
    if (step?.[2] !== undefined) {
      current = perObject.has(step[2]) ? step[2] : undefined;
      continue;
    }
    const makeError = MAKE_ERROR_RE.exec(line) ?? NO_RULE_RE.exec(line);
    if (makeError?.[1] !== undefined) {
      const bucket = perObject.get(makeError[1]);
      if (bucket) bucket.makeErrors.push(line.trim());
      continue;
    }
    const d = parseDiagnosticLine(line, roots);
    if (!d) continue;
    const bucket = current === undefined ? undefined : perObject.get(current);
    const text = formatDiagnostic(d);
    if (!bucket) other.push(text);
    else if (d.severity === 'warning') bucket.warnings.push(text);
    else bucket.errors.push(text);
  }
  return { perObject, other };
}

function warningKey(text: string): string {
  const d = parseDiagnosticLine(text);
  return d ? `${d.file}\0${d.severity}\0${d.message}` : text;
}

/**
 * The warnings of `after` that `before` does not account for. Warnings are
 * compared by file, severity and message, not by line and column (a patch
 * moves lines), and counted: a second identical warning in the same file is new.
 */
export function compareWarnings(before: readonly string[], after: readonly string[]): string[] {
  const budget = new Map<string, number>();
  for (const w of before) budget.set(warningKey(w), (budget.get(warningKey(w)) ?? 0) + 1);
  const added: string[] = [];
  for (const w of after) {
    const k = warningKey(w);
    const left = budget.get(k) ?? 0;
    if (left > 0) budget.set(k, left - 1);
    else added.push(w);
  }
  return added;
}
