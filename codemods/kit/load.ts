// Reading a migration file: YAML in, a MigrationSpec out, or one error that
// names the file, the line and the key (`my.yaml:12: changes[2].member.params[0].action:
// must be one of retype, remove, add`). Four gates, in order: YAML syntax,
// duplicate keys, the JSON Schema beside this file, then the rules a schema
// cannot say (spec-rules.ts).
//
// Scalars are read with YAML's failsafe schema, as text: `NULL`, `0x10` and
// `~` are C, not YAML's null or sixteen. The schema's validator turns the few
// numbers and booleans (`index: 0`, `main: true`) into numbers and booleans.
//
// yaml and ajv are loaded with require, and only when a file is read: a run
// of a bundled TypeScript migration never pays for them. After a build, the
// validator is ajv's prebuilt code (see prebuiltValidatorName).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { LineCounter as LineCounterT, Node as YamlNode, Document } from 'yaml';
import { decodeUtf8 } from '../c/text.js';
import { packageRoot } from '../io/package-root.js';
import type { MigrationSpec } from './spec.js';
import { checkSpecRules, type KeyPath } from './spec-rules.js';

const require = createRequire(import.meta.url);

/** A migration file that cannot be used; the message is one line, `file:line: key.path: what`. */
export class MigrationFileError extends Error {
  constructor(
    readonly file: string,
    /** 1-based; undefined when the file could not be read at all. */
    readonly line: number | undefined,
    /** `changes[2].member.params[0].action`, or '' for the file as a whole. */
    readonly keyPath: string,
    readonly reason: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${keyPath ? `${keyPath}: ` : ''}${reason}`);
    this.name = 'MigrationFileError';
  }
}

export interface LoadOptions {
  /** How messages name the file (default: the path as given). */
  label?: string;
  /** Only a bundled migration may name TypeScript `extensions`. */
  allowExtensions?: boolean;
  /** The step ids its folder's index.ts exports (each of `extensions` must be one); unchecked when absent. */
  knownExtensions?: readonly string[];
}

/** The schema file, shipped beside the code in the source tree (dist/ has only JavaScript). */
export const SCHEMA_PATH = join('codemods', 'kit', 'migration.schema.json');

/** Read, parse and validate a migration file. Throws MigrationFileError. */
export function loadMigrationFile(path: string, opts: LoadOptions = {}): MigrationSpec {
  return specOf(readMigrationFile(path, opts), path, opts);
}

/** A migration file's bytes; a file that cannot be read is a MigrationFileError. */
function readMigrationFile(path: string, opts: LoadOptions): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new MigrationFileError(opts.label ?? path, undefined, '', `cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** The spec a migration file's bytes give: decoded, parsed and validated. */
function specOf(bytes: Buffer, path: string, opts: LoadOptions): MigrationSpec {
  const file = opts.label ?? path;
  const text = decodeUtf8(bytes, { dropBom: true });
  if (text === undefined) throw new MigrationFileError(file, undefined, '', 'not valid UTF-8');
  return parseMigration(text, file, opts);
}

/**
 * The name of the JSON file `npm run build` writes beside the compiled
 * loader for a bundled migration file (scripts/gen-validator.mjs): the spec
 * that file's YAML gives, already validated. Its name carries a hash of what
 * it was made from (the file's bytes, the validator, the options), so that an
 * edited file, or a schema changed without a build, never meets a stale one.
 */
export function prebuiltSpecName(bytes: Uint8Array, opts: LoadOptions = {}): string {
  const hash = createHash('sha256')
    .update(bytes)
    .update(prebuiltValidatorName())
    .update(JSON.stringify([Boolean(opts.allowExtensions), opts.knownExtensions ?? null]))
    .digest('hex');
  return `migration.spec.${hash.slice(0, 16)}.json`;
}

/**
 * A bundled migration file: the spec `npm run build` stored for exactly
 * these bytes when there is one (a run does not load the YAML parser, nor
 * parse and validate again: about 60 ms of every start), else the bytes
 * read as any other file's.
 */
export function loadBundledFile(path: string, opts: LoadOptions = {}, dir: URL = new URL('.', import.meta.url)): MigrationSpec {
  const bytes = readMigrationFile(path, opts);
  const prebuilt = new URL(prebuiltSpecName(bytes, opts), dir);
  if (existsSync(prebuilt)) return JSON.parse(readFileSync(prebuilt, 'utf8')) as MigrationSpec;
  return specOf(bytes, path, opts);
}

/** The same, from text already read (`file` names it in messages). */
export function parseMigration(text: string, file: string, opts: LoadOptions = {}): MigrationSpec {
  const { parseDocument, LineCounter } = require('yaml') as typeof import('yaml');
  const lines: LineCounterT = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, schema: 'failsafe', uniqueKeys: false, prettyErrors: false });
  const at = new Locator(doc, lines);
  const fail = (path: KeyPath, line: number, reason: string): never => {
    throw new MigrationFileError(file, line, formatPath(path), reason);
  };

