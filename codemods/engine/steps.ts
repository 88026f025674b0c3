// Cutting a run's result into the migration's bisectable steps: step k's
// files go from "edits of steps < k applied" to "edits of steps <= k applied".
import { applySteps } from './edits.js';
import type { MigrationMeta, MigrationStep } from './migration.js';
import type { RunResult } from './types.js';

export interface StepChange {
  step: MigrationStep;
  files: { path: string; before: string; after: string }[];
}

/** One change per step that touches something, in the migration's order. */
export function splitIntoSteps(result: RunResult, meta: MigrationMeta): StepChange[] {
  const main = meta.steps.find((s) => s.main) ?? meta.steps[0];
  if (!main) throw new Error(`migration ${meta.id} declares no steps`);
  // A step no declared step has would leave its edits out of every patch:
  // a type error in a TypeScript migration, a load error in a file; here a bug.
  const known = new Set(meta.steps.map((s) => s.id));
  for (const f of result.files) {
    const stray = f.edits?.find((e) => e.step !== undefined && !known.has(e.step));
    if (stray) throw new Error(`${f.path}: an edit names step '${stray.step}', which ${meta.id} does not declare (its steps: ${[...known].join(', ')})`);
  }
  const out: StepChange[] = [];
  const done = new Set<string>();
  for (const step of meta.steps) {
    const upTo = new Set(done).add(step.id);
    const files: StepChange['files'] = [];
    for (const f of result.files) {
      if (f.status !== 'changed' || !f.edits || f.before === undefined) continue;
      const before = applySteps(f.before, f.edits, done, main.id);
      const after = applySteps(f.before, f.edits, upTo, main.id);
      if (before !== after) files.push({ path: f.path, before, after });
    }
    done.add(step.id);
    if (files.length > 0) out.push({ step, files });
  }
  return out;
}

/** The whole migration as one step, with the migration's own subject and rationale. */
export function singleStep(result: RunResult, meta: MigrationMeta): StepChange {
  return {
    step: { id: meta.id, subject: meta.subject, body: meta.rationale, main: true },
    files: result.files.filter((f) => f.status === 'changed').map((f) => ({ path: f.path, before: f.before!, after: f.after! })),
  };
}
