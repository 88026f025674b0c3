// The import graph of docs/architecture.md, checked with ts-morph: dependencies point one
// way, tree-sitter is imported only by codemods/c, the model never reaches the
// engine or the migrations, and nothing below cli/ exits or prints.
import { Node, Project, SyntaxKind, type SourceFile } from 'ts-morph';
import { dirname, relative, resolve as resolvePath } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
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
  patch: ['c'],
  engine: ['c', 'io'],
  // A bundled migration's TypeScript steps build on the kit (kit/extension.ts).
  migrations: ['c', 'engine', 'kit'],
  kit: ['c', 'engine', 'io'],
  registry: ['engine', 'migrations', 'kit', 'io'],
  // The name → model table: the one place that knows which models exist.
  models: ['engine', 'iommu-model'],
  'iommu-model': ['c'],
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
