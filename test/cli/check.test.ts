// kmigrate check on the bundled demo tree: the flagship's model through the
// generic model table and reporters (docs/json.md, check).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const DEMO = fileURLToPath(new URL('../../samples/iommu-sva-bind-flags/demo/', import.meta.url));

describe('check iommu-sva-bind-flags', () => {
  it('text: both eras, one line per call, the declared change named, the notes, the summary', async () => {
    const r = await runCli(['check', 'iommu-sva-bind-flags', '-C', 'before'], DEMO);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'before: before (drvdata era: void *drvdata)',
      "after:  kmigrate's migration of before (flags era: unsigned int flags)",
      'drivers/dma/dsax/init.c:23 in dsax_enable_system_pasid(): equivalent (declared change: smmuv3-rejects-ignored-flags) [128 runs]',
      'drivers/misc/accelq/accelq.c:35 in accelq_fops_open(): equivalent [32 runs]',
      'include/linux/intel-svm.h:17: note: [missing-supervisor-flag] SVM_FLAG_SUPERVISOR_MODE does not evaluate in the before tree (not a constant); the model assumes BIT(0)',
      'include/linux/iommu.h:61: note: [supervisor-flag-assumed] IOMMU_SVA_BIND_SUPERVISOR does not evaluate in the after tree (not a constant); the model assumes BIT(0)',
      '2 equivalent (1 with declared changes), 0 differ, 0 unknown: OK',
      '',
    ]);
  });

  it('json: every site with the fields of docs/json.md and the model\'s own details', async () => {
    const r = await runCli(['check', 'iommu-sva-bind-flags', '-C', 'before', '--format', 'json'], DEMO);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ codemod: 'iommu-sva-bind-flags', model: 'iommu-sva', summary: { equivalent: 2, differs: 0, unknown: 0, declared: 1 }, ok: true });
    expect(j.eras).toEqual({ before: 'drvdata era: void *drvdata', after: 'flags era: unsigned int flags' });
    expect(j.details.eras.before).toMatchObject({ kind: 'drvdata', source: 'include/linux/iommu.h:53' });
    for (const s of j.sites) {
      for (const k of ['path', 'line', 'verdict', 'declared', 'environment', 'before', 'after', 'reason']) expect(s, k).toHaveProperty(k);
    }
    expect(j.sites[0]).toMatchObject({
      path: 'drivers/dma/dsax/init.c',
      line: 23,
      verdict: 'equivalent',
      declared: true,
      declaredChanges: ['smmuv3-rejects-ignored-flags'],
      after: '-EINVAL (arm_smmu_sva_bind: flags are not supported)',
      function: 'dsax_enable_system_pasid',
      afterLine: 19,
      arguments: { after: 'mm: NULL; third: IOMMU_SVA_BIND_SUPERVISOR = { BIT(0) }' },
      runs: 128,
    });
  });

  it('--against: the same verdicts between two trees on disk', async () => {
    const r = await runCli(['check', 'iommu-sva-bind-flags', '-C', 'after', '--against', 'before'], DEMO);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('before: before (drvdata era: void *drvdata)\nafter:  after (flags era: unsigned int flags)\n');
    expect(r.stdout).toContain('\n2 equivalent (1 with declared changes), 0 differ, 0 unknown: OK\n');
  });
});
