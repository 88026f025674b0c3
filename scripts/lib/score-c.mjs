// What score:upstream reads out of one C file: a function's signature, its
// return statements and where it is registered in an ops struct.
//
// Every function takes `c`, the project's codemods/c module (parseC and the
// node helpers): the script passes dist/'s, the tests the TypeScript source,
// so that tree-sitter is only ever loaded through codemods/c.

/** Collapse whitespace, and drop it next to punctuation: `struct x * p` → `struct x*p`. */
export function normaliseC(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s*([*()[\],;&])\s*/g, '$1')
    .trim();
}

/** Annotations that may follow a parameter's name and say nothing of its type. */
const PARAM_ANNOTATIONS = new Set(['__maybe_unused', '__always_unused', '__unused']);

/** A parameter's type with its name left out: `const struct i2c_device_id *id` → `const struct i2c_device_id*`. */
function paramType(param) {
  if (param.type === 'variadic_parameter') return '...';
  // The name is the innermost identifier of the declarator chain.
  let name = null;
  for (let d = param.childForFieldName('declarator'); d; d = d.childForFieldName('declarator') ?? d.namedChildren.find((x) => x.type !== 'comment' && x.type !== 'ERROR') ?? null) {
    if (d.type === 'identifier') {
      name = d;
      break;
    }
    if (d.type === 'parameter_list') break;
  }
  // Cut the name out of the text, and the ERROR nodes of bare identifiers in
  // the declarator: `*pdev __maybe_unused` parses as ERROR(pdev) followed by
  // the declarator `__maybe_unused`, so either may hold the name.
  const cuts = [];
  if (name) cuts.push([name.startIndex, name.endIndex]);
  const visit = (n) => {
    if (n.type === 'ERROR' && n.namedChildren.every((x) => x.type === 'identifier')) cuts.push([n.startIndex, n.endIndex]);
    else for (const x of n.namedChildren) visit(x);
  };
  const declarator = param.childForFieldName('declarator');
  if (declarator) visit(declarator);
  cuts.sort((a, b) => b[0] - a[0]);
  let text = param.text;
  for (const [s, e] of cuts) text = text.slice(0, s - param.startIndex) + ' ' + text.slice(e - param.startIndex);
  for (const a of PARAM_ANNOTATIONS) text = text.replace(new RegExp(`\\b${a}\\b`, 'g'), ' ');
  return normaliseC(text);
}

/**
 * `static int __exit foo(struct platform_device *pdev)` →
 * { returns: 'int', params: ['struct platform_device*'] }: storage class,
 * section attributes and parameter names left out.
 */
function signatureOf(c, def, fdecl) {
  const quals = def.namedChildren.filter((n) => n.type === 'type_qualifier').map((n) => n.text);
  let stars = '';
  for (let d = def.childForFieldName('declarator'); d && d.id !== fdecl.id; d = d.childForFieldName('declarator')) {
    if (d.type === 'pointer_declarator') stars += '*';
  }
  const returns = normaliseC([...quals, def.childForFieldName('type')?.text ?? 'int'].join(' ') + stars);
  let params = c.parameters(fdecl).map(paramType);
  if (params.length === 1 && params[0] === 'void') params = [];
  return { returns, params };
}

/** `int (struct platform_device*)`: the signature as one comparable string. */
export function signatureText(sig) {
  return `${sig.returns} (${sig.params.join(', ')})`;
}

/** A body of at most one statement that returns a constant or nothing: an #else stub. */
function isStub(body) {
  const stmts = body.namedChildren.filter((n) => n.type !== 'comment');
  if (stmts.length === 0) return true;
  if (stmts.length > 1) return false;
  const s = stmts[0];
  if (s.type !== 'return_statement') return false;
  const v = s.namedChildren.find((n) => n.type !== 'comment');
  return !v || v.type === 'number_literal' || v.type === 'identifier' || v.type === 'unary_expression';
}

