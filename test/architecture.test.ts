// The import graph of docs/architecture.md, checked with ts-morph: dependencies point one
// way, tree-sitter is imported only by codemods/c, the model never reaches the
// engine or the migrations, and nothing below cli/ exits or prints.
import { Node, Project, SyntaxKind, type SourceFile } from 'ts-morph';
import { dirname, relative, resolve as resolvePath } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registry } from '../codemods/registry.js';

const project = new Project({ tsConfigFilePath: 'tsconfig.json', skipAddingFilesFromTsConfig: false });
const root = process.cwd();

function area(file: string): string {
  const rel = relative(root, file).split('\\').join('/');
  if (rel.startsWith('iommu-model/')) return 'iommu-model';
  const m = /^codemods\/([^/]+)/.exec(rel);
  if (!m) return rel;
  return m[1]!.endsWith('.ts') ? m[1]!.replace(/\.ts$/, '') : m[1]!;
}

/** area → areas it may import (besides itself). */
const allowed: Record<string, string[]> = {
  c: [],
  io: [],
  // io is the bottom layer for the disk: the one walker and the one atomic writer.
  patch: ['c', 'io'],
  engine: ['c', 'io'],
  migrations: ['c', 'engine'],
  kit: ['c', 'engine', 'io'],
  registry: ['engine', 'migrations', 'kit', 'io'],
  // The name → model table: the one place that knows which models exist.
  models: ['engine', 'iommu-model'],
  'iommu-model': ['c', 'io'],
  // The generic layers reach a model only through the table.
  series: ['patch', 'engine', 'c', 'io', 'registry', 'migrations', 'models'],
  cli: ['c', 'engine', 'migrations', 'registry', 'kit', 'models', 'patch', 'series', 'io'],
};

/**
 * Modules a file loads other than by import declarations: `import('x')`,
 * `require('x')` (through createRequire) and `typeof import('x')`.
 */
function otherLoads(sf: SourceFile): { spec: string; target: SourceFile | undefined }[] {
  const out: { spec: string; target: SourceFile | undefined }[] = [];
  const resolveSpec = (spec: string) => (spec.startsWith('.') ? project.getSourceFile(resolvePath(dirname(sf.getFilePath()), spec.replace(/\.js$/, '.ts'))) : undefined);
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    const isLoad = callee.getKind() === SyntaxKind.ImportKeyword || (Node.isIdentifier(callee) && callee.getText() === 'require') || /^createRequire\(/.test(callee.getText());
    const arg = call.getArguments()[0];
    if (isLoad && arg && Node.isStringLiteral(arg)) out.push({ spec: arg.getLiteralValue(), target: resolveSpec(arg.getLiteralValue()) });
  }
  for (const type of sf.getDescendantsOfKind(SyntaxKind.ImportType)) {
    const lit = type.getArgument();
    if (Node.isLiteralTypeNode(lit)) {
      const spec = lit.getLiteral().getText().slice(1, -1);
      out.push({ spec, target: resolveSpec(spec) });
    }
  }
  return out;
}

const edges: { from: string; to: string; file: string; spec: string }[] = [];
for (const sf of project.getSourceFiles()) {
  const file = sf.getFilePath();
  if (file.includes('/node_modules/')) continue;
  const loads = [
    ...[...sf.getImportDeclarations(), ...sf.getExportDeclarations()].map((decl) => ({ spec: decl.getModuleSpecifierValue(), target: decl.getModuleSpecifierSourceFile() })),
    ...otherLoads(sf),
  ];
  for (const { spec, target } of loads) {
    if (!spec) continue;
    edges.push({ from: area(file), to: target && !target.getFilePath().includes('/node_modules/') ? area(target.getFilePath()) : spec, file: relative(root, file), spec });
  }
}

describe('import graph', () => {
  it('has source files to check', () => {
    expect(edges.length).toBeGreaterThan(20);
  });

  it('follows the one-way dependency rule of docs/architecture.md', () => {
    const bad = edges.filter((e) => e.from in allowed && e.to in allowed && e.to !== e.from && !allowed[e.from]!.includes(e.to));
    expect(bad.map((e) => `${e.file} -> ${e.spec}`)).toEqual([]);
  });

  it('sees loads that are not import declarations', () => {
    expect(edges).toContainEqual(expect.objectContaining({ file: 'codemods/c/parser.ts', spec: 'tree-sitter-c' }));
    expect(edges).toContainEqual(expect.objectContaining({ file: 'codemods/cli/main.ts', spec: 'commander' }));
  });

  it('lets only codemods/c import tree-sitter', () => {
    const bad = edges.filter((e) => (e.spec === 'tree-sitter' || e.spec === 'tree-sitter-c') && e.from !== 'c');
    expect(bad.map((e) => e.file)).toEqual([]);
  });

  it('keeps process.exit and console output in cli/ (and scripts)', () => {
    const offenders: string[] = [];
    for (const sf of project.getSourceFiles()) {
      const rel = relative(root, sf.getFilePath());
      if (rel.startsWith('codemods/cli/') || rel.includes('node_modules')) continue;
      const text = sf.getFullText();
      if (/process\.exit\(|console\.(log|error|warn)\(|process\.(stdout|stderr)\.write\(/.test(text)) offenders.push(rel);
    }
    expect(offenders).toEqual([]);
  });
});

describe('the migration is the unit', () => {
  /** Every .ts file under codemods/ except the migrations' own folders and the registry that lists them. */
  function genericFiles(): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const rel = `${dir}/${e.name}`;
        if (e.isDirectory()) {
          if (rel !== 'codemods/migrations') walk(rel);
        } else if (e.name.endsWith('.ts') && rel !== 'codemods/registry.ts') out.push(rel);
      }
    };
    walk('codemods');
    return out.sort();
  }

  it('finds the generic files (the walk is not empty)', () => {
    const files = genericFiles();
    expect(files).toContain('codemods/cli/commands/check.ts');
    expect(files).toContain('codemods/series/validate.ts');
    expect(files.some((f) => f.startsWith('codemods/migrations/'))).toBe(false);
  });

  it('names no bundled migration outside codemods/migrations/ and codemods/registry.ts', () => {
    const ids = [...registry.keys()];
    expect(ids.length).toBeGreaterThan(0);
    const hits = genericFiles().flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return ids.filter((id) => text.includes(id)).map((id) => `${f}: ${id}`);
    });
    expect(hits).toEqual([]);
  });
});

