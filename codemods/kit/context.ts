// Per-file state shared by the kit's primitives: the edits planned so far,
// the sites reported, and which occurrences have ended somewhere (every
// occurrence of a name the migration cares about ends as exactly one site).
import type { SourceFile } from '../engine/migration.js';
import type { Edit, Site, SiteAction, SiteKind } from '../engine/types.js';
import { renderWith } from '../engine/codes.js';
import { renderKit, type KitCode } from './messages.js';
import type { SyntaxNode } from '../c/index.js';
import type { TypeChange } from './signature.js';
import { paramName } from './signature.js';
import type { CodeTable } from './spec.js';

export interface SiteExtras {
  symbol?: string;
  /** The change (its index in the file's `changes`) the site belongs to. */
  group?: string;
  changesBehaviour?: boolean;
  /** The rewrite relies on every other edit of the file (Site.needsFile). */
  needsFile?: boolean;
}

export class KitFile {
  readonly edits: Edit[] = [];
  readonly sites: Site[] = [];
  /** Offsets of occurrences that have a site. */
  readonly ended = new Set<number>();
  /** Edits made since the last rewritten site: a primitive edits, then reports the site they serve. */
  private pending: Edit[] = [];
  /** The code table of the change being applied (its `codes`), if any. */
  private table: CodeTable | undefined;

  /** `catalogue`: the migration's codes and templates, for the codes a change's table names. */
  constructor(
    readonly file: SourceFile,
    private readonly catalogue: Readonly<Record<string, string>> = {},
  ) {}

  /** Per definition (its start): a retyped parameter's old name → the new name a step chose for it there. */
  private readonly named = new Map<number, Map<string, string>>();

  /**
   * A step names a retyped parameter in one definition (VT-d's read of
   * drvdata into `sflags` removed: the parameter takes the local's name);
   * the kit's signature, kernel-doc, body check and forwarding calls follow.
   */
  nameParam(def: SyntaxNode, oldName: string, newName: string): void {
    (this.named.get(def.startIndex) ?? this.named.set(def.startIndex, new Map()).get(def.startIndex)!).set(oldName, newName);
  }

  /** The new name a step gave `oldName` in the definition `def`, if any. */
  paramNamed(def: SyntaxNode | null, oldName: string): string | undefined {
    return def ? this.named.get(def.startIndex)?.get(oldName) : undefined;
  }

  /** The change as it applies to one definition, with the names a step chose there. */
  changeFor(def: SyntaxNode, params: readonly SyntaxNode[], change: TypeChange): TypeChange {
    const names = this.named.get(def.startIndex);
    if (!names) return change;
    const decls = params.filter((p) => p.type === 'parameter_declaration');
    return {
      ...change,
      params: change.params.map((p) => {
        const mine = p.action === 'retype' ? names.get(paramName(decls[p.index]) ?? '') : undefined;
        return mine ? { ...p, name: mine } : p;
      }),
    };
  }

  /** Apply one change: its sites take the codes its table gives. */
  under(table: CodeTable | undefined, apply: () => void): void {
    const before = this.table;
    this.table = table;
    try {
      apply();
    } finally {
      this.table = before;
    }
  }

  get text(): string {
    return this.file.text;
  }

  edit(...edits: Edit[]): void {
    const own = edits.map((e) => ({ ...e }));
    this.edits.push(...own);
    this.pending.push(...own);
  }

  /** True when an edit already covers [start, end). */
  touched(start: number, end: number): boolean {
    return this.edits.some((e) => e.start < end && start < e.end);
  }

  site(offset: number, kind: SiteKind, action: SiteAction, code: KitCode, params: Record<string, string | number> = {}, extras: SiteExtras = {}): void {
    const { line, column } = this.file.lines.position(offset);
    const id = String(this.sites.length);
    // The edits made for this site serve it (Edit.sites): refused together, kept together.
    if (action === 'rewritten') for (const e of this.pending.splice(0)) e.sites = [...(e.sites ?? []), id];
    // A code the change's table renames is the migration's, in its words.
    const own = this.table && Object.hasOwn(this.table, code) ? this.table[code]! : undefined;
    const message = own !== undefined ? renderWith(this.catalogue[own] ?? own, params) : renderKit(code, params);
    this.sites.push({ path: this.file.path, line, column, kind, action, code: own ?? code, message, ...extras, id, offset });
  }

  /** Report the occurrence at `offset` (once). */
  end(offset: number, kind: SiteKind, action: SiteAction, code: KitCode, params: Record<string, string | number> = {}, extras: SiteExtras = {}): void {
    if (this.ended.has(offset)) return;
    this.ended.add(offset);
    this.site(offset, kind, action, code, params, extras);
  }
}
