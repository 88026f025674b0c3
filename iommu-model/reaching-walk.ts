// The walk of one function body that reaching.ts runs: statement by
// statement to the call, through if/else, switch, loops (iterated until the
// values stop changing), return/goto/break/continue and forward gotos,
// applying each assignment's effect on the state.
import type { SyntaxNode } from '../codemods/c/index.js';
import { contains, forEachNamed, forEachNamedPostOrder, nodeLine } from '../codemods/c/index.js';
import { constant, exprDepth, INT, MAX_EXPR_DEPTH, substitute, symbolsOf, type BinaryOperator, type SymExpr } from './c-expr.js';
import { parseCExpression, type MacroTable } from './macros.js';
import {
  combine,
  copy,
  declaredName,
  dedupe,
  forgetFieldsOf,
  join,
  lvalueKey,
  MAX_COMBINATIONS,
  runTimeValue,
  sameState,
  sameValues,
  TOO_DEEP,
  type ReachingValue,
  type State,
} from './reaching-values.js';

const MAX_LOOP_PASSES = 4;
/** Statements nested deeper than this are not followed: the values are unknown. */
const MAX_STATEMENT_NESTING = 200;

export class TooDeep extends Error {
  constructor(readonly node: SyntaxNode) {
    super(`statements nested more than ${MAX_STATEMENT_NESTING} deep are not followed`);
  }
}

interface LoopContext {
  breaks: Array<State | null>;
  continues: Array<State | null>;
}

export class Walker {
  /** Labels reached by forward gotos, with the states at the gotos. */
  private readonly gotos = new Map<string, Array<State | null>>();
  private readonly loops: LoopContext[] = [];
  /** Objects whose address was stored (`p = &v;`), with the lines. */
  readonly aliases = new Map<string, number[]>();

  /** Statements the walk is inside: it recurses once per level, so the depth is bounded. */
  private depth = 0;

  constructor(private readonly at: SyntaxNode, private readonly macros: MacroTable) {}

  private nested<T>(node: SyntaxNode, step: () => T): T {
    if (++this.depth > MAX_STATEMENT_NESTING) throw new TooDeep(node);
    try {
      return step();
    } finally {
      this.depth--;
    }
  }

  /** The state when control reaches `this.at`, which lies inside `node`; null if it cannot. */
  execUntil(node: SyntaxNode, state: State | null): State | null {
    return this.nested(node, () => this.execUntilStep(node, state));
  }

  private execUntilStep(node: SyntaxNode, state: State | null): State | null {
    switch (node.type) {
      case 'compound_statement':
      case 'case_statement':
      case 'translation_unit': {
        for (const child of statements(node)) {
          if (contains(child, this.at)) return this.execUntil(child, state);
          state = this.exec(child, state);
        }
        return state;
      }
      case 'if_statement': {
        const cond = node.childForFieldName('condition');
        if (cond && contains(cond, this.at)) return state;
        state = this.effects(cond, state);
        const consequence = node.childForFieldName('consequence');
        if (consequence && contains(consequence, this.at)) return this.execUntil(consequence, copy(state));
        const alternative = node.childForFieldName('alternative');
        if (alternative) return this.execUntil(alternative, copy(state));
        return state;
      }
      case 'else_clause':
        return this.execUntil(node.namedChildren.find((c) => contains(c, this.at))!, state);
      case 'labeled_statement': {
        state = join(state, ...(this.gotos.get(labelOf(node)) ?? []));
        const inner = node.namedChildren.find((c) => c.type !== 'statement_identifier' && contains(c, this.at));
        return inner ? this.execUntil(inner, state) : state;
      }
      case 'for_statement':
      case 'while_statement':
      case 'do_statement': {
        const body = node.childForFieldName('body');
        if (!body || !contains(body, this.at)) return state;
        if (node.type === 'for_statement') state = this.forInit(node, state);
        const top = this.loopTop(node, state);
        this.loops.push({ breaks: [], continues: [] });
        try {
          return this.execUntil(body, top);
        } finally {
          this.loops.pop();
        }
      }
      case 'switch_statement': {
        const cond = node.childForFieldName('condition');
        if (cond && contains(cond, this.at)) return state;
        state = this.effects(cond, state);
        const body = node.childForFieldName('body');
        if (!body) return state;
        this.loops.push({ breaks: [], continues: [] });
        try {
          let fallthrough: State | null = null;
          for (const c of statements(body)) {
            const entry = c.type === 'case_statement' ? join(copy(state), fallthrough) : fallthrough;
            if (contains(c, this.at)) return this.execUntil(c, entry);
            fallthrough = this.exec(c, entry);
          }
          return null;
        } finally {
          this.loops.pop();
        }
      }
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_else':
      case 'preproc_elif':
      case 'preproc_elifdef': {
        // The branch that holds the call is compiled; the walk enters it.
        for (const child of statements(node)) {
          if (contains(child, this.at)) return this.execUntil(child, state);
          if (child.id === node.childForFieldName('alternative')?.id) continue;
          state = this.exec(child, state);
        }
        return state;
      }
      default:
        // The statement that holds the call: side effects before the call
        // within the same statement are not followed.
        return state;
    }
  }

