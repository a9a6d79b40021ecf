// oslo.config's INI dialect, as oslo_config/iniparser.py BaseParser and cfg.py ConfigParser
// read a file: `[section]` lines, `key = value` or `key: value` (whichever separator comes
// first), indented continuation lines joined with newlines until a blank line, `#` and `;`
// comments only at the start of a line, one pair of matching quotes taken off a value.
// Every assignment is kept, in order: which one wins is the reader's business.

/** One `key = value`, with where its value starts (1-based). */
export interface IniAssignment {
  /** the section as written */
  section: string;
  /** as oslo.config normalises it: lower case, except `DEFAULT` */
  group: string;
  key: string;
  value: string;
  line: number;
  column: number;
}

export interface IniProblem {
  line: number;
  column: number;
  message: string;
}

// Python's str.strip() whitespace (str.isspace), which JavaScript's \s does not match exactly.
const PYTHON_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRAILING_SPACE = new RegExp(`[${PYTHON_SPACE}]+$`);
const LEADING_SPACE = new RegExp(`^[${PYTHON_SPACE}]+`);

export function pythonRstrip(text: string): string {
  return text.replace(TRAILING_SPACE, '');
}

export function pythonLstrip(text: string): string {
  return text.replace(LEADING_SPACE, '');
}

export function pythonStrip(text: string): string {
  return pythonLstrip(pythonRstrip(text));
}

/** cfg.py `_normalize_group_name`. */
export function normalizeGroupName(section: string): string {
  return section === 'DEFAULT' ? section : section.toLowerCase();
}

interface PendingAssignment {
  key: string;
  lines: string[];
  line: number;
  column: number;
}

/**
 * Every assignment in `text`, and the lines oslo.config refuses with its own words (it
 * stops at the first; this goes on, so one run shows them all). Python's text mode reads
 * `\r\n` and `\r` as line ends, as here.
 */
export function parseIni(text: string): { assignments: IniAssignment[]; problems: IniProblem[] } {
  const assignments: IniAssignment[] = [];
  const problems: IniProblem[] = [];
  let section: string | null = null;
  let pending: PendingAssignment | null = null;

  // oslo.config finds a missing section only when the assignment ends, and names the line it is on then.
  const flush = (lineNumber: number): void => {
    if (pending === null) return;
    if (section === null) problems.push({ line: lineNumber, column: 1, message: 'Section must be started before assignment' });
    else assignments.push({ section, group: normalizeGroupName(section), key: pending.key, value: pending.lines.join('\n'), line: pending.line, column: pending.column });
    pending = null;
  };

  const lines = text.split(/\r\n|\r|\n/);
  // A final line end leaves an empty last piece that Python's readlines does not have.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, index) => {
    const lineNumber = index + 1;
    const line = pythonRstrip(raw);
    if (line === '') {
      flush(lineNumber);
      return;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (pending === null) problems.push({ line: lineNumber, column: 1, message: 'Unexpected continuation line' });
      else pending.lines.push(pythonLstrip(line));
      return;
    }
    flush(lineNumber);
    if (line.startsWith('[')) {
      if (!line.endsWith(']')) problems.push({ line: lineNumber, column: 1, message: 'Invalid section (must end with ])' });
      else if (line.length <= 2) problems.push({ line: lineNumber, column: 1, message: 'Empty section name' });
      else section = line.slice(1, -1);
      return;
    }
    if (line.startsWith('#') || line.startsWith(';')) return;
    const split = splitKeyValue(line);
    if (split === null) problems.push({ line: lineNumber, column: 1, message: "No ':' or '=' found in assignment" });
    else if (split.key === '') problems.push({ line: lineNumber, column: 1, message: 'Key cannot be empty' });
    else pending = { key: split.key, lines: [split.value], line: lineNumber, column: split.column };
  });
  flush(lines.length);
  return { assignments, problems };
}

/** iniparser.py `_split_key_value`: the key, the value stripped of one pair of matching quotes, and the value's column. */
function splitKeyValue(line: string): { key: string; value: string; column: number } | null {
  const colon = line.indexOf(':');
  const equal = line.indexOf('=');
  if (colon < 0 && equal < 0) return null;
  const separator = colon < 0 || (equal >= 0 && equal < colon) ? equal : colon;
  const rest = line.slice(separator + 1);
  let value = pythonStrip(rest);
  let column = separator + 2 + (rest.length - pythonLstrip(rest).length);
  if (value !== '' && value[0] === value[value.length - 1] && (value[0] === '"' || value[0] === "'")) {
    value = value.slice(1, -1);
    column += 1;
  }
  return { key: pythonStrip(line.slice(0, separator)), value, column };
}
