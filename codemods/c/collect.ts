// Freeing syntax trees. A tree's memory is native, invisible to the
// JavaScript heap, and freed only when its wrapper object is collected and
// the binding's finalizers have run, which they do on a later turn of the
// event loop, not during the collection. Whoever parses large files asks
// for this between two of them.
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
