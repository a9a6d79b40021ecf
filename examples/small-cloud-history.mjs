// Writes examples/small-cloud-history.ndjson: a year of instance lifecycles for the cloud of
// examples/small-cloud.yaml, as `claimplan forecast --history` reads them (docs/plan-format.md,
// "History"). Seeded, so running it again writes the same file:
//
//   node examples/small-cloud-history.mjs > examples/small-cloud-history.ndjson
//
// The story (README.md, "When do we run out?"): 12 m1.large a week, a third of them gone
// within two months, the rest still running; short-lived m1.small test servers; m1.medium
// and m1.xlarge services that come and go; a big r1.4xlarge database now and then. The
// instances the plan's replay leaves running are in it too, so they age as their flavor's do.

/** Mulberry32: small, seeded, the same stream on every machine. */
function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(2026);
const DAY = 86_400_000;
const FIRST_DAY = Date.UTC(2025, 11, 1);
const DAYS = 365;
const END = FIRST_DAY + DAYS * DAY;

function poisson(mean) {
  const floor = Math.exp(-mean);
  let count = 0;
  for (let product = random(); product > floor; product *= random()) count++;
  return count;
}

const exponential = (mean) => -mean * Math.log(1 - random());

/** Per flavor: builds a day, and a lifetime in days (Infinity: still running at the end). */
const FLAVORS = [
  { flavor: 'm1.large', prefix: 'app', perDay: 12 / 7, lifetime: () => (random() < 1 / 3 ? 3 + random() * 57 : Infinity) },
  { flavor: 'm1.small', prefix: 'test', perDay: 1, lifetime: () => exponential(3) },
  { flavor: 'm1.medium', prefix: 'svc', perDay: 0.3, lifetime: () => exponential(20) },
  { flavor: 'm1.xlarge', prefix: 'job', perDay: 0.05, lifetime: () => exponential(60) },
  { flavor: 'r1.4xlarge', prefix: 'warehouse', perDay: 1 / 120, lifetime: () => Infinity },
];

const iso = (time) => new Date(time).toISOString().replace('.000Z', 'Z');
const lifecycles = [];
const counters = new Map();
for (let day = 0; day < DAYS; day++) {
  for (const { flavor, prefix, perDay, lifetime } of FLAVORS) {
    for (let n = poisson(perDay); n > 0; n--) {
      const start = FIRST_DAY + day * DAY + Math.floor(random() * DAY);
      const end = start + lifetime() * DAY;
      const seq = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, seq);
      lifecycles.push({ instance: `${prefix}-${String(seq).padStart(4, '0')}`, flavor, start, end: end < END ? Math.round(end) : null });
    }
  }
}

// What examples/small-cloud.yaml leaves running, with the days they started.
const PLAN_INSTANCES = [
  ['cache-2', 'm1.medium', 300],
  ['web-1', 'm1.medium', 200],
  ['web-3', 'm1.medium', 200],
  ['web-4', 'm1.medium', 201],
  ['web-6', 'm1.medium', 201],
  ['db-1', 'r1.4xlarge', 120],
  ['db-2', 'r1.4xlarge', 120],
  ['db-3-retry', 'r1.4xlarge', 121],
  ['edge-app-1', 'm1.large', 340],
  ['edge-app-2', 'm1.medium', 350],
  ['batch-1', 'm1.xlarge', 362],
  ['batch-2', 'm1.xlarge', 362],
  ['batch-3', 'm1.xlarge', 363],
  ['batch-4', 'm1.xlarge', 363],
];
for (const [instance, flavor, day] of PLAN_INSTANCES) lifecycles.push({ instance, flavor, start: FIRST_DAY + day * DAY + 9 * 3_600_000, end: null });

lifecycles.sort((a, b) => a.start - b.start || a.instance.localeCompare(b.instance));
for (const { instance, flavor, start, end } of lifecycles) {
  process.stdout.write(`${JSON.stringify({ instance, flavor, start: iso(start), ...(end === null ? {} : { end: iso(end) }) })}\n`);
}
