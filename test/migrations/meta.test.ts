import { describe, expect, it } from 'vitest';
import { registry } from '../../codemods/registry.js';

describe.each([...registry.values()].map((m) => [m.meta.id, m] as const))('%s metadata', (_id, m) => {
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
});
