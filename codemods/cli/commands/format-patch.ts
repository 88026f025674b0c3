// kmigrate format-patch <codemod> [-C dir] [-o dir] [--split | --split-by driver|subsystem|step]
//   [--prefix-map file] [--to addr]... [--cc addr]... [--signoff|--no-signoff]
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diskSource } from '../../io/source.js';
import { FileSetWriteError, writeFileSet } from '../../io/write.js';
import { singleStep, splitIntoSteps, type StepChange } from '../../engine/steps.js';
import { formatSeries, unifiedDiff, type SeriesCommit } from '../../patch/index.js';
import { authorDate, baseCommit, gitIdentity } from '../git.js';
import { Exit, ioReason, UsageError, type CliIo } from '../io.js';
import { migrateWithProgress } from '../migrate.js';
import { siteLine } from '../reporters/text.js';
import { requireKernelTree, requireMigration } from '../tree.js';
import { parseJobs } from '../jobs.js';
import { prefixMapError, SUBJECT_MAX, type PrefixMap } from '../../patch/prefix.js';
import { splitSeries } from '../split-series.js';
import { statusLine } from '../progress.js';
import { cacheDir } from './validate-series.js';

export interface FormatPatchFlags {
  dir: string;
  output?: string;
  split?: boolean;
  splitBy?: string;
  prefixMap?: string;
  to?: string[];
  cc?: string[];
  signoff: boolean;
}

const MODES = ['driver', 'subsystem', 'step'];

function readPrefixMap(file: string, cwd: string): PrefixMap {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(resolve(cwd, file), 'utf8'));
  } catch (err) {
    throw new UsageError(`--prefix-map ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const bad = prefixMapError(value);
  if (bad) throw new UsageError(`--prefix-map ${file}: ${bad}`);
  return value as PrefixMap;
}

export async function formatPatchCommand(codemod: string, flags: FormatPatchFlags, io: CliIo): Promise<number> {
  const migration = requireMigration(codemod, io.cwd);
  if (flags.splitBy !== undefined && !MODES.includes(flags.splitBy)) throw new UsageError(`--split-by must be driver, subsystem or step (got '${flags.splitBy}')`);
  if (flags.split && flags.splitBy !== undefined && flags.splitBy !== 'step') throw new UsageError(`--split is --split-by step; it cannot go with --split-by ${flags.splitBy}`);
  const mode = flags.splitBy ?? (flags.split ? 'step' : undefined);
  const prefixMap = flags.prefixMap ? readPrefixMap(flags.prefixMap, io.cwd) : {};
  const root = requireKernelTree(flags.dir, io.cwd);
  const who = gitIdentity(root);
  // git signs off as the committer; without one anywhere, as the author.
  const signer = gitIdentity(root, process.env, 'committer') ?? who;
  if (!who) throw new UsageError('no identity for From: and Signed-off-by: set user.name and user.email in the tree\'s git config, or GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL');
  const result = await migrateWithProgress(migration, diskSource(root), io, { rootLabel: flags.dir, jobs: parseJobs(undefined), countErrors: false });
  const manual = result.sites.filter((s) => s.action === 'manual');
  for (const s of manual) io.stderr(siteLine(s) + '\n');
  if (result.summary.filesChanged === 0) {
    io.stderr(`kmigrate format-patch: ${codemod} changes nothing in ${flags.dir}; no patch written\n`);
    return manual.length > 0 ? Exit.needsAttention : Exit.ok;
  }

  const date = authorDate();
  const author = { authorName: who.name, authorEmail: who.email, date };
  let commits: SeriesCommit[];
  let coverBody = migration.meta.rationale.join('\n\n') + '\n';
  if (mode === 'driver' || mode === 'subsystem') {
    const status = statusLine(io.stderrIsTTY, io.stderr);
    const series = await splitSeries(migration, result, root, mode, prefixMap, join(cacheDir(), 'get-maintainer'), status.say);
    status.clear();
    commits = series.patches.map((p) => ({ ...author, subject: p.subject, body: p.body, diff: p.diff, to: p.recipients.to, cc: p.recipients.cc }));
    coverBody = series.coverBody;
    const prefixed = series.patches.filter((p) => p.prefixed).length;
    const long = series.patches.filter((p) => p.subject.length > SUBJECT_MAX).length;
    const addressed = series.patches.filter((p) => p.recipients.to.length > 0 || (flags.to ?? []).length > 0).length;
    io.stderr(
      `kmigrate format-patch: split by ${mode}: ${series.patches.length} patch(es), ${prefixed} with a subsystem prefix, ${long} subject(s) over ${SUBJECT_MAX} characters, ${addressed} with a To:` +
        (series.lookup ? ` (get_maintainer.pl: ${series.lookup.runs} run(s), ${series.lookup.reused} answer(s) shared)` : ' (no scripts/get_maintainer.pl: only --to/--cc)') +
        '\n',
    );
  } else {
    const steps: StepChange[] = mode === 'step' ? splitIntoSteps(result, migration.meta) : [singleStep(result, migration.meta)];
    commits = steps.map((s) => ({
      ...author,
      subject: s.step.subject,
      body: s.step.body.join('\n\n') + '\n',
      diff: s.files.map((f) => unifiedDiff(f.path, f.before, f.after)).join(''),
    }));
  }
  const base = baseCommit(root);
  const whole = commits.length > 1 ? singleStep(result, migration.meta) : undefined;
  const files = formatSeries(commits, {
    signoff: flags.signoff,
    ...(signer ? { signoffBy: signer } : {}),
    to: flags.to ?? [],
    cc: flags.cc ?? [],
    ...(base ? { baseCommit: base } : {}),
    ...(whole
      ? {
          cover: {
            date,
            subject: migration.meta.subject,
            body: coverBody,
            diff: whole.files.map((f) => unifiedDiff(f.path, f.before, f.after)).join(''),
          },
        }
      : {}),
  });
  writeMails(resolve(io.cwd, flags.output ?? '.'), flags.output ?? '.', files);
  for (const f of files) io.stdout(join(flags.output ?? '.', f.fileName) + '\n');
  io.stderr(`kmigrate format-patch: ${files.length} file(s) in ${flags.output ?? '.'}${manual.length ? `; ${manual.length} site(s) need manual work and are not in the patches` : ''}\n`);
  return manual.length > 0 ? Exit.needsAttention : Exit.ok;
}

/**
 * Write every mail or none: each goes to a temporary file in `outDir` first,
 * and only when all are written are they renamed into place. A folder that
 * cannot be made or written (a file in the way, no permission, a full disk)
 * is a usage error naming it (exit 2), with nothing left behind.
 */
function writeMails(outDir: string, label: string, files: readonly { fileName: string; text: string }[]): void {
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (err) {
    throw new UsageError(`-o ${label}: cannot create the output folder: ${ioReason(err)}`);
  }
  if (!statSync(outDir).isDirectory()) throw new UsageError(`-o ${label}: not a folder`);
  try {
    writeFileSet(outDir, files.map((f) => ({ name: f.fileName, text: f.text })));
  } catch (err) {
    if (err instanceof FileSetWriteError) throw new UsageError(`-o ${label}: cannot write ${err.file}: ${ioReason(err.cause)}`);
    throw err;
  }
}
