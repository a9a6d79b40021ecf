// `claimplan expand` in every format (docs/output.md, "expand"): how many hosts of each SKU
// to add, the replay at that count and at one fewer, so the answer can be checked, and how
// the search found it.
import { answerSkus, costOf, expandSummary, hostsOf, type ExpandAnswer, type ExpandReport } from '../engine/scenarios/expand/answers.ts';
import type { BeyondBuild, CountReplay, FailoverCheck, RejectedBuild } from '../engine/scenarios/expand/replay-at-count.ts';
import type { BeyondReason } from '../engine/scenarios/expand/sku.ts';
import type { StrandedInstance } from '../engine/scenarios/failover.ts';
import type { RejectionCause } from '../engine/core/model.ts';
import type { CsvColumn, DisplayColumn, LabelledValue } from './columns.ts';
import type { DocumentPart, Write } from './document.ts';
import type { OutputFormat } from './formats.ts';
import { causeToJson } from './json-fields.ts';
import type { Labels, MetricFamily } from './openmetrics.ts';
import { writeReport, type RenderStyle } from './render.ts';
import type { Block } from './section.ts';
import { amountText, causeText, countText, plural } from './text.ts';

/** "14 × r640" or "2 × gen + 1 × mem". */
function countsText(answer: ExpandAnswer, counts: readonly number[]): string {
  return counts.map((count, index) => `${countText(count)} × ${answer.skus[index].name}`).join(' + ');
}

function whyText(why: BeyondReason): string {
  switch (why.kind) {
    case 'named host':
      return `sent to ${why.host}`;
    case 'refused by the API':
      return 'refused by the API';
    case 'aggregate':
      return `no SKU added carries aggregate ${why.aggregate}`;
    case 'fits no empty host':
      return `an empty ${why.sku} refuses it`;
    case 'affinity':
      return `server group ${why.group} (affinity) keeps it with its members`;
  }
}

/** "survive losing any 2 hosts" as the failover check searched it. */
function failoverGoal(check: FailoverCheck): string {
  const any = `any ${plural(check.hosts, 'host')}`;
  return check.method === 'exact' ? `survive losing ${any}` : `survive losing ${any} (as far as a greedy search finds)`;
}

/** What goes wrong in a replay: builds short of hosts, a loss that strands instances. */
function failuresText(replayed: CountReplay): string {
  const parts: string[] = [];
  if (replayed.short > 0) parts.push(`${plural(replayed.short, 'build')} ${replayed.short === 1 ? 'fails' : 'fail'}`);
  const worst = replayed.failover?.worst;
  if (worst && worst.stranded.length > 0) parts.push(`losing ${worst.lost.join(', ')} strands ${plural(worst.stranded.length, 'instance')}`);
  return parts.join(' and ');
}

/** The answer as a sentence: "Add 14 × r640 to claim all 52,000 builds; with 13, 37 builds fail." */
function answerSentence(answer: ExpandAnswer): string {
  const sku = answerSkus(answer);
  const { at } = answer;
  const claims =
    at.beyond_count === 0
      ? `claim all ${plural(at.builds, 'build')}`
      : `claim every build an added ${sku} could take (${countText(at.claimed)} of ${plural(at.builds, 'build')}; ${countText(at.beyond_count)} no added host could take, below)`;
  const goal = at.failover ? `${claims} and ${failoverGoal(at.failover)}` : claims;
  if (answer.count === null) {
    const bound = `${countText(answer.method.upper_bound)}${answer.capped ? ', as many as a plan may hold' : ', the upper bound'}`;
    return `No count of ${sku} up to ${bound}, is enough to ${goal}: with ${countText(at.hosts)}, ${failuresText(at)}.`;
  }
  const hosts = hostsOf(answer)!;
  if (hosts === 0) return `No ${sku} needed: the plan's own hosts ${goal}.`;
  const cost = costOf(answer);
  const costText = cost === null ? '' : ` (cost ${amountText(cost)})`;
  const fewer = answer.fewer!;
  const fewerText = answer.mix ? countsText(answer, fewer.counts) : countText(fewer.hosts);
  return `Add ${countsText(answer, answer.count)}${costText} to ${goal}; with ${fewerText}, ${failuresText(fewer)}.`;
}

