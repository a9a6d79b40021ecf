import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { renderReplay } from '../../src/report/index.ts';
import { rendered, replayOutputOf } from '../fixtures/report/sample-replay.ts';

test('prints the same document as json, in YAML', () => {
  const yaml = rendered((write) => renderReplay(replayOutputOf(), 'yaml', write, { color: false }));
  const json = rendered((write) => renderReplay(replayOutputOf(), 'json', write, { color: false }));
  assert.deepEqual(parseYaml(yaml), JSON.parse(json));
});

test('keeps Nova\'s longest reason on one line rather than folding it', () => {
  const yaml = rendered((write) => renderReplay(replayOutputOf(), 'yaml', write, { color: false }));
  assert.match(yaml, /^ {10}- Requested instance NUMA topology together with requested PCI devices cannot fit the given host NUMA topology$/m);
});
