import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../codemods/cli/progress.js';

describe('progress', () => {
  it('writes nothing when stderr is not a terminal', () => {
    let out = '';
    const p = progressReporter(false, (s) => (out += s));
    p.update({ phase: 'scan', done: 10, total: 10, sites: 0, candidates: 2 });
    p.done();
    expect(out).toBe('');
  });

  it('on a terminal, shows files scanned, what was found and the time, then clears its line', () => {
    let out = '';
    const p = progressReporter(true, (s) => (out += s));
    p.update({ phase: 'scan', done: 100, total: 100, sites: 0, candidates: 3 });
    expect(out).toMatch(/^\r\x1b\[Kscan: 100\/100 files, 3 candidate files, \d+\.\d s$/);
    p.update({ phase: 'rewrite', done: 3, total: 3, sites: 7, candidates: 3 });
    expect(out).toMatch(/rewrite: 3\/3 files, 7 sites, \d+\.\d s$/);
    p.done();
    expect(out.endsWith('\r\x1b[K')).toBe(true);
  });
});
