// score:upstream (scripts/lib/score*.mjs) on the fixture trees of
// test/scripts/fixtures/score: a fake 6.1 tree, our rewritten files, a fake
// 6.12 tree and a fake RunResult. Every bucket, the exact contents of each,
// and the precision/recall arithmetic.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as c from '../../codemods/c/index.js';
import { diskSource } from '../../codemods/io/source.js';
import type { RunResult, Site } from '../../codemods/engine/types.js';
// @ts-expect-error: plain ESM JavaScript, no declarations
import { KNOWN_TARGETS, registeredInTree, scoreRun, targetFor } from '../../scripts/lib/score.mjs';
// @ts-expect-error: plain ESM JavaScript, no declarations
import { renderReport } from '../../scripts/lib/score-report.mjs';
// @ts-expect-error: plain ESM JavaScript, no declarations
import { normaliseC } from '../../scripts/lib/score-c.mjs';

const FIX = join(__dirname, 'fixtures', 'score');
const sitesByScenario = JSON.parse(readFileSync(join(FIX, 'sites.json'), 'utf8')) as Record<string, Site[]>;

const read = (root: string) => (p: string) => (existsSync(join(root, p)) ? readFileSync(join(root, p), 'utf8') : undefined);

/** A RunResult as the engine would give it: changed files are those under ours/. */
function fakeResult(scenario: string): RunResult {
  const sites = sitesByScenario[scenario]!.map((s) => ({ column: 1, ...s }));
  const paths = [...new Set([...diskSource(join(FIX, 'ours')).list(), ...sites.map((s) => s.path)])].sort();
  const files = paths.map((path) => {
    const after = read(join(FIX, 'ours'))(path);
    const fileSites = sites.filter((s) => s.path === path);
    return after === undefined ? { path, status: 'unchanged' as const, sites: fileSites } : { path, status: 'changed' as const, before: read(join(FIX, 'old'))(path), after, sites: fileSites };
  });
  const summary = { filesScanned: 0, symlinksSkipped: 0, filesParsed: 0, filesChanged: 0, rewritten: 0, manual: 0, unchanged: 0 };
  return { codemod: scenario, root: 'old', files, sites, summary, parse: { files: 0, bytes: 0, filesWithErrors: 0, errorNodes: 0, parseMs: 0 } };
}

function score(scenario: string, target: object) {
  const oldRoot = join(FIX, 'old');
  const old = { list: () => diskSource(oldRoot).list(), read: read(oldRoot) };
  return scoreRun({ c, target, result: fakeResult(scenario), old, upstream: { read: read(join(FIX, 'upstream')) } });
}

type Fn = { path: string; function: string; bucket: string; why: string; differs?: string[]; manual: { line: number; code: string }[]; old: { returns: string[]; signature: string } | null };
const inBucket = (r: { functions: Fn[] }, b: string) => r.functions.filter((f) => f.bucket === b).map((f) => `${f.path}:${f.function}`);
const one = (r: { functions: Fn[] }, path: string, fn: string) => r.functions.find((f) => f.path === path && f.function === fn)!;

const platform = { ...KNOWN_TARGETS['platform-remove-void'], source: 'test' };
const i2c = { ...KNOWN_TARGETS['i2c-probe-drop-id'], source: 'test' };

