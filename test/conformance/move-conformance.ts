// Replays generated move plans through claimplan's Placement model, then through Placement
// 8.0 and Zed's own calls (move_harness.py under /usr/bin/python3, one process for all of
// them), and lists every difference: each decision's result, host, source and reasons,
// and each host's usage per resource class after every step. Each step carries the host
// claimplan chose, which the harness claims when the filters pass it: which host the
// weighing prefers is not what this suite tests.
import { fileURLToPath } from 'node:url';
import { CloudState } from '../../src/engine/core/cloud-state.ts';
import { runHarness } from './harness.ts';
import { cloudOf, generateMovePlans, requestOf, type MovePlan } from './move-cases.ts';

const HARNESS = fileURLToPath(new URL('./move_harness.py', import.meta.url));

interface StepDecision {
  result: string;
  host: string | null;
  from: string | null;
  reasons: string[];
}

type Usages = Record<string, Record<string, number>>;

interface PlanResult {
  steps: StepDecision[];
  /** each host's usage per class, after each step */
  usages: Usages[];
}

function runClaimplan(plan: MovePlan): PlanResult & { seconds: number } {
  const started = process.hrtime.bigint();
  const state = CloudState.start(cloudOf(plan));
  const steps: StepDecision[] = [];
  const usages: Usages[] = [];
  plan.steps.forEach((step, index) => {
    const decision = state.decide(requestOf(step), index + 1, { audit: false, explain: false });
    steps.push({ result: decision.result, host: decision.host, from: decision.from ?? null, reasons: decision.reasons });
    usages.push(Object.fromEntries(state.hostUsages().map((usage) => [usage.host, usage.usages ?? {}])));
  });
  return { steps, usages, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** The plan as the harness reads it: each step with the host claimplan chose for it. */
function harnessInput(plan: MovePlan, ours: PlanResult): string {
  const steps = plan.steps.map((step, index) => ({ flavor: null, host: null, ...step, chosen: ours.steps[index].host }));
  return JSON.stringify({ ...plan, steps });
}

/** JSON with keys in one order, so that objects compare by content. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item) =>
    item !== null && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))) : item,
  );
}

export interface MoveMismatch {
  plan: number;
  step: number;
  what: 'decision' | 'usage';
  placement: unknown;
  claimplan: unknown;
}

export interface MoveReport {
  plans: number;
  decisions: number;
  /** per op, how Placement and Zed decided */
  perOp: Record<string, Record<string, number>>;
  /** resizes, migrations and live migrations claimed for an instance an evacuation had moved */
  movesAfterEvacuation: number;
  usagesCompared: number;
  mismatches: MoveMismatch[];
  seconds: { harness: number; claimplan: number };
}

export async function runMoveConformance(count: number): Promise<MoveReport> {
  const plans = generateMovePlans(count);
  const ours = plans.map(runClaimplan);
  const started = process.hrtime.bigint();
  const theirs = await runHarness<PlanResult>(HARNESS, plans.map((plan, k) => harnessInput(plan, ours[k])));
  const report: MoveReport = {
    plans: plans.length,
    decisions: 0,
    perOp: {},
    movesAfterEvacuation: 0,
    usagesCompared: 0,
    mismatches: [],
    seconds: { harness: Number(process.hrtime.bigint() - started) / 1e9, claimplan: ours.reduce((sum, result) => sum + result.seconds, 0) },
  };
  plans.forEach((plan, k) => {
    const evacuated = new Set<string>();
    plan.steps.forEach((step, index) => {
      const [expected, actual] = [theirs[k].steps[index], ours[k].steps[index]];
      report.decisions++;
      const tally = (report.perOp[step.op] ??= {});
      tally[expected.result] = (tally[expected.result] ?? 0) + 1;
      if (expected.result === 'claimed' && 'instance' in step) {
        if (step.op === 'evacuate') evacuated.add(step.instance);
        else if (step.op !== 'build' && evacuated.has(step.instance)) report.movesAfterEvacuation++;
      }
      if (canonical(expected) !== canonical(actual)) report.mismatches.push({ plan: plan.id, step: index, what: 'decision', placement: expected, claimplan: actual });
      report.usagesCompared += plan.hosts.length;
      const [usage, ourUsage] = [theirs[k].usages[index], ours[k].usages[index]];
      if (canonical(usage) !== canonical(ourUsage)) report.mismatches.push({ plan: plan.id, step: index, what: 'usage', placement: usage, claimplan: ourUsage });
    });
  });
  return report;
}
