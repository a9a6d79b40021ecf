// The replays `claimplan expand` asks for, run the same way in the command's own thread and
// in its worker threads: the plan's cloud and its requests (checked and encoded once by the
// command, encoded-requests.ts), its SKUs, and an empty host of each SKU set asked once
// about each kind of build.
import type { Cloud, Request } from '../engine/core/model.ts';
import type { CountTask } from '../engine/scenarios/expand/answers.ts';
import { replayWithAdded, type CountReplay } from '../engine/scenarios/expand/replay-at-count.ts';
import { SkuProbe, type Sku } from '../engine/scenarios/expand/sku.ts';
import { skuNamed } from '../plan/host-templates.ts';
import type { ExpandJob, Replayer } from './expand-pool.ts';
import { SharedRequestReader } from './encoded-requests.ts';

export class ExpandReplays {
  private readonly probes = new Map<string, SkuProbe>();

  constructor(
    private readonly cloud: Cloud,
    private readonly requests: Iterable<Request>,
    private readonly skus: readonly Sku[],
    private readonly job: Pick<ExpandJob, 'position' | 'failoverHosts'>,
  ) {}

  /** In a thread: the job's SKUs from the plan; the command checked their names before any thread started. */
  static of(job: ExpandJob): ExpandReplays {
    const { cloud } = job;
    const skus = job.skus.map((name) => {
      const sku = skuNamed(name, cloud.hosts, job.hostTemplates, (cloud.aggregates ?? []).map((aggregate) => aggregate.name));
      if (!sku.ok) throw new Error(sku.error);
      return sku.value;
    });
    return new ExpandReplays(cloud, new SharedRequestReader(job.requests), skus, job);
  }

  /** The empty hosts of a set of SKUs, which say whether an added host could take a build. */
  probe(indexes: readonly number[]): SkuProbe {
    const key = indexes.join(',');
    let probe = this.probes.get(key);
    if (!probe) this.probes.set(key, (probe = new SkuProbe(this.cloud, indexes.map((index) => this.skus[index]))));
    return probe;
  }

  run(task: CountTask): CountReplay {
    return replayWithAdded(this.cloud, this.requests, this.probe(task.skus), task.counts, this.job.position, this.job.failoverHosts, task.stopEarly);
  }
}

/** The replays one after another in this thread, for a plan too small to repay a thread's start. */
export class InProcessReplayer implements Replayer {
  readonly threads = 1;

  constructor(private readonly replays: ExpandReplays) {}

  run(task: CountTask): Promise<CountReplay> {
    return Promise.resolve(this.replays.run(task));
  }

  close(): void {}
}
