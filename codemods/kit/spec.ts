// A migration as data: the shape of a migration file (YAML), after the JSON
// Schema (migration.schema.json beside this file) has accepted it. The format
// is explained, one worked example per primitive, in docs/migration-format.md.
//
// Type spellings (`from`, `to`, `type`) are C as a kernel developer writes it:
// `void *`, `unsigned int`, `const struct i2c_device_id *`. They are compared
// with whitespace normalised.

/** A migration file. */
export interface MigrationSpec {
  /** kebab-case id (`platform-remove-void`); a file's id need not match its name. */
  id: string;
  /** The commit subject of the single patch, `area: Summary`. */
  subject: string;
  /** One line for `kmigrate list`. */
  summary: string;
  /** The upstream change this migration reproduces. */
  reference: string;
  /** The commit message body: paragraphs separated by blank lines. */
  rationale: string;
  /**
   * The commit subject's summary for one patch per driver or subsystem
   * (`Convert to platform remove callback returning void`); the prefix comes
   * from the path and MAINTAINERS. Defaults to the part of `subject` after
   * its prefix.
   */
  patchSummary?: string;
  /** The body of one patch per driver or subsystem; defaults to `rationale`. */
  patchBody?: string;
  /** A bundled model's name (`iommu-sva`, `platform-bus`, `i2c-core`), or absent: `check` says there is none. */
  model?: string;
  /** Behaviour changes the migration declares (ids its model knows). */
  declared?: string[];
  /** Kconfig options that build the drivers this migration touches, per architecture (`NAME`, `NAME=m`, `NAME=n`). */
  kconfig?: { x86_64?: string[]; arm64?: string[] };
  /** Names that must stay defined in the tree at every patch of a series (besides those the changes introduce). */
  defined?: string[];
  /** Bisectable steps for `format-patch --split-by step`; one step (the whole migration) when absent. */
  steps?: StepSpec[];
  /** TypeScript steps a bundled migration adds, by id: each must be one its folder's index.ts exports (codemods/kit/extension.ts). Not for files from elsewhere. */
  extensions?: string[];
  /**
   * The migration's own diagnostic codes, with their message templates
   * (`{…}` filled per site): what a change's `codes` table may name besides
   * the kit's codes and its TypeScript steps' (docs/codes.md).
   */
  messages?: Record<string, string>;
  changes: ChangeSpec[];
}

export interface StepSpec {
  id: string;
  subject: string;
  /** Paragraphs separated by blank lines. */
  body: string;
  /** Edits that name no step belong to the main step (the first when none is marked). */
  main?: boolean;
}

/** One change; exactly one key is present. */
export type ChangeSpec =
  | { rename: RenameSpec }
  | { function: FunctionSpec }
  | { member: MemberSpec }
  | { 'delete-initializer': DeleteInitializerSpec }
  | { 'add-define': AddDefineSpec }
  | { 'remove-define': RemoveDefineSpec }
  | { 'drop-include': DropIncludeSpec };

/** Rename a function, macro, constant or struct member everywhere it is used. */
export interface RenameSpec {
  from: string;
  to: string;
  /** What the name is; `member` renames only field names (`.from =`, `->from`, `x.from`, the declaration). */
  kind?: 'function' | 'macro' | 'constant' | 'member' | 'any';
  /** For a member: the struct it belongs to (declarations and designated initializers of other structs are left alone). */
  struct?: string;
  /** Leave the `#define` of the old name as it is (remove it with `remove-define` once nothing uses it). */
  keepDefine?: boolean;
  /** The era group of its sites (see FunctionSpec.group). */
  group?: string;
  /** Site codes: the kit's code → the code this migration reports instead (see CodeTable). */
  codes?: CodeTable;
  /** The step this change's edits belong to. */
  step?: string;
}

/**
 * A change's own names for the kit's site codes (`converted: signature`):
 * a site the kit reports with a code the table names gets the table's code,
 * worded by that code's template (the file's `messages`, a TypeScript
 * step's codes, or the kit's).
 */
export type CodeTable = Record<string, string>;

