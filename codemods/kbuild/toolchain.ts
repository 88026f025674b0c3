// The toolchain kbuild needs: the two arches kmigrate builds for, their
// folders under arch/, the cross compiler each needs on this host, and
// whether the programs are on PATH (checked only; nothing is installed).
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';

export type KernelArch = 'x86_64' | 'arm64';
export const KERNEL_ARCHES: readonly KernelArch[] = ['x86_64', 'arm64'];

/** kbuild's SRCARCH: the folder under arch/. */
export function srcArch(arch: KernelArch): string {
  return arch === 'x86_64' ? 'x86' : 'arm64';
}

/** The CROSS_COMPILE prefix for `arch` on this host ('' when native). */
export function crossCompileFor(arch: KernelArch, hostArch: string = process.arch): string {
  if (arch === 'x86_64') return hostArch === 'x64' ? '' : 'x86_64-linux-gnu-';
  return hostArch === 'arm64' ? '' : 'aarch64-linux-gnu-';
}

function findExecutable(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

export interface ToolCheck {
  ok: boolean;
  /** Commands not found on PATH. */
  missing: string[];
}

/**
 * Are the programs that kbuild needs on PATH? make, gcc, flex, bison, bc, and
 * the cross compiler of every arch in `arches` (by default both, so on an
 * x86_64 host aarch64-linux-gnu-gcc). Checks only; installs nothing.
 */
export function ensureBuildTools(arches: readonly KernelArch[] = KERNEL_ARCHES): ToolCheck {
  const tools = ['make', 'gcc', 'flex', 'bison', 'bc'];
  for (const arch of arches) {
    const cross = crossCompileFor(arch);
    if (cross) tools.push(`${cross}gcc`);
  }
  const missing = tools.filter((t) => !findExecutable(t));
  return { ok: missing.length === 0, missing };
}
