"""Runs claimplan's nested-provider conformance cases through Placement 8.0's own code.

Placement runs in this process as placement_harness.py starts it (sqlite, noauth2,
microversion 1.39). Each case is a cloud of provider trees: every compute node's root
provider reported by Nova 26's libvirt driver and resource tracker
(placement_harness.Host), then its child providers created under it
(``POST /resource_providers`` with ``parent_provider_uuid``), each with its own
inventories and traits. Each build's query is Nova's own
(``resources_from_request_spec(...).to_querystring()``: granular groups, traits per
group, group_policy), with ``in_tree=`` the host's root for a build naming a host, as
Zed asks.

claimplan decided each step first; the harness is given its choice and reports, for each
build: the hosts (root providers) Placement lists allocation candidates in, every
allocation request Placement offers in the chosen host's tree, and whether Placement
accepts claimplan's allocation (``PUT /allocations``). A delete deletes the consumer's
allocations. At the end, every provider's inventories, traits and usages.

Reads one JSON case per line on stdin; prints one JSON result per line. Providers are
named by name, as claimplan names them. Run with /usr/bin/python3.
"""

import json
import sys
import time
import uuid

import sqlalchemy
from oslo_db.sqlalchemy import engines
from placement import db_api

from placement_harness import Host, Placement, check_each_schema_once
from placement_harness import request_spec, resource_requests, start_placement


