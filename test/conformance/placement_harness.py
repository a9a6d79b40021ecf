"""Runs claimplan's Placement-model conformance cases through OpenStack's own code.

Placement 8.0 (Debian's python3-placement) runs in this process: oslo.config with
``[placement_database] connection = sqlite://`` and ``[api] auth_strategy = noauth2``,
the schema from placement.db's migrations, the WSGI application from
``placement.deploy.loadapp``, every call a webob request at microversion 1.39 with the
noauth2 admin token. Nova 26 (Debian's python3-nova) does what Nova does around it:

- each host's inventory and traits come from the libvirt driver's
  ``update_provider_tree`` (on a host that reports the case's memory, disk and CPUs, and
  ``[compute] cpu_shared_set`` / ``cpu_dedicated_set`` from its NUMA cells) and the
  resource tracker's ``_get_traits``, written as nova-compute writes them;
- each build's query is ``resources_from_request_spec`` turned into a query string,
  with the scheduler's second, VCPU query for a pinned flavor;
- a scheduled build goes the way ``select_destinations`` takes it: the allocation
  candidates, the NUMA and PCI filters (the claim's own fit, nova_harness.claim_test),
  the RAMWeigher, then the allocation of the first candidate Placement accepts;
- a build on a named host writes its allocation directly (``PUT /allocations``), then
  claims NUMA and PCI as the compute node does.

Reads one JSON case per line on stdin; prints one JSON result per line: each step's
result, host and reasons, and at the end each provider's inventories, traits and usages
and each host's NUMA cells and PCI pools. Placement names providers and consumers by
UUID; the results name them by host and instance, as claimplan does.

Run with /usr/bin/python3; the pyenv python3 on PATH has neither Nova nor Placement.
"""

import collections
import json
import sys
import tempfile
import time
import types
import uuid

import jsonschema
import sqlalchemy as sa
import webob
from oslo_config import cfg

from nova_harness import CONF, claim_test, flavor_request, free_claim
from nova_harness import host_topology_json, pci_device_stats, snapshot
from nova_harness import take_claim

from nova import objects  # noqa: E402 (nova_harness registers the objects)
from nova.compute import provider_tree  # noqa: E402
from nova.compute import resource_tracker  # noqa: E402
from nova.scheduler import utils as scheduler_utils  # noqa: E402
from nova.virt.libvirt import driver as libvirt_driver  # noqa: E402
from nova.virt.libvirt import host as libvirt_host  # noqa: E402
from placement import conf as placement_conf  # noqa: E402
from placement import db_api  # noqa: E402
from placement import deploy  # noqa: E402
from placement.db.sqlalchemy import migration  # noqa: E402

MICROVERSION = 'placement 1.39'
NO_VALID_HOST = 'No valid host was found. '
NOT_ENOUGH_HOSTS = (
    'No valid host was found. There are not enough hosts available.')
# What a case leaves behind, wiped before the next one; the standard classes and
# traits Placement synced at start-up stay.
CASE_TABLES = (
    'allocations', 'consumers', 'projects', 'users', 'inventories',
    'resource_provider_traits', 'resource_provider_aggregates',
    'placement_aggregates', 'resource_providers')


def check_each_schema_once():
    """jsonschema.validate checks Placement's constant schemas against the meta-schema
    on every request, a quarter of a request's time; each is checked once instead.
    Every request body and query is still validated as Placement validates it."""
    validator = jsonschema.validators.validator_for({})
    check = validator.check_schema
    checked = {}

    def check_schema(schema, *args, **kwargs):
        if checked.get(id(schema)) is not schema:
            check(schema, *args, **kwargs)
            checked[id(schema)] = schema  # kept, so that its id is not reused

    validator.check_schema = staticmethod(check_schema)