  const syntax = doc.errors[0];
  if (syntax) fail([], lines.linePos(syntax.pos[0]).line, syntaxMessage(syntax.message));
  if (doc.contents === null) fail([], 1, 'empty file: a migration file is a mapping of keys (id, subject, summary, reference, rationale, changes)');
  checkKeysAndAliases(doc.contents as YamlNode, [], at, fail);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    fail([], 1, err instanceof Error ? err.message.split('\n')[0]! : String(err));
  }

  const validate = schemaValidator();
  if (!validate(data)) {
    const first = pickFirst(validate.errors ?? [], at);
    fail(first.path, first.line, first.reason);
  }
  const spec = data as MigrationSpec;
  const broken = checkSpecRules(spec, { allowExtensions: Boolean(opts.allowExtensions), ...(opts.knownExtensions ? { knownExtensions: opts.knownExtensions } : {}) }).map((b) => ({ ...b, line: at.line(b.path) }));
  broken.sort((a, b) => a.line - b.line);
  if (broken[0]) fail(broken[0].path, broken[0].line, broken[0].reason);
  return spec;
}

/** `changes[2].member.params[0].action`. */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

let compiled: ValidateFunction | undefined;

/**
 * The validator `npm run build` wrote beside the compiled loader
 * (scripts/gen-validator.mjs: ajv's standalone code for the schema); from
 * the source tree, where there is none, the schema is compiled here. Both
 * are the same function of the schema and AJV_OPTIONS (a test compares
 * their errors); the prebuilt one spares each run ajv's compiler. Its name
 * carries a hash of what it was made from, so that a build by tsc alone
 * after a schema change never finds a stale one.
 */
export function prebuiltValidatorName(): string {
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  const hash = createHash('sha256').update(readSchemaText()).update(JSON.stringify(AJV_OPTIONS)).update(ajvVersion).digest('hex');
  return `migration.validate.${hash.slice(0, 16)}.cjs`;
}

function schemaValidator(): ValidateFunction {
  if (compiled) return compiled;
  const prebuilt = new URL(prebuiltValidatorName(), import.meta.url);
  if (existsSync(prebuilt)) compiled = require(fileURLToPath(prebuilt)) as ValidateFunction;
  else compiled = compileSchemaValidator();
  return compiled;
}

/** The schema compiled now, with ajv's compiler. */
export function compileSchemaValidator(): ValidateFunction {
  return newAjv(false).compile(readSchema());
}

/** allErrors: the error reported is the first in the file, not the first the validator reached. strict: a schema mistake fails loudly. */
const AJV_OPTIONS = { allErrors: true, verbose: true, coerceTypes: true, strict: true } as const;

function newAjv(source: boolean): import('ajv').default {
  const Ajv = (require('ajv') as typeof import('ajv')).default;
  return new Ajv({ ...AJV_OPTIONS, code: { source } });
}

let schemaText: string | undefined;

function readSchemaText(): string {
  return (schemaText ??= readFileSync(join(packageRoot(), SCHEMA_PATH), 'utf8'));
}

function readSchema(): object {
  return JSON.parse(readSchemaText()) as object;
}

/** The validator as a CommonJS module's source (ajv standalone), for the build. */
export function validatorSource(): string {
  const ajv = newAjv(true);
  const standalone = (require('ajv/dist/standalone/index.js') as typeof import('ajv/dist/standalone/index.js')).default;
  return standalone(ajv, ajv.compile(readSchema()));
}

/** yaml's message without its own position (the caller gives `file:line:`). */
function syntaxMessage(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** The first repeated key (or alias to no anchor) in document order, at its line. */
function checkKeysAndAliases(node: YamlNode | null, path: KeyPath, at: Locator, fail: (p: KeyPath, l: number, r: string) => never): void {
  const { isMap, isSeq, isScalar, isAlias } = require('yaml') as typeof import('yaml');
  if (isAlias(node) && !at.resolves(node)) {
    fail(path, at.yamlLine(node) ?? 1, `*${node.source} refers to no anchor &${node.source} above it`);
  } else if (isMap(node)) {
    const seen = new Map<string, number>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const line = at.yamlLine(pair.key as YamlNode | null) ?? at.yamlLine(node) ?? 1;
      const first = seen.get(key);
      if (first !== undefined) fail([...path, key], line, `duplicate key (first at line ${first})`);
      seen.set(key, line);
      checkKeysAndAliases(pair.value as YamlNode | null, [...path, key], at, fail);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => checkKeysAndAliases(item as YamlNode | null, [...path, i], at, fail));
  }
}

