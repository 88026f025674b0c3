// The type of a struct field a bind call passes, when the struct is declared
// in a header the file includes (the usual kernel case):
//
//	#include "cryh.h"                 struct cryh_ctx { unsigned int flags; ... };
//	int cryh_bind(struct cryh_ctx *ctx)
//	{
//		... iommu_sva_bind_device(dev, NULL, &ctx->flags);
//
// Learned in pass 1 (discover is the step that may read other files of the
// tree) and kept in the facts, per file, for the rewrite.
import * as path from 'node:path';
import { callArguments, enclosingFunction, ofType, parseC, unparen, type SyntaxNode } from '../../c/index.js';
import type { SourceFile } from '../../engine/migration.js';
import { OPS_FIELD } from './meta.js';
import { declarationType } from './types.js';

/** Headers read per file before the search gives up (nearest first). */
const MAX_HEADERS = 200;
/** Architectures whose include dirs kbuild would give a file outside arch/ (the migration's kconfig ones). */
const ARCHES = ['x86', 'arm64'];

/** `ctx -> flags` → `ctx->flags`: the key a field expression is stored under. */
export function fieldKey(n: SyntaxNode): string {
  return n.text.replace(/\s+/g, '');
}

/** Types of fields named `field` declared in this file's structs (plain declarators; others are 'pointer'). */
export function fieldTypesIn(root: SyntaxNode, field: string): string[] {
  const out: string[] = [];
  for (const fdecl of ofType(root, 'field_declaration')) {
    for (const d of fdecl.childrenForFieldName('declarator')) {
      if (d.type === 'field_identifier' && d.text === field) out.push(declarationType(fdecl));
      else if (ofType(d, 'field_identifier', (n) => n.text === field).length > 0) out.push('pointer');
    }
  }
  return out;
}

/**
 * The bind calls of a file, in source order: the API, a call through
 * `->sva_bind`, or a function whose name holds `bind` (implementations).
 * Found from the text (every name holding `bind`, then up to its call):
 * listing every call_expression of a big driver costs more than its parse.
 */
function bindCalls(file: SourceFile): SyntaxNode[] {
  const calls: SyntaxNode[] = [];
  for (const m of file.text.matchAll(/\b\w*bind\w*/g)) {
    const node = file.root.descendantForIndex(m.index!, m.index! + m[0].length);
    if (node.startIndex !== m.index || node.endIndex !== m.index + m[0].length) continue;
    let fn: SyntaxNode | null = null;
    if (node.type === 'identifier') fn = node;
    else if (node.type === 'field_identifier' && node.text === OPS_FIELD && node.parent?.type === 'field_expression') fn = node.parent;
    if (fn === null || (fn !== node && fn.childForFieldName('field')?.id !== node.id)) continue;
    const call = fn.parent;
    if (call?.type === 'call_expression' && call.childForFieldName('function')?.id === fn.id) calls.push(call);
  }
  // Source order as a walk of the tree gives it: an enclosing call before the calls inside it.
  return calls.sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
}

/**
 * For every bind call of `file` whose third argument is `&v->f`, `v->f`,
 * `&v.f` or `v.f` with no field `f` declared in the file: the type of `f`
 * in `struct S`, where `v` is declared `struct S *` (or `struct S`), found
 * through the file's includes. Keyed by fieldKey().
 */
export function headerFieldTypes(file: SourceFile, read: (p: string) => string | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!/\bbind\b|bind\w*\s*\(/.test(file.text)) return out;
  const wanted: Array<{ key: string; field: string; struct: string }> = [];
  for (const call of bindCalls(file)) {
    const arg = callArguments(call)[2];
    if (!arg) continue;
    let e = unparen(arg);
    if (e.type === 'pointer_expression' && e.child(0)?.type === '&') e = unparen(e.childForFieldName('argument')!);
    if (e.type !== 'field_expression') continue;
    const field = e.childForFieldName('field')?.text ?? '';
    const base = e.childForFieldName('argument');
    if (!field || base?.type !== 'identifier' || fieldTypesIn(file.root, field).length > 0) continue;
    const struct = structOf(base, call);
    if (struct) wanted.push({ key: fieldKey(e), field, struct });
  }
  if (wanted.length === 0) return out;
  for (const header of includedHeaders(file.path, file.text, read)) {
    for (const w of wanted) {
      if (out[w.key] || !new RegExp(`\\bstruct\\s+${w.struct}\\s*\\{`).test(header.text)) continue;
      const root = parseC(header.text).rootNode;
      const spec = ofType(root, 'struct_specifier', (s) => s.childForFieldName('name')?.text === w.struct && s.childForFieldName('body') !== null)[0];
      if (spec) out[w.key] = fieldTypesIn(spec, w.field);
    }
    if (wanted.every((w) => out[w.key])) break;
  }
  return out;
}

