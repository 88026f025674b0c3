import { describe, expect, it } from 'vitest';
import { countErrors, decodeUtf8, tabStopWidth, firstInvalidUtf8Line, indentTo, LineIndex, namedWords, occurrencesByName, parseC, wordOccurrences } from '../../codemods/c/index.js';

describe('C text helpers', () => {
  it('maps offsets to 1-based lines and columns', () => {
    const idx = new LineIndex('ab\ncd\n\nef');
    expect(idx.position(0)).toEqual({ line: 1, column: 1 });
    expect(idx.position(4)).toEqual({ line: 2, column: 2 });
    expect(idx.position(7)).toEqual({ line: 4, column: 1 });
    expect(idx.lineText(2)).toBe('cd');
  });

  it('finds the words of a set as /[A-Za-z_]\\w*/g cuts them, in order, with their offsets', () => {
    const text = 'int foo_remove(void); /* foo_remove */ 0x1f_remove 12ab3c é_remove foo_removed _foo_remove foo_remove\n';
    const names = new Set(['foo_remove', 'x1f_remove', 'ab3c', '_remove', 'remove', 'int']);
    const viaRegex = [...text.matchAll(/[A-Za-z_]\w*/g)].filter((m) => names.has(m[0])).map((m) => ({ name: m[0], index: m.index }));
    expect(namedWords(text, names)).toEqual(viaRegex);
    expect(viaRegex.map((w) => w.name)).toEqual(['int', 'foo_remove', 'foo_remove', 'x1f_remove', 'ab3c', '_remove', 'foo_remove']);
    expect(namedWords(text, new Set())).toEqual([]);
  });

  it('finds the same words whether it searches for a few names or cuts the text into words (more than 8 names)', () => {
    // Texts of word characters, digits and separators, where names sit
    // inside longer words, after digits, at both ends and overlapping.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = ['a', 'b', '_', '1', '0', 'x', ' ', 'é', '\n', '(', 'ab', 'ba'];
    const viaRegex = (text: string, names: ReadonlySet<string>) =>
      [...text.matchAll(/[A-Za-z_]\w*/g)].filter((m) => names.has(m[0])).map((m) => ({ name: m[0], index: m.index }));
    const padding = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'];
    let found = 0;
    for (let round = 0; round < 400; round++) {
      const text = Array.from({ length: 1 + next(40) }, () => alphabet[next(alphabet.length)]).join('');
      const few = new Set(['a', 'ab', 'b_a', '_', 'x1', '1a', 'a b', ''].filter(() => next(2) === 0));
      const many = new Set([...few, ...padding]);
      expect(namedWords(text, few)).toEqual(viaRegex(text, few));
      expect(namedWords(text, many)).toEqual(viaRegex(text, many));
      found += viaRegex(text, few).length;
    }
    // The texts did hold words of the sets, in number.
    expect(found).toBeGreaterThan(100);
  });

  it('reports tree-sitter indices as UTF-16 offsets into the JS string', () => {
    const text = '/* Ünïcödé — 𝄞 */\nint x = f(a, NULL);\n';
    const tree = parseC(text);
    const nul = text.indexOf('NULL');
    const node = tree.rootNode.descendantForIndex(nul, nul + 4);
    expect(node.text).toBe('NULL');
    expect(node.startIndex).toBe(nul);
  });

  it('counts display width with kernel tabs and indents with tabs then spaces', () => {
    expect(tabStopWidth('\tab')).toBe(10);
    expect(tabStopWidth('abc\td')).toBe(9);
    expect(indentTo(36)).toBe('\t\t\t\t    ');
  });

  it('decodes strict UTF-8 and finds the line of the first bad byte', () => {
    expect(decodeUtf8(Buffer.from('é', 'utf8'))).toBe('é');
    const bad = Buffer.concat([Buffer.from('a\nb\n/* caf'), Buffer.from([0xe9]), Buffer.from(' */\n')]);
    expect(decodeUtf8(bad)).toBeUndefined();
    expect(firstInvalidUtf8Line(bad)).toBe(3);
  });

  it('finds whole-word occurrences only', () => {
    expect(wordOccurrences('sva_bind __arm_smmu_sva_bind x.sva_bind', 'sva_bind')).toEqual([0, 31]);
  });

  it('finds every name of a set in one pass where wordOccurrences finds each', () => {
    const pieces = ['foo_remove', 'bar_remove', '_remove', 'x1f_remove', 'ab3c', '0x1f_remove', '12ab3c', 'é_remove', 'foo_removed', ' ', '\n', '(', '.', '0', '9', 'a', '_'];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const names = new Set(['foo_remove', 'bar_remove', '_remove', 'x1f_remove', 'ab3c', 'absent']);
    for (let round = 0; round < 200; round++) {
      const text = Array.from({ length: Math.floor(rnd() * 40) }, () => pieces[Math.floor(rnd() * pieces.length)]).join('');
      const found = occurrencesByName(text, names);
      for (const name of names) expect(found.get(name) ?? []).toEqual(wordOccurrences(text, name));
    }
    expect(occurrencesByName('0x1f_remove x1f_remove', names)).toEqual(new Map([['x1f_remove', [12]]]));
  });

  it('counts ERROR nodes', () => {
    expect(countErrors(parseC('int f(void) { return 1; }\n').rootNode)).toBe(0);
    expect(countErrors(parseC('int f(void) { return (1 + ; }\n').rootNode)).toBeGreaterThan(0);
  });
});
