// migration.schema.json and spec.ts say the same thing: spec.ts is read with
// ts-morph and walked beside the schema, interface by interface. Same keys,
// same required keys, same enumerations, same shapes; every key of the
// schema has a description for editors.
import { readFileSync } from 'node:fs';
import { Node, Project, type PropertySignature, type TypeNode } from 'ts-morph';
import { describe, expect, it } from 'vitest';

interface Schema {
  type?: string;
  $ref?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: string[];
  definitions?: Record<string, Schema>;
}

const schema = JSON.parse(readFileSync('codemods/kit/migration.schema.json', 'utf8')) as Schema;
const project = new Project({ skipAddingFilesFromTsConfig: true, compilerOptions: { strict: true } });
const spec = project.addSourceFileAtPath('codemods/kit/spec.ts');

function deref(s: Schema): Schema {
  if (!s.$ref) return s;
  const name = s.$ref.replace('#/definitions/', '');
  const target = schema.definitions?.[name];
  if (!target) throw new Error(`dangling ${s.$ref}`);
  return target;
}

function propName(p: PropertySignature): string {
  return p.getName().replace(/^['"]|['"]$/g, '');
}

/** Differences between a TypeScript type and a schema, as `where: what` lines. */
function compareType(node: TypeNode, s0: Schema, where: string, out: string[], seen: Set<string>): void {
  const s = deref(s0);
  if (Node.isParenthesizedTypeNode(node)) return compareType(node.getTypeNode(), s0, where, out, seen);
  const text = node.getText();
  if (text === 'string') {
    if (s.type !== 'string') out.push(`${where}: string in spec.ts, ${s.type} in the schema`);
    if (s.enum) out.push(`${where}: a string in spec.ts, an enum in the schema`);
  } else if (text === 'number') {
    if (s.type !== 'integer' && s.type !== 'number') out.push(`${where}: number in spec.ts, ${s.type} in the schema`);
  } else if (text === 'boolean') {
    if (s.type !== 'boolean') out.push(`${where}: boolean in spec.ts, ${s.type} in the schema`);
  } else if (Node.isLiteralTypeNode(node) || Node.isUnionTypeNode(node)) {
    const members = Node.isUnionTypeNode(node) ? node.getTypeNodes() : [node];
    if (members.every((m) => Node.isLiteralTypeNode(m))) {
      const values = members.map((m) => m.getText().slice(1, -1)).sort();
      if (JSON.stringify(values) !== JSON.stringify([...(s.enum ?? [])].sort())) out.push(`${where}: ${values.join('|')} in spec.ts, enum ${s.enum?.join('|')} in the schema`);
    } else {
      // ChangeSpec: a union of one-key object types, the schema one object with those keys.
      compareMembers(members.flatMap((m) => (Node.isTypeLiteral(m) ? m.getProperties() : [])).map((p) => [p, true] as const), s, where, out, seen, true);
    }
  } else if (Node.isArrayTypeNode(node)) {
    if (s.type !== 'array' || !s.items) out.push(`${where}: an array in spec.ts, ${s.type} in the schema`);
    else compareType(node.getElementTypeNode(), s.items, `${where}[]`, out, seen);
  } else if (Node.isTypeLiteral(node)) {
    compareMembers(node.getProperties().map((p) => [p, p.hasQuestionToken()] as const), s, where, out, seen);
  } else if (Node.isTypeReference(node)) {
    const name = node.getTypeName().getText();
    if (name === 'Record') {
      const [k, v] = node.getTypeArguments();
      if (k?.getText() !== 'string' || typeof s.additionalProperties !== 'object') out.push(`${where}: Record in spec.ts, not a map in the schema`);
      else compareType(v!, s.additionalProperties, `${where}{}`, out, seen);
      return;
    }
    if (s0.$ref !== `#/definitions/${name}`) out.push(`${where}: ${name} in spec.ts, ${s0.$ref ?? 'inline'} in the schema`);
    if (seen.has(name)) return;
    seen.add(name);
    const iface = spec.getInterface(name);
    const alias = spec.getTypeAlias(name);
    if (iface) compareMembers(iface.getProperties().map((p) => [p, p.hasQuestionToken()] as const), s, name, out, seen);
    else if (alias) compareType(alias.getTypeNodeOrThrow(), s0, name, out, seen);
    else out.push(`${where}: ${name} is not declared in spec.ts`);
  } else {
    out.push(`${where}: spec.ts type ${text} is not compared`);
  }
}

function compareMembers(props: readonly (readonly [PropertySignature, boolean])[], s: Schema, where: string, out: string[], seen: Set<string>, oneOf = false): void {
  if (s.type !== 'object' || !s.properties) return void out.push(`${where}: an object in spec.ts, ${s.type} in the schema`);
  if (s.additionalProperties !== false) out.push(`${where}: the schema allows unknown keys`);
  const ts = new Map(props.map(([p, optional]) => [propName(p), { p, optional }]));
  const names = (xs: Iterable<string>) => [...xs].sort().join(', ');
  if (names(ts.keys()) !== names(Object.keys(s.properties))) out.push(`${where}: keys ${names(ts.keys())} in spec.ts, ${names(Object.keys(s.properties))} in the schema`);
  const required = oneOf ? [] : [...ts].filter(([, v]) => !v.optional).map(([k]) => k);
  if (names(required) !== names(s.required ?? [])) out.push(`${where}: required ${names(required)} in spec.ts, ${names(s.required ?? [])} in the schema`);
  for (const [key, { p }] of ts) {
    const sub = s.properties[key];
    if (sub) compareType(p.getTypeNodeOrThrow(), sub, `${where}.${key}`, out, seen);
  }
}

describe('migration.schema.json', () => {
  it('has the keys, required keys, enumerations and shapes of spec.ts', () => {
    const root = spec.getInterfaceOrThrow('MigrationSpec');
    const out: string[] = [];
    const seen = new Set<string>(['MigrationSpec']);
    compareMembers(root.getProperties().map((p) => [p, p.hasQuestionToken()] as const), schema, 'MigrationSpec', out, seen);
    expect(out).toEqual([]);
    // Every interface of spec.ts was reached, and every definition of the schema named after one.
    const declared = [...spec.getInterfaces().map((i) => i.getName()), ...spec.getTypeAliases().map((a) => a.getName())].sort();
    expect([...seen].sort()).toEqual(declared);
    const capitalised = Object.keys(schema.definitions ?? {}).filter((d) => /^[A-Z]/.test(d));
    expect(capitalised.sort()).toEqual(declared.filter((d) => d !== 'MigrationSpec'));
  });

  it('the comparison notices a difference', () => {
    const out: string[] = [];
    const broken: Schema = JSON.parse(JSON.stringify(schema.definitions!.ParamSpec));
    broken.properties!.action!.enum = ['retype', 'remove'];
    delete broken.properties!.name;
    compareMembers(spec.getInterfaceOrThrow('ParamSpec').getProperties().map((p) => [p, p.hasQuestionToken()] as const), broken, 'ParamSpec', out, new Set());
    expect(out).toEqual([
      'ParamSpec: keys action, alsoNew, args, doc, from, index, name, replacement, to in spec.ts, action, alsoNew, args, doc, from, index, replacement, to in the schema',
      'ParamSpec.action: add|remove|retype in spec.ts, enum retype|remove in the schema',
    ]);
  });

  it('describes every key (editors show it)', () => {
    const missing: string[] = [];
    const visit = (s: Schema, where: string) => {
      for (const [k, v] of Object.entries(s.properties ?? {})) {
        if (!deref(v).description && !v.description) missing.push(`${where}.${k}`);
        visit(deref(v), `${where}.${k}`);
        if (v.items) visit(deref(v.items), `${where}.${k}[]`);
      }
    };
    visit(schema, '');
    expect(missing).toEqual([]);
  });
});

describe('the prebuilt validator (npm run build)', () => {
  it('gives the errors the compiled schema gives', async () => {
    const { compileSchemaValidator, validatorSource } = await import('../../codemods/kit/load.js');
    const { createRequire } = await import('node:module');
    const mod = { exports: {} as unknown };
    new Function('module', 'exports', 'require', validatorSource())(mod, mod.exports, createRequire(import.meta.url));
    const prebuilt = mod.exports as ReturnType<typeof compileSchemaValidator>;
    const compiled = compileSchemaValidator();
    const head = { id: 'x', subject: 'a: b', summary: 's', reference: 'r', rationale: 'r' };
    // Data as the failsafe YAML reader gives it: every scalar a string.
    const corpus: unknown[] = [
      { ...head, changes: [{ rename: { from: 'a', to: 'b' } }] },
      { ...head, steps: [{ id: 's', subject: 'a: b', body: 'b', main: 'true' }], changes: [{ function: { name: 'f', params: [{ index: '0', action: 'retype', to: 'int' }] } }] },
      { ...head, id: 'Bad', changes: [{ rename: { from: 'a', too: 'b' } }, {}, { member: { struct: 's', member: 'm' }, rename: {} }] },
      { ...head, kconfig: { x86_64: ['A=y'], ppc: [] }, declared: ['a', 'a'], changes: [{ function: { name: 'f', params: [{ index: 'two', action: 'replace' }] } }] },
      ['not', 'a', 'mapping'],
    ];
    let errors = 0;
    for (const data of corpus) {
      const a = structuredClone(data);
      const b = structuredClone(data);
      expect(prebuilt(a)).toBe(compiled(b));
      expect(prebuilt.errors ?? null).toEqual(compiled.errors ?? null);
      expect(a).toEqual(b);
      errors += compiled.errors?.length ?? 0;
    }
    expect(errors).toBeGreaterThan(10);
  });
});
