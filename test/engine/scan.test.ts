// The byte prefilter: the WebAssembly SIMD pass must answer exactly what the
// plain Buffer#indexOf search answers, whatever the bytes; needles that start
// a word; reading files of any size; the whole scan in this thread.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fold, hasSimd, PairScanner, scannerModule } from '../../codemods/engine/pair-scanner.js';
import { chooseWindows, covers, parseNeedle, Prefilter, readFileInto } from '../../codemods/engine/scan-core.js';
import { minimalNeedles, scanTree } from '../../codemods/engine/scan.js';
import { diskSource } from '../../codemods/io/source.js';

const NEEDLES = ['iommu_sva', '\\bSVM_FLAG_'];
const HINTS = ['bind'];

/** A deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** C-like text with needles, near misses and hints planted at random places. */
function randomText(rnd: () => number, length: number): Buffer {
  const pieces = ['iommu_sva', 'iommu_sv', 'SVM_FLAG_', 'KFD_SVM_FLAG_X', '(SVM_FLAG_Y', 'bind', 'sva_bind', 'unbind_x', 'bi', 'sv', 'VM', ' ', '\n', '_', 'a', 'b', 's', 'v', 'S', 'V'];
  const parts: string[] = [];
  let n = 0;
  while (n < length) {
    const p = rnd() < 0.7 ? String.fromCharCode(32 + Math.floor(rnd() * 95)) : pieces[Math.floor(rnd() * pieces.length)]!;
    parts.push(p);
    n += p.length;
  }
  return Buffer.from(parts.join('').slice(0, length), 'latin1');
}

/**
 * Scan 300 random texts (each passed through `vary`) with SIMD and with the
 * plain Buffer#indexOf search, expect the same answers, and return how many
 * texts were hits.
 */
function agreeWithPlain(needles: readonly string[], seed: number, vary: (data: Buffer, round: number, rnd: () => number) => Buffer): number {
  const rnd = random(seed);
  const simd = new Prefilter(needles, HINTS, true);
  const plain = new Prefilter(needles, HINTS, false);
  let hits = 0;
  for (let round = 0; round < 300; round++) {
    const data = vary(randomText(rnd, Math.floor(rnd() * 400)), round, rnd);
    const a = simd.scanBytes(data);
    const b = plain.scanBytes(data);
    expect({ hit: a.hit, idents: [...a.idents].sort() }).toEqual({ hit: b.hit, idents: [...b.idents].sort() });
    if (a.hit) hits++;
  }
  return hits;
}

describe('the WebAssembly scanner', () => {
  it('is valid WebAssembly, and this runtime has SIMD', () => {
    expect(WebAssembly.validate(scannerModule([[0x73, 0x76], [0x62]]))).toBe(true);
    expect(hasSimd()).toBe(true);
  });

  it('folded, finds every position where a window matches in any case, and nothing else', () => {
    const rnd = random(11);
    const windows = [[0x73, 0x76], [0x62, 0x69]] as const; // sv, bi
    const scanner = new PairScanner(windows, true);
    for (let round = 0; round < 50; round++) {
      const data = randomText(rnd, Math.floor(rnd() * 300));
      const mem = scanner.room(data.length);
      mem.fill(0x78, 0, data.length + 40);
      mem.set(data, 0);
      const found: number[] = [];
      for (let p = scanner.next(0, data.length); p >= 0; p = scanner.next(p + 1, data.length)) found.push(p);
      const expected: number[] = [];
      for (let p = 0; p < data.length; p++) if (windows.some((w) => w[0] === fold(data[p]!) && w[1] === fold(mem[p + 1]!))) expected.push(p);
      expect(found).toEqual(expected);
      expect(found.some((p) => data[p] === 0x53) || !data.includes('SV')).toBe(true); // upper case found too
    }
    expect(() => scannerModule([[0x53, 0x56]], true)).toThrow(/unfolded/);
  });

  it('finds every position where a window matches, and nothing else', () => {
    const rnd = random(7);
    const windows = [[0x73, 0x76], [0x56, 0x4d], [0x62]] as const;
    const scanner = new PairScanner(windows);
    for (let round = 0; round < 50; round++) {
      const data = randomText(rnd, Math.floor(rnd() * 300));
      const mem = scanner.room(data.length);
      mem.fill(0x78, 0, data.length + 40); // stale bytes after the data must not matter
      mem.set(data, 0);
      const found: number[] = [];
      for (let p = scanner.next(0, data.length); p >= 0; p = scanner.next(p + 1, data.length)) found.push(p);
      const expected: number[] = [];
      for (let p = 0; p < data.length; p++) {
        if (windows.some((w) => w[0] === data[p] && (w.length === 1 || (p + 1 < data.length + 40 && w[1] === mem[p + 1])))) expected.push(p);
      }
      expect(found).toEqual(expected);
    }
  });

  it('with prefixes, stops only where a window matches and some prefix lies at its place, and nothing else', () => {
    const rnd = random(23);
    const windows = [[0x73, 0x76], [0x62, 0x69]] as const; // sv, bi
    // `bind` (window `bi` at 0), `iommu_sva_bind_device` (its first 8 bytes, window `sv` at 6), `sv` alone.
    const prefixes = [
      { bytes: Buffer.from('bind'), at: 0 },
      { bytes: Buffer.from('iommu_sva_bind_device'), at: 6 },
      { bytes: Buffer.from('sv'), at: 0 },
    ];
    const scanner = new PairScanner(windows, false, prefixes);
    const plain = new PairScanner(windows);
    let stops = 0;
    let plainStops = 0;
    for (let round = 0; round < 80; round++) {
      const data = Buffer.concat([randomText(rnd, Math.floor(rnd() * 300)), Buffer.from(round % 3 === 0 ? 'iommu_sva' : 'bi')]);
      const mem = scanner.room(data.length);
      mem.fill(0x78, 0, data.length + 40);
      mem.set(data, 0);
      const found: number[] = [];
      for (let p = scanner.next(0, data.length); p >= 0; p = scanner.next(p + 1, data.length)) found.push(p);
      const at = (p: number, b: Uint8Array) => [...b.subarray(0, 8)].every((x, k) => mem[p + k] === x);
      const expected: number[] = [];
      for (let p = 0; p < data.length; p++) {
        if (windows.some((w) => w[0] === mem[p] && w[1] === mem[p + 1]) && prefixes.some((x) => p >= x.at && at(p - x.at, x.bytes))) expected.push(p);
      }
      expect(found).toEqual(expected);
      stops += found.length;
      plain.room(data.length).set(mem.subarray(0, data.length + 40), 0);
      for (let p = plain.next(0, data.length); p >= 0; p = plain.next(p + 1, data.length)) plainStops++;
    }
    expect(stops).toBeGreaterThan(20); // planted prefixes were found
    expect(plainStops).toBeGreaterThan(stops); // and chance window matches were passed over
  });
});

