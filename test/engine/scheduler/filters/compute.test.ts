// ComputeFilter: a host whose compute service is down or disabled passes no build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../../../src/engine/core/cloud-state.ts';
import { computeFilterRefusal } from '../../../../src/engine/scheduler/filters/compute.ts';
import { cloud, flavor, host } from '../../builders.ts';

function state(): CloudState {
  return CloudState.start(cloud([host('up'), host('off', { disabled: true }), host('lost')], [flavor('m1')]));
}

test('passes a host whose service is up and enabled', () => {
  assert.equal(computeFilterRefusal(state().nodeNamed('up')), null);
});

test('refuses a host whose service is disabled, and one not heard from, saying which', () => {
  const cloudState = state();
  cloudState.decide({ op: 'down', host: 'lost' }, 1, { audit: false, explain: false });
  assert.equal(computeFilterRefusal(cloudState.nodeNamed('off')), 'the compute service is disabled (ComputeFilter)');
  assert.equal(computeFilterRefusal(cloudState.nodeNamed('lost')), 'the compute service is down (ComputeFilter)');
});
