// FilterScheduler._get_sorted_hosts (nova/scheduler/filter_scheduler.py, Zed's manager.py):
// from the weighed hosts, highest first, the one the scheduler claims on. With
// shuffle_best_same_weighed_hosts the hosts tied for the best weight are shuffled first
// (random.shuffle); then one is drawn from the first host_subset_size (random.choice).
import type { CloudSettings } from '../core/model.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { Weighed } from './weighing.ts';

/** Whether the scheduler's choice draws at random, so that a report states the seed it drew with. */
export function drawsAtRandom(settings: CloudSettings): boolean {
  return settings.host_subset_size > 1 || settings.shuffle_best_same_weighed_hosts;
}

/**
 * The chosen host among `ranked`, which holds the weighed hosts in Nova's order — at least
 * the first host_subset_size of them and, when shuffling, every host tied with the first.
 * Nothing is drawn when there is nothing to choose between.
 */
export function chooseHost<T>(ranked: Weighed<T>[], settings: CloudSettings, random: SeededRandom): Weighed<T> {
  if (settings.shuffle_best_same_weighed_hosts) {
    let tied = 1;
    while (tied < ranked.length && ranked[tied].weight === ranked[0].weight) tied++;
    // random.shuffle: Fisher–Yates from the last position down.
    for (let last = tied - 1; last > 0; last--) {
      const other = random.below(last + 1);
      [ranked[last], ranked[other]] = [ranked[other], ranked[last]];
    }
  }
  const subset = Math.min(settings.host_subset_size, ranked.length);
  return subset <= 1 ? ranked[0] : ranked[random.below(subset)];
}
