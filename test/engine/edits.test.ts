import { describe, expect, it } from 'vitest';
import { applyEdits, applySteps, EditOverlapError, isClaimed, normalizeEdits } from '../../codemods/engine/edits.js';

describe('edits', () => {
  it('splices sorted edits against the original offsets', () => {
    expect(applyEdits('abcdef', [{ start: 4, end: 5, text: 'E' }, { start: 0, end: 1, text: 'AA' }])).toBe('AAbcdEf');
  });

  it('refuses overlapping edits loudly', () => {
    expect(() => applyEdits('abcdef', [{ start: 0, end: 3, text: '' }, { start: 2, end: 4, text: 'x' }])).toThrow(EditOverlapError);
  });

  it('refuses two insertions at one point (their order would be a guess)', () => {
    expect(() => normalizeEdits([{ start: 2, end: 2, text: 'a' }, { start: 2, end: 2, text: 'b' }])).toThrow(EditOverlapError);
  });

  it('merges identical edits and allows adjacent ones', () => {
    expect(applyEdits('abc', [{ start: 1, end: 2, text: 'X' }, { start: 1, end: 2, text: 'X' }, { start: 2, end: 3, text: 'Y' }])).toBe('aXY');
  });

  it('uses UTF-16 offsets, so non-ASCII text before an edit does not shift it', () => {
    const text = '/* déjà — vu */ f(NULL);';
    const at = text.indexOf('NULL');
    expect(applyEdits(text, [{ start: at, end: at + 4, text: '0' }])).toBe('/* déjà — vu */ f(0);');
  });

  it('applies only the edits of the chosen steps', () => {
    const edits = [
      { start: 0, end: 1, text: 'A', step: 'one' },
      { start: 1, end: 2, text: 'B' },
      { start: 2, end: 3, text: 'C', step: 'three' },
    ];
    expect(applySteps('abc', edits, new Set(['one']), 'two')).toBe('Abc');
    expect(applySteps('abc', edits, new Set(['one', 'two']), 'two')).toBe('ABc');
  });

  it('knows which ranges an edit claims', () => {
    expect(isClaimed([{ start: 5, end: 10, text: '' }], 9, 12)).toBe(true);
    expect(isClaimed([{ start: 5, end: 10, text: '' }], 10, 12)).toBe(false);
  });
});