/** Finds the line of a key path in the parsed document. */
class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounterT,
  ) {}

  resolves(alias: import('yaml').Alias): boolean {
    return alias.resolve(this.doc) !== undefined;
  }

  /** The 1-based line a YAML node starts on. */
  yamlLine(node: YamlNode | null | undefined): number | undefined {
    const start = node?.range?.[0];
    return start === undefined ? undefined : this.lines.linePos(start).line;
  }

  /**
   * The line of `path`: where its key is written (`action: replace` is one
   * line; `rename:` heads its mapping), or where a list item starts. Falls
   * back to the nearest ancestor that exists.
   */
  line(path: KeyPath): number {
    const { isMap, isSeq, isScalar, isAlias } = require('yaml') as typeof import('yaml');
    let node = this.doc.contents as YamlNode | null;
    let line = this.yamlLine(node) ?? 1;
    for (const seg of path) {
      if (isAlias(node)) node = node.resolve(this.doc) ?? null;
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
        if (!pair) return line;
        node = pair.value as YamlNode | null;
        line = this.yamlLine(pair.key as YamlNode | null) ?? line;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = (node.items[seg] as YamlNode | undefined) ?? null;
        line = this.yamlLine(node) ?? line;
      } else {
        return line;
      }
    }
    return line;
  }
}

interface Located {
  path: KeyPath;
  line: number;
  reason: string;
  rank: number;
}

/** Which of several errors on one line to show: the most specific. */
const RANK: Record<string, number> = { additionalProperties: 0, required: 1, type: 2, enum: 3, pattern: 4 };

function pickFirst(errors: ErrorObject[], at: Locator): Located {
  // A mapping with an unknown key and a missing one most likely has a typo:
  // name the unknown key, not the missing one.
  const misspelt = new Set(errors.filter((e) => e.keyword === 'additionalProperties').map((e) => e.instancePath));
  const all = errors.filter((e) => !(e.keyword === 'required' && misspelt.has(e.instancePath))).map((e) => describe(e, at));
  all.sort((a, b) => a.line - b.line || a.rank - b.rank);
  return all[0]!;
}

function pointerPath(pointer: string): KeyPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/** Words for the schema's patterns. */
const PATTERN_WORDS: Record<string, string> = {
  '^[a-z0-9]+(-[a-z0-9]+)*$': "must be kebab-case: lowercase letters and digits, words joined by '-'",
  '^[A-Za-z_][A-Za-z0-9_]*$': 'must be a C identifier',
  '^[A-Za-z0-9_]+(=[mn])?$': 'must be a Kconfig option: NAME, NAME=m or NAME=n',
  '^[^\\s:][^\\n:]*: [^\\n]*[^\\s]$': "must be one line 'area: Summary'",
  '^[^\\n]*[^\\s][^\\n]*$': 'must be one line of text',
  '^(?!/)(?!.*(^|/)\\.\\.(/|$))[^\\n]+$': "must be a path relative to the tree's root, without '..'",
  '^[A-Za-z0-9_][A-Za-z0-9_./+-]*\\.h$': "must be a header as written between < and > (linux/i2c.h)",
};

const TYPE_WORDS: Record<string, string> = {
  string: 'must be text',
  integer: 'must be a whole number',
  number: 'must be a number',
  boolean: 'must be true or false',
  array: 'must be a list',
  object: 'must be a mapping (key: value)',
};

function describe(e: ErrorObject, at: Locator): Located {
  const path = pointerPath(e.instancePath);
  const p = e.params as Record<string, unknown>;
  const schemaKeys = (): string[] => Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
  const located = (where: KeyPath, reason: string): Located => ({
    path: where,
    line: at.line(where),
    reason,
    rank: RANK[e.keyword] ?? 5,
  });
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      return located([...path, key], `unknown key (known here: ${schemaKeys().join(', ')})`);
    }
    case 'required':
      return located(path, `missing required key '${String(p.missingProperty)}'`);
    case 'type':
      return located(path, TYPE_WORDS[String(p.type)] ?? `must be ${String(p.type)}`);
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      return located(path, allowed.length === 1 ? `must be ${allowed[0]}` : `must be one of ${allowed.join(', ')}`);
    }
    case 'pattern':
      return located(path, `${PATTERN_WORDS[String(p.pattern)] ?? `must match ${String(p.pattern)}`} (got '${String(e.data)}')`);
    case 'minLength':
      return located(path, 'must not be empty');
    case 'minItems':
      return located(path, `must list at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`);
    case 'minimum':
      return located(path, `must be ${String(p.limit)} or more`);
    case 'uniqueItems':
      return located([...path, Number(p.j)], `repeats item ${String(p.i)}`);
    case 'minProperties':
      return located(path, `empty change: give one of ${schemaKeys().join(', ')}`);
    case 'maxProperties':
      return located(path, `a change has exactly one key, this one has ${Object.keys(e.data as object).join(', ')}`);
    default:
      return located(path, e.message ?? e.keyword);
  }
}