describe('score:upstream, platform .remove → .remove_new', () => {
  const r = score('platform', platform);

  it('puts every function in its bucket', () => {
    expect(inBucket(r, 'agree')).toEqual([
      'drivers/a/agree.c:agree_remove',
      'drivers/a/exit.c:arr_remove',
      'drivers/a/exit.c:exit_remove',
      'drivers/a/libshared.c:shared_platform_remove',
      'drivers/a/stub.c:hdr_remove',
      'drivers/a/stub.c:stub_remove',
    ]);
    expect(inBucket(r, 'agreeOther')).toEqual([]);
    expect(inBucket(r, 'disagree')).toEqual(['drivers/a/disagree.c:dis_reg_remove', 'drivers/a/disagree.c:dis_ret_remove']);
    expect(inBucket(r, 'leftHere')).toEqual(['drivers/a/left.c:left_line_remove', 'drivers/a/left.c:left_sym_remove']);
    expect(inBucket(r, 'silentlyLeft')).toEqual(['drivers/a/silent.c:silent_remove']);
    expect(inBucket(r, 'onlyHere')).toEqual(['drivers/a/only.c:only_remove']);
    expect(inBucket(r, 'neither')).toEqual(['drivers/a/neither.c:neither_remove']);
    expect(inBucket(r, 'noOracle')).toEqual(['drivers/a/gone.c:gone_remove', 'drivers/a/renamed.c:renamed_remove', 'drivers/a/unreg.c:unreg_remove', 'include/a.h:ghost_remove']);
    // hdr_remove's prototype in include/a.h and shared_platform_remove's
    // registration in shared.c are not functions of their own: the definitions are elsewhere.
    expect(r.functions).toHaveLength(17);
    expect(r.buckets).toEqual({ agree: 6, agreeOther: 0, disagree: 2, leftHere: 2, silentlyLeft: 1, onlyHere: 1, neither: 1, noOracle: 4 });
  });

  it('computes precision and recall from the buckets', () => {
    expect(r.convertedUpstream).toBe(11); // 6 agree + 2 disagree + 2 left + 1 silently left
    expect(r.precision).toBeCloseTo(6 / 9, 12); // agree / (agree + disagree + only here)
    expect(r.recall).toBeCloseTo(6 / 11, 12);
    expect(r.precisionStrict).toBeCloseTo(6 / 9, 12);
    expect(r.recallStrict).toBeCloseTo(6 / 11, 12);
  });

  it('says which comparison differs, and why', () => {
    expect(one(r, 'drivers/a/disagree.c', 'dis_ret_remove').differs).toEqual(['returns']);
    expect(one(r, 'drivers/a/disagree.c', 'dis_ret_remove').why).toBe('returns: ours {"return;"}, upstream {}');
    expect(one(r, 'drivers/a/disagree.c', 'dis_reg_remove').differs).toEqual(['registration']);
    expect(one(r, 'drivers/a/disagree.c', 'dis_reg_remove').why).toBe('registration: ours {"remove"}, upstream {"remove", "shutdown"}');
    expect(one(r, 'drivers/a/gone.c', 'gone_remove').why).toBe('file gone upstream');
    expect(one(r, 'drivers/a/renamed.c', 'renamed_remove').why).toBe('function gone or renamed upstream');
    expect(one(r, 'drivers/a/unreg.c', 'unreg_remove').why).toBe('registration in struct platform_driver gone upstream');
  });

  it('finds the manual sites of functions left here, by symbol and by registration line', () => {
    expect(one(r, 'drivers/a/left.c', 'left_sym_remove').manual.map((m) => m.code)).toEqual(['return-value-used']);
    expect(one(r, 'drivers/a/left.c', 'left_line_remove').manual).toEqual([expect.objectContaining({ line: 16, code: 'registration-not-convertible' })]);
    expect(one(r, 'drivers/a/silent.c', 'silent_remove').manual).toEqual([]);
  });

  it('compares the first definition that is not an #else stub', () => {
    expect(one(r, 'drivers/a/stub.c', 'stub_remove').old!.returns).toEqual(['return -EIO;', 'return 0;']);
  });

  it('ignores parameter names, __maybe_unused, __exit and pointer spacing in signatures', () => {
    expect(one(r, 'drivers/a/exit.c', 'exit_remove').old!.signature).toBe('int (struct platform_device*)');
    expect(one(r, 'drivers/a/exit.c', 'arr_remove').old!.signature).toBe('int (struct platform_device*)');
    expect(normaliseC('const  struct i2c_device_id * id')).toBe('const struct i2c_device_id*id');
  });

  it('finds the 6.1 registrations on its own (arrays, &fn, __exit_p, a helper defined in another file)', () => {
    const oldRoot = join(FIX, 'old');
    const regs = registeredInTree(c, { list: () => diskSource(oldRoot).list(), read: read(oldRoot) }, platform) as { path: string; fn: string; registeredIn?: string[] }[];
    expect(regs.map((x) => `${x.path}:${x.fn}`).sort()).toEqual(
      [
        'agree.c:agree_remove', 'disagree.c:dis_reg_remove', 'disagree.c:dis_ret_remove', 'exit.c:arr_remove', 'exit.c:exit_remove', 'gone.c:gone_remove', 'left.c:left_line_remove',
        'left.c:left_sym_remove', 'libshared.c:shared_platform_remove', 'neither.c:neither_remove', 'only.c:only_remove', 'renamed.c:renamed_remove', 'shared.c:shared_platform_remove',
        'silent.c:silent_remove', 'stub.c:stub_remove', 'unreg.c:unreg_remove',
      ].map((s) => `drivers/a/${s}`),
    );
    // namesake.c's static shared_platform_remove is not the helper.
    expect(regs.find((x) => x.path === 'drivers/a/libshared.c')!.registeredIn).toEqual(['drivers/a/shared.c']);
  });

  it('prints counts, formulas and at most `limit` entries per list', () => {
    const text = renderReport(r, { migration: 'platform-remove-void', oldRoot: 'old', newRoot: 'upstream', timings: [['run', 1500]] }, 1) as string;
    expect(text).toContain('precision 66.7% = (agree + agreeOther) / (agree + agreeOther + disagree + onlyHere) = 6/9');
    expect(text).toContain('recall    54.5% = (agree + agreeOther) / converted upstream = 6/11');
    expect(text).toContain('WARNING: 1 function(s) converted upstream were left here without a manual site');
    expect(text).toContain('  drivers/a/agree.c:agree_remove — void (struct platform_device*)\n  … and 5 more');
    expect(text).toContain('time: run 1.5 s');
  });
});

