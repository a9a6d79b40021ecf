// A line chart as standalone SVG, for reports. Hand-written: the SVG chart libraries on
// npm either need a DOM (d3, chart.js) or bring a whole visualisation runtime (vega),
// while this chart is a few polylines and labels.

export interface ChartSeries {
  label: string;
  colour: string;
  values: number[];
}

const WIDTH = 720;
const HEIGHT = 360;
const MARGIN = { left: 64, right: 160, top: 32, bottom: 48 };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((factor) => factor * magnitude >= value)!;
  return step * magnitude;
}

/** A dashed vertical line at one x value, labelled (a sweep's turning points). */
export interface ChartMarker {
  index: number;
  label: string;
}

export function lineChartSvg(title: string, xLabel: string, xValues: number[], series: ChartSeries[], markers: ChartMarker[] = []): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const yMax = niceCeiling(Math.max(0, ...series.flatMap((s) => s.values)));
  const x = (index: number) => MARGIN.left + (xValues.length === 1 ? plotWidth / 2 : (index / (xValues.length - 1)) * plotWidth);
  const y = (value: number) => MARGIN.top + plotHeight - (value / yMax) * plotHeight;
  const lines: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
  ];
  for (let tick = 0; tick <= 4; tick++) {
    const value = (yMax * tick) / 4;
    lines.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(value) + 4}" text-anchor="end">${value}</text>`,
    );
  }
  xValues.forEach((value, index) => {
    lines.push(`<text x="${x(index)}" y="${MARGIN.top + plotHeight + 16}" text-anchor="middle">${value}</text>`);
  });
  lines.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 8}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  markers.forEach((marker, index) => {
    const at = x(marker.index).toFixed(1);
    lines.push(
      `<line x1="${at}" x2="${at}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#555" stroke-dasharray="4 3"/>`,
      `<text x="${at}" y="${MARGIN.top + 12 + index * 14}" dx="4" fill="#555">${escapeXml(marker.label)}</text>`,
    );
  });
  series.forEach((s, index) => {
    const points = s.values.map((value, i) => `${x(i).toFixed(1)},${y(value).toFixed(1)}`).join(' ');
    lines.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${points}"/>`);
    const legendY = MARGIN.top + 16 + index * 18;
    lines.push(
      `<line x1="${WIDTH - MARGIN.right + 16}" x2="${WIDTH - MARGIN.right + 36}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${s.colour}" stroke-width="2"/>`,
      `<text x="${WIDTH - MARGIN.right + 42}" y="${legendY}">${escapeXml(s.label)}</text>`,
    );
  });
  lines.push('</svg>');
  return `${lines.join('\n')}\n`;
}