/** What happens to one parameter, for a function or an ops member. */
export interface ParamSpec {
  /** 0-based position in the old parameter list. */
  index: number;
  /** The old parameter's type; a function whose parameter differs is not of the old shape. */
  from?: string;
  /** retype: change its type (and name); remove: drop it; add: insert a new one at `index`. */
  action: 'retype' | 'remove' | 'add';
  /** New type (retype, add). */
  to?: string;
  /** New name (retype, add); a retyped parameter keeps its name when absent. */
  name?: string;
  /** Call sites: what to do with the argument. */
  args?: ArgRules;
  /**
   * remove: a body that still uses the parameter gets this declaration as its
   * first. `{name}` is the removed parameter's name in that function, `{0}`,
   * `{1}`… the names of its parameters. Without it, such a body is manual.
   */
  replacement?: string;
  /**
   * retype: the new kernel-doc description (`@name: <doc>`): the whole entry
   * of the old parameter (with its continuation lines) is replaced, and the
   * rewrite is a site of its own (`kernel-doc`). Without it the entry keeps
   * its words under the new name.
   */
  doc?: string;
  /** retype: other types that already count as the new one (`u32` for `unsigned int`): such a function is already converted. */
  alsoNew?: string[];
}

/** Per-argument rules at a call site. */
export interface ArgRules {
  /** Argument text (whitespace normalised) → new argument text (retype), e.g. `NULL: "0"`. */
  map?: Record<string, string>;
  /** remove: argument texts that may simply go (`THIS_MODULE`); `*` matches any text, `name(*)` any call of name. */
  drop?: string[];
  /** add: the value callers pass. */
  value?: string;
  /** Anything else: manual with this message (`{arg}` is the argument's text). */
  message?: string;
  /**
   * `step`: anything else is a TypeScript step's, which takes such calls
   * before the kit (a dataflow over `&flags`): it does not hold back the
   * conversion of a function called that way. Only with `extensions`.
   */
  others?: 'step';
}

/** int → void, with the rules for return statements. */
export interface ReturnSpec {
  from: string;
  to: 'void';
  /** What the caller did with the value (the core ignored it…): said in every manual site. */
  message?: string;
}

/** An API function: its definition, prototypes, `#else` stubs, kernel-doc, and calls. */
export interface FunctionSpec {
  name: string;
  params?: ParamSpec[];
  returns?: ReturnSpec;
  /** A call whose parse holds an ERROR node: `manual` reports it (`error-node`) and leaves it; rewritten by the rules when absent. */
  callsWithErrors?: 'manual' | 'rewrite';
  /** The era group of its sites (Site.group): changes that must agree on the API's shape name the same; its index in `changes` when absent. */
  group?: string;
  codes?: CodeTable;
  step?: string;
}

/** An ops-struct member, and the implementations registered in it. */
export interface MemberSpec {
  struct: string;
  member: string;
  params?: ParamSpec[];
  returns?: ReturnSpec;
  /** Move registrations of converted implementations to another member (`remove` → `remove_new`). */
  moveTo?: string;
  /** Change the member's declaration in the struct itself, and the core's calls through it. */
  retype?: boolean;
  /** A call whose parse holds an ERROR node: `manual` reports it (`error-node`) and leaves it; rewritten by the rules when absent. */
  callsWithErrors?: 'manual' | 'rewrite';
  /**
   * retype: a call through a pointer whose struct type is not visible
   * (`t->ops->m(...)`): `rewrite` applies the argument rules (the member's
   * name is the struct's own); `manual` (the default) reports it.
   */
  callsThroughUnknown?: 'manual' | 'rewrite';
  /** retype: a use of the member that is no call (`if (!ops->m)`) is reported (`member-read`, unchanged); silent when absent. */
  reportReads?: boolean;
  /** The era group of its sites (Site.group): changes that must agree on the API's shape name the same; its index in `changes` when absent. */
  group?: string;
  codes?: CodeTable;
  step?: string;
}

/** Delete `.member = value,` entries. */
export interface DeleteInitializerSpec {
  struct?: string;
  member: string;
  value: string;
  step?: string;
}

/** Add `#define name value` (with a comment) after a given define, in a given file. */
export interface AddDefineSpec {
  name: string;
  value: string;
  file: string;
  /** The define it goes right after. */
  after: string;
  /** The comment above it (without comment markers; one paragraph per line). */
  comment?: string;
  step?: string;
}

/** Remove `#define name` (and the comment right above it naming it) once nothing in the tree uses it. */
export interface RemoveDefineSpec {
  name: string;
  step?: string;
}

/** Drop `#include <header>` from a file the migration changed when nothing the header defines is used any more. */
export interface DropIncludeSpec {
  header: string;
  /**
   * Which files: `changed` (default), any file the migration changed;
   * `names-edited`, only a file where the migration renamed or removed a use
   * of a name the header defines (a file that already included it for
   * nothing keeps it).
   */
  when?: 'changed' | 'names-edited';
  /** The era group of its sites (see FunctionSpec.group). */
  group?: string;
  codes?: CodeTable;
  step?: string;
}
