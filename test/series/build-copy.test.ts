// validate-series --build's source copy: hard links to the base, and a base
// that holds symbolic links into itself. Whatever the copy is asked to hold,
// the base is never written (issue 14, item 2).
import { mkdtempSync, readFileSync, readlinkSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UnsafePathError } from '../../codemods/patch/index.js';
import { SeriesBuilder } from '../../codemods/series/build.js';
import { makeTree } from '../helpers/cli.js';
import { snapshot } from './snapshot.js';

describe('SeriesBuilder source copy', () => {
  const setup = (): { base: string; builder: SeriesBuilder; src: string } => {
    const base = realpathSync(makeTree({ 'include/real.h': 'real\n', 'drivers/a.c': '#include "real.h"\n' }));
    // An absolute link that stays in the tree (what `cp -al` copies verbatim, back into the base).
    symlinkSync(join(base, 'include'), join(base, 'inc'));
    symlinkSync(join(base, 'include', 'real.h'), join(base, 'drivers', 'real.h'));
    const work = mkdtempSync(join(tmpdir(), 'kmigrate-build-copy-'));
    const builder = new SeriesBuilder(base, work, []);
    builder.init();
    return { base, builder, src: join(work, 'src') };
  };

  it('a write through an in-tree absolute link is refused, and the base is untouched', () => {
    const { base, builder } = setup();
    const before = snapshot(base);
    for (const change of [new Map([['inc/new.h', 'created\n']]), new Map([['inc/real.h', null]]), new Map([['inc/real.h', 'rewritten\n']])]) {
      expect(() => builder.setState(change)).toThrow(UnsafePathError);
      expect(snapshot(base)).toEqual(before);
    }
  });

  it('the copy\'s links lead into the copy: a changed header is what the copy sees through them; the base keeps its own', () => {
    const { base, builder, src } = setup();
    const before = snapshot(base);
    builder.setState(new Map([['include/real.h', 'changed\n']]));
    expect(readlinkSync(join(src, 'inc'))).toBe('include');
    expect(readFileSync(join(src, 'inc/real.h'), 'utf8')).toBe('changed\n');
    expect(readFileSync(join(src, 'drivers/real.h'), 'utf8')).toBe('changed\n');
    builder.setState(new Map());
    expect(readFileSync(join(src, 'inc/real.h'), 'utf8')).toBe('real\n');
    expect(snapshot(base)).toEqual(before);
  });
});

describe('SeriesBuilder cache that cannot be made', () => {
  it('a file in the way of the work folder: lock() says why (the build is skipped), no exception', () => {
    const parent = mkdtempSync(join(tmpdir(), 'kmigrate-build-lock-'));
    writeFileSync(join(parent, 'cache'), 'a file, not a folder');
    const builder = new SeriesBuilder(parent, join(parent, 'cache', 'work'), []);
    expect(builder.lock()).toMatch(/^cannot create the build cache .*cache\/work: ENOTDIR$/);
  });
});
