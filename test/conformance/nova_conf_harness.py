"""Loads nova.conf files with oslo.config, Nova 26's own options registered, and prints
every option claimplan models as Nova would read it (test/conformance/nova-conf.test.ts).

Input on stdin: one JSON case per line, {"files": [TEXT, ...]}, files in --config-file
order. Output: one JSON line per case, {"parse_error": LINE or null, "values":
{"group name": VALUE or {"error": MESSAGE}}}, each VALUE tagged with its Python type so
that 4 and 4.0 stay apart.
"""
import json
import re
import os
import sys
import tempfile

from oslo_config import cfg

import nova.conf

CONF = nova.conf.CONF


def tagged(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return {'int': str(value)}
    if isinstance(value, float):
        return {'float': repr(value)}
    if isinstance(value, list):
        return [tagged(item) for item in value]
    raise TypeError(type(value))


def read_case(case, options, directory):
    paths = []
    for index, text in enumerate(case['files']):
        path = os.path.join(directory, 'nova-%d.conf' % index)
        with open(path, 'w', newline='') as f:
            f.write(text)
        paths.append(path)
    args = []
    for path in paths:
        args += ['--config-file', path]
    try:
        CONF(args, project='nova', default_config_files=[], default_config_dirs=[])
    except cfg.ConfigFileParseError as error:
        # "at PATH:LINE, ..." names the file and line oslo.config stopped on.
        found = re.search(r'at (.*?):(\d+), ', str(error))
        return {'parse_error': [paths.index(found.group(1)), int(found.group(2))], 'values': {}}
    values = {}
    for group, name in options:
        try:
            holder = CONF if group == 'DEFAULT' else getattr(CONF, group)
            values['%s %s' % (group, name)] = tagged(getattr(holder, name))
        except Exception as error:  # ConfigFileValueError, TemplateSubstitutionError, ...
            values['%s %s' % (group, name)] = {'error': type(error).__name__}
    CONF.reset()
    CONF.clear()
    return {'parse_error': None, 'values': values}


def main():
    options = json.loads(sys.argv[1])
    with tempfile.TemporaryDirectory() as directory:
        for line in sys.stdin:
            case = json.loads(line)
            print(json.dumps(read_case(case, options, directory)), flush=False)


main()
