// The engine's own diagnostic codes, keyed by a stable id like a
// migration's messages (`{…}` filled per site). The engine reports with
// these whatever the migration; the catalogue of a run is these plus the
// migration's own (Migration.codes), and docs/codes.md lists them all.
export const engineMessages = {
  // manual: a whole file (or folder) the engine could not handle
  'not-utf8': 'file is not valid UTF-8; left untouched: convert it or edit it by hand',
  'unreadable': '{what} could not be read, so {missed}: {fix}',
  'internal-error': 'internal error while rewriting: {why}',
  // manual: a rewrite the engine refused, for the sites it served or for the whole file
  'edit-overlap': 'two rewrites overlap; {left} (was: {was})',
  'reparse-error': 'the rewritten file parses with {why}; {left} (was: {was})',
} as const;

export type EngineCode = keyof typeof engineMessages;

/** A message template with its `{…}` filled (a placeholder without a value stays as written): the engine's, the kit's and every migration's. */
export function renderWith(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}

export function renderEngine(code: EngineCode, params: Record<string, string | number> = {}): string {
  return renderWith(engineMessages[code], params);
}
