import { describe, expect, it } from 'vitest';
import { getModel } from '../../codemods/models.js';
import { ERA_GROUP, FLAG_STEPS } from '../../codemods/migrations/iommu-sva-bind-flags/meta.js';
import type { MigrationSpec } from '../../codemods/kit/spec.js';
import { bundledMigrations, getMigration } from '../../codemods/registry.js';

// The flagship, the one whose commit messages are hand-written for format-patch --split (the other
// bundled models do not report an unknown declared id on empty trees: not checked here).
describe.each(bundledMigrations().filter((m) => m.meta.id === 'iommu-sva-bind-flags').map((m) => [m.meta.id, m] as const))('%s metadata', (_id, m) => {
  const messages = [
    { subject: m.meta.subject, body: m.meta.rationale },
    ...m.meta.steps.map((s) => ({ subject: s.subject, body: s.body })),
  ];

  it('has commit messages checkpatch accepts: lines of at most 75 columns, subjects of at most 75', () => {
    for (const msg of messages) {
      expect(msg.subject.length).toBeLessThanOrEqual(75);
      for (const line of msg.body.join('\n\n').split('\n')) expect(line.length, line).toBeLessThanOrEqual(75);
    }
  });

  it('has a kebab-case id and exactly one main step', () => {
    expect(m.meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(m.meta.steps.filter((s) => s.main)).toHaveLength(1);
  });

  it.runIf(m.meta.model !== undefined)('names a model in the model table that knows every change it declares', async () => {
    const model = await getModel(m.meta.model!);
    expect(model?.name).toBe(m.meta.model);
    const empty = { label: 'empty', paths: [], read: () => undefined };
    const result = await model!.check({ before: empty, after: empty, declared: m.meta.declared ?? [] });
    expect(result.problems.filter((p) => p.code === 'unknown-declared-change')).toEqual([]);
    // And the check can fail: an id no model knows is reported.
    const bad = await model!.check({ before: empty, after: empty, declared: ['no-such-change'] });
    expect(bad.problems.map((p) => p.code)).toContain('unknown-declared-change');
    expect(bad.ok).toBe(false);
  });
});

describe('iommu-sva-bind-flags step ids', () => {
  it('the TypeScript steps type their edits with exactly the steps migration.yaml declares', () => {
    expect(getMigration('iommu-sva-bind-flags')!.meta.steps.map((s) => s.id)).toEqual([...FLAG_STEPS]);
  });

  it("the kit's function, member, rename and drop-include changes are in the era group the TypeScript step gives its own sites", () => {
    const spec = (getMigration('iommu-sva-bind-flags') as unknown as { spec: MigrationSpec }).spec;
    const groups = spec.changes.flatMap((c) =>
      'function' in c ? [c.function.group] : 'member' in c ? [c.member.group] : 'rename' in c ? [c.rename.group] : 'drop-include' in c ? [c['drop-include'].group] : [],
    );
    expect(groups).toEqual([ERA_GROUP, ERA_GROUP, ERA_GROUP, ERA_GROUP]);
  });
});