def start_placement():
    """Placement's WSGI application on a fresh in-memory database."""
    with tempfile.NamedTemporaryFile('w', suffix='.conf', delete=False) as conf:
        conf.write('[placement_database]\nconnection = sqlite://\n'
                   'sync_on_startup = false\n[api]\nauth_strategy = noauth2\n')
    config = cfg.ConfigOpts()
    placement_conf.register_opts(config)
    config(['--config-file', conf.name], default_config_files=[])
    db_api.configure(config)
    migration.upgrade('head')
    return deploy.loadapp(config)


class Placement:
    """The API, called as a client would, with webob requests."""

    def __init__(self, app):
        self.app = app
        self.names = {}

    def call(self, method, path, body=None):
        request = webob.Request.blank(path, method=method)
        request.headers['x-auth-token'] = 'admin'
        request.headers['openstack-api-version'] = MICROVERSION
        request.headers['accept'] = 'application/json'
        if body is not None:
            request.body = json.dumps(body).encode()
            request.content_type = 'application/json'
        response = request.get_response(self.app)
        payload = json.loads(response.body) if response.body else None
        return response.status_int, payload

    def error(self, payload):
        """An error's own sentence, after webob's explanation, UUIDs named."""
        text = payload['errors'][0]['detail'].split('\n\n', 1)[1].strip()
        for key, name in self.names.items():
            text = text.replace(key, name)
        return text

    @staticmethod
    def wipe():
        with db_api.get_placement_engine().begin() as connection:
            for table in CASE_TABLES:
                connection.execute(sa.text('DELETE FROM %s' % table))
            connection.execute(
                sa.text('DELETE FROM resource_classes WHERE id >= 10000'))
            connection.execute(
                sa.text("DELETE FROM traits WHERE name LIKE 'CUSTOM%'"))


class Tree(provider_tree.ProviderTree):
    """The driver keeps a deep copy of the tree for spawn(); the harness needs none."""

    def __deepcopy__(self, memo):
        return self


def cpu_list(cpus):
    return ','.join(str(cpu) for cpu in sorted(cpus)) or None


def libvirt_capabilities(cells):
    """What Host.get_capabilities() tells has_hyperthreading: each CPU's siblings."""
    return types.SimpleNamespace(host=types.SimpleNamespace(
        topology=types.SimpleNamespace(cells=[
            types.SimpleNamespace(cpus=[
                types.SimpleNamespace(siblings=set(group))
                for group in cell['siblings'] for _ in group])
            for cell in cells])))


def new_driver():
    """A LibvirtDriver with its capabilities, as __init__ sets them before libvirt loads."""
    driver = libvirt_driver.LibvirtDriver.__new__(libvirt_driver.LibvirtDriver)
    try:
        libvirt_driver.LibvirtDriver.__init__(driver, None)
    except ImportError:
        pass  # no libvirt module here; the capabilities are already set
    driver._vpmems_by_rc = {}
    driver._update_provider_tree_for_vgpu = lambda *args, **kwargs: None
    driver._update_provider_tree_for_pcpu = lambda *args, **kwargs: None
    return driver


DRIVER = new_driver()


def reported_provider(host):
    """The inventory and traits nova-compute reports for the host under its settings."""
    settings = host['settings']
    for resource in ('cpu', 'ram', 'disk'):
        key = '%s_allocation_ratio' % resource
        CONF.set_override(key, settings[key])
    CONF.set_override('reserved_host_memory_mb',
                      settings['reserved_host_memory_mb'])
    CONF.set_override('reserved_host_disk_mb', settings['reserved_host_disk_mb'])
    cells = host['cells'] or []
    shared = {cpu for cell in cells for cpu in cell['cpus']}
    dedicated = {cpu for cell in cells for cpu in cell['pcpus']}
    CONF.set_override('cpu_shared_set', cpu_list(shared), group='compute')
    CONF.set_override('cpu_dedicated_set', cpu_list(dedicated), group='compute')
    online = shared | dedicated or set(range(host['vcpus']))
    smt = libvirt_host.Host.__new__(libvirt_host.Host)
    smt._has_hyperthreading = None
    smt.get_capabilities = lambda: libvirt_capabilities(cells)
    DRIVER._host = types.SimpleNamespace(
        get_memory_mb_total=lambda: host['memory_mb'],
        get_online_cpus=lambda: set(online),
        supports_amd_sev=False)
    DRIVER._static_traits = {
        'HW_CPU_HYPERTHREADING': smt.has_hyperthreading}
    DRIVER._get_local_gb_info = lambda: {'total': host['local_gb']}
    tree = Tree()
    tree.new_root(host['name'], host['name'])
    # The plan's traits are on the provider before nova-compute updates it.
    tree.update_traits(host['name'], host['traits'])
    DRIVER.update_provider_tree(tree, host['name'])
    tracker = types.SimpleNamespace(
        driver=DRIVER,
        _should_expose_remote_managed_ports_trait=lambda supported: supported,
        _sync_compute_service_disabled_trait=lambda context, traits: None)
    traits = resource_tracker.ResourceTracker._get_traits(
        tracker, None, host['name'], tree)
    inventory = dict(tree.data(host['name']).inventory)
    inventory.update(host['inventories'])
    return inventory, traits


