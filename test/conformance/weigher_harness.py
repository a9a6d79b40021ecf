"""Runs claimplan's weighing cases through Nova's own weighers (Debian's python3-nova).

Reads one JSON query per line on stdin and prints one JSON result per line. A query is the
hosts that passed the filters for one scheduled build, each as the compute node the
ResourceTracker reports (memory, disk, vCPUs, allocation ratio, free PCI devices per pool)
and the server group members on it, with the build's server group and the scheduler's
nova.conf options. For each query the harness:

- builds a real HostState per host from a real ComputeNode (HostState.update);
- loads the weigher classes weight_classes names, in the query's order, through
  HostWeightHandler.get_matching_classes, and instantiates them as the scheduler does;
- records each weigher's raw weights (weigh_objects) and normalised weights (normalize);
- runs HostWeightHandler.get_weighed_objects for the totals and the sorted order.

Run with /usr/bin/python3; the pyenv python3 on PATH has no Nova.
"""

import json
import logging
import sys

import nova.conf
from nova import objects

objects.register_all()

from nova import weights as base_weights  # noqa: E402
from nova.scheduler import host_manager  # noqa: E402
from nova.scheduler import weights  # noqa: E402

CONF = nova.conf.CONF
CONF([], project='nova')
logging.disable(logging.CRITICAL)

MULTIPLIERS = [
    'ram_weight_multiplier', 'cpu_weight_multiplier', 'disk_weight_multiplier',
    'io_ops_weight_multiplier', 'pci_weight_multiplier',
    'soft_affinity_weight_multiplier', 'soft_anti_affinity_weight_multiplier',
    'build_failure_weight_multiplier', 'cross_cell_move_weight_multiplier',
]


def compute_node(host):
    pools = objects.PciDevicePoolList(objects=[
        objects.PciDevicePool(product_id=pool['product_id'], vendor_id=pool['vendor_id'],
                              numa_node=pool['numa_node'], count=pool['count'],
                              tags={'dev_type': pool['dev_type']})
        for pool in host['pci']])
    return objects.ComputeNode(
        uuid='00000000-0000-0000-0000-%012d' % host['index'], host=host['name'],
        hypervisor_hostname=host['name'], memory_mb=host['memory_mb'],
        free_ram_mb=host['free_ram_mb'], local_gb=host['local_gb'],
        local_gb_used=host['local_gb_used'], free_disk_gb=host['free_disk_gb'],
        disk_available_least=None, vcpus=host['vcpus'], vcpus_used=host['vcpus_used'],
        cpu_allocation_ratio=host['cpu_allocation_ratio'], ram_allocation_ratio=1.5,
        disk_allocation_ratio=1.0, numa_topology=None, pci_device_pools=pools,
        host_ip='192.0.2.1', hypervisor_type='QEMU', hypervisor_version=6002000,
        cpu_info='{}', supported_hv_specs=[], stats={}, metrics='[]', updated_at=None)


def host_state(host):
    state = host_manager.HostState(host['name'], host['name'], None)
    state.update(compute=compute_node(host), aggregates=[])
    state.instances = {name: None for name in host['members']}
    return state


def weigh(query):
    for name in MULTIPLIERS:
        CONF.set_override(name, query['conf'][name], group='filter_scheduler')
    CONF.set_override('weight_multiplier', query['conf']['metrics_weight_multiplier'], group='metrics')
    handler = weights.HostWeightHandler()
    classes = handler.get_matching_classes(query['weight_classes'])
    weighers = [cls() for cls in classes]
    group = query['group']
    spec = objects.RequestSpec(instance_group=objects.InstanceGroup(
        policy=group['policy'], members=group['members']) if group else None)
    states = [host_state(host) for host in query['hosts']]
    wrapped = [base_weights.WeighedObject(state, 0.0) for state in states]
    raw, normalized = {}, {}
    for weigher in weighers:
        name = type(weigher).__name__
        values = weigher.weigh_objects(wrapped, spec)
        raw[name] = [float(value) for value in values]
        normalized[name] = [float(value) for value in base_weights.normalize(
            values, minval=weigher.minval, maxval=weigher.maxval)]
    weighed = handler.get_weighed_objects(weighers, states, spec)
    return {
        'raw': raw,
        'normalized': normalized,
        'order': [item.obj.host for item in weighed],
        'totals': {item.obj.host: item.weight for item in weighed},
    }


def main():
    for line in sys.stdin:
        print(json.dumps(weigh(json.loads(line))))
        sys.stdout.flush()


if __name__ == '__main__':
    main()
