// The lexer of the model's C expressions: C text to tokens (identifiers,
// numbers, character and string literals, punctuators).

export interface Token {
  kind: 'ident' | 'number' | 'char' | 'string' | 'punct';
  text: string;
}

const PUNCTUATORS = [
  '...', '<<=', '>>=',
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '##',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=',
];

/**
 * Split C text into tokens. Comments and line continuations are dropped;
 * whitespace only separates tokens. Returns undefined for text the lexer does
 * not understand (an unterminated comment or literal).
 */
export function lexC(text: string): Token[] | undefined {
  const src = text.replace(/\\\r?\n/g, ' ');
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
      continue;
    }
    if (src.startsWith('//', i)) {
      const end = src.indexOf('\n', i);
      i = end < 0 ? src.length : end + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_]/.test(src[j]!)) j++;
      out.push({ kind: 'ident', text: src.slice(i, j) });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      // A preprocessing number: digits, letters, dots, and exponent signs.
      let j = i + 1;
      while (j < src.length) {
        const d = src[j]!;
        if (/[A-Za-z0-9_.]/.test(d)) j++;
        else if ((d === '+' || d === '-') && /[eEpP]/.test(src[j - 1]!) && !/^0[xX]/.test(src.slice(i, j))) j++;
        else break;
      }
      out.push({ kind: 'number', text: src.slice(i, j) });
      i = j;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) return undefined;
      out.push({ kind: c === "'" ? 'char' : 'string', text: src.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    const p = PUNCTUATORS.find((q) => src.startsWith(q, i));
    if (p) {
      out.push({ kind: 'punct', text: p });
      i += p.length;
      continue;
    }
    out.push({ kind: 'punct', text: c });
    i++;
  }
  return out;
}
