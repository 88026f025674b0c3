// Progress on a TTY (stderr), nothing when piped.

/** One line of status that each message overwrites, cleared at the end (only when `enabled`). */
export function statusLine(enabled: boolean, write: (s: string) => void) {
  let shown = false;
  return {
    say(message: string) {
      if (!enabled) return;
      shown = true;
      write(`\r\x1b[K${message}`);
    },
    clear() {
      if (enabled && shown) write('\r\x1b[K');
    },
  };
}

export function progressReporter(enabled: boolean, write: (s: string) => void) {
  const start = performance.now();
  const line = statusLine(enabled, write);
  let last = 0;
  return {
    update(p: { phase: string; done: number; total: number; sites: number; candidates?: number }) {
      if (!enabled) return;
      const now = performance.now();
      if (now - last < 100 && p.done !== p.total) return;
      last = now;
      const secs = ((now - start) / 1000).toFixed(1);
      const found = p.phase === 'rewrite' ? `${p.sites} sites` : `${p.candidates ?? 0} candidate files`;
      line.say(`${p.phase}: ${p.done}/${p.total} files, ${found}, ${secs} s`);
    },
    done() {
      line.clear();
    },
  };
}
