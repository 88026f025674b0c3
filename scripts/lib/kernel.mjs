// Where the real kernel tree used by test:kernel and bench lives, and how to
// get it: Debian's linux-source-6.1 package, fetched with apt-get.
//
//   <cache>/linux-source-6.1_<version>_all.deb   the package (apt-get download)
//   <cache>/deb/                                 its contents (dpkg -x)
//   <cache>/linux-source-6.1/                    the extracted tree: READ-ONLY,
//                                                every user works on a copy
//
// <cache> is $XDG_CACHE_HOME/kmigrate, or ~/.cache/kmigrate.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { run, which } from './proc.mjs';

export const KERNEL_PACKAGE = 'linux-source-6.1';

export class KernelFetchError extends Error {
  constructor(message) {
    super(message);
    this.name = 'KernelFetchError';
  }
}

/** $XDG_CACHE_HOME/kmigrate, or ~/.cache/kmigrate (a relative XDG_CACHE_HOME is ignored, as the XDG spec says). */
export function kernelCacheDir(env = process.env) {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  return join(base, 'kmigrate');
}

/** The extracted tree's path (it may not exist yet). */
export function kernelTreeDir(cacheDir = kernelCacheDir()) {
  return join(cacheDir, KERNEL_PACKAGE);
}

function defaultLog(line) {
  process.stderr.write(`${line}\n`);
}

/** The newest linux-source-6.1_*.deb already in the cache, or undefined. */
function findDeb(cacheDir) {
  const debs = readdirSync(cacheDir)
    .filter((n) => n.startsWith(`${KERNEL_PACKAGE}_`) && n.endsWith('.deb'))
    .map((n) => ({ path: join(cacheDir, n), mtime: statSync(join(cacheDir, n)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  return debs[0]?.path;
}

function requireTool(name, why) {
  const found = which(name);
  if (!found) throw new KernelFetchError(`${name} not found: ${why}`);
  return found;
}

async function downloadDeb(cacheDir, log) {
  requireTool(
    'apt-get',
    `fetching the kernel tree needs apt-get (Debian 12 or a system with Debian's ${KERNEL_PACKAGE} in its apt sources).` +
      ` Alternatively extract a ${KERNEL_PACKAGE} tree yourself at ${kernelTreeDir(cacheDir)}`,
  );
  log(`apt-get download ${KERNEL_PACKAGE} (into ${cacheDir})`);
  let r = await run('apt-get', ['download', KERNEL_PACKAGE], { cwd: cacheDir });
  if (r.code !== 0) {
    log(`apt-get download failed; running apt-get update and trying again`);
    const u = await run('apt-get', ['update'], { cwd: cacheDir });
    if (u.code !== 0) {
      throw new KernelFetchError(
        `apt-get update failed (exit ${u.code}); are you root?\n${u.stderr.trim()}`,
      );
    }
    r = await run('apt-get', ['download', KERNEL_PACKAGE], { cwd: cacheDir });
  }
  if (r.code !== 0) {
    throw new KernelFetchError(
      `apt-get download ${KERNEL_PACKAGE} failed (exit ${r.code}). The package is in Debian 12 (bookworm and bookworm-security);` +
        ` check your apt sources.\n${r.stderr.trim()}`,
    );
  }
  const deb = findDeb(cacheDir);
  if (!deb) throw new KernelFetchError(`apt-get download succeeded but no ${KERNEL_PACKAGE}_*.deb is in ${cacheDir}`);
  return deb;
}

/**
 * Make sure <cache>/linux-source-6.1/Makefile exists, fetching and extracting
 * the package when needed, and return the tree's path. The tree is extracted
 * into a temporary folder and renamed into place, so an interrupted run never
 * leaves a half tree that looks complete. Throws KernelFetchError with a
 * message for people.
 */
export async function ensureKernelTree({ cacheDir = kernelCacheDir(), log = defaultLog } = {}) {
  const tree = kernelTreeDir(cacheDir);
  if (existsSync(join(tree, 'Makefile'))) return tree;

  mkdirSync(cacheDir, { recursive: true });
  const deb = findDeb(cacheDir) ?? (await downloadDeb(cacheDir, log));

  // dpkg -x is a wrapper around dpkg-deb -x; either will do.
  const unpacker = which('dpkg') ? 'dpkg' : which('dpkg-deb') ? 'dpkg-deb' : undefined;
  if (!unpacker) {
    throw new KernelFetchError(`neither dpkg nor dpkg-deb found: they are needed to unpack ${deb}`);
  }
  const debDir = join(cacheDir, 'deb');
  rmSync(debDir, { recursive: true, force: true });
  log(`${unpacker} -x ${deb} ${debDir}`);
  const x = await run(unpacker, ['-x', deb, debDir]);
  if (x.code !== 0) throw new KernelFetchError(`${unpacker} -x ${deb} failed (exit ${x.code}):\n${x.stderr.trim()}`);

  const tarball = join(debDir, 'usr', 'src', `${KERNEL_PACKAGE}.tar.xz`);
  if (!existsSync(tarball)) throw new KernelFetchError(`the package has no ${tarball}`);
  requireTool('tar', 'it is needed to extract the kernel tarball');
  requireTool('xz', 'it is needed to extract the kernel tarball (apt-get install xz-utils)');

  const tmp = join(cacheDir, `.extract-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  log(`tar -xJf ${tarball} (about a minute)`);
  const t = await run('tar', ['-xJf', tarball, '--no-same-owner', '-C', tmp]);
  if (t.code !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new KernelFetchError(`tar -xJf ${tarball} failed (exit ${t.code}):\n${t.stderr.trim()}`);
  }
  const extracted = join(tmp, KERNEL_PACKAGE);
  if (!existsSync(join(extracted, 'Makefile'))) {
    rmSync(tmp, { recursive: true, force: true });
    throw new KernelFetchError(`the tarball did not contain ${KERNEL_PACKAGE}/Makefile`);
  }
  if (existsSync(tree)) {
    // A tree without a Makefile is the remnant of an interrupted run.
    log(`removing incomplete ${tree}`);
    rmSync(tree, { recursive: true, force: true });
  }
  renameSync(extracted, tree);
  rmSync(tmp, { recursive: true, force: true });
  return tree;
}
