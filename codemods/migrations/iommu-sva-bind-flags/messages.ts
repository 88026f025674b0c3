// Every diagnostic this migration emits, keyed by a stable id: its
// TypeScript step's, and the words of the codes its kit changes report
// under their code tables (migration.yaml `codes`). The kit's own codes it
// reports unrenamed (define-added, include-removed, ...) keep the kit's words.
// Tests assert the ids; the words may improve.
import { renderWith } from '../../engine/codes.js';

export const messages = {
  // rewritten
  'call-null': 'third argument {arg} is no driver data: pass 0 (no flags)',
  'call-local-folded': '&{name} only carries {value}: pass {mapped} and drop the dead local',
  'call-pass-value': '&{name} carries flags by address: pass the value {name}',
  'call-forward': 'forwards the bind argument: pass flags',
  'signature': 'void *{param} -> unsigned int {name}',
  'kernel-doc': 'kernel-doc @{param} -> @{name}',
  'drvdata-read-removed': 'flags now arrive by value: the read through drvdata is gone',
  'rejects-flags': '{fn}() never used drvdata and supports no flag: it now rejects any flag (-EINVAL)',
  'flag-renamed': '{old} -> {new}',
  'flag-assignment-removed': 'assignment of {old} removed with its dead local',
  'define-removed': '{name} removed: nothing uses it any more',
  // unchanged, explained
  'call-already-flags': 'already passes flags ({arg})',
  'drvdata-read-kept': 'the read through drvdata stays: {fn}() is not converted (see its definition)',
  'call-zero': 'passes 0: no driver data before, no flags after',
  'signature-already-flags': 'already takes unsigned int flags',
  'ops-initializer': 'registers {name}() as an sva_bind implementation',
  'ops-test': 'reads the sva_bind pointer without calling it; nothing to change',
  'in-comment': 'in a comment',
  'in-string': 'in a string literal',
  'api-past-migration':
    '{name}() takes {count} parameters here (dev, mm): this tree is already past the migration (the third parameter is gone), so it does not apply; nothing to do',
  'api-past-migration-use': 'the API as it is after the migration moved on (see {where}); nothing to change',
  // manual
  'call-pointer-arg': 'third argument {arg} is a pointer, not flags: decide which IOMMU_SVA_BIND_* flags this caller means and pass them by hand',
  'call-field-type': '&{arg}: the type of field {field} is not visible in this file; if it is an integer flag word, pass {value}',
  'call-field-value-type': '{arg}: the type of field {field} is not visible in this tree; if it is an integer flag word the call is right as it is, if it is a pointer pass flags instead',
  'call-arity': 'call with {count} arguments; expected 3',
  'macro-body': '{name} used inside a macro body: rewrite the macro by hand',
  'fn-pointer': '{what} has the old sva_bind type (void * last parameter): change it to unsigned int flags by hand',
  'error-node': 'tree-sitter cannot parse the code around {name}; not rewritten: check it by hand',
  'unknown-flag': '{name} has no IOMMU_SVA_BIND_* equivalent: map it by hand',
  'drvdata-used': '{fn}() uses {param} in a way the migration cannot map ({how}): convert it by hand',
  'name-conflict': '{fn}() already uses the name {name}: rename the parameter by hand',
  'unrecognized': '{name} used here in a way the migration does not know: check by hand',
  'declaration-shared-line': 'the dead local {name} shares its line with other code: remove it by hand',
} as const;

export type MessageCode = keyof typeof messages;

export function render(code: MessageCode, params: Record<string, string | number> = {}): string {
  return renderWith(messages[code], params);
}

/** Sites that show the API before the migration: a signature with void *, a call passing a pointer. */
const OLD_ERA = new Set<string>([
  'signature',
  'call-null',
  'call-local-folded',
  'call-pass-value',
  'call-forward',
  'call-pointer-arg',
  'call-field-type',
  'drvdata-used',
] satisfies MessageCode[]);
/** Sites that show the API after it: unsigned int flags, flags passed by value. */
const NEW_ERA = new Set<string>(['signature-already-flags', 'call-already-flags'] satisfies MessageCode[]);

/** The era a site of this migration's code shows (its own or the kit's under the code table), `neither`, or undefined for a code not its own. */
export function eraOfCode(code: string): 'old' | 'new' | 'neither' | undefined {
  return OLD_ERA.has(code) ? 'old' : NEW_ERA.has(code) ? 'new' : Object.hasOwn(messages, code) ? 'neither' : undefined;
}