/** `S` when `v` is declared `struct S *v` or `struct S v` where `at` sees it (locals, parameters, file scope). */
function structOf(v: SyntaxNode, at: SyntaxNode): string | null {
  const fn = enclosingFunction(at);
  let root: SyntaxNode = at;
  while (root.parent) root = root.parent;
  const scopes = [...(fn ? [ofType(fn, ['declaration', 'parameter_declaration'])] : []), root.namedChildren.filter((n) => n.type === 'declaration')];
  for (const decls of scopes) {
    for (const decl of decls) {
      if (decl.startIndex > at.startIndex) continue;
      const names = decl.childrenForFieldName('declarator').flatMap((d) => (d.type === 'identifier' ? [d] : ofType(d, 'identifier')));
      if (!names.some((n) => n.text === v.text)) continue;
      const type = decl.childForFieldName('type');
      if (type?.type === 'struct_specifier') return type.childForFieldName('name')?.text ?? null;
      return null;
    }
  }
  return null;
}

/**
 * The headers `file` includes, directly and through each other, nearest
 * first, found where kbuild would look: `"x.h"` in the file's own folder,
 * then the `-I` folders of that folder's Makefile (`ccflags-y += -I$(src)/..`),
 * `include/`, `include/uapi/`, and the arch include dirs (the file's own
 * arch under arch/, else x86 and arm64).
 */
export function* includedHeaders(file: string, text: string, read: (p: string) => string | undefined): Generator<{ path: string; text: string }> {
  const seen = new Set<string>([file]);
  const queue: Array<{ path: string; text: string }> = [{ path: file, text }];
  const dirs = searchDirs(file, read);
  let count = 0;
  while (queue.length > 0 && count < MAX_HEADERS) {
    const cur = queue.shift()!;
    for (const m of cur.text.matchAll(/^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\r\n]+)[>"]/gm)) {
      const name = m[2]!.trim();
      const candidates = [...(m[1] === '"' ? [path.posix.join(path.posix.dirname(cur.path), name)] : []), ...dirs.map((d) => path.posix.join(d, name))];
      for (const c of candidates) {
        const p = path.posix.normalize(c);
        if (p.startsWith('..') || seen.has(p)) continue;
        const t = read(p);
        if (t === undefined) continue;
        seen.add(p);
        count++;
        queue.push({ path: p, text: t });
        yield { path: p, text: t };
        break;
      }
    }
  }
}

function searchDirs(file: string, read: (p: string) => string | undefined): string[] {
  const dir = path.posix.dirname(file);
  const arch = /^arch\/([^/]+)\//.exec(file)?.[1];
  const dirs: string[] = [];
  // -I flags of the folder's own Makefile: $(srctree)/x, $(src)/x, or a path from the root.
  const makefile = read(path.posix.join(dir, 'Makefile')) ?? '';
  for (const m of makefile.matchAll(/-I[ \t]*(\S+)/g)) {
    const raw = m[1]!.replace(/^\$\(srctree\)\/?/, '').replace(/^\$\((src|obj)\)/, dir);
    if (!raw.includes('$')) dirs.push(path.posix.normalize(raw || '.'));
  }
  dirs.push('include', 'include/uapi');
  for (const a of arch ? [arch] : ARCHES) dirs.push(`arch/${a}/include`, `arch/${a}/include/uapi`);
  return dirs;
}
