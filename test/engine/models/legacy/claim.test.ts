// The legacy claim: nova/compute/claims.py `Claim._claim_test`, its tests in Nova's order
// and the exception text that joins their reasons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../../../src/engine/core/cloud-state.ts';
import { claimMessage } from '../../../../src/engine/models/capacity-model.ts';
import { testClaim } from '../../../../src/engine/models/legacy/claim.ts';
import { cloud, flavor, host } from '../../builders.ts';

function claimOn(hostFigures: Parameters<typeof host>[1], settings = {}) {
  const f = flavor('f', { memory_mb: 8192, root_gb: 100, vcpus: 8 });
  const state = CloudState.start(cloud([host('a', hostFigures)], [f], { enabled_filters: ['RamFilter', 'DiskFilter', 'CoreFilter'], cpu_allocation_ratio: 1, ...settings }));
  return testClaim(state.nodeNamed('a'), state.requestSpec('f', false), true);
}

test('gives memory, disk and vcpu reasons in Nova\'s order, joined by "; " in the exception text', () => {
  const claim = claimOn({ memory_mb: 4096, local_gb: 50, vcpus: 4 });
  assert.deepEqual(claim.reasons, [
    'Free memory 5632.00 MB < requested 8192 MB',
    'Free disk 50.00 GB < requested 100 GB',
    'Free vcpu 4.00 VCPU < requested 8 VCPU',
  ]);
  assert.equal(claimMessage(claim.reasons), `Insufficient compute resources: ${claim.reasons.join('; ')}.`);
});

test('passes with no reasons and ends its audit lines with Nova\'s success line', () => {
  const claim = claimOn({});
  assert.deepEqual(claim.reasons, []);
  assert.equal(claim.audit?.[0], 'Attempting claim: memory 8192 MB, disk 100 GB, vcpus 8 CPU');
  assert.equal(claim.audit?.at(-1), 'Claim successful');
});

test('ends a refused claim\'s audit lines with the exception text', () => {
  const claim = claimOn({ memory_mb: 4096 });
  assert.equal(claim.audit?.at(-1), 'Insufficient compute resources: Free memory 5632.00 MB < requested 8192 MB.');
});
