// `-f openmetrics` of every command on the bundled examples, compared whole with a
// reviewed copy, and linted by Prometheus's own promtool where it is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROMTOOL_MISSING, promtoolCheck } from '../report/promtool.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');

/** The arguments of each command's other golden tests, so the copies show the same runs. */
const RUNS: [golden: string, args: string[]][] = [
  ['small-cloud.openmetrics', ['replay', 'examples/small-cloud.yaml']],
  ['numa-gpu.openmetrics', ['replay', 'examples/numa-gpu.yaml']],
  ['small-cloud.fit.openmetrics', ['fit', 'examples/small-cloud.yaml', '--flavor', 'm1.large', '--flavor', 'r1.4xlarge']],
  ['small-cloud.compare.openmetrics', ['compare', 'examples/small-cloud.yaml', '--set', 'cpu_allocation_ratio=1']],
  [
    'small-cloud.sweep.openmetrics',
    ['sweep', 'examples/small-cloud.yaml', '--vary', 'cpu_allocation_ratio=16:1:-3', '--flavor', 'm1.large', '--flavor', 'c1.8xlarge'],
  ],
];

for (const [golden, args] of RUNS) {
  const command = `claimplan ${args.join(' ')} -f openmetrics`;

  test(`${command} prints the metrics as reviewed, ending with # EOF`, () => {
    const run = runCli([...args, '-f', 'openmetrics']);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    assert.ok(run.stdout.endsWith('\n# EOF\n'));
    assertMatchesGoldenIn(GOLDEN, golden, run.stdout);
  });

  test(`${command} gives promtool check metrics nothing to say`, { skip: PROMTOOL_MISSING }, () => {
    assert.deepEqual(promtoolCheck(runCli([...args, '-f', 'openmetrics']).stdout), { status: 0, output: '' });
  });
}
