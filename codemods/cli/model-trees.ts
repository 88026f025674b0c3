// The two trees a model compares when kmigrate migrates in memory: the tree
// on disk, and kmigrate's own migration of it laid over it. Shared by `check`
// and `run --format json`; and which run site each model verdict belongs to.
import { changedModelTree, modelTree, type ModelSite, type ModelTree } from '../engine/model.js';
import { diskSource } from '../io/source.js';
import type { RunResult, Site } from '../engine/types.js';

export function modelTrees(root: string, label: string, result: RunResult): { before: ModelTree; after: ModelTree } {
  // Every file the run parsed: the model finds its sites among them itself.
  const paths = result.files.map((f) => f.path);
  const changes = new Map<string, string | null>();
  for (const f of result.files) if (f.status === 'changed') changes.set(f.path, f.after!);
  const tree = diskSource(root);
  return { before: modelTree(tree, label, paths), after: changedModelTree(tree, paths, changes, `kmigrate's migration of ${label}`) };
}

/**
 * Which run site each model verdict belongs to. A model that judges calls
 * names the call's line: the site at that path:line (a `call` first, when
 * several share the line). A model that judges functions names the
 * function: the site of that path whose symbol is the function, when no
 * site is at the line itself.
 */
export function verdictsBySite(sites: readonly Site[], judged: readonly ModelSite[]): Map<Site, Record<string, unknown>> {
  const out = new Map<Site, Record<string, unknown>>();
  const atLine = new Map<string, Site[]>();
  for (const s of sites) {
    const key = `${s.path}:${s.line}`;
    (atLine.get(key) ?? atLine.set(key, []).get(key)!).push(s);
  }
  for (const m of judged) {
    const here = atLine.get(`${m.path}:${m.line}`) ?? [];
    const site =
      here.find((s) => s.kind === 'call') ??
      here.find((s) => m.function !== undefined && s.symbol === m.function) ??
      here[0] ??
      (m.function !== undefined ? sites.find((s) => s.path === m.path && s.symbol === m.function && !out.has(s)) : undefined);
    if (!site || out.has(site)) continue;
    out.set(site, { verdict: m.verdict, declared: m.declared, ...(m.verdict === 'equivalent' ? {} : { environment: m.environment ?? '', reason: m.reason ?? '' }) });
  }
  return out;
}
