// How deep a text's brackets nest, found before any parser recurses into it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tooDeepAt } from '../../src/plan/nesting.ts';
import { LIMITS } from '../../src/plan/limits.ts';

const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

test('finds the offset of the first bracket past the limit, and nothing at the limit', () => {
  assert.equal(tooDeepAt(deep(LIMITS.nestingDepth)), null);
  assert.equal(tooDeepAt(`x: ${deep(LIMITS.nestingDepth + 1)}`), 3 + LIMITS.nestingDepth);
});

test('counts [ and { alike, and closing brackets bring the depth back down', () => {
  const half = Math.floor(LIMITS.nestingDepth / 2);
  assert.equal(tooDeepAt(`${'{'.repeat(half)}${'['.repeat(half)}${']'.repeat(half)}${'}'.repeat(half)}`.repeat(3)), null);
});

test('passes over brackets inside quoted strings, escaped quotes included', () => {
  assert.equal(tooDeepAt(`name: "${'['.repeat(LIMITS.nestingDepth + 1)}\\" ["`), null);
  assert.equal(tooDeepAt(`name: '${'{'.repeat(LIMITS.nestingDepth + 1)}'`), null);
});

test('ends a YAML apostrophe at the line\'s end, so that `don\'t` hides nothing after it', () => {
  const text = `note: don't\nhosts: ${deep(LIMITS.nestingDepth + 1)}`;
  assert.equal(tooDeepAt(text), text.indexOf('[') + LIMITS.nestingDepth);
});
