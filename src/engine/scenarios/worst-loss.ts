// The worst loss of N hosts as `expand --target failover:N` and `consolidate --keep
// failover:N` judge it (docs/semantics.md, "Expand" and "Consolidate"): by how many of the
// instances it strands they count, the first such loss in combination order when every
// combination is run, rather than `failover --k`'s ranking.
import { EXACT_COMBINATIONS_LIMIT, combinationCount, combinationsOf, type Failover, type StrandedInstance, type WorstLossSearch } from './failover.ts';

export interface CountedLoss {
  lost: string[];
  /** every instance the loss strands */
  stranded: StrandedInstance[];
  /** those of them that count */
  counted: StrandedInstance[];
  search: WorstLossSearch;
}

/**
 * The loss of `k` of `hosts` (k at most their number) stranding most of the instances
 * `counts` keeps: every combination while there are at most EXACT_COMBINATIONS_LIMIT,
 * else failover's greedy search, which goes by every instance stranded.
 */
export function worstCountedLoss(
  failover: Failover,
  hosts: readonly string[],
  k: number,
  counts: (stranded: StrandedInstance[]) => StrandedInstance[] = (stranded) => stranded,
): CountedLoss {
  const combinations = combinationCount(hosts.length, k);
  if (combinations > EXACT_COMBINATIONS_LIMIT) {
    const { scenario, search } = failover.worstLoss(hosts, k);
    return { lost: scenario.lost, stranded: scenario.stranded, counted: counts(scenario.stranded), search };
  }
  let worst: Omit<CountedLoss, 'search'> | null = null;
  let evaluated = 0;
  for (const lost of combinationsOf(hosts, k)) {
    evaluated++;
    const { stranded } = failover.lose(lost);
    const counted = counts(stranded);
    if (worst === null || counted.length > worst.counted.length) worst = { lost, stranded, counted };
  }
  return { ...worst!, search: { method: 'exact', combinations, evaluated } };
}
