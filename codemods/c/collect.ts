// Freeing syntax trees. A tree's memory is native, invisible to the
// JavaScript heap, and freed only when its wrapper object is collected and
// the binding's finalizers have run, which they do on a later turn of the
// event loop, not during the collection. The collector, judging by a small
// heap, may let thousands of dead trees pile up (gigabytes on a treewide
// run), or a few large ones (a 10 MB file's tree is about 215 MB). So a
// thread that parses notes each tree it is done with and, after each job,
// asks for a collection now and then (afterParse): the engine's jobs and the
// models' reading of a tree alike.
//
// Each node object the binding hands out stays in its tree's cache until its
// finalizer has run, and editing a tree (the guard's incremental re-parse)
// updates every node object in that cache, dead or alive: on a large file,
// edits × node objects. `freeDeadTrees` before editing a large tree empties it.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options?: { type?: 'major' | 'minor' }) => void;
let gc: Collect | undefined;

/** The collector, exposed once for this thread (as `--expose-gc` would). */
export function collector(): Collect {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as Collect;
  }
  return gc;
}

/**
 * Every collection there is to make, then two turns of the event loop: the
 * binding's finalizers (each node object's, each tree's) run from the loop,
 * and only then are the dead trees' native memory and the node caches
 * freed. `gc()` with no option: `gc({ type: 'major' })`, one major
 * collection, leaves a dead tree (and any object only a WeakRef names)
 * alive; `gc()` collects until nothing more is freed.
 */
export async function freeDeadTrees(): Promise<void> {
  collector()();
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

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
