// PCIWeigher (nova/scheduler/weights/pci.py): MAX_DEVS − min(free devices, MAX_DEVS − 1), so
// a host with fewer free PCI devices weighs more: builds without PCI requests keep off GPU
// hosts, and builds with them stack on the hosts already in use. No minval or maxval.
import type { HostWeigher } from './weigher.ts';

const MAX_DEVS = 100;

export const PCI_WEIGHER: HostWeigher = {
  name: 'PCIWeigher',
  minval: null,
  maxval: null,
  source: 'host',
  // Devices are a host's hardware: a cloud without any weighs every host MAX_DEVS to the end.
  alikeOn: (nodes) => nodes.every((node) => node.spec.pci.every((pool) => pool.count === 0)),
  multiplier: (settings) => settings.pci_weight_multiplier,
  weigh: (node) => MAX_DEVS - Math.min(node.topology.freePciDevices(), MAX_DEVS - 1),
};
