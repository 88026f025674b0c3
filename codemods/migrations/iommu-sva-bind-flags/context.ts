// Per-file state shared by the steps: the edits planned so far, the sites
// reported, and which occurrences of the API's names have ended somewhere
// (the kit's own, when the steps run inside the kit's migration).
import type { SourceFile } from '../../engine/migration.js';
import type { KitFile } from '../../kit/context.js';
import { isClaimed } from '../../engine/edits.js';
import type { Edit, Site, SiteAction, SiteKind } from '../../engine/types.js';
import type { Facts } from './facts.js';
import { render, type MessageCode } from './messages.js';
import { ERA_GROUP, type FlagStep } from './meta.js';

export type Role = 'api' | 'impl' | 'field' | 'flag';

/** One textual occurrence of a name the migration cares about. */
export interface Occurrence {
  offset: number;
  name: string;
  role: Role;
}

export class FileContext {
  readonly edits: Edit<FlagStep>[];
  readonly sites: Site[];
  /** Occurrence offsets that have a site. */
  readonly ended: Set<number>;
  /** function_declarator node ids already dealt with (not reported as old-type pointers). */
  readonly handledDeclarators = new Set<number>();
  /** Edits made since the last rewritten site: a step edits, then reports the site they serve. */
  private pending: Edit<FlagStep>[] = [];

  /** `kit`: the kit's file (kit/context.ts), whose edits, sites and ended occurrences these are. */
  constructor(
    readonly file: SourceFile,
    readonly facts: Facts,
    readonly kit: KitFile,
  ) {
    // The kit's list holds edits of any step; the steps here only add edits of the flagship's steps.
    this.edits = kit.edits as Edit<FlagStep>[];
    this.sites = kit.sites;
    this.ended = kit.ended;
  }

  get text(): string {
    return this.file.text;
  }

  edit(...edits: Edit<FlagStep>[]): void {
    const own = edits.map((e) => ({ ...e }));
    this.edits.push(...own);
    this.pending.push(...own);
  }

  claimed(start: number, end: number): boolean {
    return isClaimed(this.edits.filter((e) => e.text === ''), start, end);
  }

  site(offset: number, kind: SiteKind, action: SiteAction, code: MessageCode, params: Record<string, string | number> = {}): void {
    const { line, column } = this.file.lines.position(offset);
    const id = String(this.sites.length);
    // The edits made for this site serve it (Edit.sites).
    if (action === 'rewritten') for (const e of this.pending.splice(0)) e.sites = [...(e.sites ?? []), id];
    // One era group with the kit's changes (migration.yaml: group): the series
    // validator re-checks a group's files together, and a registration's file
    // belongs with the implementation it registers.
    this.sites.push({ path: this.file.path, line, column, kind, action, code, message: render(code, params), group: ERA_GROUP, id, offset });
  }

  /** Report an occurrence (once). */
  end(occ: Occurrence, kind: SiteKind, action: SiteAction, code: MessageCode, params: Record<string, string | number> = {}): void {
    if (this.ended.has(occ.offset)) return;
    this.ended.add(occ.offset);
    this.site(occ.offset, kind, action, code, { name: occ.name, ...params });
  }
}