function mixMethodSentence(answer: ExpandAnswer, mix: NonNullable<ExpandAnswer['mix']>): string {
  const tried = `${plural(mix.tried.length, 'mix', 'mixes')} replayed`;
  if (mix.cut) return `The cheapest of the mixes tried: the search stopped after ${tried}, so a cheaper mix may exist.`;
  if (answer.count === null) return `No mix up to each SKU's upper bound meets the target (${tried}).`;
  return answer.method.method === 'exact'
    ? `Exact: every mix cheaper than this one falls short (each count of ${answer.skus.slice(0, -1).map((sku) => sku.name).join(', ')} from 0 while it costs less, with the fewest ${answer.skus.at(-1)!.name} it needs, every smaller count replayed; ${tried}).`
    : `The cheapest mix found: each count of ${answer.skus.slice(0, -1).map((sku) => sku.name).join(', ')} from 0 while it costs less, with the fewest ${answer.skus.at(-1)!.name} it needs by bisection, not every smaller count replayed (${tried}); --exact replays them all.`;
}

function methodSentence(answer: ExpandAnswer): string {
  if (answer.mix) return mixMethodSentence(answer, answer.mix);
  const { method } = answer;
  const lower = `${countText(method.lower_bound)}, the lower bound from capacity arithmetic`;
  if (answer.count === null) {
    return `Counts from ${lower}, up to ${countText(method.upper_bound)} replayed by doubling and bisection; none met the target.`;
  }
  const hosts = hostsOf(answer)!;
  if (hosts === 0) return 'Exact: no host needs adding.';
  if (method.method === 'exact') {
    if (hosts === method.lower_bound) return `Exact: ${countText(hosts)} is the lower bound from capacity arithmetic; no fewer hosts hold what the builds ask for at their peak.`;
    if (method.lower_bound === 0) return `Exact: every count below ${countText(hosts)} was replayed and falls short.`;
    return `Exact: every count below ${countText(hosts)} falls short (below ${lower}; from there on, replayed).`;
  }
  const atLeast = method.at_least!;
  const unreplayed = hosts - atLeast - method.replayed.filter(({ count }) => count >= atLeast && count < hosts).length;
  return (
    `By bisection: ${countText(hosts - 1)} falls short and ${countText(hosts)} meets the target, but not every count below ${countText(hosts - 1)} was replayed ` +
    `(from ${lower}; upper bound ${countText(method.upper_bound)}); adding hosts is not monotone under Nova's weighers, so a smaller count may also meet it: ` +
    `every count below ${countText(atLeast)} falls short, so the fewest hosts are between ${countText(atLeast)} and ${countText(hosts)} (${plural(unreplayed, 'count')} not replayed); --exact replays them all.`
  );
}

/** Nova's reasons, then under NoValidHost what ruled the hosts out, one cause a line. */
const reasonLines = ({ reasons, causes }: { reasons: readonly string[]; causes: readonly RejectionCause[] }) => [...reasons, ...causes.map(causeText)];

const FAILED_COLUMNS: readonly DisplayColumn<RejectedBuild>[] = [
  { header: 'seq', value: (build) => build.seq, align: 'right' },
  { header: 'instance', value: (build) => build.instance },
  { header: 'flavor', value: (build) => build.flavor },
  { header: 'aggregate', value: (build) => build.aggregate, omitWhenEmpty: true },
  { header: 'reasons', value: reasonLines },
];

const BEYOND_COLUMNS: readonly DisplayColumn<BeyondBuild>[] = [
  { header: 'seq', value: (build) => build.seq, align: 'right' },
  { header: 'instance', value: (build) => build.instance },
  { header: 'flavor', value: (build) => build.flavor },
  { header: 'why no added host', value: (build) => whyText(build.why) },
  { header: 'reasons', value: reasonLines },
];

