// Replaying builds and deletes through the tracker, one request at a time. The work per
// request depends on the cloud, never on how many requests came before (docs/semantics.md,
// "Scale"): live instances are kept in a map and hosts in the scheduler's index.
import type { CloudState } from './cloud-state.ts';
import type { Cloud, Decision, ReplayOptions, ReplaySummary, Request } from './model.ts';
import { drawsAtRandom } from '../scheduler/host-choice.ts';

/** Counts decisions as they pass, for the summary line every output ends with. */
export class SummaryCounter {
  readonly summary: ReplaySummary = {
    requests: 0,
    builds: 0,
    deletes: 0,
    moves: 0,
    claimed: 0,
    rejected: 0,
    released: 0,
    expectations: 0,
    expectations_failed: 0,
  };

  /** A counter for a replay of `cloud`, whose summary states the seed when its scheduler draws at random. */
  static of(cloud: Cloud): SummaryCounter {
    const counter = new SummaryCounter();
    if (drawsAtRandom(cloud.settings)) counter.summary.seed = cloud.seed ?? 0;
    return counter;
  }

  count(decision: Decision): void {
    const { summary } = this;
    summary.requests++;
    // A host going down or up is a request but neither a build, a delete nor a move.
    if (decision.op === 'build') summary.builds++;
    else if (decision.op === 'delete') summary.deletes++;
    else if (decision.op !== 'down' && decision.op !== 'up') summary.moves++;
    if (decision.result === 'down' || decision.result === 'up') return;
    summary[decision.result]++;
    if (decision.expectation_met !== null) {
      summary.expectations++;
      if (!decision.expectation_met) summary.expectations_failed++;
    }
  }
}

/** Decides each request in order, lazily, so a million-request trace streams. */
export function* replay(
  state: CloudState,
  requests: Iterable<Request>,
  options: ReplayOptions,
  counter: SummaryCounter = new SummaryCounter(),
): Generator<Decision> {
  let seq = 0;
  for (const request of requests) {
    const decision = state.decide(request, ++seq, options);
    counter.count(decision);
    yield decision;
  }
}
