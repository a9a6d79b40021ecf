// The bench's figures by name, saved as JSON (`npm run bench -- --save FILE`) and compared
// with those of the previous landing (bench/landed.json): a figure more than 10 % worse
// regresses (docs/contributing.md, "Benchmarks").
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface Figure {
  value: number;
  /** s, MiB, x (a ratio) */
  unit: string;
  /** whether a larger value is the better one (a speed-up); otherwise smaller is */
  higherIsBetter?: boolean;
  /** a time's: the yardstick's seconds measured just before it (yardstick.ts) */
  machine?: number;
}

/** How much worse than the previous landing a figure may be. */
export const REGRESSION_LIMIT = 0.1;

export type SavedFigures = Record<string, Figure>;

export class Figures {
  private readonly figures: SavedFigures = {};
  /** the yardstick's seconds, measured before the figures being recorded now */
  private machine: number | null = null;

  /** Measures the machine's speed (yardstick.ts) for the times recorded after, until measured again. */
  measureMachine(yardstick: () => number): void {
    this.machine = yardstick();
  }

  /** Keeps `value` under `name` and gives it back, for the line that prints it. */
  record(name: string, value: number, unit: string, higherIsBetter = false): number {
    const figure: Figure = higherIsBetter ? { value, unit, higherIsBetter } : { value, unit };
    if (unit === 's' && this.machine !== null) figure.machine = this.machine;
    this.figures[name] = figure;
    return value;
  }

  save(path: string): void {
    writeFileSync(path, `${JSON.stringify(this.figures, null, 2)}\n`);
  }

  /** Each figure both benches measured, beside the previous landing's. */
  comparedWith(previous: SavedFigures): Comparison[] {
    return Object.entries(this.figures).flatMap(([name, now]) => {
      const was = previous[name];
      return was === undefined ? [] : [compareFigure(name, was, now)];
    });
  }
}

/** A figure beside the previous landing's: the line that says how it moved, and its verdicts. */
export interface Comparison {
  line: string;
  /** more than REGRESSION_LIMIT worse */
  regresses: boolean;
  /** the same at the machine's speed, for a time both benches measured beside the yardstick; else null */
  regressesAtMachineSpeed: boolean | null;
}

/**
 * How a figure moved, and its verdict; for a time both benches measured beside the
 * yardstick, also how the machine moved and the figure's change at the machine's speed
 * then, with its verdict. The first verdict is the figure's own.
 */
export function compareFigure(name: string, was: Figure, now: Figure): Comparison {
  const change = relativeChange(was.value, now.value);
  const verdict = verdictOf(change, now.higherIsBetter);
  const line = `${name}: was ${figureText(was)}, now ${figureText(now)} (${percentText(change)}) — ${verdict}`;
  if (was.machine === undefined || now.machine === undefined) return { line, regresses: verdict === 'REGRESSES', regressesAtMachineSpeed: null };
  const machine = relativeChange(was.machine, now.machine);
  const atItsSpeed = (1 + change) / (1 + machine) - 1;
  const atItsSpeedVerdict = verdictOf(atItsSpeed, now.higherIsBetter);
  return {
    line: `${line}; the machine ${percentText(machine)}, so ${percentText(atItsSpeed)} at its speed — ${atItsSpeedVerdict}`,
    regresses: verdict === 'REGRESSES',
    regressesAtMachineSpeed: atItsSpeedVerdict === 'REGRESSES',
  };
}

function relativeChange(was: number, now: number): number {
  return was === 0 ? 0 : (now - was) / was;
}

function percentText(change: number): string {
  return `${change >= 0 ? '+' : '−'}${Math.abs(change * 100).toFixed(1)} %`;
}

function verdictOf(change: number, higherIsBetter: boolean | undefined): string {
  const worse = higherIsBetter ? -change : change;
  return worse > REGRESSION_LIMIT ? 'REGRESSES' : worse < -REGRESSION_LIMIT ? 'improves' : 'holds';
}

function figureText({ value, unit }: Figure): string {
  const digits = unit === 'MiB' ? 0 : unit === 'x' ? 2 : 3;
  return `${value.toFixed(digits)}${unit === 'x' ? 'x' : ` ${unit}`}`;
}

/** The figures saved at a landing, or null when there is no such file. */
export function readSavedFigures(path: string): SavedFigures | null {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as SavedFigures) : null;
}