class Host:
    """One compute node: its provider in Placement, its figures, cells and pools."""

    def __init__(self, placement, host, aggregate_uuids, settings):
        self.name = host['name']
        self.uuid = str(uuid.uuid4())
        placement.names[self.uuid] = self.name
        placement.call('POST', '/resource_providers',
                       {'name': self.name, 'uuid': self.uuid})
        inventory, traits = reported_provider(host)
        status, body = placement.call(
            'PUT', '/resource_providers/%s/inventories' % self.uuid,
            {'resource_provider_generation': 0, 'inventories': inventory})
        self.inventories = body['inventories'] if status == 200 else {}
        # set_traits_for_provider follows only an inventory Placement took
        # (report.py update_from_provider_tree); an operator's traits are set anyway.
        if status != 200:
            traits = host['traits']
        for trait in traits:
            if trait.startswith('CUSTOM_'):
                placement.call('PUT', '/traits/%s' % trait)
        _, body = placement.call(
            'PUT', '/resource_providers/%s/traits' % self.uuid,
            {'resource_provider_generation': 1 if self.inventories else 0,
             'traits': sorted(traits)})
        self.traits = sorted(body['traits'])
        if host['aggregates']:
            placement.call(
                'PUT', '/resource_providers/%s/aggregates' % self.uuid,
                {'resource_provider_generation':
                    body['resource_provider_generation'],
                 'aggregates': [aggregate_uuids[label]
                                for label in host['aggregates']]})
        self.memory_mb = host['memory_mb']
        self.memory_mb_used = settings['reserved_host_memory_mb']
        self.pools = host['pci']
        self.topology_json = (host_topology_json(host['cells'])
                              if host['cells'] else None)
        self.stats = pci_device_stats(self.pools, self.topology_json)
        self.pool_by_index = {pool['devices'][0].pool_index: pool
                              for pool in self.stats.pools if pool['devices']}
        self.limits = {}
        if 'NUMATopologyFilter' in settings['enabled_filters']:
            # The compute node's ratios, the initial ones where unset.
            self.limits['numa_topology'] = objects.NUMATopologyLimits(
                cpu_allocation_ratio=settings['cpu_allocation_ratio'] or 16.0,
                ram_allocation_ratio=settings['ram_allocation_ratio'] or 1.5)

    def claim_test(self, instance_topology, requests):
        """The claim's NUMA and PCI test, on a copy of the request: numa_fit_instance_to_host
        fills the cells it is given, so each host gets its own, as NUMATopologyFilter
        clones the request spec for each."""
        return claim_test(
            self.topology_json, self.stats,
            instance_topology and instance_topology.obj_clone(), requests,
            self.limits)

    def take(self, memory_mb, requests, claimed):
        self.topology_json, devices = take_claim(
            self.topology_json, self.stats, self.pools, requests, claimed)
        self.memory_mb_used += memory_mb
        return devices

    def free(self, memory_mb, claimed, devices):
        self.topology_json = free_claim(
            self.topology_json, self.pool_by_index, claimed, devices)
        self.memory_mb_used -= memory_mb

    def state(self, placement):
        """The inventories and traits as Placement stored them, the usages it holds now."""
        _, usages = placement.call(
            'GET', '/resource_providers/%s/usages' % self.uuid)
        return {
            'inventories': self.inventories,
            'traits': self.traits,
            'usages': {rc: used for rc, used in usages['usages'].items()
                       if rc in self.inventories},
            'topology': snapshot(self.topology_json, self.pool_by_index,
                                 self.pools),
        }