  /** Run a statement that does not contain the call. */
  exec(node: SyntaxNode, state: State | null): State | null {
    return this.nested(node, () => this.execStep(node, state));
  }

  private execStep(node: SyntaxNode, state: State | null): State | null {
    switch (node.type) {
      case 'compound_statement':
      case 'case_statement': {
        for (const child of statements(node)) state = this.exec(child, state);
        return state;
      }
      case 'declaration':
        return state && this.declare(node, state);
      case 'expression_statement':
        return this.effects(node.namedChildren[0] ?? null, state);
      case 'if_statement': {
        state = this.effects(node.childForFieldName('condition'), state);
        if (state === null) return null;
        const consequence = node.childForFieldName('consequence');
        const alternative = node.childForFieldName('alternative');
        const thenState = consequence ? this.exec(consequence, copy(state)) : state;
        const elseState = alternative ? this.exec(alternative, copy(state)) : state;
        return join(thenState, elseState);
      }
      case 'else_clause':
        return node.namedChildren.reduce<State | null>((s, c) => this.exec(c, s), state);
      case 'return_statement':
        this.effects(node.namedChildren[0] ?? null, state);
        return null;
      case 'goto_statement': {
        const label = node.childForFieldName('label')?.text ?? '';
        const list = this.gotos.get(label) ?? [];
        list.push(state && copy(state));
        this.gotos.set(label, list);
        return null;
      }
      case 'break_statement':
        this.loops[this.loops.length - 1]?.breaks.push(state && copy(state));
        return null;
      case 'continue_statement':
        this.loops[this.loops.length - 1]?.continues.push(state && copy(state));
        return null;
      case 'labeled_statement': {
        state = join(state, ...(this.gotos.get(labelOf(node)) ?? []));
        for (const c of node.namedChildren) if (c.type !== 'statement_identifier') state = this.exec(c, state);
        return state;
      }
      case 'for_statement':
      case 'while_statement':
      case 'do_statement': {
        if (node.type === 'for_statement') state = this.forInit(node, state);
        const top = this.loopTop(node, state);
        // The loop ends when its condition fails at the top, or at a break.
        const ctx = this.runBody(node, top);
        return join(top, ...ctx.breaks);
      }
      case 'switch_statement': {
        state = this.effects(node.childForFieldName('condition'), state);
        const body = node.childForFieldName('body');
        if (!body || state === null) return state;
        this.loops.push({ breaks: [], continues: [] });
        let fallthrough: State | null = null;
        let hasDefault = false;
        for (const c of statements(body)) {
          if (c.type === 'case_statement') {
            if (c.child(0)?.type === 'default') hasDefault = true;
            fallthrough = this.exec(c, join(copy(state), fallthrough));
          } else fallthrough = this.exec(c, fallthrough);
        }
        const ctx = this.loops.pop()!;
        return join(fallthrough, ...ctx.breaks, hasDefault ? null : state);
      }
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_else':
      case 'preproc_elif':
      case 'preproc_elifdef': {
        // Either branch may be compiled (CONFIG_*): both join.
        const alternative = node.childForFieldName('alternative');
        let thenState: State | null = state && copy(state);
        for (const c of statements(node)) if (c.id !== alternative?.id) thenState = this.exec(c, thenState);
        const elseState = alternative ? this.exec(alternative, state && copy(state)) : state;
        return join(thenState, elseState);
      }
      default:
        return state;
    }
  }

  private forInit(node: SyntaxNode, state: State | null): State | null {
    const init = node.childForFieldName('initializer');
    if (!init || state === null) return state;
    return init.type === 'declaration' ? this.declare(init, state) : this.effects(init, state);
  }

