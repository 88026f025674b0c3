// freeDeadTrees: a tree nothing holds any more is gone once it returns,
// its wrapper collected and the binding's finalizers run. Checked with a
// WeakRef and a FinalizationRegistry, not with timing or memory figures.
import { describe, expect, it } from 'vitest';
import { freeDeadTrees } from '../../codemods/c/collect.js';
import { parseC } from '../../codemods/c/parser.js';

/** Parse, read some nodes (as the engine does), and keep only a weak reference to the tree. */
function deadTree(): WeakRef<object> {
  const tree = parseC('static int f(int x)\n{\n\treturn x + 1;\n}\n');
  expect(tree.rootNode.firstChild?.type).toBe('function_definition');
  return new WeakRef(tree);
}

describe('freeDeadTrees', () => {
  it('collects a tree nothing holds, and its finalizers run', async () => {
    const finalized: string[] = [];
    const registry = new FinalizationRegistry<string>((held) => finalized.push(held));
    const ref = deadTree();
    registry.register(ref.deref()!, 'the tree');
    // A WeakRef's target stays alive until the current turn ends.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await freeDeadTrees();
    expect(ref.deref()).toBeUndefined();
    await freeDeadTrees();
    expect(finalized).toEqual(['the tree']);
  });

  it('keeps a tree still held', async () => {
    const tree = parseC('int x;\n');
    const ref = new WeakRef(tree);
    await freeDeadTrees();
    expect(ref.deref()).toBe(tree);
  });
});