const STRANDED_COLUMNS: readonly DisplayColumn<StrandedInstance>[] = [
  { header: 'instance', value: (instance) => instance.instance },
  { header: 'flavor', value: (instance) => instance.flavor },
  { header: 'from', value: (instance) => instance.from },
  { header: 'reasons', value: reasonLines },
];

function moreNote(listed: number, total: number): string | undefined {
  return total > listed ? `and ${countText(total - listed)} more` : undefined;
}

function summaryEntries(answer: ExpandAnswer): LabelledValue[] {
  const entries: LabelledValue[] = [{ label: 'hosts to add', value: answer.count === null ? 'none found' : countText(hostsOf(answer)!) }];
  const cost = costOf(answer);
  if (cost !== null) entries.push({ label: 'cost', value: amountText(cost) });
  if (answer.names.length > 0) entries.push({ label: 'added hosts', value: answer.names.length === 1 ? answer.names[0] : `${answer.names[0]} … ${answer.names.at(-1)}` });
  entries.push(
    { label: 'builds claimed', value: `${countText(answer.at.claimed)} of ${countText(answer.at.builds)}` },
    ...(answer.mix
      ? [{ label: 'mixes replayed', value: countText(answer.mix.tried.length) }]
      : [
          { label: 'lower bound', value: countText(answer.method.lower_bound) },
          { label: 'upper bound', value: countText(answer.method.upper_bound) },
          { label: 'counts replayed', value: countText(answer.method.replayed.length) },
          ...(answer.method.method === 'bisection' && answer.method.at_least !== null ? [{ label: 'fewest hosts at least', value: countText(answer.method.at_least) }] : []),
        ]),
    { label: 'method', value: answer.count === null ? 'none found' : answer.method.method },
  );
  return entries;
}

function answerBlocks(answer: ExpandAnswer): Block[] {
  const sku = answerSkus(answer);
  const blocks: Block[] = [{ kind: 'paragraph', lines: [answerSentence(answer)], emphasis: true }];
  const fewer = answer.count === null ? answer.at : answer.fewer;
  if (fewer) {
    const added = countsText(answer, fewer.counts);
    if (fewer.failed.length > 0) {
      blocks.push({ kind: 'table', title: { text: `Builds that fail with ${added}` }, columns: FAILED_COLUMNS, rows: fewer.failed, footnote: moreNote(fewer.failed.length, fewer.short) });
    }
    const worst = fewer.failover?.worst;
    if (worst && worst.stranded.length > 0) {
      blocks.push({ kind: 'table', title: { text: `Stranded with ${added} when ${worst.lost.join(', ')} ${worst.lost.length === 1 ? 'is' : 'are'} lost` }, columns: STRANDED_COLUMNS, rows: worst.stranded });
    }
  }
  if (answer.at.beyond.length > 0) {
    blocks.push({
      kind: 'table',
      title: { text: `Builds no added ${sku} could take (rejected with ${answer.mix ? countsText(answer, answer.at.counts) : `${countText(answer.at.hosts)} added`}; not counted)` },
      columns: BEYOND_COLUMNS,
      rows: answer.at.beyond,
      footnote: moreNote(answer.at.beyond.length, answer.at.beyond_count),
    });
  }
  blocks.push({ kind: 'paragraph', lines: [methodSentence(answer), replayedLine(answer)] });
  blocks.push({ kind: 'labelled values', title: { text: `Summary: ${sku}` }, entries: summaryEntries(answer), headers: { label: 'summary', value: 'value' } });
  return blocks;
}

/** How many meeting mixes a table lists; JSON lists every mix replayed. */
const MIXES_SHOWN = 5;

