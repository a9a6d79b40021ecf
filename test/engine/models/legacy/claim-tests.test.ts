import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testResource } from '../../../../src/engine/models/legacy/claim-tests.ts';

test('rejects memory when free is below requested, with Nova\'s wording', () => {
  const reason = testResource({ type: 'memory', total: 2048, used: 2048, requested: 2048, limit: 3072 }, null);
  assert.equal(reason, 'Free memory 1024.00 MB < requested 2048 MB');
});

test('accepts a request exactly equal to what is free', () => {
  assert.equal(testResource({ type: 'disk', total: 100, used: 60, requested: 40, limit: 100 }, null), null);
});

test('words disk and vcpu reasons with their own units', () => {
  assert.equal(
    testResource({ type: 'disk', total: 100, used: 90, requested: 20, limit: 100 }, null),
    'Free disk 10.00 GB < requested 20 GB',
  );
  assert.equal(
    testResource({ type: 'vcpu', total: 8, used: 30, requested: 4, limit: 32 }, null),
    'Free vcpu 2.00 VCPU < requested 4 VCPU',
  );
});

test('prints a negative free amount when the host is already over its limit', () => {
  assert.equal(
    testResource({ type: 'memory', total: 1000, used: 1600.25, requested: 1, limit: 1500 }, null),
    'Free memory -100.25 MB < requested 1 MB',
  );
});

test('rounds free amounts half to even as Python does', () => {
  // limit 10.125 - used 10 leaves exactly 0.125, which Python prints as 0.12.
  assert.equal(
    testResource({ type: 'memory', total: 10, used: 10, requested: 1, limit: 10.125 }, null),
    'Free memory 0.12 MB < requested 1 MB',
  );
});

test('keeps the minus sign of a negative zero free amount', () => {
  assert.equal(
    testResource({ type: 'vcpu', total: 0, used: 0, requested: 1, limit: -0 }, null),
    'Free vcpu -0.00 VCPU < requested 1 VCPU',
  );
});

test('treats a missing limit as unlimited and logs it', () => {
  const audit: string[] = [];
  assert.equal(testResource({ type: 'vcpu', total: 8, used: 100, requested: 64, limit: null }, audit), null);
  assert.deepEqual(audit, ['Total vcpu: 8 VCPU, used: 100.00 VCPU', 'vcpu limit not specified, defaulting to unlimited']);
});

test('logs the total, used, limit and free lines Nova audits', () => {
  const audit: string[] = [];
  testResource({ type: 'memory', total: 4096, used: 512, requested: 1024, limit: 6144 }, audit);
  assert.deepEqual(audit, ['Total memory: 4096 MB, used: 512.00 MB', 'memory limit: 6144.00 MB, free: 5632.00 MB']);
});
