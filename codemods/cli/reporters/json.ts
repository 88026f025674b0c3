// The `run --format json` object (docs/json.md).
import type { RunResult, Site } from '../../engine/types.js';

export function runToJson(r: RunResult, diff: string, extraPerSite?: (s: Site) => Record<string, unknown>): object {
  return {
    codemod: r.codemod,
    root: r.root,
    sites: r.sites.map((s) => {
      const { offset: _offset, changesBehaviour, ...rest } = s;
      return { ...rest, ...(changesBehaviour ? { changesBehaviour: true } : {}), ...(extraPerSite ? extraPerSite(s) : {}) };
    }),
    summary: { ...r.summary },
    parse: { ...r.parse, parseMs: Math.round(r.parse.parseMs) },
    diff,
  };
}
