// What either capacity model says of a refused claim: Nova's ComputeResourcesUnavailable
// text, and the NUMA and PCI parts of its reasons counted as causes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimMessage, topologyMisses } from '../../../src/engine/models/capacity-model.ts';
import { NUMA_WITH_PCI_REASON, PCI_REASON } from '../../../src/engine/topology/host-topology.ts';

test('joins the reasons with "; " in Nova\'s Insufficient compute resources text, ending with a period', () => {
  assert.equal(
    claimMessage(['Free memory 2560.00 MB < requested 4096 MB', 'Free vcpu 1.00 VCPU < requested 4 VCPU']),
    'Insufficient compute resources: Free memory 2560.00 MB < requested 4096 MB; Free vcpu 1.00 VCPU < requested 4 VCPU.',
  );
});

test('counts the PCI claim\'s failure under pci and any other topology reason under numa, each once, numa first', () => {
  assert.deepEqual(topologyMisses([PCI_REASON]), [{ cause: 'pci', short: null, unit: null }]);
  assert.deepEqual(topologyMisses([PCI_REASON, NUMA_WITH_PCI_REASON, 'Requested instance NUMA topology cannot fit the given host NUMA topology']), [
    { cause: 'numa', short: null, unit: null },
    { cause: 'pci', short: null, unit: null },
  ]);
  assert.deepEqual(topologyMisses([]), []);
});
