// Every YAML example of docs/migration-format.md loads: whole files as they
// are, items of `changes:` inside a minimal file.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMigration } from '../../codemods/kit/load.js';

const doc = readFileSync('docs/migration-format.md', 'utf8');
const blocks = [...doc.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);

const HEADER = "id: doc-example\nsubject: 'docs: Example'\nsummary: an example\nreference: docs/migration-format.md\nrationale: An example.\n";

describe('docs/migration-format.md', () => {
  it('has a complete file and an example of every kind of change', () => {
    expect(blocks.filter((b) => /^(#|id:)/.test(b))).toHaveLength(1);
    const kinds = new Set(blocks.flatMap((b) => [...b.matchAll(/^\s*- ([a-z-]+):/gm)].map((m) => m[1])));
    for (const k of ['rename', 'function', 'member', 'delete-initializer', 'add-define', 'remove-define', 'drop-include']) expect(kinds).toContain(k);
  });

  it.each(blocks.map((b, i) => [i, b] as const))('example %i loads', (i, block) => {
    const text = block.startsWith('- ') ? `${HEADER}changes:\n${block.replace(/^/gm, '  ')}` : block;
    const spec = parseMigration(text, `example-${i}.yaml`);
    expect(spec.changes.length).toBeGreaterThan(0);
  });
});
