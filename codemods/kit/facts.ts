// The facts a kit migration learns across the tree and the plan it follows,
// shared by build.ts (which learns and merges them), analysis.ts (which
// judges implementations) and rewrite.ts (which follows the judgement); apart
// from build.ts so that those two need not import it back.
import type { KitCode } from './messages.js';
import type { FormVerdict } from './signature.js';
import type { ChangeSpec, MemberSpec, MigrationSpec } from './spec.js';

/** What one occurrence of a registered name tells, per member change (its index). */
export type SurveyEntry =
  | { path: string; line: number; kind: 'def'; global: boolean; forms: Record<string, FormVerdict>; bodies: Record<string, Block | null> }
  | { path: string; line: number; kind: 'use'; blocks: Record<string, Block | null> };

/** Why a function cannot be converted: a manual site's code and words. */
export interface Block {
  code: KitCode;
  params: Record<string, string | number>;
}

/** One registration of an implementation: `.remove = foo_remove` at path:line. */
export interface RegRecord {
  path: string;
  line: number;
  /** Registered in the member's new place already (`.remove_new = fn`). */
  moved: boolean;
}

export type Verdict =
  | { v: 'convert'; what: string }
  | { v: 'manual'; code: KitCode; params: Record<string, string | number>; where: string }
  | { v: 'new'; what: string }
  | { v: 'other'; why: string }
  | { v: 'missing' };

export interface KitFacts {
  limited: boolean;
  /** Per member change (its index in `changes`): function → registrations. */
  regs: Record<string, Record<string, RegRecord[]>>;
  /**
   * Per member change: implementation unit → what becomes of it (after pass
   * 2). A unit is one function: `name@path` for a definition local to the
   * file that uses the name, `name@path1,path2` for external definitions.
   */
  verdicts: Record<string, Record<string, Verdict>>;
  /** Registered name → where it is defined, and whether that definition is visible from other files. */
  defs: Record<string, { path: string; global: boolean }[]>;
  /** Registered name → what each of its code occurrences tells (pass 1, per file). */
  occ: Record<string, SurveyEntry[]>;
  /** drop-include header → the names it defines. */
  headerNames: Record<string, string[]>;
  /** add-define names already defined somewhere. */
  definePresent: Record<string, boolean>;
  /** remove-define name → the file that defines it. */
  defineFile: Record<string, string>;
  /** remove-define name → code uses left after round 1 ("path:line"). */
  residual: Record<string, string[]>;
  /** The facts of each TypeScript step (extension.ts), by its id. */
  ext: Record<string, unknown>;
}

/**
 * The function a name means in a file: the file's own definition when it has
 * one (two drivers' `static int foo_remove()` are two functions), else the
 * definitions visible from elsewhere (not static, or in a header).
 */
export function unitOf(facts: KitFacts, fn: string, path: string): string {
  const defs = facts.defs[fn] ?? [];
  if (defs.some((d) => d.path === path && !d.global)) return `${fn}@${path}`;
  const global = [...new Set(defs.filter((d) => d.global).map((d) => d.path))].sort();
  return `${fn}@${global.join(',') || '?'}`;
}

/** A change with its position in the file (its id in facts). */
export interface Indexed<T> {
  index: number;
  spec: T;
}

/** The changes of a spec by kind. */
export interface Plan {
  spec: MigrationSpec;
  members: Indexed<MemberSpec>[];
  functions: Indexed<Extract<ChangeSpec, { function: unknown }>['function']>[];
  renames: Indexed<Extract<ChangeSpec, { rename: unknown }>['rename']>[];
  deletes: Indexed<Extract<ChangeSpec, { 'delete-initializer': unknown }>['delete-initializer']>[];
  addDefines: Indexed<Extract<ChangeSpec, { 'add-define': unknown }>['add-define']>[];
  removeDefines: Indexed<Extract<ChangeSpec, { 'remove-define': unknown }>['remove-define']>[];
  dropIncludes: Indexed<Extract<ChangeSpec, { 'drop-include': unknown }>['drop-include']>[];
  /** The migration's codes and their templates (the kit's, the file's `messages`, its steps'), for the changes' code tables. */
  catalogue?: Readonly<Record<string, string>>;
}
