// The oracle must not share code with what it checks: iommu-model/ may
// import node built-ins, its own files, codemods/c (to read C) and
// codemods/io (the one tree walker, which knows nothing of any API) —
// nothing else (docs/architecture.md: "iommu-model" may import "c" and "io").
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODEL = path.join(ROOT, 'iommu-model');
const C_DIR = path.join(ROOT, 'codemods', 'c');
const IO_DIR = path.join(ROOT, 'codemods', 'io');

describe('iommu-model imports', () => {
  it('only node built-ins, iommu-model/, codemods/c/ and codemods/io/', () => {
    const project = new Project({ skipAddingFilesFromTsConfig: true });
    const files = project.addSourceFilesAtPaths(path.join(MODEL, '**/*.ts'));
    expect(files.length).toBeGreaterThan(5);
    const bad: string[] = [];
    for (const f of files) {
      const specs = [
        ...f.getImportDeclarations().map((d) => d.getModuleSpecifierValue()),
        ...f.getExportDeclarations().map((d) => d.getModuleSpecifierValue()).filter((s): s is string => s !== undefined),
      ];
      for (const spec of specs) {
        if (spec.startsWith('node:')) continue;
        if (!spec.startsWith('.')) {
          bad.push(`${path.relative(ROOT, f.getFilePath())}: ${spec}`);
          continue;
        }
        if (!spec.endsWith('.js')) bad.push(`${path.relative(ROOT, f.getFilePath())}: ${spec} (no .js suffix)`);
        const target = path.resolve(path.dirname(f.getFilePath()), spec);
        const ok = target.startsWith(MODEL + path.sep) || target.startsWith(C_DIR + path.sep) || target.startsWith(IO_DIR + path.sep);
        if (!ok) bad.push(`${path.relative(ROOT, f.getFilePath())}: ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('no console output or process.exit in the library', () => {
    const project = new Project({ skipAddingFilesFromTsConfig: true });
    const offenders = project
      .addSourceFilesAtPaths(path.join(MODEL, '**/*.ts'))
      .filter((f) => /\bconsole\.|process\.exit/.test(f.getFullText()))
      .map((f) => path.relative(ROOT, f.getFilePath()));
    expect(offenders).toEqual([]);
  });
});