class Case:
    def __init__(self, placement, case):
        self.placement = placement
        Placement.wipe()
        placement.names = {}
        classes = set()
        for host in case['hosts']:
            classes.update(rc for rc in host['inventories'] if rc.startswith('CUSTOM_'))
            for child in self.descendants(host['providers']):
                classes.update(rc for rc in child['inventories'] if rc.startswith('CUSTOM_'))
        for name in sorted(classes):
            placement.call('PUT', '/resource_classes/%s' % name)
        # The operator's custom traits, created once before any provider carries them.
        for trait in sorted({trait for host in case['hosts']
                             for child in self.descendants(host['providers'])
                             for trait in child['traits']
                             if trait.startswith('CUSTOM_')}):
            placement.call('PUT', '/traits/%s' % trait)
        self.case = case
        self.state = {}
        self.hosts = []
        self.uuid_of = {}
        self.name_of = {}
        self.root_of = {}
        for spec in case['hosts']:
            host = Host(placement, spec, {}, spec['settings'])
            self.hosts.append(host)
            self.uuid_of[host.name] = host.uuid
            self.name_of[host.uuid] = host.name
            self.root_of[host.uuid] = host.name
            self.stored(host.name, host.inventories, host.traits)
            self.add_children(host.name, host.uuid, spec['providers'])
        self.consumers = {}
        self.seconds = 0.0

    def stored(self, name, inventories, traits):
        """What Placement answered when it stored a provider's inventories and traits."""
        self.state[name] = {'inventories': inventories, 'traits': sorted(traits)}

    @staticmethod
    def descendants(children):
        for child in children:
            yield child
            yield from Case.descendants(child['providers'])

    def add_children(self, root, parent_uuid, children):
        """Each child as nova-compute's report client writes a provider tree."""
        for child in children:
            child_uuid = str(uuid.uuid4())
            self.placement.names[child_uuid] = child['name']
            status, body = self.placement.call('POST', '/resource_providers', {
                'name': child['name'], 'uuid': child_uuid,
                'parent_provider_uuid': parent_uuid})
            assert status == 200, body
            generation = 0
            inventories, traits = {}, []
            if child['inventories']:
                status, body = self.placement.call(
                    'PUT', '/resource_providers/%s/inventories' % child_uuid,
                    {'resource_provider_generation': generation,
                     'inventories': child['inventories']})
                assert status == 200, body
                generation = body['resource_provider_generation']
                inventories = body['inventories']
            if child['traits']:
                status, body = self.placement.call(
                    'PUT', '/resource_providers/%s/traits' % child_uuid,
                    {'resource_provider_generation': generation,
                     'traits': sorted(child['traits'])})
                assert status == 200, body
                traits = body['traits']
            self.stored(child['name'], inventories, traits)
            self.uuid_of[child['name']] = child_uuid
            self.name_of[child_uuid] = child['name']
            self.root_of[child_uuid] = root
            self.add_children(root, child_uuid, child['providers'])

    def candidates(self, spec, in_tree):
        """The allocation requests of Nova's queries, the pinned one's first."""
        alloc_reqs = []
        for resources in resource_requests(spec):
            query = resources.to_querystring()
            if in_tree is not None:
                query += '&in_tree=%s' % in_tree
            status, payload = self.placement.call(
                'GET', '/allocation_candidates?%s' % query)
            # get_allocation_candidates gives nothing back on an error.
            if status == 200:
                alloc_reqs.extend(payload['allocation_requests'])
        return alloc_reqs

    def named(self, alloc_req):
        return {self.name_of[rp]: dict(sorted(item['resources'].items()))
                for rp, item in alloc_req['allocations'].items()}

    def build(self, step):
        flavor = self.case['flavors'][step['flavor']]
        spec = request_spec(flavor, False, None)
        started = time.perf_counter()
        in_tree = (self.uuid_of[step['named']]
                   if step['named'] is not None else None)
        alloc_reqs = self.candidates(spec, in_tree)
        self.seconds += time.perf_counter() - started
        hosts = sorted({self.root_of[next(iter(req['allocations']))]
                        for req in alloc_reqs})
        result = {'candidates': hosts, 'offered': [], 'accepted': None}
        if step['host'] is None:
            return result
        result['offered'] = [
            self.named(req) for req in alloc_reqs
            if self.root_of[next(iter(req['allocations']))] == step['host']]
        consumer = str(uuid.uuid4())
        allocations = {self.uuid_of[name]: {'resources': resources}
                       for name, resources in step['allocation'].items()}
        status, payload = self.placement.call(
            'PUT', '/allocations/%s' % consumer, {
                'allocations': allocations, 'project_id': 'project',
                'user_id': 'user', 'consumer_generation': None,
                'consumer_type': 'INSTANCE'})
        result['accepted'] = status == 204
        if status == 204:
            self.consumers[step['instance']] = consumer
        else:
            result['refusal'] = self.placement.error(payload)
        return result

    def delete(self, step):
        consumer = self.consumers.pop(step['instance'], None)
        if consumer is not None:
            self.placement.call('DELETE', '/allocations/%s' % consumer)
        return {}

    def providers(self):
        """Every provider's inventories and traits as Placement stored them, and its usages now."""
        for name, rp_uuid in self.uuid_of.items():
            _, usages = self.placement.call(
                'GET', '/resource_providers/%s/usages' % rp_uuid)
            state = self.state[name]
            state['usages'] = {rc: used for rc, used in usages['usages'].items()
                               if rc in state['inventories']}
        return self.state

    def run(self):
        steps = [self.delete(step) if step['op'] == 'delete'
                 else self.build(step) for step in self.case['steps']]
        return {'id': self.case['id'], 'steps': steps,
                'providers': self.providers(), 'seconds': self.seconds}


def without_thread_yield():
    """oslo.db yields the CPU (time.sleep(0)) each time a connection goes back to its
    pool, for eventlet's sake; a single-threaded harness on a busy machine waits there
    for other processes, most of a request's time. Placement's answers do not change."""
    engine = db_api.get_placement_engine()
    if sqlalchemy.event.contains(engine, 'checkin', engines._thread_yield):
        sqlalchemy.event.remove(engine, 'checkin', engines._thread_yield)


def main():
    check_each_schema_once()
    placement = Placement(start_placement())
    without_thread_yield()
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(Case(placement, json.loads(line)).run()),
                  flush=False)
    sys.stdout.flush()


if __name__ == '__main__':
    main()
