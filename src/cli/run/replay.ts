// What `claimplan replay` does once its options are read: replay, render, exit code.
import type { ClaimAudit, Decision } from '../../engine/core/model.ts';
import { CloudState } from '../../engine/core/cloud-state.ts';
import { replay, SummaryCounter } from '../../engine/core/replay.ts';
import { renderReplay } from '../../report/replay.ts';
import { exitOnFailedGates, GateFailures } from '../gates.ts';
import type { PlanCommandOptions } from '../options.ts';
import { emit, exitOnUnwritableOutputs, loadPlansOrExit, requestsReadOnce } from '../plan-io.ts';
import { doneOfTotal, Progress } from '../progress.ts';
import { writeStderr } from '../write.ts';

export interface ReplayCommandOptions extends PlanCommandOptions {
  failOnReject: boolean;
  explain: boolean;
}

function auditText(decision: Decision, audit: ClaimAudit[]): string {
  return audit
    .map(({ host, lines }) => lines.map((line) => `[${decision.seq} ${decision.instance} on ${host}] ${line}\n`).join(''))
    .join('');
}

/** What is watched of the decisions as they stream into the report. */
interface Watch {
  progress: Progress;
  /** how many requests there are, when known before the replay */
  total: number | null;
  expectationsFailed: GateFailures;
  rejected: GateFailures;
  /** whether each claim's audit lines are printed (`--verbose`) */
  audit: boolean;
}

/**
 * The decisions on their way into the report, watched in one pass: counted on the
 * progress line, the requests a gate fails on noted, and with `--verbose` each claim's
 * audit lines printed to stderr as the decision is made, like Nova's log.
 */
function* watched(decisions: Iterable<Decision>, { progress, total, expectationsFailed, rejected, audit }: Watch): Generator<Decision> {
  // The texts' functions are made by functions of their own: one made in this loop would
  // keep the decision in a context allocated for every decision.
  for (const decision of decisions) {
    if (progress.enabled) progress.update(progressText(decision.seq, total));
    if (decision.expectation_met === false) expectationsFailed.note(failedExpectationName(decision));
    if (decision.result === 'rejected') rejected.note(rejectedName(decision));
    if (audit && decision.audit && decision.audit.length > 0) writeStderr(auditText(decision, decision.audit));
    yield decision;
  }
  progress.done();
}

function progressText(done: number, total: number | null): () => string {
  return () => `replaying: ${doneOfTotal(done, total, 'requests decided')}`;
}

function failedExpectationName(decision: Decision): () => string {
  return () => `${decision.instance ?? decision.op} (seq ${decision.seq}, expected ${decision.expect})`;
}

function rejectedName(decision: Decision): () => string {
  return () => `${decision.instance ?? decision.op} (seq ${decision.seq})`;
}

export function runReplay(paths: string[], options: ReplayCommandOptions): void {
  const plan = loadPlansOrExit(paths, options.set, options.seed, options.novaConf);
  exitOnUnwritableOutputs(options.output);
  const requests = requestsReadOnce(plan);
  const state = CloudState.start(plan.cloud);
  const counter = SummaryCounter.of(plan.cloud);
  const progress = options.verbose ? new Progress(false) : Progress.forReport(options.output);
  const replayOptions = { audit: options.verbose, explain: options.explain || options.verbose };
  const expectationsFailed = new GateFailures();
  const rejected = new GateFailures();
  const decisions = watched(replay(state, requests, replayOptions, counter), { progress, total: requests.total, expectationsFailed, rejected, audit: options.verbose });
  emit(
    options.output,
    (sink) =>
      renderReplay(
        {
          decisions,
          hosts: () => state.hostUsages(),
          summary: () => counter.summary,
        },
        options.format,
        (chunk) => sink.write(chunk),
        { color: sink.color },
      ),
    [requests],
  );
  exitOnFailedGates([
    ...(expectationsFailed.count > 0 ? [`expect: ${expectationsFailed.line('expectation failed', 'expectations failed')}`] : []),
    ...(options.failOnReject && rejected.count > 0 ? [`--fail-on-reject: ${rejected.line('request rejected', 'requests rejected')}`] : []),
  ]);
}
