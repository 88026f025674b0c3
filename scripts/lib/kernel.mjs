// Where the real kernel trees live, and how to get them: Debian's
// linux-source-<version> packages, fetched with apt-get. test:kernel and bench
// use linux-source-6.1 (the default); score:upstream also uses
// linux-source-6.12 as the upstream oracle.
//
//   <cache>/<pkg>_<version>_all.deb   the package (apt-get download)
//   <cache>/deb/                      linux-source-6.1's contents (dpkg -x)
//   <cache>/deb-<pkg>/                any other package's contents
//   <cache>/<pkg>/                    the extracted tree: READ-ONLY,
//                                     every user works on a copy
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
export function kernelTreeDir(cacheDir = kernelCacheDir(), pkg = KERNEL_PACKAGE) {
  return join(cacheDir, pkg);
}

/** A package name is handed to apt-get and used as a folder name: keep it plain. */
function checkPackage(pkg) {
  if (!/^linux-source-[0-9][0-9.]*$/.test(pkg)) {
    throw new KernelFetchError(`not a linux-source package name: ${JSON.stringify(pkg)} (expected e.g. linux-source-6.12)`);
  }
  return pkg;
}

function defaultLog(line) {
  process.stderr.write(`${line}\n`);
}

/** The newest <pkg>_*.deb already in the cache, or undefined. */
function findDeb(cacheDir, pkg) {
  const debs = readdirSync(cacheDir)
    .filter((n) => n.startsWith(`${pkg}_`) && n.endsWith('.deb'))
    .map((n) => ({ path: join(cacheDir, n), mtime: statSync(join(cacheDir, n)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  return debs[0]?.path;
}

function requireTool(name, why) {
  const found = which(name);
  if (!found) throw new KernelFetchError(`${name} not found: ${why}`);
  return found;
}

async function downloadDeb(cacheDir, pkg, log) {
  requireTool(
    'apt-get',
    `fetching the kernel tree needs apt-get (Debian 12 or a system with Debian's ${pkg} in its apt sources).` +
      ` Alternatively extract a ${pkg} tree yourself at ${kernelTreeDir(cacheDir, pkg)}`,
  );
  log(`apt-get download ${pkg} (into ${cacheDir})`);
  let r = await run('apt-get', ['download', pkg], { cwd: cacheDir });
  if (r.code !== 0) {
    log(`apt-get download failed; running apt-get update and trying again`);
    const u = await run('apt-get', ['update'], { cwd: cacheDir });
    if (u.code !== 0) {
      throw new KernelFetchError(
        `apt-get update failed (exit ${u.code}); are you root?\n${u.stderr.trim()}`,
      );
    }
    r = await run('apt-get', ['download', pkg], { cwd: cacheDir });
  }
  if (r.code !== 0) {
    throw new KernelFetchError(
      `apt-get download ${pkg} failed (exit ${r.code}). The package is in Debian 12 (bookworm and bookworm-security);` +
        ` check your apt sources.\n${r.stderr.trim()}`,
    );
  }
  const deb = findDeb(cacheDir, pkg);
  if (!deb) throw new KernelFetchError(`apt-get download succeeded but no ${pkg}_*.deb is in ${cacheDir}`);
  return deb;
}

/**
 * Make sure <cache>/<pkg>/Makefile exists (pkg defaults to linux-source-6.1), fetching and extracting
 * the package when needed, and return the tree's path. The tree is extracted
 * into a temporary folder and renamed into place, so an interrupted run never
 * leaves a half tree that looks complete. Throws KernelFetchError with a
 * message for people.
 */
export async function ensureKernelTree({ cacheDir = kernelCacheDir(), log = defaultLog, pkg = KERNEL_PACKAGE } = {}) {
  checkPackage(pkg);
  const tree = kernelTreeDir(cacheDir, pkg);
  if (existsSync(join(tree, 'Makefile'))) return tree;

  mkdirSync(cacheDir, { recursive: true });
  const deb = findDeb(cacheDir, pkg) ?? (await downloadDeb(cacheDir, pkg, log));

  // dpkg -x is a wrapper around dpkg-deb -x; either will do.
  const unpacker = which('dpkg') ? 'dpkg' : which('dpkg-deb') ? 'dpkg-deb' : undefined;
  if (!unpacker) {
    throw new KernelFetchError(`neither dpkg nor dpkg-deb found: they are needed to unpack ${deb}`);
  }
  // linux-source-6.1 keeps the folder it always had.
  const debDir = join(cacheDir, pkg === KERNEL_PACKAGE ? 'deb' : `deb-${pkg}`);
  rmSync(debDir, { recursive: true, force: true });
  log(`${unpacker} -x ${deb} ${debDir}`);
  const x = await run(unpacker, ['-x', deb, debDir]);
  if (x.code !== 0) throw new KernelFetchError(`${unpacker} -x ${deb} failed (exit ${x.code}):\n${x.stderr.trim()}`);

  const tarball = join(debDir, 'usr', 'src', `${pkg}.tar.xz`);
  if (!existsSync(tarball)) throw new KernelFetchError(`the package has no ${tarball}`);
  requireTool('tar', 'it is needed to extract the kernel tarball');
  requireTool('xz', 'it is needed to extract the kernel tarball (apt-get install xz-utils)');

  const tmp = join(cacheDir, `.extract-${pkg}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  log(`tar -xJf ${tarball} (about a minute)`);
  const t = await run('tar', ['-xJf', tarball, '--no-same-owner', '-C', tmp]);
  if (t.code !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new KernelFetchError(`tar -xJf ${tarball} failed (exit ${t.code}):\n${t.stderr.trim()}`);
  }
  const extracted = join(tmp, pkg);
  if (!existsSync(join(extracted, 'Makefile'))) {
    rmSync(tmp, { recursive: true, force: true });
    throw new KernelFetchError(`the tarball did not contain ${pkg}/Makefile`);
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
