// The report layer: what the engine returns, rendered for people and for programs.
// Pure: it writes through the callback it is given and never touches stdout, files or env.
export { OUTPUT_FORMATS, renderReplay, type OutputFormat, type RenderStyle, type ReplayOutput } from './replay.ts';
export { decisionToJson, hostUsageToJson, summaryToJson } from './json-fields.ts';
export {
  displayLines,
  labelledValueColumns,
  type Column,
  type CsvColumn,
  type CsvValue,
  type DisplayColumn,
  type DisplayValue,
  type LabelledValue,
  type Tone,
} from './columns.ts';
export { writeJsonDocument, writeNdjsonLine, writeYamlDocument, YAML_OPTIONS, type DocumentPart, type Write } from './document.ts';
export { CSV_RECORD_END, csvField, csvRecord, writeCsv } from './csv.ts';
export { escapeMarkdown, markdownCell, markdownHeading, markdownRow, writeMarkdownTable } from './markdown.ts';
export {
  DEFAULT_BLOCK_ROWS,
  DEFAULT_WRAP_WIDTH,
  terminalPalette,
  writeLabelledValues,
  writeTerminalTable,
  type Palette,
  type TerminalTableOptions,
} from './terminal-table.ts';
export { amountText, cpuSetText, limitText, numaPlacementLines, pageSizeText, pciTakenText, usedOfTotal, wrapLine } from './text.ts';
export {
  DECISION_CSV_COLUMNS,
  DECISION_DISPLAY_COLUMNS,
  decisionTone,
  HOST_USAGE_COLUMNS,
  hostNumaCells,
  hostPciPools,
  NUMA_CELL_COLUMNS,
  PCI_POOL_COLUMNS,
  summaryEntries,
  type HostNumaCell,
  type HostPciPool,
} from './replay-columns.ts';