function replayedLine(answer: ExpandAnswer): string {
  if (answer.mix) {
    const meeting = answer.mix.tried.filter(({ meets }) => meets);
    const shown = meeting.slice(0, MIXES_SHOWN).map(({ counts }) => `${countsText(answer, counts)} (${amountText(costOf({ ...answer, count: counts })!)})`);
    const more = meeting.length > MIXES_SHOWN ? `, and ${countText(meeting.length - MIXES_SHOWN)} more` : '';
    return meeting.length === 0 ? 'No mix replayed meets the target.' : `Mixes that meet the target, cheapest first: ${shown.join(', ')}${more}.`;
  }
  return `Counts replayed: ${answer.method.replayed.map(({ count, meets }) => `${countText(count)} ${meets ? 'meets' : 'short'}`).join(', ')}.`;
}

function basisText(report: ExpandReport): string {
  const claimed = 'every build an added host could take is claimed';
  const target = report.failover === null ? claimed : `${claimed} and no loss of ${plural(report.failover, 'host')} strands such an instance`;
  return `hosts added ${report.position} in the host list until ${target}, replaying ${plural(report.requests, 'request')} each time`;
}

function buildToJson(build: RejectedBuild): object {
  return { seq: build.seq, instance: build.instance, flavor: build.flavor, aggregate: build.aggregate, reasons: build.reasons, causes: build.causes.map(causeToJson) };
}

function countsObject(answer: ExpandAnswer, counts: readonly number[]): Record<string, number> {
  return Object.fromEntries(answer.skus.map((sku, index) => [sku.name, counts[index]]));
}

function replayToJson(answer: ExpandAnswer, replayed: CountReplay): object {
  const { failover } = replayed;
  return {
    added: countsObject(answer, replayed.counts),
    hosts: replayed.hosts,
    builds: replayed.builds,
    claimed: replayed.claimed,
    rejected: replayed.rejected,
    short: replayed.short,
    failed: replayed.failed.map(buildToJson),
    beyond: replayed.beyond.map(({ seq, instance, flavor, host, reasons, causes, why }) => ({ seq, instance, flavor, host, reasons, causes: causes.map(causeToJson), why })),
    beyond_count: replayed.beyond_count,
    failover:
      failover === null
        ? null
        : {
            hosts: failover.hosts,
            method: failover.method,
            combinations: failover.combinations,
            evaluated: failover.evaluated,
            worst: {
              lost: failover.worst.lost,
              stranded: failover.worst.stranded.map(({ instance, flavor, from, reasons, causes }) => ({ instance, flavor, from, reasons, causes: causes.map(causeToJson) })),
              beyond: failover.worst.beyond,
            },
          },
  };
}

function answerToJson(answer: ExpandAnswer): object {
  return {
    add: answer.skus.map((sku, index) => ({ sku: sku.name, count: answer.count?.[index] ?? null, cost: sku.cost })),
    found: answer.count !== null,
    hosts: hostsOf(answer),
    cost: costOf(answer),
    names: answer.names,
    search: answer.mix
      ? {
          method: answer.count === null ? null : answer.method.method,
          cut: answer.mix.cut,
          capped: answer.capped,
          tried: answer.mix.tried.map(({ counts, meets }) => ({ add: countsObject(answer, counts), meets })),
        }
      : {
          method: answer.count === null ? null : answer.method.method,
          lower_bound: answer.method.lower_bound,
          upper_bound: answer.method.upper_bound,
          capped: answer.capped,
          at_least: answer.method.at_least,
          replayed: answer.method.replayed,
        },
    at: replayToJson(answer, answer.at),
    fewer: answer.fewer === null ? null : replayToJson(answer, answer.fewer),
  };
}

interface SearchRow {
  answer: ExpandAnswer;
  counts: number[];
  meets: boolean;
}

const same = (a: readonly number[] | null | undefined, b: readonly number[]) => a !== null && a !== undefined && a.join(',') === b.join(',');

