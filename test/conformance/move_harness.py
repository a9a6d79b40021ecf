"""Replays claimplan's move conformance plans through Placement 8.0 and Zed's own calls.

Placement runs in this process as placement_harness.py starts it (sqlite, noauth2, each
host's provider as the libvirt driver reports it). Every allocation change is made by
Nova 26's own SchedulerReportClient (nova/scheduler/client/report.py), its HTTP adapter
replaced by one that hands each request to Placement's WSGI application, in the order
Zed's API, conductor and compute manager make them:

- a build: the scheduler's allocation candidates (``get_allocation_candidates``), the
  hosts the filters pass (ComputeFilter: service up), ``claim_resources``;
- resize, cold and live migration: the API's and conductor's refusals (the accepted
  vm_states read from ``nova.compute.api.API``'s own ``check_instance_state``
  decorators, every text a Nova exception's), then the conductor's
  ``replace_allocation_with_migration`` (``move_allocations`` instance → migration),
  the scheduler for the new flavor with the source ignored (``in_tree`` for a named
  destination), ``claim_resources`` for the instance on the destination, and on failure
  ``revert_allocation_for_migration``; a disk that would shrink is refused by the driver
  after the claim and the compute manager's ``_revert_allocation`` moves the migration's
  allocations back; a live migration ends in ``_delete_allocation_after_move``;
- confirm (``_delete_allocation_after_move``), revert (``_revert_allocation``), and
  confirm as a move lands when the plan auto-confirms;
- evacuation: ``evacuate.py``'s and ``API.evacuate``'s refusals, the scheduler and
  ``claim_resources``, which adds the destination to the instance's allocations; no
  host sets the instance to ERROR (the conductor's ``rebuild_instance``);
- a host going down: its service is disabled and no longer heard from, as docs/semantics.md
  has it: ``update_compute_provider_status`` sets COMPUTE_STATUS_DISABLED on its
  provider, which the scheduler's ``compute_status_filter`` forbids, and ComputeFilter
  passes over it; coming up clears both;
- a host coming up: ``_destroy_evacuated_instances``, which removes each instance's own
  allocations on that host (``remove_provider_tree_from_instance_allocation``) once per
  evacuation;
- a delete: a resized instance's migration confirmed first (``_confirm_resize_on_deleting``),
  then ``delete_allocation_for_instance``.

Which host a scheduled request lands on is the scheduler's weighing, not what this suite
tests: each step carries the host claimplan chose, which must be one the filters pass,
and is the one claimed. Reads one JSON plan per line; prints one JSON result per line:
each step's result, host, source and reasons, and each host's usages after every step.

Run with /usr/bin/python3; the pyenv python3 on PATH has neither Nova nor Placement.
"""

import json
import os
import sys
import types
import uuid

import sqlalchemy
import webob
from oslo_db.sqlalchemy import engines as oslo_engines
from placement import db_api

# nova.api.openstack would otherwise monkey-patch the process with eventlet, 10 s of
# start-up; nova/monkey_patch.py offers this switch to utilities that are not a service.
os.environ['OS_NOVA_DISABLE_EVENTLET_PATCHING'] = '1'

from placement_harness import Host, Placement, check_each_schema_once  # noqa: E402
from placement_harness import request_spec, resource_requests, start_placement  # noqa: E402

from nova import exception  # noqa: E402 (placement_harness registers the objects)
from nova.api.openstack import common  # noqa: E402
from nova.compute import api as compute_api  # noqa: E402
from nova.compute import manager as compute_manager  # noqa: E402
from nova.scheduler import request_filter  # noqa: E402
from nova.scheduler.client import report  # noqa: E402

CONTEXT = types.SimpleNamespace(global_id=None)
NO_CANDIDATES = exception.NoValidHost(reason='').format_message()
NOT_ENOUGH_HOSTS = exception.NoValidHost(
    reason='There are not enough hosts available.').format_message()
# nova/api/openstack/compute/evacuate.py answers in its own words, no exception's.
EVACUATION_TO_OWN_HOST = "The target host can't be the same one."
# nova/virt/libvirt/driver.py migrate_disk_and_power_off
DISK_DOWN = exception.ResizeError(
    reason='Unable to resize disk down.').format_message()


