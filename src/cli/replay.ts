// claimplan replay PLAN... : every decision, in the chosen format.
import { Command } from 'commander';
import type { ClaimAudit, Decision } from '../engine/model.ts';
import { CommandExit, EXIT_FAILED } from './exit-codes.ts';
import { withExamples, withOutputOptions, withSettingOverrides, type PlanCommandOptions } from './options.ts';
import type { Progress } from './progress.ts';
import { writeStderr } from './write.ts';

interface ReplayCommandOptions extends PlanCommandOptions {
  failOnReject: boolean;
  explain: boolean;
}

function auditText(decision: Decision, audit: ClaimAudit[]): string {
  return audit
    .map(({ host, lines }) => lines.map((line) => `[${decision.seq} ${decision.instance} on ${host}] ${line}\n`).join(''))
    .join('');
}

/** Counts decisions on the progress line as they are made. */
function* withProgress(decisions: Iterable<Decision>, progress: Progress): Generator<Decision> {
  for (const decision of decisions) {
    progress.update(() => `replaying: ${decision.seq} requests decided`);
    yield decision;
  }
  progress.done();
}

/** Prints each claim's audit lines to stderr as the decision is made, like Nova's log. */
function* withAuditLines(decisions: Iterable<Decision>): Generator<Decision> {
  for (const decision of decisions) {
    if (decision.audit && decision.audit.length > 0) writeStderr(auditText(decision, decision.audit));
    yield decision;
  }
}

export function replayCommand(): Command {
  const command = new Command('replay')
    .description("replay the plan's requests and print every decision")
    .argument('<plan...>', "plan files, merged in order ('-' reads standard input)")
    .option('--explain', 'list every host tried, with its reasons, on each scheduled build', false)
    .option('--verbose', "print Nova's audit lines for each claim to standard error (implies --explain)", false)
    .option('--fail-on-reject', 'exit 1 when any build is rejected', false);
  withSettingOverrides(command);
  withOutputOptions(command);
  withExamples(command, [
    ['claimplan replay examples/small-cloud.yaml', 'every decision, host usage and the summary, as tables'],
    ['claimplan replay plan.yaml --set cpu_allocation_ratio=4 -f ndjson -o decisions.ndjson', 'one JSON decision per line, under a changed ratio'],
    ['claimplan replay plan.yaml --fail-on-reject', 'a CI gate: exit 1 when any build is rejected'],
  ]);
  return command.action(async (paths: string[], options: ReplayCommandOptions) => {
    const [{ emit, loadPlansOrExit }, { replay, SummaryCounter }, { CloudState }, { renderReplay }, { Progress }] = await Promise.all([
      import('./plan-io.ts'),
      import('../engine/replay.ts'),
      import('../engine/cloud-state.ts'),
      import('../report/replay.ts'),
      import('./progress.ts'),
    ]);
    const plan = loadPlansOrExit(paths, options.set);
    const state = CloudState.start(plan.cloud);
    const counter = new SummaryCounter();
    const progress = options.verbose ? new Progress(false) : Progress.forReport(options.output);
    const replayOptions = { audit: options.verbose, explain: options.explain || options.verbose };
    const requests = plan.requests();
    const decisions = withProgress(replay(state, requests, replayOptions, counter), progress);
    emit(options.output, (sink) =>
      renderReplay(
        {
          decisions: options.verbose ? withAuditLines(decisions) : decisions,
          hosts: () => state.hostUsages(),
          summary: () => counter.summary,
        },
        options.format,
        (chunk) => sink.write(chunk),
        { color: sink.color },
      ),
      [requests],
    );
    const { summary } = counter;
    if (summary.expectations_failed > 0 || (options.failOnReject && summary.rejected > 0)) {
      throw new CommandExit(EXIT_FAILED);
    }
  });
}