describe('score:upstream, i2c .probe loses its id', () => {
  const r = score('i2c', i2c);

  it('counts a body that reads the match data another way as its own kind of agreement', () => {
    // ret_probe: return statements differ upstream, but this migration does not touch them.
    expect(inBucket(r, 'agree')).toEqual(['drivers/i2c/i2cdrv.c:plain_probe', 'drivers/i2c/i2cmore.c:ret_probe']);
    expect(inBucket(r, 'agreeOther')).toEqual(['drivers/i2c/i2cdrv.c:other_probe']);
    expect(one(r, 'drivers/i2c/i2cdrv.c', 'other_probe').why).toBe('upstream reads the match data with i2c_get_match_data()');
    expect(r.functions).toHaveLength(4);
    expect(r.precision).toBe(0.75);
    expect(r.recall).toBe(0.75);
    expect(r.precisionStrict).toBe(0.5);
    expect(r.recallStrict).toBe(0.5);
  });

  it('a body that still reads the removed parameter must declare it', () => {
    expect(inBucket(r, 'disagree')).toEqual(['drivers/i2c/i2cmore.c:nodecl_probe']);
    expect(one(r, 'drivers/i2c/i2cmore.c', 'nodecl_probe').differs).toEqual(['declaration']);
    expect(one(r, 'drivers/i2c/i2cmore.c', 'nodecl_probe').why).toBe('our body reads id without declaring it');
  });

  it('without otherReplacement, the same function agrees: the three comparisons are equal', () => {
    const plain = score('i2c', { ...i2c, otherReplacement: false });
    expect(inBucket(plain, 'agree')).toEqual(['drivers/i2c/i2cdrv.c:other_probe', 'drivers/i2c/i2cdrv.c:plain_probe', 'drivers/i2c/i2cmore.c:ret_probe']);
  });
});

describe('score:upstream target', () => {
  it('comes from the migration spec when there is one, else from the table', () => {
    const spec = { changes: [{ rename: { from: 'a', to: 'b' } }, { member: { struct: 'i2c_driver', member: 'probe', moveTo: 'probe_new', params: [{ index: 1, action: 'remove' }] } }] };
    expect(targetFor({ meta: { id: 'x' }, spec }, 'x')).toEqual({ struct: 'i2c_driver', member: 'probe', moveTo: 'probe_new', otherReplacement: true, comparesReturns: false, removedParams: [1], source: 'migration spec' });
    expect(targetFor({ meta: { id: 'platform-remove-void' } }, 'platform-remove-void')).toEqual({ ...KNOWN_TARGETS['platform-remove-void'], source: 'score-upstream table' });
    expect(targetFor({ meta: { id: 'iommu-sva-bind-flags' } }, 'iommu-sva-bind-flags')).toBeUndefined();
  });
});

describe('score-upstream.mjs usage', () => {
  const script = join(__dirname, '..', '..', 'scripts', 'score-upstream.mjs');
  const runScript = (args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

  it('exits 2 with a one-line reason on bad usage', () => {
    for (const [args, reason] of [
      [[], 'which migration?'],
      [['a', 'b'], 'one migration at a time'],
      [['a', '--limit', '0'], '--limit wants a whole number'],
      [['a', '--bogus'], 'unknown option "--bogus"'],
      [['a', '--old', join(FIX, 'nowhere')], '--old: not a directory'],
    ] as const) {
      const p = runScript([...args]);
      expect(p.status, args.join(' ')).toBe(2);
      expect(p.stderr.split('\n')[0]).toContain(reason);
    }
  });
});