describe('Prefilter', () => {
  it('answers the same with SIMD as with Buffer#indexOf, on random text', () => {
    expect(agreeWithPlain(NEEDLES, 42, (data) => data)).toBeGreaterThan(50); // the planted needles were found, not only missed
  });

  it('keeps `\\b` needles to the start of a word, as the migration names its flags', () => {
    for (const useSimd of [true, false]) {
      const p = new Prefilter(['\\bSVM_FLAG_'], [], useSimd);
      expect(p.scanBytes(Buffer.from('x = KFD_IOCTL_SVM_FLAG_HOST_ACCESS;')).hit).toBe(false);
      expect(p.scanBytes(Buffer.from('x = SVM_FLAG_SUPERVISOR_MODE;')).hit).toBe(true);
      expect(p.scanBytes(Buffer.from('SVM_FLAG_X')).hit).toBe(true);
      expect(p.scanBytes(Buffer.from('f(&SVM_FLAG_X)')).hit).toBe(true);
    }
  });

  it('collects every identifier holding a hint, once, whatever needle hit', () => {
    const r = new Prefilter(NEEDLES, HINTS).scanBytes(Buffer.from('.sva_bind = intel_svm_bind,\nintel_svm_bind(dev);\nbind'));
    expect(r.hit).toBe(false);
    expect([...r.idents].sort()).toEqual(['bind', 'intel_svm_bind', 'sva_bind']);
  });

  it('chooses, for each needle, a window inside it', () => {
    for (const set of [['iommu_sva', 'SVM_FLAG_', 'bind', 'x', 'ab'], ['platform_driver', 'remove'], ['Q']]) {
      const bytes = set.map((n) => Buffer.from(n));
      const { windows } = chooseWindows(bytes);
      windows.forEach(({ window, at }, i) => {
        const inside = [...bytes[i]!.subarray(at, at + window.bytes.length)].map((b) => (window.folded ? fold(b) : b));
        expect(inside).toEqual([...window.bytes]);
      });
    }
  });

  it('shares rare windows between needles: the SVA needles need three, not one each', () => {
    const needles = ['IOMMU_PASID_INVALID', 'SVM_FLAG_SUPERVISOR_MODE', 'sva_bind', 'iommu_sva', 'SVM_FLAG_', 'bind'];
    const { windows } = chooseWindows(needles.map((n) => Buffer.from(n)));
    const chosen = windows.map((w) => `${w.window.folded ? 'folded ' : ''}${Buffer.from(w.window.bytes).toString('latin1')}`);
    // Folded, `sv` serves sva_bind, iommu_sva and both SVM_FLAG_ needles; `in` would serve two needles too, but is common.
    expect(chosen.slice(1, 5)).toEqual(['folded sv', 'folded sv', 'folded sv', 'folded sv']);
    expect(new Set(chosen).size).toBe(3);
    expect(chosen.some((w) => w.endsWith('in'))).toBe(false);
    // bind's `bi` as it is: folded, it would stop at every BIT().
    expect(chosen[5]).toBe('bi');
  });

  it('answers the same with folded windows as with Buffer#indexOf, whatever the case of the text', () => {
    const needles = ['IOMMU_PASID_INVALID', 'SVM_FLAG_SUPERVISOR_MODE', 'sva_bind', 'iommu_sva', '\\bSVM_FLAG_'];
    // Planted near misses in the other case (`SVA_BIND`, `Iommu_Sva`) must not hit.
    const recase = (data: Buffer, round: number, rnd: () => number) =>
      round % 2 ? Buffer.from(data.toString('latin1').replace(/sva_bind|iommu_sva/g, (m) => (rnd() < 0.5 ? m.toUpperCase() : m)), 'latin1') : data;
    expect(agreeWithPlain(needles, 3, recase)).toBeGreaterThan(50);
  });
});

