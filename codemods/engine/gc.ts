// A syntax tree holds native memory the JavaScript heap does not see: the
// collector, judging by a small heap, may let thousands of dead trees pile
// up (gigabytes on a treewide run). A run that parses thousands of files
// asks for a collection now and then, and lets the event loop turn so that
// the trees' finalizers run.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options?: { type?: 'major' | 'minor' }) => void;
let gc: Collect | undefined;

/** The collector, exposed once for this thread (as `--expose-gc` would). */
function collector(): Collect {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as Collect;
  }
  return gc;
}

let parses = 0;

/** Count one parse; every `every` parses, collect and let finalizers run. */
export async function afterParse(every = 16): Promise<void> {
  if (++parses % every !== 0) return;
  // A minor collection: dead trees' wrappers are young, and a full one would
  // walk every result kept so far (hundreds of megabytes of texts) each time.
  collector()({ type: 'minor' });
  await new Promise<void>((resolve) => setImmediate(resolve));
}
