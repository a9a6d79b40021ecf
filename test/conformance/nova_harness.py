"""Runs claimplan's conformance cases through Nova's own code (Debian's python3-nova).

Reads one JSON case per line on stdin and prints one JSON result per line. Each case is a
host and a sequence of builds and deletes on it; every build goes the way
ResourceTracker.instance_claim takes it:

- the flavor becomes an instance NUMA topology and PCI requests (numa_get_constraints,
  get_pci_numa_policy_constraint, get_pci_requests_from_flavor); a refusal is recorded,
  PciRequestAliasNotDefined apart from the others: Nova accepts a flavor naming an
  undefined alias and refuses each build of it, where the others are bad flavors;
- Claim._claim_test runs on the compute node's NUMA topology, read back from its JSON,
  with the PCI tracker's PciDeviceStats;
- a claim that passes takes its PCI devices (consume_requests with the claimed cells)
  and updates the NUMA usage (numa_usage_from_instance_numa), stored back as JSON;
  where either raises, the exception is recorded;
- a delete frees the devices back to their pools and removes the usage.

Run with /usr/bin/python3; the pyenv python3 on PATH has no Nova.
"""

import json
import logging
import sys
import time
import types

import nova.conf
from nova import exception
from nova import objects

objects.register_all()

from nova.compute import claims  # noqa: E402
from nova.pci import request as pci_request  # noqa: E402
from nova.pci import stats as pci_stats  # noqa: E402
from nova.virt import hardware  # noqa: E402

CONF = nova.conf.CONF
logging.disable(logging.CRITICAL)


class Device:
    """A free PCI device in a pool: what consume_requests pops and claims."""

    def __init__(self, dev_type, pool_index):
        self.dev_type = dev_type
        self.pool_index = pool_index
        self.request_id = None
        self.child_devices = []

    @property
    def parent_device(self):
        # A VF whose PF the tracker does not know: Nova's own fallback.
        raise exception.PciDeviceNotFound(node_id=0, address='0000:00:00.0')


def host_topology_json(cells):
    """The compute node's numa_topology column as the virt driver would write it."""
    return objects.NUMATopology(cells=[
        objects.NUMACell(
            id=cell['id'],
            cpuset=set(cell['cpus']),
            pcpuset=set(cell['pcpus']),
            memory=cell['memory_mb'],
            cpu_usage=0,
            memory_usage=0,
            pinned_cpus=set(),
            siblings=[set(core) for core in cell['siblings']],
            mempages=[
                objects.NUMAPagesTopology(
                    size_kb=pages['size_kb'], total=pages['total'], used=0,
                    reserved=pages.get('reserved', 0))
                for pages in cell['mempages']],
            socket=cell.get('socket'),
        ) for cell in cells
    ])._to_json()


def pci_device_stats(pools, topology_json):
    """PciDeviceStats with pools shaped as add_device shapes them (tags, remote_managed)."""
    topology = (objects.NUMATopology.obj_from_db_obj(topology_json)
                if topology_json else None)
    stats = pci_stats.PciDeviceStats(topology)
    for index, pool in enumerate(pools):
        entry = {
            'product_id': pool['product_id'],
            'vendor_id': pool['vendor_id'],
            'numa_node': pool['numa_node'],
            'dev_type': pool['dev_type'],
        }
        if pool.get('physical_network') is not None:
            entry['physical_network'] = pool['physical_network']
        if pool['dev_type'] in ('type-VF', 'type-PF', 'vdpa'):
            entry['remote_managed'] = 'false'
        entry['count'] = pool['count']
        entry['devices'] = [Device(pool['dev_type'], index)
                            for _ in range(pool['count'])]
        stats.pools.append(entry)
    stats.pools.sort(key=lambda item: len(item))
    return stats


def flavor_request(flavor):
    """The API's view of a flavor, in the order compute/api.py builds it."""
    nova_flavor = objects.Flavor(
        name=flavor['name'], vcpus=flavor['vcpus'],
        memory_mb=flavor['memory_mb'], extra_specs=flavor['extra_specs'])
    image_meta = objects.ImageMeta.from_dict({})
    topology = hardware.numa_get_constraints(nova_flavor, image_meta)
    policy = hardware.get_pci_numa_policy_constraint(nova_flavor, image_meta)
    requests = pci_request.get_pci_requests_from_flavor(
        nova_flavor, affinity_policy=policy)
    return topology, requests


def error_text(error):
    return str(error)


def snapshot(topology_json, pool_by_index, pools):
    cells = []
    if topology_json:
        for cell in objects.NUMATopology.obj_from_db_obj(topology_json).cells:
            cells.append({
                'id': cell.id,
                'cpu_usage': cell.cpu_usage,
                'memory_usage': cell.memory_usage,
                'pinned_cpus': sorted(cell.pinned_cpus),
                'pages_used': [pages.used for pages in cell.mempages],
            })
    free = [pool_by_index[index]['count'] if index in pool_by_index else 0
            for index in range(len(pools))]
    return {'cells': cells, 'pools': free}