  private runBody(loop: SyntaxNode, top: State | null): LoopContext {
    const body = loop.childForFieldName('body');
    this.loops.push({ breaks: [], continues: [] });
    let end = body ? this.exec(body, top && copy(top)) : top;
    const ctx = this.loops.pop()!;
    end = join(end, ...ctx.continues);
    if (loop.type === 'for_statement') end = this.effects(loop.childForFieldName('update'), end);
    end = this.effects(loop.childForFieldName('condition'), end);
    ctx.continues = [end];
    return ctx;
  }

  /** The state at the top of a loop body: the entry joined with every later iteration's. */
  private loopTop(loop: SyntaxNode, entry: State | null): State | null {
    let top = loop.type === 'do_statement' ? entry : this.effects(loop.childForFieldName('condition'), entry);
    for (let pass = 0; pass < MAX_LOOP_PASSES; pass++) {
      const next = join(top && copy(top), this.runBody(loop, top).continues[0] ?? null);
      if (sameState(next, top)) return top;
      top = next;
    }
    // Still changing: the values carried around the loop are not followed.
    if (top === null) return null;
    const out = copy(top)!;
    const again = this.runBody(loop, top).continues[0] ?? null;
    for (const [key, values] of again ?? []) {
      const before = top.get(key);
      if (!before || !sameValues(before, values)) {
        out.set(key, [{ kind: 'unknown', why: `changes on every iteration of the loop at line ${nodeLine(loop)}`, line: nodeLine(loop) }]);
      }
    }
    return out;
  }

  // int a, *b = NULL, flags = SVM_FLAG_SUPERVISOR_MODE;
  private declare(node: SyntaxNode, state: State): State {
    const isStatic = node.namedChildren.some((c) => c.type === 'storage_class_specifier' && c.text === 'static');
    for (const d of node.childrenForFieldName('declarator')) {
      const value = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
      if (value) state = this.effects(value, state) ?? state;
      const name = declaredName(d);
      if (!name) continue;
      forgetFieldsOf(state, name);
      if (!value) {
        state.set(name, [isStatic
          ? { kind: 'value', expr: constant(0n, INT), text: '0', line: nodeLine(d) }
          : { kind: 'unknown', why: `'${name}' is declared without a value at line ${nodeLine(d)} and not assigned on this path`, line: nodeLine(d) }]);
      } else if (value.type === 'initializer_list') {
        state.set(name, [{ kind: 'unknown', why: `'${name}' is initialised with an initializer list at line ${nodeLine(d)}`, line: nodeLine(d) }]);
      } else {
        state.set(name, this.valueOf(value, state));
      }
    }
    return state;
  }

  /** Apply the side effects of an expression (assignments, ++/--, calls that take an address). */
  effects(node: SyntaxNode | null, state: State | null): State | null {
    if (!node || state === null) return state;
    // Operands first: `a = (b = 1)` assigns b before a.
    forEachNamedPostOrder(node, (n) => {
      if (n.type === 'assignment_expression') this.assign(n, state);
      else if (n.type === 'update_expression') this.update(n, state);
      else if (n.type === 'call_expression') this.callEffects(n, state);
      else if (n.type === 'pointer_expression' && n.child(0)?.type === '&' && !isCallArgument(n)) {
        const key = lvalueKey(n.childForFieldName('argument')!);
        if (key) this.aliases.set(key, [...(this.aliases.get(key) ?? []), nodeLine(n)]);
      }
    });
    return state;
  }

  // flags = X;   flags |= X;   ctx->flags = X;
  private assign(n: SyntaxNode, state: State): void {
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    const op = n.childForFieldName('operator')?.type ?? n.child(1)?.type ?? '=';
    if (!left || !right) return;
    const key = lvalueKey(left);
    if (!key) return;
    forgetFieldsOf(state, key);
    const rhs = this.valueOf(right, state);
    if (op === '=') {
      state.set(key, rhs);
      return;
    }
    const binary = op.slice(0, -1) as BinaryOperator;
    const old = state.get(key) ?? [runTimeValue(key)];
    state.set(key, combine(old, rhs, (a, b) => ({ op: 'binary', operator: binary, left: a, right: b }), nodeLine(n), `${key} ${op} ${right.text}`));
  }

