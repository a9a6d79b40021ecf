// The report layer: what the engine returns, rendered for people and for programs.
// Pure: it writes through the callback it is given and never touches stdout, files or env.
// The commands import each report's module on its own, so a run loads only its report.
export { FIT_FORMATS, OUTPUT_FORMATS, type FitFormat, type OutputFormat } from './formats.ts';
export type { RenderStyle } from './render.ts';
export { renderReplay, type ReplayOutput } from './replay.ts';
export { renderFit, type FitReport } from './fit.ts';
export { renderCompare, type CompareReport } from './compare.ts';
export { renderSweep, sweepSvg, type SweepReport } from './sweep.ts';
export { decisionToJson, hostUsageToJson, summaryToJson } from './json-fields.ts';