def accepted_states(method):
    """The vm_states check_instance_state lets through for an API method."""
    while method is not None:
        names = method.__code__.co_freevars
        if 'vm_state' in names and method.__closure__:
            return method.__closure__[names.index('vm_state')].cell_contents
        method = getattr(method, '__wrapped__', None)
    raise AssertionError('no check_instance_state found')


ACCEPTED = {op: accepted_states(getattr(compute_api.API, method))
            for op, method in (('resize', 'resize'), ('migrate', 'resize'),
                               ('live_migrate', 'live_migrate'),
                               ('evacuate', 'evacuate'),
                               ('confirm', 'confirm_resize'),
                               ('revert', 'revert_resize'))}
# The action each is, as nova/api/openstack/compute/*.py names it in a conflict.
ACTIONS = {'resize': 'resize', 'migrate': 'migrate',
           'live_migrate': 'os-migrateLive', 'evacuate': 'evacuate',
           'confirm': 'confirmResize', 'revert': 'revertResize'}


def invalid_state(op, instance):
    if instance.vm_state in ACCEPTED[op]:
        return None
    error = exception.InstanceInvalidState(
        attr='vm_state', instance_uuid=instance.uuid, state=instance.vm_state,
        method=op)
    try:
        common.raise_http_conflict_for_instance_invalid_state(
            error, ACTIONS[op], instance.name)
    except webob.exc.HTTPConflict as conflict:
        return conflict.explanation
    raise AssertionError('no conflict raised')


class Response:
    def __init__(self, status, payload):
        self.status_code = status
        self.payload = payload
        self.text = json.dumps(payload)

    def json(self):
        return self.payload


class Adapter:
    """What SchedulerReportClient asks of its keystoneauth adapter, served by Placement."""

    def __init__(self, app):
        self.app = app
        self.additional_headers = {}
        # whether a request may have changed Placement since the harness last looked
        self.written = True

    def request(self, method, url, json_body=None, microversion=None):
        self.written = self.written or method != 'GET'
        request = webob.Request.blank(url, method=method)
        request.headers['x-auth-token'] = 'admin'
        request.headers['accept'] = 'application/json'
        if microversion:
            request.headers['openstack-api-version'] = (
                'placement %s' % microversion)
        if json_body is not None:
            request.body = json.dumps(json_body).encode()
            request.content_type = 'application/json'
        response = request.get_response(self.app)
        payload = json.loads(response.body) if response.body else None
        return Response(response.status_int, payload)

    def get(self, url, microversion=None, global_request_id=None):
        return self.request('GET', url, microversion=microversion)

    def post(self, url, json=None, microversion=None, global_request_id=None):
        return self.request('POST', url, json, microversion)

    def put(self, url, json=None, microversion=None, global_request_id=None):
        return self.request('PUT', url, json, microversion)

    def delete(self, url, microversion=None, global_request_id=None):
        return self.request('DELETE', url, microversion=microversion)


class Instance:
    def __init__(self, name, flavor, bfv):
        self.name = name
        self.uuid = str(uuid.uuid4())
        self.flavor = flavor
        self.bfv = bfv
        self.host = None
        self.vm_state = 'building'
        # an unconfirmed resize or cold migration: (migration, source, old flavor)
        self.pending = None
        self.deleted = False


def decision(result, host=None, source=None, reasons=()):
    return {'result': result, 'host': host and host.name,
            'from': source and source.name, 'reasons': list(reasons)}


