// One clear sentence per failure of a live import: what was asked, of whom, and what to do.
// Messages never carry a token, a password or a secret: only URLs, names and what the
// service answered in its error body.
export class LiveImportError extends Error {}
