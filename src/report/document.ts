// One JSON or YAML document written part by part, so a list of millions of decisions
// never exists as one value: each item is stringified and written as it arrives.
// The bytes are those of stringifying the whole document at once (tests hold this).
import { stringify as yamlStringify, type CreateNodeOptions, type DocumentOptions, type SchemaOptions, type ToStringOptions } from 'yaml';

export type Write = (chunk: string) => void;

/**
 * A top-level key of the document: a list streamed from an iterable, or a value asked
 * for only when the writer reaches it (a replay's hosts exist only after its decisions).
 */
export type DocumentPart = { key: string; items: Iterable<unknown> } | { key: string; value: () => unknown };

/**
 * Prefixes every line but empty ones, as the stringifiers indent nested lines. Split on
 * `\n` only: JSON.stringify leaves U+2028 raw inside strings, which a multiline regex
 * would take for a line start.
 */
function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : prefix + line))
    .join('\n');
}

/**
 * JSON.stringify's indented text with its lines after the first `prefix` deeper. They are
 * never empty and end at `\n` only (a U+2028 inside a string stays raw), so one
 * replacement does what `indent` does, without an array of the lines: a failover's
 * report has hundreds of thousands.
 */
function nestedJson(text: string, prefix: string): string {
  return text.replaceAll('\n', `\n${prefix}`);
}

/** `JSON.stringify(document, null, 2)` plus a final newline, written one part and one item at a time. */
export function writeJsonDocument(parts: readonly DocumentPart[], write: Write): void {
  write('{');
  parts.forEach((part, index) => {
    write(`${index === 0 ? '' : ','}\n  ${JSON.stringify(part.key)}: `);
    if ('value' in part) {
      write(nestedJson(JSON.stringify(part.value(), null, 2), '  '));
      return;
    }
    let first = true;
    for (const item of part.items) {
      write(`${first ? '[' : ','}\n    ${nestedJson(JSON.stringify(item, null, 2), '    ')}`);
      first = false;
    }
    write(first ? '[]' : '\n  ]');
  });
  write(parts.length === 0 ? '}\n' : '\n}\n');
}

/**
 * No folding, so a long reason stays on one greppable line and an item stringified on
 * its own wraps exactly as it would inside the document; no anchors, since the engine
 * may share one array between decisions and each item must stand alone.
 */
export const YAML_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {
  lineWidth: 0,
  aliasDuplicateObjects: false,
};

/** `yaml.stringify(document, YAML_OPTIONS)`, written one part and one item at a time. */
export function writeYamlDocument(parts: readonly DocumentPart[], write: Write): void {
  if (parts.length === 0) {
    write(yamlStringify({}, YAML_OPTIONS));
    return;
  }
  for (const part of parts) {
    if ('value' in part) {
      write(yamlStringify({ [part.key]: part.value() }, YAML_OPTIONS));
      continue;
    }
    let first = true;
    for (const item of part.items) {
      if (first) write(`${yamlStringify(part.key, YAML_OPTIONS).trimEnd()}:\n`);
      write(indent(yamlStringify([item], YAML_OPTIONS), '  '));
      first = false;
    }
    if (first) write(yamlStringify({ [part.key]: [] }, YAML_OPTIONS));
  }
}
