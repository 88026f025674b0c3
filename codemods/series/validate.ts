// The series validator: a base tree and a series in, a report out. The base
// tree is never written: every patch is applied to an overlay in memory; the
// build (with --build) happens in a separate hard-linked copy where changed
// files are written as new files.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyMigration } from '../engine/migration.js';
import { runMigration } from '../engine/run.js';
import { diskSource, overlaySource, type TreeSource } from '../io/source.js';
import type { RunResult } from '../engine/types.js';
import { changedModelTree, modelTree } from '../engine/model.js';
import { textReader } from '../c/text.js';
import { migrationModel } from '../models.js';
import {
  parsePatch,
  PatchApplyError,
  PathGuard,
  readSeriesReport,
  TreeOverlay,
  UnsafePathError,
  type FilePatch,
  type SeriesPatch,
} from '../patch/index.js';
import { compareBuilds, SeriesBuilder } from './build.js';
import { NameIndex } from './consistency.js';
import { IncrementalConsistency } from './incremental.js';
import type { PatchReport, SeriesProblem, SeriesReport } from './types.js';

export interface ValidateOptions {
  migration: AnyMigration;
  /** The base tree's real path, and how to name it in the report. */
  root: string;
  rootLabel: string;
  inputs: string[];
  build?: boolean;
  /** Where --build keeps its source copy and build directories. */
  workDir?: string;
  jobs?: number;
  onProgress?: (message: string) => void;
}

/** A series that cannot be read at all (exit 2): the file and line are in the message. */
export class SeriesInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeriesInputError';
  }
}

interface ParsedPatch {
  meta: SeriesPatch;
  files: FilePatch[];
  touched: string[];
}

