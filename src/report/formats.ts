// The formats each report is written in; kept apart from the writers so that the command
// line can list them without loading any of them.
export const OUTPUT_FORMATS = ['table', 'json', 'yaml', 'ndjson', 'csv', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const FIT_FORMATS = [...OUTPUT_FORMATS, 'openmetrics'] as const;
export type FitFormat = (typeof FIT_FORMATS)[number];
