// The replays `claimplan expand` asks for, run the same way in the command's own thread
// and in its worker threads: the plan and its SKUs, and an empty host of each SKU set
// asked once about each kind of build.
import { replayWithAdded } from '../engine/scenarios/expand/replay-at-count.ts';
import { SkuProbe, type Sku } from '../engine/scenarios/expand/sku.ts';
import { skuNamed } from '../plan/host-templates.ts';
import type { LoadedPlan } from '../plan/load.ts';
import type { CountReplayer, CountTask } from '../engine/scenarios/expand/answers.ts';
import type { ExpandJob, ExpandResult, Replayer } from './expand-pool.ts';
import { exitOnLateProblems } from './plan-io.ts';

export class ExpandReplays {
  private readonly probes = new Map<string, SkuProbe>();

  constructor(
    private readonly plan: LoadedPlan,
    private readonly skus: readonly Sku[],
    private readonly job: Pick<ExpandJob, 'position' | 'failoverHosts'>,
  ) {}

  /** In a thread: the job's SKUs from the plan; the command checked their names before any thread started. */
  static of(plan: LoadedPlan, job: ExpandJob): ExpandReplays {
    const skus = job.skus.map((name) => {
      const sku = skuNamed(name, plan.cloud.hosts, plan.hostTemplates, (plan.cloud.aggregates ?? []).map((aggregate) => aggregate.name));
      if (!sku.ok) throw new Error(sku.error);
      return sku.value;
    });
    return new ExpandReplays(plan, skus, job);
  }

  /** The empty hosts of a set of SKUs, which say whether an added host could take a build. */
  probe(indexes: readonly number[]): SkuProbe {
    const key = indexes.join(',');
    let probe = this.probes.get(key);
    if (!probe) this.probes.set(key, (probe = new SkuProbe(this.plan.cloud, indexes.map((index) => this.skus[index]))));
    return probe;
  }

  run(task: CountTask): ExpandResult {
    const requests = this.plan.requests();
    const replayed = replayWithAdded(this.plan.cloud, requests, this.probe(task.skus), task.counts, this.job.position, this.job.failoverHosts, task.stopEarly);
    // A replay stopped early has not read the trace to its end; its problems come from a full one.
    return { replayed, problems: requests.problems };
  }
}

/** The replays one after another in this thread, for a plan too small to repay a thread's start. */
export class InProcessReplayer implements Replayer {
  readonly threads = 1;

  constructor(private readonly replays: ExpandReplays) {}

  run(task: CountTask): Promise<ExpandResult> {
    return Promise.resolve(this.replays.run(task));
  }

  close(): void {}
}

/** The replays as the engine's search takes them: a trace problem any replay shows ends the command, located, with exit 2. */
export function replayerCheckingTrace(replayer: Replayer): CountReplayer {
  return {
    threads: replayer.threads,
    run: async (task) => {
      const result = await replayer.run(task);
      exitOnLateProblems(result.problems);
      return result.replayed;
    },
  };
}
