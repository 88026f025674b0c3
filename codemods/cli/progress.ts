// Progress on a TTY (stderr), nothing when piped.
export function progressReporter(enabled: boolean, write: (s: string) => void) {
  const start = performance.now();
  let last = 0;
  let shown = false;
  return {
    update(p: { phase: string; done: number; total: number; sites: number; candidates?: number }) {
      if (!enabled) return;
      const now = performance.now();
      if (now - last < 100 && p.done !== p.total) return;
      last = now;
      shown = true;
      const secs = ((now - start) / 1000).toFixed(1);
      const found = p.phase === 'rewrite' ? `${p.sites} sites` : `${p.candidates ?? 0} candidate files`;
      write(`\r\x1b[K${p.phase}: ${p.done}/${p.total} files, ${found}, ${secs} s`);
    },
    done() {
      if (enabled && shown) write('\r\x1b[K');
    },
  };
}