def request_spec(flavor, boot_from_volume, aggregate_uuid):
    spec = objects.RequestSpec(
        flavor=objects.Flavor(
            name=flavor['name'], vcpus=flavor['vcpus'],
            memory_mb=flavor['memory_mb'], root_gb=flavor['root_gb'],
            ephemeral_gb=flavor['ephemeral_gb'], swap=flavor['swap'],
            extra_specs=flavor['extra_specs']),
        image=objects.ImageMeta.from_dict({}), is_bfv=boot_from_volume,
        requested_resources=[],
        request_level_params=objects.RequestLevelParams())
    if aggregate_uuid:
        spec.requested_destination = objects.Destination(
            aggregates=[aggregate_uuid])
    return spec


def resource_requests(spec):
    """The scheduler's queries: the pinned one, and for dedicated CPUs its VCPU fallback."""
    primary = scheduler_utils.resources_from_request_spec(
        None, spec, None, enable_pinning_translate=True)
    if not (primary.cpu_pinning_requested and
            not CONF.workarounds.disable_fallback_pcpu_query):
        return [primary]
    return [primary, scheduler_utils.resources_from_request_spec(
        None, spec, None, enable_pinning_translate=False)]


def allocation_body(resources, host, consumer):
    return {'allocations': {host.uuid: {'resources': resources}},
            'project_id': 'project', 'user_id': 'user',
            'consumer_generation': None, 'consumer_type': 'INSTANCE'}


