#!/usr/bin/env node
// The installed command (package.json's bin, through the bundle that
// scripts/bundle.mjs makes of this file): main.ts run as the process.
import { runAsProcess } from './main.js';

void runAsProcess(process.argv.slice(2));
