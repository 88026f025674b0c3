// The return paths of a remove callback: a structural walk of its body that
// records, for each way out, the branch decisions taken, the statements
// executed (normalised text) and what was returned. No dataflow beyond one
// thing: a local that is only assigned and returned (`ret = foo(); ...
// return ret;`) is followed along the path, so `return ret;` after
// `ret = 0;` is a zero, and `ret = foo();` reads as the call `foo();`.
import { ofType, type SyntaxNode } from '../../codemods/c/index.js';
import { normalText, squeeze, type FunctionDef } from '../driver-c.js';
import { recoverBody } from './recovery.js';

export type ReturnValue =
  | { kind: 'zero'; text: string }
  | { kind: 'nonzero'; text: string }
  | { kind: 'unknown'; text: string }
  /** `return;` or the end of a void function. */
  | { kind: 'none' };

/** One `if` on the path: its condition's key, text and the arm taken. */
export interface Decision {
  /** Condition text and its ordinal among ifs with that text: `!priv#0`. */
  key: string;
  text: string;
  taken: boolean;
  line: number;
}

export type PathEnd =
  | { kind: 'return'; value: ReturnValue; line: number; early: boolean }
  | { kind: 'unknown'; reason: string; line: number };

export interface RemovePath {
  decisions: Decision[];
  statements: string[];
  end: PathEnd;
}

export interface Abstraction {
  paths: RemovePath[];
  /** Set when the walk gave up on the whole function. */
  unknown?: string;
}

/** Most paths kept for one function. */
export const MAX_PATHS = 256;

interface Frame {
  list: SyntaxNode[];
  index: number;
}

interface State {
  frames: Frame[];
  decisions: Decision[];
  statements: string[];
  /** Values of return-only locals on this path: name → C text. */
  values: Map<string, string>;
}

const JUMPS = ['return_statement', 'goto_statement'];
const LOOPS = ['for_statement', 'while_statement', 'do_statement', 'switch_statement'];

function statementsOf(block: SyntaxNode): SyntaxNode[] {
  if (block.type !== 'compound_statement') return [block];
  return block.namedChildren.filter((c) => c.type !== 'comment');
}

function hasJump(node: SyntaxNode): boolean {
  return JUMPS.includes(node.type) || ofType(node, JUMPS).length > 0;
}

function hasEffect(node: SyntaxNode): boolean {
  return ofType(node, ['call_expression', 'assignment_expression', 'update_expression']).length > 0 || ['call_expression', 'assignment_expression', 'update_expression'].includes(node.type);
}

/** `0` → zero; `-EBUSY`, `1`, `-1` → non-zero; anything else → unknown. */
export function classifyConstant(text: string): ReturnValue {
  const t = text.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');
  if (/^(0+|0x0+)[uUlL]*$/.test(t)) return { kind: 'zero', text };
  if (/^-?(\d+|0x[0-9a-fA-F]+)[uUlL]*$/.test(t) || /^-E[A-Z0-9]+$/.test(t)) return { kind: 'nonzero', text };
  return { kind: 'unknown', text };
}

/**
 * Locals only ever declared, assigned as a whole statement (`v = e;`) and
 * returned (`return v;`): their value matters only as the return value.
 */
function returnOnlyLocals(body: SyntaxNode): Set<string> {
  const out = new Set<string>();
  for (const decl of ofType(body, 'declaration')) {
    for (const d of decl.namedChildren) {
      const id = d.type === 'identifier' ? d : d.type === 'init_declarator' ? d.childForFieldName('declarator') : null;
      if (id?.type !== 'identifier') continue;
      const uses = ofType(body, 'identifier', (n) => n.text === id.text);
      const ok = uses.every((u) => {
        const p = u.parent!;
        if (u.id === id.id) return true;
        if (p.type === 'return_statement') return true;
        return p.type === 'assignment_expression' && p.childForFieldName('left')?.id === u.id && p.child(1)?.type === '=' && p.parent?.type === 'expression_statement';
      });
      if (ok) out.add(id.text);
    }
  }
  return out;
}

