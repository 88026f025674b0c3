// A syntax tree holds native memory the JavaScript heap does not see: the
// collector, judging by a small heap, may let thousands of dead trees pile
// up (gigabytes on a treewide run), or a few large ones (a 10 MB file's tree
// is about 215 MB). A thread that parses asks for a collection now and then,
// and lets the event loop turn so that the trees' native finalizers run.
//
// Each node object the binding hands out stays in its tree's cache until its
// finalizer has run, and editing a tree (the guard's incremental re-parse)
// updates every node object in that cache, dead or alive: on a large file,
// edits × node objects. `freeDeadTrees` (c/collect.ts) before editing a large
// tree empties it.
import { collector, freeDeadTrees } from '../c/collect.js';

/**
 * Text length (UTF-16 units) from which a file is large: its tree is
 * collected as soon as it is dead, and node objects are collected before it
 * is edited. Below it, a full collection would cost more than it saves.
 */
export const LARGE_TEXT = 256 * 1024;

let parses = 0;
let largeTrees = 0;

/** Note a tree made of `chars` UTF-16 units of text (a large one is collected after its job). */
export function noteTree(chars: number): void {
  if (chars >= LARGE_TEXT) largeTrees++;
}

/**
 * After a job: when it made a large tree, collect it now, before the next
 * parse puts another beside it; otherwise count one parse and, every
 * `every` parses, make a minor collection.
 */
export async function afterParse(every = 16): Promise<void> {
  if (largeTrees > 0) {
    largeTrees = 0;
    parses = 0;
    await freeDeadTrees();
    return;
  }
  if (++parses % every !== 0) return;
  // A minor collection: dead trees' wrappers are young, and a full one would
  // walk every result kept so far (hundreds of megabytes of texts) each time.
  collector()({ type: 'minor' });
  await new Promise<void>((resolve) => setImmediate(resolve));
}
