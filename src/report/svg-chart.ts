// A line chart as standalone SVG, for reports. Hand-written: the SVG chart libraries on
// npm either need a DOM (d3, chart.js) or bring a whole visualisation runtime (vega),
// while this chart is a few polylines and labels.

export interface ChartSeries {
  label: string;
  colour: string;
  values: number[];
  /** a shaded band around the line, from `low` to `high` at each x (a forecast's P10–P90) */
  band?: { low: number[]; high: number[] };
}

/** A dashed vertical line at one x value, labelled (a sweep's turning points). */
export interface ChartMarker {
  index: number;
  label: string;
}

const WIDTH = 720;
const HEIGHT = 360;
const FONT_SIZE = 12;
const MARGIN = { left: 72, right: 160, top: 32, bottom: 48 };
const LEGEND = { line: 20, gap: 6, inset: 16, rowHeight: 18 };
const MARKER_ROW_HEIGHT = 14;
const TICKS = 4;

/**
 * How wide a text may be drawn: the viewer picks the sans-serif font, so this is a bound
 * rather than a measure, 0.65 em a character (DejaVu Sans, the widest common default,
 * averages under 0.6 em).
 */
export function textWidth(text: string, fontSize = FONT_SIZE): number {
  return text.length * fontSize * 0.65;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The smallest of 1, 2 and 5 times a power of ten that is at least `value`. */
function niceStep(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].find((factor) => factor * magnitude >= value)! * magnitude;
}

/**
 * The y axis: TICKS steps of a round size reaching the largest value. Counts get whole
 * steps, so that no tick reads 12.5 builds.
 */
function yAxis(values: readonly number[]): { step: number; top: number } {
  const largest = Math.max(0, ...values);
  if (largest === 0) return { step: 1, top: TICKS };
  let step = niceStep(largest / TICKS);
  if (values.every(Number.isInteger)) step = Math.max(1, step);
  return { step, top: step * Math.ceil(largest / step) };
}

/** Every how many x values a label fits beside the next without touching it. */
function xLabelStride(labels: readonly string[], spacing: number): number {
  const widest = Math.max(...labels.map((label) => textWidth(label)));
  return spacing <= 0 ? 1 : Math.max(1, Math.ceil((widest + FONT_SIZE) / spacing));
}

/** A label broken at spaces into lines no wider than `width` (a word wider than that keeps a line of its own). */
function wrapped(label: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of label.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && textWidth(`${lines[last]} ${word}`) <= width) lines[last] = `${lines[last]} ${word}`;
    else lines.push(word);
  }
  return lines;
}

export function lineChartSvg(title: string, xLabel: string, yLabel: string, xValues: number[], series: ChartSeries[], markers: ChartMarker[] = []): string {
  // The legend sits right of the plot, as wide as its longest label needs.
  const legendWidth = LEGEND.inset + LEGEND.line + LEGEND.gap + Math.max(0, ...series.map((s) => textWidth(s.label))) + FONT_SIZE;
  const right = Math.max(MARGIN.right, legendWidth);
  const plotLeft = MARGIN.left;
  const plotRight = WIDTH - right;
  const plotWidth = plotRight - plotLeft;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const plotBottom = MARGIN.top + plotHeight;
  const axis = yAxis(series.flatMap((s) => [...s.values, ...(s.band?.high ?? [])]));
  const x = (index: number) => plotLeft + (xValues.length === 1 ? plotWidth / 2 : (index / (xValues.length - 1)) * plotWidth);
  const y = (value: number) => plotBottom - (value / axis.top) * plotHeight;
  const at = (value: number) => Number(value.toFixed(1));
  const lines: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="${FONT_SIZE}">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
  ];
  for (let tick = 0; tick * axis.step <= axis.top; tick++) {
    // A multiple of a decimal step, without the binary fraction's tail (0.6000000000000001).
    const value = Number((tick * axis.step).toPrecision(12));
    lines.push(
      `<line x1="${plotLeft}" x2="${plotRight}" y1="${at(y(value))}" y2="${at(y(value))}" stroke="#ddd"/>`,
      `<text x="${plotLeft - 6}" y="${at(y(value)) + 4}" text-anchor="end">${value}</text>`,
    );
  }
  const yLabelX = FONT_SIZE + 4;
  const yLabelY = MARGIN.top + plotHeight / 2;
  lines.push(`<text x="${yLabelX}" y="${yLabelY}" text-anchor="middle" transform="rotate(-90 ${yLabelX} ${yLabelY})">${escapeXml(yLabel)}</text>`);
  const labels = xValues.map(String);
  const stride = xLabelStride(labels, xValues.length > 1 ? plotWidth / (xValues.length - 1) : plotWidth);
  labels.forEach((label, index) => {
    if (index % stride === 0) lines.push(`<text x="${at(x(index))}" y="${plotBottom + 18}" text-anchor="middle">${escapeXml(label)}</text>`);
  });
  lines.push(`<text x="${at(plotLeft + plotWidth / 2)}" y="${HEIGHT - 8}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  let row = 0;
  for (const marker of markers) {
    const line = x(marker.index);
    lines.push(`<line x1="${at(line)}" x2="${at(line)}" y1="${MARGIN.top}" y2="${plotBottom}" stroke="#555" stroke-dasharray="4 3"/>`);
    // Each line of the label right of the marker when the plot has room, else left of it,
    // one row under the other: inside the plot, never over the legend or another label.
    for (const text of wrapped(marker.label, plotWidth - 8)) {
      const width = textWidth(text);
      const baseline = MARGIN.top + 12 + row * MARKER_ROW_HEIGHT;
      const placed =
        line + 4 + width <= plotRight
          ? `x="${at(line + 4)}"`
          : line - 4 - width >= plotLeft
            ? `x="${at(line - 4)}" text-anchor="end"`
            : `x="${plotLeft}"`;
      lines.push(`<text ${placed} y="${baseline}" fill="#555">${escapeXml(text)}</text>`);
      row++;
    }
  }
  // Bands first, so that no band covers another series' line.
  for (const s of series) {
    if (!s.band) continue;
    const upper = s.band.high.map((value, i) => `${at(x(i))},${at(y(value))}`);
    const lower = s.band.low.map((value, i) => `${at(x(i))},${at(y(value))}`).reverse();
    lines.push(`<polygon fill="${s.colour}" fill-opacity="0.2" stroke="none" points="${[...upper, ...lower].join(' ')}"/>`);
  }
  series.forEach((s, index) => {
    const points = s.values.map((value, i) => `${at(x(i))},${at(y(value))}`).join(' ');
    lines.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${points}"/>`);
    const legendY = MARGIN.top + 16 + index * LEGEND.rowHeight;
    const legendX = plotRight + LEGEND.inset;
    lines.push(
      `<line x1="${legendX}" x2="${legendX + LEGEND.line}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${s.colour}" stroke-width="2"/>`,
      `<text x="${legendX + LEGEND.line + LEGEND.gap}" y="${legendY}">${escapeXml(s.label)}</text>`,
    );
  });
  lines.push('</svg>');
  return `${lines.join('\n')}\n`;
}
