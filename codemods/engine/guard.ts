// The re-parse guard's comparison: a rewrite may not add parse errors of
// any kind. ERROR nodes (text the grammar could not place) and MISSING
// nodes (a token the parser had to invent) are compared apart, so that a
// rewrite which turns one into the other is refused, not waved through.
import type { ErrorKinds } from '../c/index.js';

export type { ErrorKinds };

export const NO_ERRORS: ErrorKinds = { error: 0, missing: 0 };

/** Why the rewritten parse is worse than the original one, or undefined when it is not. */
export function newParseErrors(before: ErrorKinds, after: ErrorKinds): string | undefined {
  const added: string[] = [];
  if (after.error > before.error) added.push(`${after.error - before.error} new ERROR node(s)`);
  if (after.missing > before.missing) added.push(`${after.missing - before.missing} new MISSING node(s)`);
  return added.length > 0 ? added.join(' and ') : undefined;
}