class Plan:
    def __init__(self, placement, client, plan):
        self.placement = placement
        # also what ComputeVirtAPI.update_compute_provider_status reads of its owner
        self.reportclient = self.client = client
        self.plan = plan
        Placement.wipe()
        placement.names = {}
        self.hosts = [Host(placement, host, {}, host['settings'])
                      for host in plan['hosts']]
        self.by_name = {host.name: host for host in self.hosts}
        # Each nova-compute's report client knows its own provider, as written at its start.
        client.clear_provider_cache()
        for host in self.hosts:
            _, body = placement.call('GET', '/resource_providers/%s' % host.uuid)
            client._provider_tree.new_root(
                host.name, host.uuid,
                generation=body['generation'])
            client._provider_tree.update_traits(host.uuid, host.traits)
        self.down = set()
        self.flavors = {flavor['name']: flavor for flavor in plan['flavors']}
        self.instances = {}
        # evacuation migrations: [instance, source host, status]
        self.evacuations = []

    def schedule(self, consumer, flavor, bfv, named, ignored, chosen):
        """select_destinations: candidates, filters, then the claim on the chosen host."""
        spec = request_spec(flavor, bfv, None)
        request_filter.compute_status_filter(CONTEXT, spec)
        resources = resource_requests(spec)[0]
        if named is not None:
            resources.get_request_group(None).in_tree = named.uuid
        alloc_reqs, _, version = self.client.get_allocation_candidates(
            CONTEXT, resources)
        if not alloc_reqs:
            return None, NO_CANDIDATES
        by_provider = {}
        for alloc_req in alloc_reqs:
            for provider in alloc_req['allocations']:
                by_provider.setdefault(provider, alloc_req)
        passing = [host for host in self.hosts if host.uuid in by_provider
                   and host.name not in self.down and host is not ignored]
        # claimplan's choice first when the filters pass it; the weighing is not tested.
        passing.sort(key=lambda host: host.name != chosen)
        for host in passing:
            if self.client.claim_resources(
                    CONTEXT, consumer, by_provider[host.uuid], 'project',
                    'user', version):
                return host, None
        return None, NOT_ENOUGH_HOSTS

    def build(self, step):
        flavor = self.flavors[step['flavor']]
        instance = Instance(step['instance'], flavor, step['bfv'])
        self.placement.names[instance.uuid] = instance.name
        self.instances[instance.name] = instance
        host, reason = self.schedule(instance.uuid, flavor, instance.bfv,
                                     None, None, step['chosen'])
        if host is None:
            instance.vm_state = 'error'
            return decision('rejected', reasons=[reason])
        instance.host = host
        instance.vm_state = 'active'
        return decision('claimed', host)

    def refusal(self, op, instance, named, flavor):
        """What the API (and for a live migration the conductor) refuses, in Nova's order."""
        source = instance.host
        if op == 'evacuate':
            if source is named:
                return EVACUATION_TO_OWN_HOST
            invalid = invalid_state(op, instance)
            if invalid:
                return invalid
            if source is None:
                return exception.ComputeHostNotFound(
                    host=None).format_message()
            if source.name not in self.down:
                return exception.ComputeServiceInUse(
                    host=source.name).format_message()
            return None
        invalid = invalid_state(op, instance)
        if invalid:
            return invalid
        if op == 'live_migrate':
            if source.name in self.down:
                return exception.ComputeServiceUnavailable(
                    host=source.name).format_message()
            return None
        if source.name in self.down:
            return exception.ServiceUnavailable().format_message()
        if named is source:
            return exception.CannotMigrateToSameHost().format_message()
        if op == 'resize' and flavor is instance.flavor:
            return exception.CannotResizeToSameFlavor().format_message()
        return None

    def move(self, step):
        op = step['op']
        instance = self.instances[step['instance']]
        named = self.by_name.get(step['host'])
        flavor = self.flavors[step['flavor']] if step['flavor'] else instance.flavor
        source = instance.host
        refusal = self.refusal(op, instance, named, flavor)
        if refusal:
            return decision('rejected', source=source, reasons=[refusal])
        if op == 'evacuate':
            return self.evacuate(instance, named, step['chosen'])
        migration = str(uuid.uuid4())
        self.placement.names[migration] = 'migration of ' + instance.name
        # nova/conductor/tasks/migrate.py replace_allocation_with_migration
        self.client.move_allocations(CONTEXT, instance.uuid, migration)
        may_stay = op == 'resize' and self.plan['allow_resize_to_same_host']
        host, reason = self.schedule(instance.uuid, flavor, instance.bfv, named,
                                     None if may_stay else source,
                                     step['chosen'])
        if host is None:
            self.client.move_allocations(CONTEXT, migration, instance.uuid)
            return decision('rejected', source=source, reasons=[reason])
        old = instance.flavor
        shrinks = (flavor['root_gb'] < old['root_gb'] and not instance.bfv or
                   flavor['ephemeral_gb'] < old['ephemeral_gb'])
        if op == 'resize' and shrinks:
            self.client.move_allocations(CONTEXT, migration, instance.uuid)
            return decision('rejected', host, source, [DISK_DOWN])
        instance.host = host
        instance.flavor = flavor
        if op == 'live_migrate':
            self.delete_migration(migration)
        else:
            instance.pending = (migration, source, old)
            instance.vm_state = 'resized'
            if self.plan['auto_confirm_moves']:
                self.confirm(instance)
        return decision('claimed', host, source)

    def evacuate(self, instance, named, chosen):
        source = instance.host
        host, reason = self.schedule(instance.uuid, instance.flavor, instance.bfv,
                                     named, source, chosen)
        if host is None:
            instance.vm_state = 'error'
            return decision('rejected', source=source, reasons=[reason])
        self.evacuations.append([instance, source, 'done'])
        instance.host = host
        instance.vm_state = 'active'
        return decision('claimed', host, source)

    def delete_migration(self, migration):
        self.client.delete_allocation_for_instance(
            CONTEXT, migration, consumer_type='migration', force=False)

    def confirm(self, instance):
        migration, source, _ = instance.pending
        self.delete_migration(migration)
        instance.pending = None
        instance.vm_state = 'active'
        return source

    def move_end(self, step):
        instance = self.instances[step['instance']]
        invalid = invalid_state(step['op'], instance)
        if invalid:
            return decision('rejected', instance.host, reasons=[invalid])
        if step['op'] == 'confirm':
            return decision('released', instance.host, self.confirm(instance))
        migration, source, old = instance.pending
        self.client.move_allocations(CONTEXT, migration, instance.uuid)
        destination = instance.host
        instance.host, instance.flavor = source, old
        instance.pending = None
        instance.vm_state = 'active'
        return decision('released', source, destination)

    def delete(self, step):
        instance = self.instances.pop(step['instance'])
        if instance.pending:
            self.confirm(instance)
        self.client.delete_allocation_for_instance(CONTEXT, instance.uuid,
                                                   force=True)
        instance.deleted = True
        return decision('released', instance.host)

    def host_state(self, step):
        host = self.by_name[step['host']]
        compute_manager.ComputeVirtAPI.update_compute_provider_status(
            self, CONTEXT, host.uuid, enabled=step['op'] == 'up')
        if step['op'] == 'down':
            self.down.add(host.name)
            return decision('down', host)
        self.down.discard(host.name)
        # nova/compute/manager.py _destroy_evacuated_instances
        for evacuation in self.evacuations:
            instance, source, status = evacuation
            if source is host and status == 'done':
                if not instance.deleted:
                    self.client.remove_provider_tree_from_instance_allocation(
                        CONTEXT, instance.uuid, host.uuid)
                evacuation[2] = 'completed'
        return decision('up', host)

    def usages(self, last):
        """Each host's usages, read again only when a request may have changed them."""
        if not self.client._client.written:
            return last
        self.client._client.written = False
        result = {}
        for host in self.hosts:
            _, body = self.placement.call(
                'GET', '/resource_providers/%s/usages' % host.uuid)
            result[host.name] = {rc: used for rc, used in body['usages'].items()
                                 if rc in host.inventories}
        return result

    def run(self):
        steps = []
        usages = []
        for step in self.plan['steps']:
            op = step['op']
            if op == 'build':
                steps.append(self.build(step))
            elif op == 'delete':
                steps.append(self.delete(step))
            elif op in ('confirm', 'revert'):
                steps.append(self.move_end(step))
            elif op in ('down', 'up'):
                steps.append(self.host_state(step))
            else:
                steps.append(self.move(step))
            usages.append(self.usages(usages[-1] if usages else None))
        return {'id': self.plan['id'], 'steps': steps, 'usages': usages}


def main():
    check_each_schema_once()
    app = start_placement()
    # oslo.db yields the CPU (sleep(0)) at every connection check-in, for other green
    # threads; this process has none, and on a busy machine each yield costs a time slice.
    sqlalchemy.event.remove(db_api.get_placement_engine(), 'checkin',
                            oslo_engines._thread_yield)
    placement = Placement(app)
    client = report.SchedulerReportClient(adapter=Adapter(app))
    for line in sys.stdin:
        if line.strip():
            plan = json.loads(line)
            print(json.dumps(Plan(placement, client, plan).run()), flush=False)
    sys.stdout.flush()


if __name__ == '__main__':
    main()
