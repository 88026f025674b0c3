// The import graph of docs/architecture.md, checked with ts-morph: dependencies point one
// way, tree-sitter is imported only by codemods/c, the model never reaches the
// engine or the migrations, and nothing below cli/ exits or prints. Also: no
// import cycle, and no source file over 500 lines.
import { Node, Project, SyntaxKind, type SourceFile } from 'ts-morph';
import { dirname, relative, resolve as resolvePath } from 'node:path';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundledExtensions, registry } from '../codemods/registry.js';

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
  // Configuring and building a tree with its own kbuild: a layer of its own.
  kbuild: [],
  // io is the bottom layer for the disk: the one walker and the one atomic writer.
  patch: ['c', 'io'],
  engine: ['c', 'io'],
  // A bundled migration's TypeScript steps build on the kit (kit/extension.ts).
  migrations: ['c', 'engine', 'kit'],
  kit: ['c', 'engine', 'io'],
  registry: ['engine', 'migrations', 'kit', 'io'],
  // The name → model table: the one place that knows which models exist.
  models: ['engine', 'iommu-model'],
  'iommu-model': ['c', 'io'],
  // The generic layers reach a model only through the table.
  series: ['patch', 'engine', 'c', 'io', 'kbuild', 'registry', 'migrations', 'models'],
  cli: ['c', 'engine', 'migrations', 'registry', 'kit', 'models', 'patch', 'series', 'io', 'kbuild'],
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
/** file → the files its import and export declarations name (type-only ones too): the static import graph. */
const staticGraph = new Map<string, Set<string>>();
for (const sf of project.getSourceFiles()) {
  const file = sf.getFilePath();
  if (file.includes('/node_modules/')) continue;
  const declared = [...sf.getImportDeclarations(), ...sf.getExportDeclarations()].map((decl) => ({ spec: decl.getModuleSpecifierValue(), target: decl.getModuleSpecifierSourceFile() }));
  const targets = new Set<string>();
  for (const { target } of declared) if (target && !target.getFilePath().includes('/node_modules/')) targets.add(relative(root, target.getFilePath()));
  staticGraph.set(relative(root, file), targets);
  const loads = [...declared, ...otherLoads(sf)];
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
  const genericFiles = () =>
    filesUnder(['codemods'], (rel) => rel === 'codemods/migrations', (rel) => rel.endsWith('.ts') && rel !== 'codemods/registry.ts');

  it('finds the generic files (the walk is not empty)', () => {
    const files = genericFiles();
    expect(files).toContain('codemods/cli/commands/check.ts');
    expect(files).toContain('codemods/series/validate.ts');
    expect(files.some((f) => f.startsWith('codemods/migrations/'))).toBe(false);
  });

  it('names no bundled migration with TypeScript outside codemods/migrations/ and codemods/registry.ts', () => {
    const ids = [...registry.keys(), ...bundledExtensions.keys()];
    expect(ids.length).toBeGreaterThan(0);
    const hits = genericFiles().flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return ids.filter((id) => text.includes(id)).map((id) => `${f}: ${id}`);
    });
    expect(hits).toEqual([]);
  });
});

/** The folders whose .ts and .mjs files are the project's source (the 500-line rule and the import graph). */
const SOURCE_DIRS = ['codemods', 'iommu-model', 'scripts', 'bench'];

function sourceFiles(): string[] {
  return filesUnder(SOURCE_DIRS.filter((dir) => existsSync(dir)), (rel) => rel.endsWith('/node_modules'), (rel) => /\.(ts|mjs)$/.test(rel));
}

/** The files under `dirs` (paths from the repository) that `take` keeps, leaving out the folders `skip` names; sorted. */
function filesUnder(dirs: readonly string[], skip: (rel: string) => boolean, take: (rel: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (!skip(rel)) walk(rel);
      } else if (take(rel)) out.push(rel);
    }
  };
  for (const dir of dirs) walk(dir);
  return out.sort();
}

/** Lines as wc -l counts them, plus a last line without its newline. */
function lineCount(text: string): number {
  const newlines = text.split('\n').length - 1;
  return text.length > 0 && !text.endsWith('\n') ? newlines + 1 : newlines;
}

/** Relative static imports of a .mjs script (`import … from './x.mjs'`, `export … from`, `import './x.mjs'`). */
function scriptImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm)) {
    out.push(relative(root, resolvePath(dirname(resolvePath(root, file)), m[1]!)));
  }
  return out;
}

/**
 * The cycles of a graph, one per strongly connected component with more than
 * one file (or a file that imports itself), each as the path a → … → a.
 */
function findCycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.has(v)) components.push(component.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  // One concrete cycle per component: the shortest way from its first file back to it.
  return components.map((component) => {
    const inside = new Set(component);
    const start = component[0]!;
    const previous = new Map<string, string>();
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      const v = queue[i]!;
      for (const w of [...(graph.get(v) ?? [])].sort()) {
        if (!inside.has(w)) continue;
        if (w === start) {
          // Back at the start: the path start → … → v, then the edge v → start.
          const path = [v];
          while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
          return [...path, start];
        }
        if (!previous.has(w)) {
          previous.set(w, v);
          queue.push(w);
        }
      }
    }
    return [...component, start];
  });
}

describe('rooms of a size a reader holds in mind', () => {
  it('finds the source files (the walk is not empty)', () => {
    const files = sourceFiles();
    expect(files).toContain('codemods/cli/main.ts');
    expect(files).toContain('iommu-model/check.ts');
    expect(files).toContain('scripts/test-kernel.mjs');
    expect(files.some((f) => f.startsWith('codemods/migrations/'))).toBe(true);
  });

  it('has no source file over 500 lines (codemods/, iommu-model/, scripts/, bench/)', () => {
    const long = sourceFiles()
      .map((f) => ({ f, lines: lineCount(readFileSync(f, 'utf8')) }))
      .filter((x) => x.lines > 500)
      .map((x) => `${x.f}: ${x.lines} lines`);
    expect(long).toEqual([]);
  });

  it('counts lines as wc -l does', () => {
    expect(lineCount('')).toBe(0);
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount('a\nb')).toBe(2);
  });
});

describe('no import cycle', () => {
  it('finds a cycle when there is one, and names its files in order', () => {
    const graph = new Map([
      ['a.ts', new Set(['b.ts'])],
      ['b.ts', new Set(['c.ts'])],
      ['c.ts', new Set(['a.ts', 'd.ts'])],
      ['d.ts', new Set<string>()],
      ['e.ts', new Set(['e.ts'])],
    ]);
    expect(findCycles(graph)).toEqual([
      ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
      ['e.ts', 'e.ts'],
    ]);
    expect(findCycles(new Map([['a.ts', new Set(['b.ts'])], ['b.ts', new Set<string>()]]))).toEqual([]);
  });

  it('sees the static imports, type-only ones included', () => {
    expect(staticGraph.get('codemods/cli/main.ts')?.size).toBeGreaterThan(0);
    expect(staticGraph.get('codemods/engine/job-run.ts')).toContain('codemods/engine/run-options.ts');
  });

  it('has none in the static import graph of codemods/ and iommu-model/', () => {
    expect(findCycles(staticGraph).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('has none among the scripts (scripts/, bench/)', () => {
    const graph = new Map<string, Set<string>>();
    for (const f of sourceFiles().filter((f) => f.endsWith('.mjs'))) graph.set(f, new Set(scriptImports(f)));
    expect(graph.get('scripts/test-kernel.mjs')).toContain('scripts/lib/test-kernel-series.mjs');
    expect(findCycles(graph).map((c) => c.join(' -> '))).toEqual([]);
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
