"""Nova 26's own os-simple-tenant-usage controller renders each case's servers.

Reads a JSON list of cases from standard input, each {start, stop, servers: [{uuid, name,
project, flavor: {name, memory_mb, root_gb, ephemeral_gb, vcpus}, launched_at,
terminated_at, vm_state}]}, times ISO 8601 with an offset; instances are Nova objects, the
database is left out (the controller's `_get_instances_all_cells` returns them). Writes, a
line each, the body `GET /os-simple-tenant-usage?detailed=1` returns, as Nova's JSON
serializer writes it. Run under Debian's /usr/bin/python3 with python3-nova.
"""
import json
import sys

from oslo_utils import timeutils

from nova import objects
from nova.api.openstack import wsgi
from nova.api.openstack.compute import simple_tenant_usage

objects.register_all()


def instance(server):
    flavor = objects.Flavor(**server['flavor'])
    launched = server['launched_at']
    terminated = server['terminated_at']
    return objects.Instance(
        uuid=server['uuid'],
        display_name=server['name'],
        project_id=server['project'],
        launched_at=timeutils.parse_isotime(launched) if launched else None,
        terminated_at=timeutils.parse_isotime(terminated) if terminated else None,
        vm_state=server['vm_state'],
        flavor=flavor,
        deleted=terminated is not None,
        instance_type_id=flavor.id if 'id' in flavor else 1,
    )


def main():
    controller = simple_tenant_usage.SimpleTenantUsageController()
    serializer = wsgi.JSONDictSerializer()
    for case in json.load(sys.stdin):
        instances = [instance(server) for server in case['servers']]
        controller._get_instances_all_cells = lambda *args, **kwargs: instances
        usages, _ = controller._tenant_usages_for_period(
            None, timeutils.parse_isotime(case['start']), timeutils.parse_isotime(case['stop']), detailed=True)
        print(serializer.serialize({'tenant_usages': usages}))


main()