export async function validateSeries(opts: ValidateOptions): Promise<SeriesReport> {
  const { migration, root } = opts;
  const say = opts.onProgress ?? (() => {});

  // 1. Read the whole series first: an unreadable one is exit 2 before any work.
  let read;
  try {
    read = await readSeriesReport(opts.inputs);
  } catch (err) {
    throw new SeriesInputError(err instanceof Error ? err.message : String(err));
  }
  const cover = read.patches.find((p) => p.isCover);
  const patches: ParsedPatch[] = [];
  for (const p of read.patches.filter((x) => !x.isCover)) {
    let files: FilePatch[];
    try {
      files = parsePatch(p.diff, { source: p.source.file, firstLine: p.diffLine || p.source.line, strip: p.strip });
    } catch (err) {
      throw new SeriesInputError(err instanceof Error ? err.message : String(err));
    }
    const touched = [...new Set(files.flatMap((f) => [f.oldPath, f.newPath]).filter((x): x is string => x !== null))].sort();
    patches.push({ meta: p, files, touched });
  }
  if (patches.length === 0) throw new SeriesInputError(`${opts.inputs.join(', ')}: no patch in the series`);
  const notes: SeriesProblem[] = read.notes.map((n) => ({ path: n.file, line: n.line, code: n.code, message: n.message, severity: 'note' }));

  // 2. Every path of every patch must stay inside the tree: checked before anything.
  const guard = new PathGuard(root);
  const unsafe = new Map<number, SeriesProblem[]>();
  patches.forEach((p, i) => {
    for (const path of p.touched) {
      try {
        guard.check(path);
      } catch (err) {
        const why = err instanceof UnsafePathError ? err.reason : String(err);
        (unsafe.get(i) ?? unsafe.set(i, []).get(i)!).push({ path, line: 0, code: 'unsafe-path', message: `refused: ${why}`, severity: 'error' });
      }
    }
  });

  // 3. kmigrate's own migration of the base: the files that matter, and the reference result.
  say('migrating the base tree');
  const baseResult = await runMigration(migration, diskSource(root), { rootLabel: opts.rootLabel, jobs: opts.jobs ?? 1 });
  const touchedAll = new Set(patches.flatMap((p) => p.touched).filter((p) => p.endsWith('.c') || p.endsWith('.h')));
  const scope = [...new Set([...baseResult.files.map((f) => f.path), ...touchedAll])].sort();
  const base = diskSource(root);
  const scoped = (changes: ReadonlyMap<string, string | null>): TreeSource => {
    const inner = overlaySource(base, changes);
    // The scope holds every file the base run parsed plus every file a patch
    // touches: complete for this migration, so not "limited".
    return { limited: false, list: () => scope.filter((p) => inner.read(p) !== undefined), read: inner.read };
  };

  const builder = opts.build && unsafe.size === 0 && opts.workDir ? new SeriesBuilder(root, opts.workDir, scope.filter((p) => p.endsWith('.c')), migration.meta.kconfig) : undefined;
  let buildSkip = !opts.build
    ? 'not requested'
    : unsafe.size > 0
      ? 'a patch writes outside the tree: nothing is built'
      : builder && builder.arches.length === 0
        ? `missing build tools: ${builder.missing.join(', ')}`
        : !existsSync(join(root, 'Makefile')) || !existsSync(join(root, 'scripts', 'Kbuild.include'))
          ? 'the base tree has no kbuild (top-level Makefile and scripts/Kbuild.include): nothing to build with'
          : undefined;
  if (builder && !buildSkip) {
    buildSkip = builder.lock();
    if (!buildSkip) {
      say('preparing the build copy');
      builder.init();
    }
  }
  try {
    return await validatePatches();
  } finally {
    builder?.unlock();
  }

  async function validatePatches(): Promise<SeriesReport> {
    // 4. Each patch in order, on the overlay.
    const overlay = new TreeOverlay(root);
    const reports: PatchReport[] = [];
    // Consistency is kept up to date patch by patch: the base's sites and
    // names once, then only what each patch touches (incremental.ts).
    const eras = new IncrementalConsistency(migration, baseResult, opts.rootLabel);
    const names = new NameIndex(migration);
    if (names.enabled) {
      const start = scoped(new Map());
      for (const path of start.list()) names.update(path, start.read(path));
    }
    let broken = false;
    for (const [i, p] of patches.entries()) {
      const report: PatchReport = {
        index: p.meta.index || i + 1,
        subject: p.meta.subject,
        ...(p.meta.author ? { author: p.meta.author } : {}),
        source: `${p.meta.source.file}:${p.meta.source.line}`,
        applies: false,
        consistent: false,
        build: 'skipped',
        problems: [],
      };
      reports.push(report);
      say(`patch ${i + 1}/${patches.length}: ${p.meta.subject}`);
      if (unsafe.has(i)) {
        report.problems.push(...unsafe.get(i)!);
        report.buildNote = 'not built: the patch was refused';
        broken = true;
        continue;
      }
      if (broken) {
        report.problems.push({ path: p.touched[0] ?? '', line: 0, code: 'not-applied', message: 'not tried: an earlier patch did not apply', severity: 'error' });
        report.buildNote = 'not built';
        continue;
      }
      // Only a build needs the state before the patch.
      const beforeState = builder && !buildSkip ? new Map(overlay.changes) : new Map<string, string | null>();
      try {
        overlay.apply(p.files);
        report.applies = true;
      } catch (err) {
        broken = true;
        if (err instanceof PatchApplyError) {
          report.problems.push({ path: err.path, line: err.line ?? 0, code: err.code, message: err.message, severity: 'error' });
        } else throw err;
        report.buildNote = 'not built: the patch does not apply';
        continue;
      }

      // Consistency: one signature everywhere (per group), every needed name defined.
      const now = scoped(overlay.changes);
      for (const path of p.touched) if (names.enabled && (path.endsWith('.c') || path.endsWith('.h'))) names.update(path, now.read(path));
      const problems = [...(await eras.afterPatch(now, p.touched)), ...names.problems()];
      report.consistent = problems.length === 0;
      report.problems.push(...problems);

      if (buildSkip || !builder) {
        report.build = 'skipped';
        report.buildNote = buildSkip ?? 'not requested';
      } else {
        let before;
        let after;
        try {
          builder.setState(beforeState);
          before = await builder.build(`s${i}`, p.touched);
          builder.setState(overlay.changes);
          after = await builder.build(`s${i + 1}`, p.touched);
        } catch (err) {
          // kbuild itself could not run (prepare failed): every later patch is
          // skipped with the same reason; this one's build fails with it.
          const why = err instanceof Error ? err.message : String(err);
          report.build = 'fail';
          report.buildNote = 'kbuild could not run';
          report.problems.push({ path: 'Makefile', line: 0, code: 'build-prepare-failed', message: why.split('\n')[0]!, severity: 'error' });
          buildSkip = `kbuild could not run: ${why.split('\n')[0]}`;
          continue;
        }
        const buildProblems = compareBuilds(before, after);
        report.build = buildProblems.length === 0 ? 'pass' : 'fail';
        const built = [...after].map(([arch, objs]) => `${arch}: ${[...objs.keys()].join(' ') || 'no object'}`).join('; ');
        report.buildNote = built;
        report.problems.push(...buildProblems.map((b) => ({ ...b, severity: 'error' as const })));
      }
    }

    // 5. The end state: complete, equivalent, and how it differs from kmigrate's.
    const final = await finalChecks(migration, opts, baseResult, scoped(overlay.changes), overlay.changes, broken);
    const ok = reports.every((r) => r.applies && r.consistent && r.build !== 'fail') && final.complete && final.equivalent;
    return {
      codemod: migration.meta.id,
      base: opts.rootLabel,
      ...(cover ? { cover: { subject: cover.subject, source: `${cover.source.file}:${cover.source.line}` } } : {}),
      notes,
      patches: reports,
      final,
      verdict: ok ? 'pass' : 'fail',
    };
  }
}