class Case:
    def __init__(self, placement, case):
        self.placement = placement
        self.case = case
        Placement.wipe()
        placement.names = {}
        # Custom classes as nova-compute creates them before it writes inventory
        # (_ensure_resource_classes), in name order, so ids follow names.
        for name in sorted({rc for host in case['hosts']
                            for rc in host['inventories']
                            if rc.startswith('CUSTOM_')}):
            placement.call('PUT', '/resource_classes/%s' % name)
        labels = sorted({label for host in case['hosts']
                         for label in host['aggregates']})
        self.aggregates = {label: str(uuid.uuid4()) for label in labels}
        self.hosts = [Host(placement, host, self.aggregates, host['settings'])
                      for host in case['hosts']]
        self.by_name = {host.name: host for host in self.hosts}
        self.held = {}
        self.seconds = 0.0

    def build(self, index, step):
        flavor = self.case['flavors'][step['flavor']]
        instance_topology, requests = flavor_request(flavor)
        consumer = str(uuid.uuid4())
        self.placement.names[consumer] = step['instance']
        spec = request_spec(flavor, step['bfv'],
                            self.aggregates.get(step['aggregate']))
        started = time.perf_counter()
        if step['host'] is None:
            result = self.schedule(spec, consumer, instance_topology, requests)
        else:
            result = self.claim_on_host(self.by_name[step['host']], spec,
                                        consumer, instance_topology, requests)
        self.seconds += time.perf_counter() - started
        if result['result'] == 'claimed':
            host = self.by_name[result['host']]
            claimed = result.pop('claimed')
            devices = host.take(flavor['memory_mb'], requests, claimed)
            self.held[index] = (host, consumer, flavor['memory_mb'], claimed,
                                devices)
        return result

    def claim_on_host(self, host, spec, consumer, instance_topology, requests):
        refusal = None
        for resources in resource_requests(spec):
            status, payload = self.placement.call(
                'PUT', '/allocations/%s' % consumer, allocation_body(
                    dict(resources.merged_resources()), host, consumer))
            if status == 204:
                break
            refusal = refusal or self.placement.error(payload)
        else:
            return {'result': 'rejected', 'host': host.name,
                    'reasons': [refusal]}
        reasons, claimed = host.claim_test(instance_topology, requests)
        if reasons:
            self.placement.call('DELETE', '/allocations/%s' % consumer)
            return {'result': 'rejected', 'host': host.name,
                    'reasons': reasons}
        return {'result': 'claimed', 'host': host.name, 'reasons': [],
                'claimed': claimed}

    def schedule(self, spec, consumer, instance_topology, requests):
        """select_destinations for one instance."""
        alloc_reqs = []
        summaries = {}
        for resources in resource_requests(spec):
            status, payload = self.placement.call(
                'GET', '/allocation_candidates?%s' % resources.to_querystring())
            # get_allocation_candidates gives nothing back on an error.
            if status == 200:
                alloc_reqs.extend(payload['allocation_requests'])
                summaries.update(payload['provider_summaries'])
        if not alloc_reqs:
            return {'result': 'rejected', 'host': None,
                    'reasons': [NO_VALID_HOST]}
        by_provider = collections.defaultdict(list)
        for alloc_req in alloc_reqs:
            for provider in alloc_req['allocations']:
                by_provider[provider].append(alloc_req)
        # Host states come in compute node order; the filters keep those the
        # NUMA and PCI fit accepts.
        passing = []
        for host in self.hosts:
            if host.uuid not in summaries:
                continue
            reasons, _ = host.claim_test(instance_topology, requests)
            if not reasons:
                passing.append(host)
        # RAMWeigher alone: free RAM clamped at its minval 0, normalised (an order-keeping
        # step), times +1 (spread) or -1 (pack); the stable sort keeps compute node order on ties.
        spread = self.case['weigher'] == 'spread'
        weighed = sorted(passing, key=lambda host: max(host.memory_mb - host.memory_mb_used, 0),
                         reverse=spread)
        for host in weighed:
            alloc_req = by_provider[host.uuid][0]
            status, _ = self.placement.call(
                'PUT', '/allocations/%s' % consumer,
                dict(allocation_body(None, host, consumer),
                     allocations=alloc_req['allocations']))
            if status == 204:
                _, claimed = host.claim_test(instance_topology, requests)
                return {'result': 'claimed', 'host': host.name, 'reasons': [],
                        'claimed': claimed}
        return {'result': 'rejected', 'host': None,
                'reasons': [NOT_ENOUGH_HOSTS]}

    def delete(self, step):
        held = self.held.pop(step['build'], None)
        if held is None:
            return {'result': 'released', 'host': None, 'reasons': []}
        host, consumer, memory_mb, claimed, devices = held
        self.placement.call('DELETE', '/allocations/%s' % consumer)
        host.free(memory_mb, claimed, devices)
        return {'result': 'released', 'host': host.name, 'reasons': []}

    def run(self):
        CONF.set_override('packing_host_numa_cells_allocation_strategy',
                          self.case['packing'], group='compute')
        CONF.set_override('alias', [json.dumps(alias) for alias in
                                    self.case['aliases']], group='pci')
        steps = []
        builds = 0
        for index, step in enumerate(self.case['steps']):
            if step['op'] == 'delete':
                steps.append(self.delete(step))
            else:
                steps.append(self.build(index, step))
                builds += 1
        return {'id': self.case['id'], 'steps': steps,
                'hosts': {host.name: host.state(self.placement)
                          for host in self.hosts},
                'seconds': self.seconds, 'builds': builds}


def main():
    check_each_schema_once()
    placement = Placement(start_placement())
    for line in sys.stdin:
        if line.strip():
            case = json.loads(line)
            print(json.dumps(Case(placement, case).run()), flush=False)
    sys.stdout.flush()


if __name__ == '__main__':
    main()
