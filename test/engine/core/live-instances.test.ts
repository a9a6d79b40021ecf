import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveInstances } from '../../../src/engine/core/live-instances.ts';

test('a fork sees the records as they were, and neither side sees the other\'s later changes', () => {
  const parent = new LiveInstances<number>();
  parent.set('a', 1);
  parent.set('b', 2);
  const child = parent.fork();
  parent.set('c', 3);
  parent.delete('a');
  child.set('b', 20);
  child.delete('b');
  child.set('d', 4);
  assert.deepEqual([...parent.entries()], [['b', 2], ['c', 3]]);
  assert.deepEqual([...child.entries()], [['a', 1], ['d', 4]]);
  assert.deepEqual([child.get('a'), child.get('b'), parent.get('a'), parent.get('d')], [1, undefined, undefined, undefined]);
});

test('forks of forks stay apart, and a name deleted then built again reads the new record', () => {
  const root = new LiveInstances<string>();
  root.set('x', 'root');
  const first = root.fork();
  first.delete('x');
  first.set('x', 'first');
  const second = first.fork();
  second.set('x', 'second');
  assert.deepEqual([root.get('x'), first.get('x'), second.get('x')], ['root', 'first', 'second']);
});
