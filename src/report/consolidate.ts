// `claimplan consolidate` in every format (docs/output.md, "consolidate"): which hosts can
// be emptied by live migration and powered off, the moves that empty them, and why each
// other host stays.
import { SEARCH_BUDGET, type ConsolidateSearch, type DrainOrder, type KeptFailover, type KeptHost, type LiveMove, type StayReason } from '../engine/scenarios/consolidate.ts';
import { EXACT_COMBINATIONS_LIMIT } from '../engine/scenarios/failover.ts';
import type { HostUsage } from '../engine/core/model.ts';
import type { CsvColumn, DisplayColumn, LabelledValue } from './columns.ts';
import type { DocumentPart, Write } from './document.ts';
import type { OutputFormat } from './formats.ts';
import { causeToJson, hostUsageToJson } from './json-fields.ts';
import type { MetricFamily } from './openmetrics.ts';
import { writeReport, type RenderStyle } from './render.ts';
import type { Block } from './section.ts';
import { causeText, countText, plural } from './text.ts';

export interface ConsolidateReport {
  /** requests replayed before any host was emptied */
  requests: number;
  /** every host of the plan, in plan order */
  hosts: string[];
  emptied: { host: string; moves: LiveMove[] }[];
  kept: KeptHost[];
  failover: KeptFailover | null;
  search: ConsolidateSearch;
  /** each host's usage at the end, the emptied ones down */
  usage: HostUsage[];
}

export interface ConsolidateSummary {
  hosts: number;
  emptied: number;
  kept: number;
  live_migrations: number;
  /** no more hosts than this can be emptied, by capacity arithmetic */
  upper_bound: number;
  /** with --keep failover:N: instances the worst loss of N hosts strands, before and after */
  failover?: { hosts: number; before: number; after: number };
}

export function consolidateSummary(report: ConsolidateReport): ConsolidateSummary {
  const summary: ConsolidateSummary = {
    hosts: report.hosts.length,
    emptied: report.emptied.length,
    kept: report.kept.length,
    live_migrations: report.emptied.reduce((sum, host) => sum + host.moves.length, 0),
    upper_bound: report.search.upper_bound,
  };
  if (report.failover) summary.failover = { hosts: report.failover.hosts, before: report.failover.before, after: report.failover.after };
  return summary;
}

function whyLines(why: StayReason): string[] {
  switch (why.kind) {
    case 'instance':
      return [`${why.instance} (${why.flavor}) finds no host to live-migrate to:`, ...why.reasons, ...why.causes.map(causeText)];
    case 'holds':
      return [`still runs ${plural(why.running_vms, 'VM')} no instance of the plan accounts for (used:, an unconfirmed move's source, an evacuation's remains)`];
    case 'failover':
      return [`emptied, losing ${why.lost.join(', ')} would strand ${plural(why.stranded.length, 'instance')}, ${countText(why.before)} before:`, ...why.stranded.map((instance) => `${instance.instance} (${instance.flavor}) from ${instance.from}`)];
    case 'down':
      return ['down at the end of the replay'];
  }
}

function whyToJson(why: StayReason): object {
  switch (why.kind) {
    case 'instance':
      return { kind: why.kind, instance: why.instance, flavor: why.flavor, reasons: why.reasons, causes: why.causes.map(causeToJson) };
    case 'failover':
      return { kind: why.kind, lost: why.lost, before: why.before, stranded: why.stranded.map(({ instance, flavor, from, reasons, causes }) => ({ instance, flavor, from, reasons, causes: causes.map(causeToJson) })) };
    default:
      return why;
  }
}

function answerSentence(report: ConsolidateReport): string {
  const { emptied, hosts } = report;
  if (emptied.length === 0) return `No host can be emptied: each of the ${plural(hosts.length, 'host')} keeps an instance that finds no other host${report.failover ? ', or the loss of one more host would strand more' : ''} (below).`;
  const moves = emptied.reduce((sum, host) => sum + host.moves.length, 0);
  return `Empty ${countText(emptied.length)} of ${plural(hosts.length, 'host')} — ${emptied.map((host) => host.host).join(', ')} — by ${plural(moves, 'live migration')}; ${countText(hosts.length - emptied.length)} stay.`;
}