def claim_test(topology_json, stats, instance_topology, requests, limits):
    """Claim._claim_test, on a Claim that skips __init__'s instance bookkeeping."""
    claim = claims.Claim.__new__(claims.Claim)
    claim.migration = None
    claim.claimed_numa_topology = None
    claim.instance = types.SimpleNamespace(numa_topology=instance_topology)
    claim.nodename = 'node'
    claim.context = None
    claim._pci_requests = requests
    claim.tracker = types.SimpleNamespace(
        pci_tracker=types.SimpleNamespace(stats=stats))
    compute_node = (objects.ComputeNode(numa_topology=topology_json)
                    if topology_json else objects.ComputeNode())
    try:
        claim._claim_test(compute_node, limits)
    except exception.ComputeResourcesUnavailable as error:
        return error.kwargs['reason'].split('; '), None
    return [], claim.claimed_numa_topology


def take_claim(topology_json, stats, pools, requests, claimed):
    """What instance_claim does once the claim test passed: the PCI devices (PciDevTracker
    claims only on a host with devices), then the NUMA usage. Returns the new topology
    JSON and the devices taken; raises what Nova raises."""
    devices = []
    if requests.requests and any(pool['count'] for pool in pools):
        devices = stats.consume_requests(
            requests.requests, claimed.cells if claimed else None)
    if topology_json and claimed:
        topology_json = hardware.numa_usage_from_instance_numa(
            objects.NUMATopology.obj_from_db_obj(topology_json),
            claimed)._to_json()
    return topology_json, devices


def free_claim(topology_json, pool_by_index, instance_topology, devices):
    """A delete: the NUMA usage taken away, the devices back in their pools.
    Returns the new topology JSON."""
    if topology_json and instance_topology:
        topology_json = hardware.numa_usage_from_instance_numa(
            objects.NUMATopology.obj_from_db_obj(topology_json),
            instance_topology, free=True)._to_json()
    for device in devices:
        # add_device finds the device's pool by its keys; consume_requests
        # never drops a pool, so that is the pool it came from.
        pool = pool_by_index[device.pool_index]
        pool['devices'].append(device)
        pool['count'] += 1
    return topology_json


def run_case(case):
    CONF.set_override(
        'packing_host_numa_cells_allocation_strategy', case['packing'],
        group='compute')
    CONF.set_override(
        'alias', [json.dumps(alias) for alias in case['aliases']], group='pci')
    pools = case['host']['pci']
    topology_json = (host_topology_json(case['host']['cells'])
                     if case['host']['cells'] else None)
    stats = pci_device_stats(pools, topology_json)
    pool_by_index = {pool['devices'][0].pool_index: pool
                     for pool in stats.pools if pool['devices']}
    limits = {}
    if case['limits']:
        limits['numa_topology'] = objects.NUMATopologyLimits(
            cpu_allocation_ratio=case['limits']['cpu_allocation_ratio'],
            ram_allocation_ratio=case['limits']['ram_allocation_ratio'])
    held = {}
    steps = []
    for index, step in enumerate(case['steps']):
        if step['op'] == 'delete':
            claimed = held.pop(step['build'], None)
            if claimed is not None:
                topology_json = free_claim(
                    topology_json, pool_by_index, *claimed)
            steps.append({'op': 'delete',
                          'state': snapshot(topology_json, pool_by_index, pools)})
            continue
        flavor = case['flavors'][step['flavor']]
        try:
            instance_topology, requests = flavor_request(flavor)
        except exception.PciRequestAliasNotDefined as error:
            steps.append({'op': 'build', 'refusal': error_text(error)})
            continue
        except Exception as error:  # every other refusal, Nova's or Python's
            steps.append({'op': 'build', 'error': error_text(error)})
            continue
        started = time.perf_counter()
        reasons, claimed = claim_test(
            topology_json, stats, instance_topology, requests, limits)
        elapsed = time.perf_counter() - started
        result = {'op': 'build', 'reasons': reasons, 'seconds': elapsed}
        if not reasons:
            try:
                topology_json, devices = take_claim(
                    topology_json, stats, pools, requests, claimed)
            except Exception as error:
                result['raised'] = '%s: %s' % (type(error).__name__, error)
            else:
                held[index] = (claimed, devices)
                result['cells'] = None
                if claimed:
                    result['cells'] = [{
                        'host_cell': cell.id,
                        'pagesize': cell.pagesize,
                        'pinning': sorted([int(v), p] for v, p in
                                          (cell.cpu_pinning or {}).items()),
                        'reserved': sorted(cell.cpuset_reserved or []),
                    } for cell in claimed.cells]
                taken = {}
                for device in devices:
                    taken[device.pool_index] = taken.get(device.pool_index, 0) + 1
                result['pci'] = sorted([pool, count] for pool, count in taken.items())
        result['state'] = snapshot(topology_json, pool_by_index, pools)
        steps.append(result)
    return {'id': case['id'], 'steps': steps}


def main():
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(run_case(json.loads(line))), flush=False)
    sys.stdout.flush()


if __name__ == '__main__':
    main()
