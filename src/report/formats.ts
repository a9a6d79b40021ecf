// The formats each report is written in; kept apart from the writers so that the command
// line can list them without loading any of them.
export const OUTPUT_FORMATS = ['table', 'json', 'yaml', 'ndjson', 'csv', 'markdown', 'openmetrics'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What `fit` offers, named apart for its command: the same formats, as every report has every one. */
export const FIT_FORMATS = OUTPUT_FORMATS;
export type FitFormat = OutputFormat;