describe('needles', () => {
  it('parses `\\b`', () => {
    expect(parseNeedle('\\bSVM_FLAG_')).toEqual({ text: 'SVM_FLAG_', wordStart: true });
    expect(parseNeedle('iommu_sva')).toEqual({ text: 'iommu_sva', wordStart: false });
  });

  it('drops a needle only when another one is found wherever it is', () => {
    expect(covers('sva', 'iommu_sva')).toBe(true);
    expect(covers('\\bSVM_FLAG_', '\\bSVM_FLAG_SUPERVISOR')).toBe(true);
    expect(covers('\\bSVM_FLAG_', 'SVM_FLAG_SUPERVISOR')).toBe(false); // KFD_SVM_FLAG_SUPERVISOR holds the second only
    expect(covers('\\bSVM', 'X_SVM_FLAG')).toBe(false);
    expect(covers('SVM_FLAG_', '\\bSVM_FLAG_X')).toBe(true);
    expect(minimalNeedles(['iommu_sva', 'iommu_sva_bind_device', '\\bSVM_FLAG_', '\\bSVM_FLAG_X'])).toEqual(['iommu_sva', '\\bSVM_FLAG_']);
  });
});

describe('reading and scanning a tree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmigrate-scan-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file larger than the buffer, whole, either way of finding its end', () => {
    const big = Buffer.alloc(300_000, 0x20);
    big.write('iommu_sva', 299_990);
    writeFileSync(join(dir, 'big.c'), big);
    for (const shortReadIsEnd of [false, true]) {
      const p = new Prefilter(NEEDLES, HINTS);
      expect(readFileInto(p, join(dir, 'big.c'), shortReadIsEnd)).toBe(300_000);
      expect(p.scan(300_000).hit).toBe(true);
    }
    expect(readFileInto(new Prefilter(NEEDLES, HINTS), join(dir, 'missing.c'))).toBeUndefined();
  });

  it('scans every file once and reports the interesting ones, in any number of chunks', async () => {
    const root = join(dir, 'tree');
    for (let i = 0; i < 700; i++) {
      const sub = join(root, `d${i % 7}`);
      mkdirSync(sub, { recursive: true });
      writeFileSync(join(sub, `f${i}.c`), i % 100 === 0 ? `struct iommu_sva *f${i}(void);\n` : i % 150 === 1 ? `int x_bind_${i};\n` : `int x${i};\n`);
    }
    const seen: string[] = [];
    const files = await scanTree(diskSource(root), { needles: NEEDLES, hints: HINTS }, { jobs: 2 }, (path, scan) => seen.push(`${path}:${scan.hit}:${scan.idents.join(',')}`));
    expect(files).toHaveLength(700);
    expect(new Set(files).size).toBe(700);
    expect(seen.sort()).toEqual(
      [
        ...[0, 100, 200, 300, 400, 500, 600].map((i) => `d${i % 7}/f${i}.c:true:`),
        ...[1, 151, 301, 451, 601].map((i) => `d${i % 7}/f${i}.c:false:x_bind_${i}`),
      ].sort(),
    );
  });
});

describe('a file that cannot be read', () => {
  it('is reported as unreadable, not passed over', async () => {
    const { runMigration } = await import('../../codemods/engine/run.js');
    const iommuSvaBindFlags = (await import('../../codemods/registry.js')).getMigration('iommu-sva-bind-flags')!;
    const texts: Record<string, string> = {
      'drivers/misc/ok.c': 'int f(struct device *d) { return IS_ERR(iommu_sva_bind_device(d, current->mm, NULL)); }\n',
      'drivers/misc/gone.c': '',
    };
    const source = {
      list: () => Object.keys(texts).sort(),
      read: (path: string) => (path === 'drivers/misc/gone.c' || texts[path] === undefined ? undefined : Buffer.from(texts[path]!)),
    };
    const r = await runMigration(iommuSvaBindFlags, source, { rootLabel: 't' });
    expect(r.files.find((f) => f.path === 'drivers/misc/gone.c')).toMatchObject({ status: 'refused', sites: [{ code: 'unreadable', action: 'manual' }] });
    expect(r.files.find((f) => f.path === 'drivers/misc/ok.c')?.status).toBe('changed');
    expect(r.summary.manual).toBe(1);
  });
});
