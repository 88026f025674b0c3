// The import graph of STYLE.md, checked with ts-morph: dependencies point one
// way, tree-sitter is imported only by codemods/c, the model never reaches the
// engine or the migrations, and nothing below cli/ exits or prints.
import { Project } from 'ts-morph';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';

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
  migrations: ['c', 'engine'],
  registry: ['engine', 'migrations'],
  'iommu-model': ['c'],
  series: ['patch', 'engine', 'iommu-model', 'c', 'io', 'registry', 'migrations'],
  cli: ['c', 'engine', 'migrations', 'registry', 'patch', 'series', 'io', 'iommu-model'],
};

const edges: { from: string; to: string; file: string; spec: string }[] = [];
for (const sf of project.getSourceFiles()) {
  const file = sf.getFilePath();
  if (file.includes('/node_modules/')) continue;
  for (const decl of [...sf.getImportDeclarations(), ...sf.getExportDeclarations()]) {
    const spec = decl.getModuleSpecifierValue();
    if (!spec) continue;
    const target = decl.getModuleSpecifierSourceFile();
    edges.push({ from: area(file), to: target && !target.getFilePath().includes('/node_modules/') ? area(target.getFilePath()) : spec, file: relative(root, file), spec });
  }
}

describe('import graph', () => {
  it('has source files to check', () => {
    expect(edges.length).toBeGreaterThan(20);
  });

  it('follows the one-way dependency rule of STYLE.md', () => {
    const bad = edges.filter((e) => e.from in allowed && e.to in allowed && e.to !== e.from && !allowed[e.from]!.includes(e.to));
    expect(bad.map((e) => `${e.file} -> ${e.spec}`)).toEqual([]);
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
