"""Derives a host's pGPU providers with Zed's libvirt driver's own functions.

For each case (a host name and its ``mdev:`` key), the harness sets ``[devices]
enabled_mdev_types`` and, per type, ``[mdev_<type>] device_addresses`` (the pGPUs the
case gives that type) and ``mdev_class``, registered as nova-compute registers them
(nova.conf.devices.register_dynamic_opts); runs LibvirtDriver's
``_get_supported_vgpu_types`` as __init__ does; answers libvirt's two listings with the
case's pGPUs (each offering its one type with its available instances, no mediated device
made yet); then runs ``_get_gpu_inventories`` and ``_ensure_pgpu_providers`` into a real
ProviderTree and prints each child provider's name and inventories, in the tree's order.

Reads one JSON case per line on stdin; prints one JSON list per line. Run with
/usr/bin/python3.
"""

import collections
import json
import sys

import os_resource_classes as orc

import nova.conf
from nova.compute import provider_tree
from placement_harness import new_driver

CONF = nova.conf.CONF


def configure(mdev):
    CONF.set_override('enabled_mdev_types', mdev['enabled_types'], group='devices')
    nova.conf.devices.register_dynamic_opts(CONF)
    for mdev_type in mdev['enabled_types']:
        group = 'mdev_%s' % mdev_type
        addresses = [pgpu['address'] for pgpu in mdev['pgpus']
                     if pgpu['type'] == mdev_type]
        CONF.set_override('device_addresses', addresses, group=group)
        CONF.set_override('mdev_class',
                          mdev['mdev_classes'].get(mdev_type, 'VGPU'),
                          group=group)


def derive(driver, case):
    mdev = case['mdev']
    configure(mdev)
    driver.pgpu_type_mapping = collections.defaultdict(str)
    driver.mdev_class_mapping = collections.defaultdict(lambda: orc.VGPU)
    driver.mdev_classes = set()
    driver.supported_vgpu_types = driver._get_supported_vgpu_types()
    driver._get_mediated_devices = lambda types=None: []
    driver._get_mdev_capable_devices = lambda types=None: [
        {'dev_id': 'pci_' + pgpu['address'].replace(':', '_').replace('.', '_'),
         'types': {pgpu['type']: {'availableInstances':
                                  pgpu['available_instances']}}}
        for pgpu in mdev['pgpus']]
    tree = provider_tree.ProviderTree()
    tree.new_root(case['host'], case['host'])
    providers = driver._ensure_pgpu_providers(
        driver._get_gpu_inventories(), tree, case['host'])
    return [{'name': data.name, 'inventories': tree.data(data.name).inventory}
            for data in providers.values()]


def main():
    driver = new_driver()
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(derive(driver, json.loads(line))))
    sys.stdout.flush()


if __name__ == '__main__':
    main()