// One of each: one tree walker (codemods/io/walk.ts), one atomic writer
// (codemods/io/write.ts), one strict UTF-8 decoder (codemods/c/text.ts).
// Every source file of the project, the scripts included, is read for the
// calls that would make a second one.
describe('one of each', () => {
  const WALKER = 'codemods/io/walk.ts';
  const WRITER = 'codemods/io/write.ts';
  const DECODER = 'codemods/c/text.ts';
  // Renames that are not writes: a folder moved into place.
  const MOVES = new Set(['scripts/lib/kernel.mjs']);

  const isFunction = (n: Node) => Node.isFunctionDeclaration(n) || Node.isFunctionExpression(n) || Node.isArrowFunction(n) || Node.isMethodDeclaration(n);
  const nameOfFunction = (fn: Node): string | undefined => {
    if (Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn)) return fn.getName();
    const parent = fn.getParent();
    return parent && Node.isVariableDeclaration(parent) ? parent.getName() : undefined;
  };
  /** True when `call` runs in a function that calls itself, or in a while/do loop: how a walk descends. */
  const descends = (call: Node): boolean =>
    call.getAncestors().some((a) => {
      if (Node.isWhileStatement(a) || Node.isDoStatement(a)) return true;
      if (!isFunction(a)) return false;
      const name = nameOfFunction(a);
      return name !== undefined && a.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => c.getExpression().getText() === name);
    });

  /** Each call in `sf` that makes a walker, a strict UTF-8 decoder or an atomic write of its own, as `file:line: what`. */
  function secondOnes(sf: SourceFile, rel: string): string[] {
    const out: string[] = [];
    const say = (n: Node, what: string) => out.push(`${rel}:${n.getStartLineNumber()}: ${what}`);
    for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
      const args = call.getArguments();
      if (rel !== WALKER) {
        if (name === 'opendir' || name === 'opendirSync' || name === 'readdir') say(call, `${name}: a walker (use walkTree)`);
        else if (name === 'readdirSync' && (args.length > 1 || descends(call))) say(call, 'readdirSync that descends: a walker (use walkTree)');
      }
      if (rel !== WRITER && !MOVES.has(rel) && (name === 'renameSync' || name === 'rename')) say(call, `${name}: an atomic write (use writeFileAtomic)`);
      if (rel !== DECODER && name === 'isUtf8') say(call, 'isUtf8: a UTF-8 check (use decodeUtf8)');
    }
    if (rel !== DECODER) {
      for (const ctor of sf.getDescendantsOfKind(SyntaxKind.NewExpression)) {
        if (/TextDecoder$/.test(ctor.getExpression().getText()) && ctor.getArguments().some((a) => /\bfatal\b/.test(a.getText()))) say(ctor, 'a strict TextDecoder (use decodeUtf8)');
      }
    }
    return out;
  }

  const scripts = new Project({ useInMemoryFileSystem: true, compilerOptions: { allowJs: true } });
  const parseScript = (name: string, text: string) => scripts.createSourceFile(name.replace(/\.mjs$/, '.js'), text, { overwrite: true });
  function scriptFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? scriptFiles(`${dir}/${e.name}`) : e.name.endsWith('.mjs') ? [`${dir}/${e.name}`] : []));
  }

  it('sees a second walker, decoder or atomic writer (the check can fail)', () => {
    const old = parseScript(
      'old.mjs',
      [
        'function sizes(dir) { for (const e of readdirSync(dir, { withFileTypes: true })) sizes(join(dir, e.name)); }',
        'function walk(d) { for (const n of fs.readdirSync(d)) if (statSync(join(d, n)).isDirectory()) walk(join(d, n)); }',
        'const queue = [root]; while (queue.length) { for (const n of readdirSync(queue.pop())) queue.push(n); }',
        'for await (const e of await fs.promises.opendir(root)) void e;',
        "const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);",
        'writeFileSync(tmp, text); renameSync(tmp, path);',
        'const names = readdirSync(dir).filter((n) => n.endsWith(".patch"));',
      ].join('\n'),
    );
    expect(secondOnes(old, 'scripts/old.mjs').map((s) => s.replace(/: .*/, ''))).toEqual([
      'scripts/old.mjs:1',
      'scripts/old.mjs:2',
      'scripts/old.mjs:3',
      'scripts/old.mjs:4',
      'scripts/old.mjs:6',
      'scripts/old.mjs:5',
    ]);
  });

  it('has one walker, one strict UTF-8 decoder and one atomic writer', () => {
    const found: string[] = [];
    let files = 0;
    for (const sf of project.getSourceFiles()) {
      const rel = relative(root, sf.getFilePath()).split('\\').join('/');
      if (!(rel.startsWith('codemods/') || rel.startsWith('iommu-model/'))) continue;
      files++;
      found.push(...secondOnes(sf, rel));
    }
    for (const rel of scriptFiles('scripts')) {
      files++;
      found.push(...secondOnes(parseScript(rel, readFileSync(rel, 'utf8')), rel));
    }
    expect(files).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });
});
