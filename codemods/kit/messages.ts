// Every diagnostic the kit's primitives emit, keyed by a stable id. Tests
// assert the ids; the words may improve. `{…}` are filled per site.
import { renderWith } from '../engine/codes.js';

export const kitMessages = {
  // rewritten
  'signature': '{fn}(): {what}',
  'converted': '{fn}(): {what}',
  'prototype': 'prototype of {fn}(): {what}',
  'registration-moved': '.{from} = {fn} -> .{to} = {fn}',
  'call-args': 'call of {fn}(): {what}',
  'call-forward': 'call of {fn}(): forwards its own parameter {arg}, now {name}',
  'kernel-doc': 'kernel-doc of {fn}(): {what}',
  'member-retyped': 'member {struct}.{member}: {what}',
  'renamed': '{from} -> {to}',
  'initializer-deleted': '.{member} = {value} removed',
  'define-added': '{name} defined after {after}',
  'define-removed': '{name} removed: nothing uses it any more',
  'include-removed': '#include <{header}> removed: nothing from it is used any more',
  // unchanged, explained
  'already-new': '{fn}() already has the new form ({what})',
  'already-moved': '{fn}() is already registered as .{member}',
  'registration-kept': '.{member} = {fn} kept: {fn}() is not converted (see its definition)',
  'core-call': 'the core calls .{member} through the struct; the member keeps its type',
  'member-kept': 'the member keeps its type: registrations move to .{to}',
  'export-symbol': 'symbol export; nothing to change',
  'in-comment': 'in a comment',
  'in-string': 'in a string literal',
  'define-kept': '{name} still used at {where}; define kept',
  'define-present': '{name} already defined',
  'call-unchanged': 'call of {fn}(): nothing to change here',
  'call-already-new': 'call of {fn}() already has the new arguments',
  'registration-follows': '.{member} = {fn} unchanged: {fn}() changes type with the member',
  'config-stand-in': '{fn} is #defined as a stand-in when the function is configured out; nothing to change',
  'member-read': 'reads .{member} without calling it; nothing to change',
  'not-old-shape': '{fn}() does not have the old form ({why}); left as it is',
  // manual
  'return-value': '{fn}() returns {values} ({lines}): {consequence}; convert it by hand (return a value the caller can no longer see, or log it)',
  'return-shape': '{fn}(): {why}; convert it by hand',
  'param-used': '{fn}() still uses parameter {param} ({how}) and the migration has no replacement for it: convert it by hand',
  'param-renamed-used': '{fn}() still uses {param} ({how}), which the new parameter {name} replaces: convert it by hand',
  'name-conflict': '{fn}() already uses the name {name}: rename the parameter by hand',
  'param-unfollowable': '{fn}() uses parameter {param} in a way the replacement cannot follow ({how}): convert it by hand',
  'return-value-used': '{fn}() is also called directly and its value is used here: change the caller by hand, then the function',
  'impl-other-use': '{fn}() is also used here ({how}), not only as .{member}: converting its type would break this use; convert it by hand',
  'definition-not-found': 'no definition of {fn}() found in the tree (made by a macro?): convert it by hand',
  'registration-in-macro': '.{member} registered inside a macro body: convert the macro by hand',
  'registration-value': '.{member} = {value}: not a function name the migration can follow; convert by hand',
  'registration-mismatch': '.{member} = {fn} but {fn}() {why}: the tree is half converted here',
  'call-arg': 'call of {fn}(): {message}',
  'call-arity': 'call of {fn}() with {count} arguments; the old form has {expected}',
  'call-through-unknown': '{what} through a pointer whose type is not visible here: check by hand',
  'macro-body': '{name} used inside a macro body: rewrite the macro by hand',
  'fn-pointer': '{what} has the old type: change it by hand',
  'error-node': 'tree-sitter cannot parse the code around {name}; not rewritten: check it by hand',
  'signature-unexpected': '{fn}(): {why}; check by hand',
  'half-converted': '{fn}(): {why}; this definition still has the old form: convert it by hand',
  'define-anchor-missing': 'no {after} in {file} to place {name} after: add the define by hand',
  'unrecognized': '{name} used here in a way the migration does not know: check by hand',
} as const;

export type KitCode = keyof typeof kitMessages;

export function renderKit(code: KitCode, params: Record<string, string | number> = {}): string {
  return renderWith(kitMessages[code], params);
}
