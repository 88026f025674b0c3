// reparseC: the re-parse guard reuses a file's own tree. Its result must be
// the tree a fresh parse gives, whatever the edits (several at once,
// newlines added and removed, non-ASCII text before and inside them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineIndex, parseC, reparseC, type TextEdit } from '../../codemods/c/index.js';

const SAMPLE = join(import.meta.dirname, '..', '..', 'samples', 'platform-remove-void', 'early-return', 'before');

function apply(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

describe('reparseC', () => {
  const base = '/* café – ü */\n' + readFileSync(join(SAMPLE, 'drivers/watchdog/qwd_wdt.c'), 'utf8');

  const cases: [string, (t: string) => TextEdit[]][] = [
    ['a type and a return', (t) => [
      { start: t.indexOf('int qwd_remove'), end: t.indexOf('int qwd_remove') + 3, text: 'void' },
      { start: t.lastIndexOf('return 0;'), end: t.lastIndexOf('return 0;') + 9, text: 'return;' },
    ]],
    ['lines removed and added, with non-ASCII text', (t) => [
      { start: t.indexOf('{'), end: t.indexOf('{') + 1, text: '{\n\t/* ünïcödé */\n' },
      { start: t.lastIndexOf('\n\treturn'), end: t.lastIndexOf('}'), text: '\n' },
    ]],
    ['an edit that breaks the syntax', (t) => [{ start: t.indexOf('(') , end: t.indexOf('(') + 1, text: '' }]],
  ];

  for (const [name, make] of cases) {
    it(`gives the fresh parse's tree: ${name}`, () => {
      const edits = make(base);
      const after = apply(base, edits);
      const old = parseC(base);
      const incremental = reparseC(old, new LineIndex(base), edits, after);
      expect(incremental.rootNode.toString()).toBe(parseC(after).rootNode.toString());
      expect(incremental.rootNode.text).toBe(after);
    });
  }
});

describe('parseC reads a long text a chunk at a time', () => {
  it('a surrogate pair cut by the read buffer (1 Mi UTF-16 units) keeps every position', () => {
    const line = (i: number) => `int v${i}; /* 😀 */\n`;
    let head = '';
    for (let i = 0; head.length < 1024 * 1024 - 100; i++) head += line(i);
    // The emoji's first unit is the last of the first chunk, its second the first of the next.
    head += ' '.repeat(1024 * 1024 - 1 - head.length - '/* '.length);
    const text = `${head}/* 😀 */ int after_cut;\n${line(1)}`;
    expect(text.indexOf('😀', 1024 * 1024 - 10)).toBe(1024 * 1024 - 1);
    const root = parseC(text).rootNode;
    expect(root.hasError).toBe(false);
    const at = text.indexOf('after_cut');
    const id = root.descendantForIndex(at, at + 'after_cut'.length);
    expect([id.type, id.startIndex, id.text]).toEqual(['identifier', at, 'after_cut']);
    expect(root.endIndex).toBe(text.length);
  });
});
