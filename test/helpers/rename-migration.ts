// A tiny migration that is not the flagship: rename old_helper() to
// new_helper() everywhere. No model, no flags, no kconfig: what the generic
// layers must handle without knowing any bundled migration.
import { identifiersNamed } from '../../codemods/c/index.js';
import type { Migration, SourceFile } from '../../codemods/engine/migration.js';
import type { Edit, Site, SiteKind } from '../../codemods/engine/types.js';

export const OLD = 'old_helper';
export const NEW = 'new_helper';

function kindOf(parentType: string | undefined): SiteKind {
  return parentType === 'call_expression' ? 'call' : parentType === 'function_declarator' ? 'prototype' : 'other';
}

function sitesFor(file: SourceFile, name: string, rewrite: boolean): { edits: Edit[]; sites: Site[] } {
  const edits: Edit[] = [];
  const sites: Site[] = [];
  for (const id of identifiersNamed(file.root, name)) {
    const kind = kindOf(id.parent?.type);
    const inDefinition = id.parent?.type === 'function_declarator' && id.parent.parent?.type === 'function_definition';
    if (rewrite) edits.push({ start: id.startIndex, end: id.endIndex, text: NEW });
    sites.push({
      path: file.path,
      line: id.startPosition.row + 1,
      column: id.startPosition.column + 1,
      kind: inDefinition ? 'definition' : kind,
      action: rewrite ? 'rewritten' : 'unchanged',
      code: rewrite ? 'renamed' : 'already-new',
      message: rewrite ? `${OLD} -> ${NEW}` : `${NEW} already`,
      symbol: NEW,
      // The definition is where a real rename of this kind would change behaviour: marked, to show the marker.
      ...(rewrite && inDefinition ? { changesBehaviour: true } : {}),
    });
  }
  return { edits, sites };
}

export function renameMigration(extra: Partial<Migration<Record<string, never>>> = {}): Migration<Record<string, never>> {
  return {
    meta: {
      id: 'test-rename-helper',
      subject: 'lib: Rename old_helper to new_helper',
      summary: 'old_helper() -> new_helper()',
      rationale: ['Rename old_helper() to new_helper().'],
      reference: 'none: a test migration',
      steps: [{ id: 'rename', subject: 'lib: Rename old_helper to new_helper', body: ['Rename it.'], main: true }],
    },
    needles: [OLD, NEW],
    createFacts: () => ({}),
    discover: () => {},
    extraNeedles: () => [],
    isDeferred: () => false,
    rewrite(file) {
      const old = sitesFor(file, OLD, true);
      const neu = sitesFor(file, NEW, false);
      return { edits: old.edits, sites: [...old.sites, ...neu.sites].sort((a, b) => a.line - b.line || a.column - b.column) };
    },
    eraOf: (site) => (site.code === 'renamed' ? 'old' : site.code === 'already-new' ? 'new' : undefined),
    afterRewrite: () => {},
    ...extra,
  };
}

/** The tree the tests run it on: a header, a definition, two callers. */
export const RENAME_TREE: Record<string, string> = {
  'include/linux/helper.h': '#ifndef _LINUX_HELPER_H\n#define _LINUX_HELPER_H\nint old_helper(int x);\n#endif\n',
  'lib/helper.c': '#include <linux/helper.h>\n\nint old_helper(int x)\n{\n\treturn x + 1;\n}\n',
  'drivers/foo/foo.c': '#include <linux/helper.h>\n\nint foo(void)\n{\n\tint n = 1;\n\n\treturn old_helper(n);\n}\n',
  'drivers/bar/bar.c': '#include <linux/helper.h>\n\nint bar(void)\n{\n\treturn old_helper(2);\n}\n',
};

/** `path`'s text with every old name replaced. */
export const renamed = (path: string): string => RENAME_TREE[path]!.replaceAll(OLD, NEW);

/** One git format-patch mail replacing each file's whole text (exact context, so it applies). */
export function mailPatch(subject: string, files: Record<string, { before: string; after: string }>): string {
  const lines = (t: string) => t.replace(/\n$/, '').split('\n');
  const diff = Object.entries(files)
    .map(([p, { before, after }]) => {
      const b = lines(before);
      const a = lines(after);
      return [`diff --git a/${p} b/${p}`, `--- a/${p}`, `+++ b/${p}`, `@@ -1,${b.length} +1,${a.length} @@`, ...b.map((l) => `-${l}`), ...a.map((l) => `+${l}`)].join('\n') + '\n';
    })
    .join('');
  return (
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n' +
    'From: Sam Porter <sam.porter@example.org>\n' +
    'Date: Tue, 14 Nov 2023 22:13:20 +0000\n' +
    `Subject: [PATCH] ${subject}\n\n` +
    'A test patch.\n\n' +
    'Signed-off-by: Sam Porter <sam.porter@example.org>\n' +
    '---\n' +
    diff +
    '-- \n2.39.2\n'
  );
}