const SEARCH_CSV_COLUMNS: readonly CsvColumn<SearchRow>[] = [
  { header: 'add', value: (row) => answerSkus(row.answer) },
  { header: 'counts', value: (row) => row.answer.skus.map((sku, index) => `${sku.name}=${row.counts[index]}`).join(' ') },
  { header: 'hosts', value: (row) => row.counts.reduce((sum, count) => sum + count, 0) },
  { header: 'meets_target', value: (row) => row.meets },
  { header: 'role', value: (row) => (same(row.answer.count, row.counts) ? 'answer' : same(row.answer.fewer?.counts, row.counts) ? 'one fewer' : null) },
];

function searchRows(answer: ExpandAnswer): SearchRow[] {
  if (answer.mix) return answer.mix.tried.map(({ counts, meets }) => ({ answer, counts, meets }));
  return answer.method.replayed.map(({ count, meets }) => ({ answer, counts: [count], meets }));
}

function expandMetrics(report: ExpandReport): MetricFamily[] {
  const labels = (answer: ExpandAnswer): Labels => ({ add: answerSkus(answer) });
  const family = (name: string, help: string, value: (answer: ExpandAnswer) => number | null): MetricFamily => ({
    name,
    help,
    samples: report.answers.flatMap((answer) => {
      const figure = value(answer);
      return figure === null ? [] : [{ labels: labels(answer), value: figure }];
    }),
  });
  return [
    family('claimplan_expand_hosts', 'Hosts to add to meet the target (+Inf when no count up to the upper bound does)', (a) => hostsOf(a) ?? Infinity),
    family('claimplan_expand_cost', 'What the hosts to add cost, when each SKU names a cost', costOf),
    family('claimplan_expand_exact', 'Whether every smaller count is known to fall short (1) or the count was found by bisection (0)', (a) => (a.count === null ? null : Number(a.method.method === 'exact'))),
    family('claimplan_expand_lower_bound_hosts', 'Fewer hosts cannot hold what the builds ask for at their peak', (a) => a.method.lower_bound),
    family('claimplan_expand_fewest_hosts_at_least', 'Every count below this is known to fall short: the fewest hosts that meet the target are between it and the count found', (a) => (a.mix ? null : a.method.at_least)),
    family('claimplan_expand_upper_bound_hosts', 'With this many hosts every build an added host could take surely finds one', (a) => a.method.upper_bound),
    family('claimplan_expand_replays', 'Counts (or mixes) replayed by the search', (a) => a.mix?.tried.length ?? a.method.replayed.length),
    family('claimplan_expand_short_builds_one_fewer', 'Builds an added host could take that fail with one host fewer', (a) => a.fewer?.short ?? null),
    family('claimplan_expand_beyond_builds', 'Builds rejected at the count found that no added host could take', (a) => (a.count === null ? null : a.at.beyond_count)),
  ];
}

export function renderExpand(report: ExpandReport, format: OutputFormat, write: Write, style: RenderStyle): void {
  const basis = basisText(report);
  const blocks = () => report.answers.flatMap(answerBlocks);
  const documentParts = (): DocumentPart[] => [
    { key: 'target', value: () => ({ failover: report.failover }) },
    { key: 'position', value: () => report.position },
    { key: 'requests', value: () => report.requests },
    { key: 'answers', items: report.answers.map(answerToJson) },
    { key: 'summary', value: () => expandSummary(report) },
  ];
  writeReport(
    {
      document: documentParts,
      ndjsonLines: () => [...report.answers.map((answer) => JSON.stringify(answerToJson(answer))), JSON.stringify({ summary: expandSummary(report) })],
      csv: () => ({ columns: SEARCH_CSV_COLUMNS, rows: report.answers.flatMap(searchRows) }),
      markdown: () => ({ title: { text: 'Expand' }, blocks: [{ kind: 'paragraph', lines: [`${basis[0].toUpperCase()}${basis.slice(1)}.`] }, ...blocks()] }),
      terminal: () => ({ title: { text: 'Expand', detail: `: ${basis}` }, blocks: blocks() }),
      metrics: () => expandMetrics(report),
    },
    format,
    write,
    style,
  );
}