/** Names of the match-data readers upstream used where the id parameter went (i2c). */
const MATCH_DATA_CALL = /\b(\w*get_match_data|i2c_match_id|i2c_client_get_device_id|of_match_device|acpi_match_device|device_property_\w+)\s*\(/g;

function matchDataCalls(text) {
  const out = new Set();
  for (const m of text.matchAll(MATCH_DATA_CALL)) out.add(m[1]);
  return [...out].sort();
}

/**
 * The function_definitions named `name` in a parsed file, as
 * { line, endLine, signature, returns (sorted unique normalised return
 * statements), matchData (the match-data readers it calls), stub, isStatic }.
 * Found from the name's occurrences in the text (a walk over every
 * definition of a large file costs more than the parse).
 */
export function functionsNamed(c, root, name, text = root.text) {
  const out = [];
  const seen = new Set();
  for (const m of text.matchAll(new RegExp(`\\b${escapeRe(name)}\\b`, 'g'))) {
    const id = root.descendantForIndex(m.index, m.index + name.length);
    if (id.type !== 'identifier') continue;
    // identifier ← function_declarator ← (pointer_declarator…) ← function_definition
    let def = id.parent;
    for (let depth = 0; def && def.type !== 'function_definition' && depth < 6; depth++) def = def.parent;
    if (!def || def.type !== 'function_definition' || seen.has(def.id)) continue;
    const fdecl = c.functionDeclaratorOf(def);
    if (!fdecl || c.declaratorName(fdecl)?.startIndex !== id.startIndex) continue;
    seen.add(def.id);
    const body = c.functionBody(def);
    if (!body) continue;
    const returns = new Set(c.ofType(body, 'return_statement').map((r) => normaliseC(r.text)));
    // Parameter names, and which names the body reads and declares (for a removed parameter).
    const params = c.parameters(fdecl).map((p) => c.paramShape(p).name);
    const read = new Set(c.ofType(body, 'identifier').map((i) => i.text));
    const declared = new Set(
      c.ofType(body, 'declaration').flatMap((d) => d.childrenForFieldName('declarator').map((x) => {
        let n = x;
        while (n && n.type !== 'identifier') n = n.childForFieldName('declarator');
        return n?.text;
      })),
    );
    const entry = {
      params,
      declares: [...declared].filter(Boolean),
      line: def.startPosition.row + 1,
      endLine: def.endPosition.row + 1,
      signature: signatureOf(c, def, fdecl),
      returns: [...returns].sort(),
      matchData: matchDataCalls(body.text),
      stub: isStub(body),
      isStatic: def.namedChildren.some((n) => n.type === 'storage_class_specifier' && n.text === 'static'),
    };
    // Every name the body reads: kept out of the JSON report (not enumerable).
    Object.defineProperty(entry, 'idents', { value: read, enumerable: false });
    out.push(entry);
  }
  return out;
}

export function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The definition to compare: the first that is not an #else stub, or else the first. */
export function pickDefinition(defs) {
  return defs.find((d) => !d.stub) ?? defs[0];
}

/** `fn`, `&fn`, `(fn)`, `__exit_p(fn)`: the function an initializer value names, or null. */
function registeredName(value) {
  let v = value;
  for (;;) {
    if (v.type === 'identifier') return v.text;
    if (v.type === 'parenthesized_expression' || v.type === 'pointer_expression') {
      const inner = v.namedChildren.filter((n) => n.type !== 'comment');
      if (inner.length !== 1) return null;
      v = inner[0];
      continue;
    }
    if (v.type === 'call_expression') {
      // A wrapper macro of one argument: __exit_p(fn), __devexit_p(fn), pm_ptr(fn).
      const args = callArgs(v);
      if (args.length !== 1) return null;
      v = args[0];
      continue;
    }
    return null;
  }
}

function callArgs(call) {
  return call.childForFieldName('arguments')?.namedChildren.filter((n) => n.type !== 'comment') ?? [];
}

function isStructType(node, struct) {
  return node?.type === 'struct_specifier' && node.childForFieldName('name')?.text === struct;
}

/**
 * Every `.member = fn` of an initializer of `struct <struct>` in the file:
 * `struct S x = { ... }` and arrays `struct S x[] = { { ... }, { ... } }`, as
 * [{ member, fn, line }] (line of the pair, 1-based). Nested initializers of
 * other structs (`.driver = { ... }`) are not looked into.
 */
export function registrations(c, root, struct, text = root.text) {
  const out = [];
  const pairsOf = (list) => {
    for (const pair of list.namedChildren) {
      if (pair.type !== 'initializer_pair') continue;
      const designators = pair.childrenForFieldName('designator');
      if (designators.length !== 1 || designators[0].type !== 'field_designator') continue;
      const member = designators[0].namedChildren.find((n) => n.type === 'field_identifier')?.text;
      const value = pair.childForFieldName('value');
      const fn = value ? registeredName(value) : null;
      if (member && fn) out.push({ member, fn, line: pair.startPosition.row + 1 });
    }
  };
  // The declarations are found from `struct S` in the text, not by a walk.
  const seen = new Set();
  for (const m of text.matchAll(new RegExp(`\\bstruct\\s+${escapeRe(struct)}\\b`, 'g'))) {
    const spec = root.descendantForIndex(m.index, m.index + m[0].length);
    const decl = spec.type === 'struct_specifier' ? spec.parent : spec.parent?.parent;
    if (decl?.type !== 'declaration' || seen.has(decl.id)) continue;
    seen.add(decl.id);
    if (!isStructType(decl.childForFieldName('type'), struct)) continue;
    for (const init of decl.childrenForFieldName('declarator')) {
      if (init.type !== 'init_declarator') continue;
      const value = init.childForFieldName('value');
      if (value?.type !== 'initializer_list') continue;
      if (init.childForFieldName('declarator')?.type === 'array_declarator') {
        for (const el of value.namedChildren) if (el.type === 'initializer_list') pairsOf(el);
      } else {
        pairsOf(value);
      }
    }
  }
  return out;
}

/**
 * What score:upstream compares of each function of `names` in a file's text:
 * a Map name → { def (see functionsNamed; undefined when there is no
 * definition), members (sorted members of struct `struct` it is registered
 * in), registrationLines }. The text is parsed once, and only when it
 * mentions one of the names.
 */
export function describeFunctions(c, text, names, struct) {
  const out = new Map();
  const present = names.filter((n) => new RegExp(`\\b${escapeRe(n)}\\b`).test(text));
  for (const n of names) out.set(n, { def: undefined, members: [], registrationLines: [] });
  if (present.length === 0) return out;
  return describeTree(c, c.parseC(text).rootNode, text, present, struct, out);
}

/** describeFunctions on a tree already parsed (`regs`: its registrations, when already found). */
export function describeTree(c, root, text, names, struct, out = new Map(), regs = registrations(c, root, struct, text)) {
  for (const name of names) {
    const mine = regs.filter((r) => r.fn === name);
    out.set(name, {
      def: pickDefinition(functionsNamed(c, root, name, text)),
      members: [...new Set(mine.map((r) => r.member))].sort(),
      registrationLines: mine.map((r) => r.line),
    });
  }
  return out;
}
