"""Runs claimplan's filter cases through Nova's own scheduler filters (Debian's python3-nova).

Reads one JSON query per line on stdin and prints one JSON result per line. A query is one
scheduled build: every host as the compute node the ResourceTracker reports just before it
(figures, hypervisor, supported instances, instance count), the instances on it and the
aggregates it is in (real Aggregate objects with their metadata and zone), the build's
flavor, image, zone, project and hints, the enabled filters and the scheduler's nova.conf
options. For each query the harness:

- builds a real HostState per host (HostState.update with the compute node, aggregates and
  instances) and a real RequestSpec (Flavor, ImageMeta.from_dict, scheduler hints);
- loads each filter class through HostFilterHandler and records host_passes for every host
  and every filter on its own;
- runs HostFilterHandler.get_filtered_objects on the enabled hosts (Zed's
  compute_status_filter drops disabled ones first) with the filters in enabled_filters order,
  then Nova's weighers (HostWeightHandler with all_weighers, reading the aggregates'
  multipliers) over the hosts that passed: the first is the host Nova chooses.

Run with /usr/bin/python3; the pyenv python3 on PATH has no Nova.
"""

import json
import logging
import sys
import warnings

from oslo_utils import timeutils

import nova.conf
from nova import objects

objects.register_all()

from nova.scheduler import filters  # noqa: E402
from nova.scheduler import host_manager  # noqa: E402
from nova.scheduler import weights  # noqa: E402

CONF = nova.conf.CONF
CONF([], project='nova')
logging.disable(logging.CRITICAL)
warnings.simplefilter('ignore')

FILTER_SCHEDULER_OPTIONS = [
    'max_instances_per_host', 'max_io_ops_per_host', 'isolated_images', 'isolated_hosts',
    'restrict_isolated_hosts_to_isolated_images',
    'aggregate_image_properties_isolation_namespace',
    'aggregate_image_properties_isolation_separator',
]


def aggregate(spec, index):
    metadata = dict(spec['metadata'])
    return objects.Aggregate(id=index + 1, uuid='00000000-0000-0000-0001-%012d' % index,
                             name=spec['name'], hosts=spec['hosts'], metadata=metadata)


def compute_node(host, index):
    specs = [objects.HVSpec.from_list(triple) for triple in host['supported_instances']]
    return objects.ComputeNode(
        uuid='00000000-0000-0000-0000-%012d' % index, host=host['name'],
        hypervisor_hostname=host['name'], memory_mb=host['memory_mb'],
        free_ram_mb=host['free_ram_mb'], local_gb=host['local_gb'],
        local_gb_used=host['local_gb_used'], free_disk_gb=host['free_disk_gb'],
        disk_available_least=None, vcpus=host['vcpus'], vcpus_used=host['vcpus_used'],
        cpu_allocation_ratio=host['cpu_allocation_ratio'], ram_allocation_ratio=1.5,
        disk_allocation_ratio=1.0, numa_topology=None,
        pci_device_pools=objects.PciDevicePoolList(objects=[]),
        host_ip='192.0.2.1', hypervisor_type=host['hypervisor_type'],
        hypervisor_version=host['hypervisor_version'], cpu_info='{}',
        supported_hv_specs=specs, stats={'num_instances': str(host['num_instances'])},
        metrics='[]', updated_at=None)


def host_state(host, index, aggregates):
    state = host_manager.HostState(host['name'], host['name'], None)
    # A compute service heard from just now, so the servicegroup API finds it up; enabled
    # unless the plan disables it.
    now = timeutils.utcnow()
    service = {'disabled': host['disabled'], 'disabled_reason': None, 'forced_down': False,
               'created_at': now, 'updated_at': now, 'last_seen_up': now}
    state.update(compute=compute_node(host, index), service=service,
                 aggregates=[aggregates[name] for name in host['aggregates']],
                 inst_dict={name: None for name in host['instances']})
    return state


def request_spec(request):
    flavor = request['flavor']
    spec = objects.RequestSpec(
        flavor=objects.Flavor(name=flavor['name'], flavorid=flavor['name'],
                              memory_mb=flavor['memory_mb'], vcpus=flavor['vcpus'],
                              root_gb=flavor['root_gb'], ephemeral_gb=0, swap=0,
                              extra_specs=flavor['extra_specs']),
        project_id=request['project'],
        availability_zone=request['availability_zone'],
        instance_group=None,
        scheduler_hints={key: value for key, value in request['hints'].items()},
        instance_uuid='00000000-0000-0000-0002-000000000000',
    )
    image = request['image']
    spec.image = objects.ImageMeta.from_dict(
        {'id': image['name'], 'properties': image['properties']}) if image else None
    return spec


def run(query):
    for name in FILTER_SCHEDULER_OPTIONS:
        CONF.set_override(name, query['conf'][name], group='filter_scheduler')
    CONF.set_override('default_availability_zone', query['conf']['default_availability_zone'])
    aggregates = {spec['name']: aggregate(spec, index) for index, spec in enumerate(query['aggregates'])}
    states = [host_state(host, index, aggregates) for index, host in enumerate(query['hosts'])]
    spec = request_spec(query['request'])
    handler = filters.HostFilterHandler()
    classes = handler.get_matching_classes(
        ['nova.scheduler.filters.all_filters'])
    by_name = {cls.__name__: cls for cls in classes}
    instances = [by_name[name]() for name in query['filters']]
    verdicts = {}
    for name, instance in zip(query['filters'], instances):
        verdicts[name] = [bool(instance.host_passes(state, spec)) for state in states]
    # Zed's compute_status_filter request filter keeps disabled hosts from Placement's
    # candidates before any filter runs, whether or not ComputeFilter is enabled.
    candidates = [state for state, host in zip(states, query['hosts']) if not host['disabled']]
    passed = list(handler.get_filtered_objects(instances, candidates, spec, 0) or [])
    weigh = weights.HostWeightHandler()
    weighers = [cls() for cls in weigh.get_matching_classes(['nova.scheduler.weights.all_weighers'])]
    weighed = weigh.get_weighed_objects(weighers, passed, spec) if passed else []
    return {
        'verdicts': verdicts,
        'passed': [state.host for state in passed],
        'chosen': weighed[0].obj.host if weighed else None,
    }


def main():
    for line in sys.stdin:
        print(json.dumps(run(json.loads(line))))
        sys.stdout.flush()


if __name__ == '__main__':
    main()