function failoverSentence(failover: KeptFailover): string {
  const worst = `the worst strands ${plural(failover.after, 'instance')} (losing ${failover.lost.join(', ')}), ${countText(failover.before)} before`;
  if (failover.method === 'exact') return `Kept: none of the ${plural(failover.combinations, 'loss', 'losses')} of ${plural(failover.hosts, 'host')} strands more instances than it did before any host was emptied; ${worst}.`;
  return (
    `Kept: the worst loss of ${plural(failover.hosts, 'host')} found greedily (${countText(failover.evaluated)} losses run) strands ${plural(failover.after, 'instance')} (losing ${failover.lost.join(', ')}), ` +
    `no more than the worst before any host was emptied (${countText(failover.before)}); past ${countText(EXACT_COMBINATIONS_LIMIT)} combinations each loss is not compared with itself.`
  );
}

const ORDER_NAMES: Record<DrainOrder, string> = {
  'fewest instances': 'fewest instances first',
  'least memory used': 'least memory used first',
  'most free after': 'most free after',
  'plan order': 'plan order',
  'reverse plan order': 'reverse plan order',
};

function searchSentences(report: ConsolidateReport): string[] {
  const { search } = report;
  const orders = search.orders.map(({ order, emptied }) => `${ORDER_NAMES[order]} empties ${countText(emptied.length)}`).join(', ');
  const from = search.best === 'local search' ? 'a local search from the best of them' : ORDER_NAMES[search.best];
  const cut = search.cut ? `; the local search stopped at its budget (${countText(SEARCH_BUDGET)} attempts and losses run)` : '';
  const bound = `At most ${plural(search.upper_bound, 'host')} can be emptied: the hosts that stay must have room for the memory, disk and vCPUs every instance asks for${
    report.emptied.length === search.upper_bound ? ', so no order empties more' : ''
  }.`;
  return [`Searched: ${orders}; the answer is ${from}'s (${plural(search.passes, 'pass', 'passes')}, ${plural(search.attempts, 'emptying attempt')}${search.losses > 0 ? `, ${plural(search.losses, 'loss', 'losses')} run` : ''}${cut}).`, bound];
}

interface MoveRow {
  host: string;
  move: LiveMove;
}

const MOVE_COLUMNS: readonly DisplayColumn<MoveRow>[] = [
  { header: 'host emptied', value: (row) => row.host },
  { header: 'instance', value: (row) => row.move.instance },
  { header: 'flavor', value: (row) => row.move.flavor },
  { header: 'to', value: (row) => row.move.to },
];

const KEPT_COLUMNS: readonly DisplayColumn<KeptHost>[] = [
  { header: 'host', value: (kept) => kept.host },
  { header: 'why it stays', value: (kept) => whyLines(kept.why) },
];

interface HostRow {
  host: string;
  /** the simple orders that empty it alone */
  emptiedBy: DrainOrder[];
  emptied: { host: string; moves: LiveMove[] } | null;
  kept: KeptHost | null;
}

const HOST_CSV_COLUMNS: readonly CsvColumn<HostRow>[] = [
  { header: 'host', value: (row) => row.host },
  { header: 'emptied', value: (row) => row.emptied !== null },
  // The moves themselves, `instance->destination`; the summary's live_migrations counts them.
  { header: 'moves', value: (row) => row.emptied?.moves.map((move) => `${move.instance}->${move.to}`).join(' ') ?? null },
  { header: 'why_it_stays', value: (row) => (row.kept ? whyLines(row.kept.why).join('; ').replace(/:; /g, ': ') : null) },
  { header: 'emptied_by_orders', value: (row) => row.emptiedBy.join('; ') || null },
];

function hostRows(report: ConsolidateReport): HostRow[] {
  const emptied = new Map(report.emptied.map((host) => [host.host, host]));
  const kept = new Map(report.kept.map((host) => [host.host, host]));
  const emptiedBy = (host: string) => report.search.orders.filter((order) => order.emptied.includes(host)).map(({ order }) => order);
  return report.hosts.map((host) => ({ host, emptiedBy: emptiedBy(host), emptied: emptied.get(host) ?? null, kept: kept.get(host) ?? null }));
}

function summaryEntries(summary: ConsolidateSummary): LabelledValue[] {
  const entries: LabelledValue[] = [
    { label: 'hosts emptied', value: summary.emptied },
    { label: 'hosts that stay', value: summary.kept },
    { label: 'live migrations', value: summary.live_migrations },
    { label: 'hosts that could be emptied at most', value: summary.upper_bound },
  ];
  if (summary.failover) {
    entries.push(
      { label: `worst loss of ${plural(summary.failover.hosts, 'host')}: instances stranded before`, value: summary.failover.before },
      { label: `worst loss of ${plural(summary.failover.hosts, 'host')}: instances stranded after`, value: summary.failover.after },
    );
  }
  return entries;
}