async function finalChecks(
  migration: AnyMigration,
  opts: ValidateOptions,
  baseResult: RunResult,
  finalSource: TreeSource,
  changes: ReadonlyMap<string, string | null>,
  broken: boolean,
): Promise<SeriesReport['final']> {
  const problems: SeriesProblem[] = [];
  const end = await runMigration(migration, finalSource, { rootLabel: opts.rootLabel });
  // A manual site kmigrate's own run of the base reports too (a tree already
  // half converted there) is no fault of the series: said, not failed.
  const manualInBase = new Set(baseResult.sites.filter((s) => s.action === 'manual').map((s) => `${s.path}:${s.code}:${s.message}`));
  const oldLeft = end.sites.filter((s) => s.action === 'rewritten' || (s.action === 'manual' && migration.eraOf(s) === 'old'));
  const left = oldLeft.filter((s) => s.action === 'rewritten' || !manualInBase.has(`${s.path}:${s.code}:${s.message}`));
  for (const s of oldLeft.filter((x) => !left.includes(x))) {
    problems.push({ path: s.path, line: s.line, code: 'old-api-left-as-in-base', message: `left for a person, as kmigrate's own run of the base leaves it: ${s.kind} (${s.message})`, severity: 'note' });
  }
  for (const s of left) problems.push({ path: s.path, line: s.line, code: 'old-api-left', message: `old API left: ${s.kind} (${s.message})`, severity: 'error' });
  const complete = !broken && left.length === 0;

  // The migration's model, site by site, base against result. Without a
  // model there is nothing to compare meaning with: a note says so.
  const baseSource = diskSource(opts.root);
  const readBase = textReader(baseSource);
  let equivalent = true;
  const calls: SeriesReport['final']['calls'] = [];
  const model = await migrationModel(migration);
  if (!model) {
    problems.push({ path: '', line: 0, code: 'no-model', message: 'no model: equivalence not checked', severity: 'note' });
  } else {
    const basePaths = baseResult.files.map((f) => f.path);
    const baseTree = modelTree(baseSource, opts.rootLabel, basePaths);
    const check = await model.check({ before: baseTree, after: changedModelTree(baseSource, basePaths, changes, 'the series'), declared: migration.meta.declared ?? [] });
    equivalent = check.ok;
    for (const s of check.sites) {
      const c = { environment: s.environment ?? '', before: s.before ?? '', after: s.after ?? '', reason: s.reason ?? '' };
      calls.push({ path: s.path, line: s.line, verdict: s.verdict, declared: s.declared, ...c });
      if (s.verdict !== 'equivalent') {
        problems.push({
          path: s.path,
          line: s.line,
          code: s.verdict === 'differs' ? 'meaning-differs' : 'meaning-unknown',
          message: s.verdict === 'differs' ? `this site means something else after the series: ${c.environment}: before ${c.before}; after ${c.after}` : `the model cannot tell: ${c.reason}`,
          severity: 'error',
        });
      }
    }
    for (const p of check.problems) problems.push({ path: p.path, line: p.line, code: p.code, message: p.message, severity: p.severity });
  }

  // How the result differs from kmigrate's own migration (information).
  const differsFromKmigrate: SeriesReport['final']['differsFromKmigrate'] = [];
  const ours = new Map(baseResult.files.filter((f) => f.status === 'changed').map((f) => [f.path, f.after!]));
  const paths = new Set([...ours.keys(), ...changes.keys()]);
  for (const p of [...paths].sort()) {
    const theirs = changes.has(p) ? changes.get(p) : readBase(p);
    const mine = ours.has(p) ? ours.get(p) : readBase(p);
    if (theirs === mine) continue;
    const line = firstDifferentLine(theirs ?? '', mine ?? '');
    const message =
      !changes.has(p) ? 'kmigrate changes this file; the series does not' : !ours.has(p) ? 'the series changes this file; kmigrate does not' : `first difference at line ${line} of the result`;
    differsFromKmigrate.push({ path: p, line, message });
    problems.push({ path: p, line, code: 'differs-from-kmigrate', message, severity: 'note' });
  }
  return { complete, equivalent, problems, differsFromKmigrate, calls };
}

function firstDifferentLine(a: string, b: string): number {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) if (la[i] !== lb[i]) return i + 1;
  return 0;
}