/** Walk `def`'s body. */
export function abstractRemove(def: FunctionDef): Abstraction {
  const fileText = def.source;
  const body = def.body;
  // Parse errors the walk can read past (recovery.ts), or why not.
  const recovery = def.bodyErrors > 0 ? recoverBody(body, def.lineOffset) : { glued: new Map<number, SyntaxNode[]>() };
  if ('unknown' in recovery) return { paths: [], unknown: recovery.unknown };
  const isVoid = /^void$/.test(def.returnType.trim());
  const retOnly = returnOnlyLocals(body);
  const top = statementsOf(body);
  const lastTop = top[top.length - 1];
  const text = (n: SyntaxNode) => normalText(fileText, n);
  const line = (n: SyntaxNode) => def.lineOffset + n.startPosition.row + 1;

  // Ordinal of each if among ifs with the same condition text, in source order.
  const ordinals = new Map<number, string>();
  const seen = new Map<string, number>();
  for (const s of ofType(body, 'if_statement')) {
    const c = text(s.childForFieldName('condition')!);
    const n = seen.get(c) ?? 0;
    seen.set(c, n + 1);
    ordinals.set(s.id, `${c}#${n}`);
  }

  const valueOf = (expr: SyntaxNode, st: State): ReturnValue => {
    if (expr.type === 'identifier' && retOnly.has(expr.text)) {
      const v = st.values.get(expr.text);
      return v === undefined ? { kind: 'unknown', text: `${expr.text} (not assigned on this path)` } : classifyConstant(v);
    }
    return classifyConstant(text(expr));
  };

  const paths: RemovePath[] = [];
  const work: State[] = [{ frames: [{ list: top, index: 0 }], decisions: [], statements: [], values: new Map() }];
  const finish = (st: State, end: PathEnd) => paths.push({ decisions: st.decisions, statements: st.statements, end });
  const fork = (st: State, d: Decision, block: SyntaxNode | null): State => ({
    frames: block ? [...st.frames, { list: statementsOf(block), index: 0 }] : [...st.frames],
    decisions: [...st.decisions, d],
    statements: [...st.statements],
    values: new Map(st.values),
  });

  while (work.length > 0) {
    if (paths.length + work.length > MAX_PATHS) return { paths: [], unknown: `more than ${MAX_PATHS} paths` };
    const st = work.pop()!;
    for (;;) {
      const frame = st.frames[st.frames.length - 1];
      if (!frame) {
        finish(st, isVoid ? { kind: 'return', value: { kind: 'none' }, line: def.lineOffset + body.endPosition.row + 1, early: false } : { kind: 'return', value: { kind: 'unknown', text: 'the end of a non-void function (no return statement)' }, line: def.lineOffset + body.endPosition.row + 1, early: false });
        break;
      }
      if (frame.index >= frame.list.length) {
        st.frames.pop();
        continue;
      }
      const s = frame.list[frame.index++]!;
      const glued = recovery.glued.get(s.id);
      if (glued) {
        // `macro(args) statement` (or a declaration the parser cut in two):
        // one statement, as a loop without jumps is; with a jump, unknown.
        frame.index += glued.length;
        const unit = [s, ...glued];
        if (unit.some(hasJump)) {
          finish(st, { kind: 'unknown', reason: `a return or goto inside \`${text(s)}\`, a macro the parser reads as a statement missing its \`;\` (an iterator such as list_for_each_entry())`, line: line(s) });
          break;
        }
        opaque(unit, st);
        continue;
      }
      if (s.type === 'return_statement') {
        const expr = s.namedChildren.find((c) => c.type !== 'comment');
        let value: ReturnValue = { kind: 'none' };
        if (expr) {
          value = valueOf(expr, st);
          if (hasEffect(expr)) st.statements.push(`${text(expr)};`);
        }
        finish(st, { kind: 'return', value, line: line(s), early: s.id !== lastTop?.id });
        break;
      }
      if (s.type === 'compound_statement') {
        st.frames.push({ list: statementsOf(s), index: 0 });
        continue;
      }
      if (s.type === 'labeled_statement') {
        const inner = s.namedChildren.filter((c) => c.type !== 'statement_identifier' && c.type !== 'comment');
        st.frames.push({ list: inner, index: 0 });
        continue;
      }
      if (s.type === 'goto_statement') {
        const label = s.childForFieldName('label')?.text;
        const at = top.findIndex((t) => t.type === 'labeled_statement' && t.childForFieldName('label')?.text === label);
        if (at < 0 || top[at]!.startIndex < s.startIndex) {
          finish(st, { kind: 'unknown', reason: `\`goto ${label}\` to a label that is not later at the top level of the body`, line: line(s) });
          break;
        }
        st.frames = [{ list: top, index: at }];
        continue;
      }
      if (s.type === 'if_statement' && hasJump(s)) {
        const cond = s.childForFieldName('condition')!;
        const d = { key: ordinals.get(s.id)!, text: text(cond).replace(/^\((.*)\)$/, '$1'), line: line(s) };
        let alt = s.childForFieldName('alternative');
        if (alt?.type === 'else_clause') alt = alt.namedChildren.find((c) => c.type !== 'comment') ?? null;
        if (hasEffect(cond)) st.statements.push(`${text(cond)};`);
        work.push(fork(st, { ...d, taken: false }, alt));
        const then = fork(st, { ...d, taken: true }, s.childForFieldName('consequence'));
        Object.assign(st, then);
        continue;
      }
      if ((LOOPS.includes(s.type) || s.type.startsWith('preproc_')) && hasJump(s)) {
        finish(st, { kind: 'unknown', reason: `a return or goto inside a ${s.type.replace(/_statement$/, '').replace(/_/g, ' ')}`, line: line(s) });
        break;
      }
      if (hasJump(s)) {
        // A GNU statement expression, `x = ({ ... return ...; });`: not a statement the walk keeps whole.
        finish(st, { kind: 'unknown', reason: `a return or goto inside the ${s.type.replace(/_/g, ' ')} \`${text(s).slice(0, 60)}\``, line: line(s) });
        break;
      }
      step(s, st);
    }
  }
  return { paths };

  /** A statement that does not jump: record what it executes. */
  function step(s: SyntaxNode, st: State): void {
    if (s.type === 'expression_statement') {
      const e = s.namedChildren.find((c) => c.type !== 'comment');
      if (!e) return;
      const left = e.type === 'assignment_expression' && e.child(1)?.type === '=' ? e.childForFieldName('left') : null;
      if (left?.type === 'identifier' && retOnly.has(left.text)) {
        const right = e.childForFieldName('right')!;
        st.values.set(left.text, text(right));
        if (hasEffect(right)) st.statements.push(`${text(right)};`);
        return;
      }
      st.statements.push(text(s));
      return;
    }
    if (s.type === 'declaration') {
      const kept: string[] = [];
      const declarators = s.childrenForFieldName('declarator');
      const nameOf = (d: SyntaxNode) => (d.type === 'init_declarator' ? d.childForFieldName('declarator') : d);
      for (const d of declarators) {
        const name = nameOf(d)?.text ?? '';
        if (!retOnly.has(name)) continue;
        const v = d.childForFieldName('value');
        if (v) {
          st.values.set(name, text(v));
          if (hasEffect(v)) kept.push(`${text(v)};`);
        } else {
          st.values.delete(name);
        }
      }
      // A declaration of other locals is kept whole: its initialisers run.
      if (declarators.some((d) => !retOnly.has(nameOf(d)?.text ?? ''))) st.statements.push(text(s));
      else st.statements.push(...kept);
      return;
    }
    if (s.type === 'if_statement') {
      // No jump inside: one statement, unless both arms are empty.
      const arms = [s.childForFieldName('consequence'), s.childForFieldName('alternative')].filter((a): a is SyntaxNode => !!a);
      const empty = arms.every((a) => a.namedChildren.every((c) => c.type === 'comment' || (c.type === 'compound_statement' && c.namedChildCount === 0)) && (a.type !== 'expression_statement' || a.namedChildCount === 0));
      if (empty) {
        const cond = s.childForFieldName('condition')!;
        if (hasEffect(cond)) st.statements.push(`${text(cond)};`);
        return;
      }
      opaque([s], st);
      return;
    }
    opaque([s], st);
  }

  /** Statements kept whole, as one; a return-only local they assign becomes a run-time value. */
  function opaque(unit: SyntaxNode[], st: State): void {
    for (const s of unit) {
      for (const a of ofType(s, 'assignment_expression')) {
        const left = a.childForFieldName('left');
        if (left?.type === 'identifier' && retOnly.has(left.text)) st.values.set(left.text, `${left.text} (assigned in ${unit[0]!.type.replace(/_statement$/, '')})`);
      }
    }
    st.statements.push(unit.length === 1 ? text(unit[0]!) : squeeze(unit.map(text).join(' ')));
  }
}
