// Worker threads end by themselves: terminating one while tree-sitter's
// native code runs in it (loading, parsing) aborts the process at exit
// (`terminate called … Napi::Error`), after complete output, in a few runs
// out of a hundred. Both ends of the protocol are checked here with fake
// threads, whose exit the test controls (workers.test.ts runs real ones).
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

const fakes = vi.hoisted(() => ({ workers: [] as unknown[], port: undefined as unknown }));

vi.mock('node:worker_threads', async () => {
  const { EventEmitter } = await import('node:events');
  class FakeWorker extends EventEmitter {
    terminated = 0;
    posted: unknown[] = [];
    constructor() {
      super();
      fakes.workers.push(this);
    }
    postMessage(msg: { kind: string }) {
      this.posted.push(msg);
      // A well-behaved worker: asked to stop, it finishes and exits by itself.
      if (msg.kind === 'stop') setTimeout(() => this.emit('exit', 0), 20);
    }
    terminate() {
      this.terminated++;
      setImmediate(() => this.emit('exit', 1));
      return Promise.resolve(1);
    }
  }
  class FakePort extends EventEmitter {
    replies: unknown[] = [];
    closed = false;
    postMessage(msg: unknown) {
      this.replies.push(msg);
    }
    close() {
      this.closed = true;
    }
  }
  fakes.port = new FakePort();
  return { Worker: FakeWorker, parentPort: fakes.port, default: { Worker: FakeWorker, parentPort: fakes.port } };
});

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  // The compiled worker script "exists", so that Helpers starts its (fake) threads.
  const existsSync = ((p: string) => String(p).endsWith('scan-worker.js') || fs.existsSync(p)) as typeof fs.existsSync;
  return { ...fs, default: { ...fs, existsSync }, existsSync };
});

describe('worker teardown', () => {
  it('close() asks each worker to stop and waits for it to exit, never terminating it', async () => {
    const { Helpers } = await import('../../codemods/engine/helpers.js');
    const helpers = new Helpers(3);
    helpers.start();
    expect(fakes.workers).toHaveLength(3);
    let exited = 0;
    for (const w of fakes.workers as EventEmitter[]) w.once('exit', () => exited++);
    await helpers.close();
    expect(exited).toBe(3);
    for (const w of fakes.workers as { terminated: number; posted: { kind: string }[] }[]) {
      expect(w.terminated).toBe(0);
      expect(w.posted.at(-1)).toEqual({ kind: 'stop' });
    }
  });

  it('workers started early are taken by the first run that starts, and stopped like its own', async () => {
    const { Helpers, startEarly } = await import('../../codemods/engine/helpers.js');
    const before = fakes.workers.length;
    startEarly(2);
    const early = fakes.workers.slice(before) as (EventEmitter & { terminated: number; posted: { kind: string }[] })[];
    expect(early).toHaveLength(2);
    const helpers = new Helpers(2);
    helpers.start();
    // No thread of its own: it took both.
    expect(fakes.workers).toHaveLength(before + 2);
    const replies: unknown[] = [];
    helpers.listen(
      (msg) => replies.push(msg),
      () => undefined,
    );
    early[1]!.emit('message', { kind: 'errors', task: 0, id: 0, count: null });
    expect(replies).toHaveLength(1);
    await helpers.close();
    for (const w of early) {
      expect(w.terminated).toBe(0);
      expect(w.posted.at(-1)).toEqual({ kind: 'stop' });
    }
    // Taken once: the next run starts its own.
    const next = new Helpers(1);
    next.start();
    expect(fakes.workers).toHaveLength(before + 3);
    await next.close();
  });

  it('stopEarly stops the workers no run took; one that failed before a run took it fails that run', async () => {
    const { Helpers, startEarly, stopEarly } = await import('../../codemods/engine/helpers.js');
    let before = fakes.workers.length;
    startEarly(1);
    const idle = fakes.workers[before] as EventEmitter & { terminated: number; posted: { kind: string }[] };
    let exited = false;
    idle.once('exit', () => (exited = true));
    await stopEarly();
    expect(exited).toBe(true);
    expect(idle.terminated).toBe(0);
    expect(idle.posted).toEqual([{ kind: 'stop' }]);

    before = fakes.workers.length;
    startEarly(1);
    const broken = fakes.workers[before] as EventEmitter;
    broken.emit('error', new Error('could not load tree-sitter'));
    const helpers = new Helpers(1);
    helpers.start();
    expect(String(helpers.error)).toContain('could not load tree-sitter');
    await helpers.close();
  });

  it('a worker asked to stop finishes its queued parses, then closes its port', async () => {
    await import('../../codemods/engine/scan-worker.js');
    const port = fakes.port as EventEmitter & { replies: { kind: string; count: unknown }[]; closed: boolean };
    const claims = new Uint8Array(new SharedArrayBuffer(4));
    port.emit('message', { kind: 'count-setup', task: 0, claims });
    port.emit('message', { kind: 'count', task: 0, id: 0, text: 'int f(void) { return (1 + ; }\n' });
    port.emit('message', { kind: 'stop' });
    expect(port.closed).toBe(false);
    await vi.waitFor(() => expect(port.closed).toBe(true), { timeout: 5000 });
    expect(port.replies).toEqual([{ kind: 'errors', task: 0, id: 0, count: expect.objectContaining({ error: expect.any(Number) }) }]);
  });
});
