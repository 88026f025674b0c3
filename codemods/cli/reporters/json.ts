// The `run --format json` object (docs/json.md).
import type { RunResult, Site } from '../../engine/types.js';

export function runToJson(r: RunResult, diff: string, extraPerSite?: (s: Site) => Record<string, unknown>): object {
  return {
    codemod: r.codemod,
    root: r.root,
    sites: r.sites.map((s) => {
      // The offset and the links between a file's edits and sites are the engine's, not printed.
      const { offset: _offset, id: _id, needsFile: _needsFile, changesBehaviour, ...rest } = s;
      return { ...rest, ...(changesBehaviour ? { changesBehaviour: true } : {}), ...(extraPerSite ? extraPerSite(s) : {}) };
    }),
    summary: { ...r.summary },
    parse: { ...r.parse, parseMs: Math.round(r.parse.parseMs) },
    diff,
  };
}
