#!/usr/bin/env node
// The installed command (package.json's bin, through the bundle that
// scripts/bundle.mjs makes of this file): main.ts run as the process.
// Before main.ts and the command's modules load (about 80 ms), a `run`
// starts its worker threads, which boot meanwhile (helpers.ts startEarly:
// the run takes them; runAsProcess stops any it did not); this file
// imports only what that takes.
import { setFlagsFromString } from 'node:v8';
import { startEarly } from '../engine/helpers.js';
import { earlyWorkers } from './jobs.js';

const INTERRUPT_BUDGET = 3_000_000;

// V8 optimises a function with TurboFan once it has run a budget of
// bytecode, its interrupt budget (67,584 by default in Node 20). In a run
// of about a second that is most of the diff's and the kit's loops: on the
// flagship's dry run of the tree, TurboFan spent about 340 ms of CPU, on
// threads competing with the two that work, compiling functions most of
// which then ran a few more times. With a budget of 3,000,000 only what
// runs long is optimised (the scan, on a large run the kit): 24 runs of
// the flagship took 0.93 s instead of 1.03 s (median), and treewide
// platform-remove-void runs about 20.5 s instead of 22.5 s (bench/README.md,
// 2026-12-02). V8's flags are the process's: the worker threads get the
// same budget.
setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);

const argv = process.argv.slice(2);
startEarly(earlyWorkers(argv));
const { runAsProcess } = await import('./main.js');
await runAsProcess(argv);
