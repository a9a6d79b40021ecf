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
}

/** How much worse than the previous landing a figure may be. */
export const REGRESSION_LIMIT = 0.1;

export type SavedFigures = Record<string, Figure>;

export class Figures {
  private readonly figures: SavedFigures = {};

  /** Keeps `value` under `name` and gives it back, for the line that prints it. */
  record(name: string, value: number, unit: string, higherIsBetter = false): number {
    this.figures[name] = higherIsBetter ? { value, unit, higherIsBetter } : { value, unit };
    return value;
  }

  all(): SavedFigures {
    return this.figures;
  }

  save(path: string): void {
    writeFileSync(path, `${JSON.stringify(this.figures, null, 2)}\n`);
  }

  /** One line per figure both benches measured, saying how it moved; REGRESSES past the limit. */
  comparedWith(previous: SavedFigures): string[] {
    return Object.entries(this.figures).flatMap(([name, now]) => {
      const was = previous[name];
      return was === undefined ? [] : [comparisonLine(name, was, now)];
    });
  }
}

export function comparisonLine(name: string, was: Figure, now: Figure): string {
  const change = was.value === 0 ? 0 : (now.value - was.value) / was.value;
  const worse = now.higherIsBetter ? -change : change;
  const sign = change >= 0 ? '+' : '−';
  const verdict = worse > REGRESSION_LIMIT ? 'REGRESSES' : worse < -REGRESSION_LIMIT ? 'improves' : 'holds';
  return `${name}: was ${figureText(was)}, now ${figureText(now)} (${sign}${Math.abs(change * 100).toFixed(1)} %) — ${verdict}`;
}

function figureText({ value, unit }: Figure): string {
  const digits = unit === 'MiB' ? 0 : unit === 'x' ? 2 : 3;
  return `${value.toFixed(digits)}${unit === 'x' ? 'x' : ` ${unit}`}`;
}

/** The figures saved at a landing, or null when there is no such file. */
export function readSavedFigures(path: string): SavedFigures | null {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as SavedFigures) : null;
}
