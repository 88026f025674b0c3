// Building kernel objects with the tree's own kbuild, to prove that a
// rewritten file still compiles and adds no warnings.
//
// Out-of-tree builds only (`make O=<buildDir>`): the source tree is never
// written to, so it may be a hard-linked copy of a read-only tree, and one
// prepared build dir per arch serves every patch of a series:
//
//   prepareBuild  once per arch: defconfig, the options of kconfigOptions(),
//                 olddefconfig, prepare (reused when nothing changed)
//   buildObjects  per state of the tree: only the touched objects, each
//                 forced to recompile so that its warnings are seen
//   compareWarnings  what the after-state adds to the before-state
//
// The rooms: toolchain.ts (arches, cross compilers, tools on PATH),
// config.ts (Kconfig options, .config, prepareBuild), make.ts (running make,
// buildObjects), diagnostics.ts (reading a build log), makefile.ts (reading
// kbuild Makefiles) and objects.ts (planObjects).
//
// This layer returns data and never prints; the caller decides what to show.
export { crossCompileFor, ensureBuildTools, KERNEL_ARCHES, type KernelArch } from './toolchain.js';
export {
  buildDirName,
  kconfigOptions,
  parseKconfig,
  prepareBuild,
  readBuildConfig,
  type ArchKconfig,
} from './config.js';
export { buildObjects } from './make.js';
export {
  attributeDiagnostics,
  compareWarnings,
  parseDiagnosticLine,
  parseDiagnostics,
} from './diagnostics.js';
export { objectsFor, planObjects } from './objects.js';
