// The machine's speed at a moment of the bench, by a fixed piece of work that claimplan's
// code does not touch: a shared machine drifts by 10-30 % within one bench, and a figure set
// beside the previous landing's reads apart from that drift only when the yardstick measured
// beside each says how fast the machine ran (docs/contributing.md, "Benchmarks").
import { spread } from './processes.ts';

/** The fixed work's seconds, the median of 3: strings hashed into a map, objects made and dropped, doubles sorted. */
export function machineSeconds(): number {
  const runs = Array.from({ length: 3 }, () => {
    const started = process.hrtime.bigint();
    fixedWork();
    return Number(process.hrtime.bigint() - started) / 1e9;
  });
  return spread(runs).median;
}

/** What a replay does most, in kind: a map of names taken and given back, and numbers ordered. */
function fixedWork(): number {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const live = new Map<string, { at: number; size: number }>();
  let checksum = 0;
  for (let at = 0; at < 400_000; at++) {
    const name = `vm-${next() % 100_000}`;
    const held = live.get(name);
    if (held === undefined) live.set(name, { at, size: seed % 64 });
    else {
      checksum += held.size;
      live.delete(name);
    }
  }
  const weights = new Float64Array(300_000);
  for (let at = 0; at < weights.length; at++) weights[at] = next() / 2147483648;
  weights.sort();
  return checksum + weights[weights.length >> 1];
}
