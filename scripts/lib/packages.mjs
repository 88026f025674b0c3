// The Debian packages that building kernel objects (x86_64 and arm64) and
// checking patches need, and installing them when something is missing.
import { existsSync } from 'node:fs';
import { run, which } from './proc.mjs';

/** What apt-get installs when anything below is missing. */
export const BUILD_PACKAGES = [
  'make',
  'gcc',
  'libc6-dev',
  'flex',
  'bison',
  'bc',
  'libelf-dev',
  'libssl-dev',
  'gcc-aarch64-linux-gnu',
  'perl',
  'git',
  'patch',
  'xz-utils',
];

// command or header → the package that provides it
const NEEDED = [
  { what: 'make', kind: 'command', pkg: 'make' },
  { what: 'gcc', kind: 'command', pkg: 'gcc' },
  { what: 'flex', kind: 'command', pkg: 'flex' },
  { what: 'bison', kind: 'command', pkg: 'bison' },
  { what: 'bc', kind: 'command', pkg: 'bc' },
  { what: 'aarch64-linux-gnu-gcc', kind: 'command', pkg: 'gcc-aarch64-linux-gnu' },
  { what: 'perl', kind: 'command', pkg: 'perl' },
  { what: 'git', kind: 'command', pkg: 'git' },
  { what: 'patch', kind: 'command', pkg: 'patch' },
  { what: 'xz', kind: 'command', pkg: 'xz-utils' },
  // objtool (x86_64 prepare) links against libelf
  { what: '/usr/include/gelf.h', kind: 'file', pkg: 'libelf-dev' },
  { what: '/usr/include/openssl/opensslv.h', kind: 'file', pkg: 'libssl-dev' },
];

/** The commands and headers that are missing, each with its package. */
export function missingBuildTools() {
  return NEEDED.filter((n) => (n.kind === 'command' ? !which(n.what) : !existsSync(n.what)));
}

/**
 * Install BUILD_PACKAGES with apt-get when anything is missing.
 * Returns { installed: string[] } (empty when nothing was needed); throws an
 * Error with a message for people when apt-get is absent or fails.
 */
export async function ensureBuildPackages({ log = (l) => process.stderr.write(`${l}\n`) } = {}) {
  const missing = missingBuildTools();
  if (missing.length === 0) return { installed: [] };
  const names = missing.map((m) => `${m.what} (${m.pkg})`).join(', ');
  if (!which('apt-get')) {
    throw new Error(
      `missing: ${names}. apt-get is not available to install them; install these packages by hand: ${BUILD_PACKAGES.join(' ')}`,
    );
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(`missing: ${names}. Installing needs root: sudo apt-get install -y ${BUILD_PACKAGES.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`missing ${names}: apt-get update && apt-get install -y ${BUILD_PACKAGES.join(' ')}`);
  const u = await run('apt-get', ['update'], { env, capture: false });
  if (u.code !== 0) throw new Error(`apt-get update failed (exit ${u.code})`);
  const i = await run('apt-get', ['install', '-y', '--no-install-recommends', ...BUILD_PACKAGES], {
    env,
    capture: false,
  });
  if (i.code !== 0) throw new Error(`apt-get install failed (exit ${i.code})`);
  const still = missingBuildTools();
  if (still.length > 0) {
    throw new Error(`still missing after apt-get install: ${still.map((m) => m.what).join(', ')}`);
  }
  return { installed: [...BUILD_PACKAGES] };
}
