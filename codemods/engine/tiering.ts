// When V8 optimises: a run's JavaScript lasts about a second, and at V8's
// default interrupt budget (67,584 bytes of bytecode run by a function in
// Node 20) TurboFan compiled most of the diff's and the kit's loops. On the
// flagship's dry run of the tree that took about 340 ms of CPU, on threads
// competing with the two that work, for functions most of which then ran a
// few more times. With a budget of 3,000,000 only what runs long is
// optimised (the scan, and the kit on a treewide run): bench/README.md,
// 2026-12-02, has the runs.
//
// V8's flags are the process's, and V8 checks them against those Node's
// own compiled code was made with: a thread that boots after the change
// compiles Node's internal modules from source (a worker then took 60 to
// 85 ms to boot instead of 40). So the budget is raised once the threads
// have booted: by a worker thread as it starts (scan-worker.ts), or by the
// main thread after its walk when the run has no worker.
import { setFlagsFromString } from 'node:v8';

const INTERRUPT_BUDGET = 3_000_000;

let raised = false;

/** Raise V8's interrupt budget for the whole process (once is enough; again costs nothing). */
export function optimiseLate(): void {
  if (raised) return;
  raised = true;
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
}