function blocks(report: ConsolidateReport): Block[] {
  const moves = report.emptied.flatMap(({ host, moves }) => moves.map((move) => ({ host, move })));
  const result: Block[] = [{ kind: 'paragraph', lines: [answerSentence(report)], emphasis: true }];
  if (moves.length > 0) result.push({ kind: 'table', title: { text: 'Live migrations, in order' }, columns: MOVE_COLUMNS, rows: moves });
  if (report.kept.length > 0) result.push({ kind: 'table', title: { text: 'Hosts that stay' }, columns: KEPT_COLUMNS, rows: report.kept });
  if (report.failover) result.push({ kind: 'paragraph', lines: [failoverSentence(report.failover)] });
  result.push({ kind: 'paragraph', lines: searchSentences(report) });
  result.push({ kind: 'labelled values', title: { text: 'Summary' }, entries: summaryEntries(consolidateSummary(report)), headers: { label: 'summary', value: 'count' } });
  return result;
}

function metrics(report: ConsolidateReport): MetricFamily[] {
  const summary = consolidateSummary(report);
  const emptied = new Set(report.emptied.map((host) => host.host));
  const families: MetricFamily[] = [
    { name: 'claimplan_consolidate_hosts_emptied', help: 'Hosts live migration can empty, to be powered off', samples: [{ labels: {}, value: summary.emptied }] },
    { name: 'claimplan_consolidate_hosts_kept', help: 'Hosts that stay', samples: [{ labels: {}, value: summary.kept }] },
    { name: 'claimplan_consolidate_live_migrations', help: 'Live migrations that empty them', samples: [{ labels: {}, value: summary.live_migrations }] },
    { name: 'claimplan_consolidate_hosts_emptiable_at_most', help: 'No more hosts than this can be emptied, by capacity arithmetic', samples: [{ labels: {}, value: summary.upper_bound }] },
    {
      name: 'claimplan_consolidate_order_hosts_emptied',
      help: 'Hosts each simple order empties alone',
      samples: report.search.orders.map(({ order, emptied }) => ({ labels: { order }, value: emptied.length })),
    },
    {
      name: 'claimplan_consolidate_host_emptied',
      help: 'Whether live migration empties the host (1) or it stays (0)',
      samples: report.hosts.map((host) => ({ labels: { host }, value: Number(emptied.has(host)) })),
    },
  ];
  if (summary.failover) {
    families.push({
      name: 'claimplan_consolidate_failover_stranded_instances',
      help: 'Instances the worst loss of the kept number of hosts strands, before any host is emptied and after',
      samples: [
        { labels: { when: 'before' }, value: summary.failover.before },
        { labels: { when: 'after' }, value: summary.failover.after },
      ],
    });
  }
  return families;
}

function basisText(report: ConsolidateReport): string {
  const keep = report.failover ? `, ${report.failover.method === 'exact' ? 'every' : 'the worst'} loss of ${plural(report.failover.hosts, 'host')} kept no worse` : '';
  return `after replaying ${plural(report.requests, 'request')}, hosts emptied one at a time by live migration, the best of ${countText(report.search.orders.length)} orders${keep}`;
}

export function renderConsolidate(report: ConsolidateReport, format: OutputFormat, write: Write, style: RenderStyle): void {
  const basis = basisText(report);
  const emptiedJson = () => report.emptied.map(({ host, moves }) => ({ host, moves }));
  const keptJson = () => report.kept.map(({ host, why }) => ({ host, why: whyToJson(why) }));
  const documentParts = (): DocumentPart[] => [
    { key: 'emptied', items: emptiedJson() },
    { key: 'kept', items: keptJson() },
    { key: 'failover', value: () => report.failover },
    { key: 'search', value: () => report.search },
    { key: 'hosts', items: report.usage.map(hostUsageToJson) },
    { key: 'summary', value: () => consolidateSummary(report) },
  ];
  writeReport(
    {
      document: documentParts,
      ndjsonLines: () => [
        ...emptiedJson().map((host) => JSON.stringify({ ...host, emptied: true })),
        ...keptJson().map((host) => JSON.stringify({ ...host, emptied: false })),
        JSON.stringify({ search: report.search }),
        JSON.stringify({ summary: consolidateSummary(report) }),
      ],
      csv: () => ({ columns: HOST_CSV_COLUMNS, rows: hostRows(report) }),
      markdown: () => ({ title: { text: 'Consolidate' }, blocks: [{ kind: 'paragraph', lines: [`${basis[0].toUpperCase()}${basis.slice(1)}.`] }, ...blocks(report)] }),
      terminal: () => ({ title: { text: 'Consolidate', detail: ` ${basis}` }, blocks: blocks(report) }),
      metrics: () => metrics(report),
    },
    format,
    write,
    style,
  );
}