  // flags++;  --flags;
  private update(n: SyntaxNode, state: State): void {
    const arg = n.childForFieldName('argument');
    if (!arg) return;
    const key = lvalueKey(arg);
    if (!key) return;
    const operator: BinaryOperator = n.text.includes('++') ? '+' : '-';
    const one: ReachingValue[] = [{ kind: 'value', expr: constant(1n, INT), text: '1', line: null }];
    const old = state.get(key) ?? [runTimeValue(key)];
    state.set(key, combine(old, one, (a, b) => ({ op: 'binary', operator, left: a, right: b }), nodeLine(n), n.text));
  }

  // f(&v) may write v; f(ctx) may write ctx->anything. The bind itself only
  // reads *drvdata (intel_svm_bind), so a bind in a loop does not write v.
  private callEffects(n: SyntaxNode, state: State): void {
    if (n.childForFieldName('function')?.text === 'iommu_sva_bind_device') return;
    const args = n.childForFieldName('arguments')?.namedChildren ?? [];
    for (const a of args) {
      let arg = a;
      while (arg.type === 'parenthesized_expression' && arg.namedChildCount === 1) arg = arg.namedChildren[0]!;
      if (arg.type === 'pointer_expression' && arg.child(0)?.type === '&') {
        const key = lvalueKey(arg.childForFieldName('argument')!);
        if (!key) continue;
        state.set(key, [{ kind: 'value', expr: { op: 'sym', name: key }, text: key, line: nodeLine(n) }]);
        forgetFieldsOf(state, key);
      } else if (arg.type === 'identifier') {
        forgetFieldsOf(state, arg.text);
      }
    }
  }

  /** The values of an expression in `state`. */
  private valueOf(node: SyntaxNode, state: State): ReachingValue[] {
    const line = nodeLine(node);
    const parsed = parseCExpression(node.text, this.macros);
    if (!parsed.ok) return [{ kind: 'unknown', why: `cannot evaluate '${node.text}' (${parsed.why})`, line }];
    let combos: SymExpr[] = [parsed.expr];
    for (const name of symbolsOf(parsed.expr)) {
      const values = state.get(name);
      if (!values) continue;
      const unknown = values.find((v) => v.kind === 'unknown');
      if (unknown) return [{ kind: 'unknown', why: `'${node.text}' reads ${name}: ${(unknown as { why: string }).why}`, line }];
      const next: SymExpr[] = [];
      for (const c of combos) for (const v of values) if (v.kind === 'value') next.push(substitute(c, (s) => (s === name ? v.expr : undefined)));
      if (next.some((e) => exprDepth(e) > MAX_EXPR_DEPTH)) return [{ kind: 'unknown', why: `'${node.text}' reads ${name}: ${TOO_DEEP}`, line }];
      if (next.length > MAX_COMBINATIONS) return [{ kind: 'unknown', why: `more than ${MAX_COMBINATIONS} combinations of values for '${node.text}'`, line }];
      combos = next;
    }
    return dedupe(combos.map((expr) => ({ kind: 'value', expr, text: node.text, line })));
  }
}

function isCallArgument(n: SyntaxNode): boolean {
  let p = n.parent;
  while (p && p.type === 'parenthesized_expression') p = p.parent;
  return p?.type === 'argument_list';
}

function statements(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((c) => c.type !== 'comment');
}

function labelOf(node: SyntaxNode): string {
  return node.childForFieldName('label')?.text ?? node.namedChildren.find((c) => c.type === 'statement_identifier')?.text ?? '';
}

/** A `goto L;` after its label `L:` that precedes `at`: a loop the walk does not follow. */
export function backwardGoto(fn: SyntaxNode, at: SyntaxNode): { label: string; line: number } | undefined {
  const labels = new Map<string, number>();
  const gotos: SyntaxNode[] = [];
  forEachNamed(fn, (n) => {
    if (n.type === 'labeled_statement') labels.set(labelOf(n), n.startIndex);
    if (n.type === 'goto_statement') gotos.push(n);
  });
  for (const g of gotos) {
    const label = g.childForFieldName('label')?.text ?? '';
    const start = labels.get(label);
    if (start !== undefined && start < at.startIndex && g.startIndex > start) return { label, line: nodeLine(g) };
  }
  return undefined;
}

export function assignsAnywhere(body: SyntaxNode, key: string): boolean {
  let found = false;
  forEachNamed(body, (n) => {
    if (n.type === 'assignment_expression' && lvalueKey(n.childForFieldName('left')!) === key) found = true;
    if (n.type === 'update_expression' && lvalueKey(n.childForFieldName('argument')!) === key) found = true;
    return found ? 'stop' : undefined;
  });
  return found;
}
