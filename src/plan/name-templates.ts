// Name templates for host groups and repeated requests: `cmp-{n:03}` with count 40 gives
// cmp-001 … cmp-040. `{n}` counts from 1; `{n:0W}` pads with zeros to W digits, as
// Python's str.format does, up to the width docs/limits.md allows.
import { LIMITS } from './limits.ts';
import { failure, success, type Result } from '../engine/core/result.ts';

type TemplatePart = string | { width: number };

export interface NameTemplate {
  parts: TemplatePart[];
  /** whether the template numbers its copies; without `{n}` every copy has the same name */
  numbered: boolean;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

export function parseNameTemplate(text: string): Result<NameTemplate> {
  // Most names in a long trace are plain; they need no scan.
  if (!text.includes('{')) return success({ parts: [text], numbered: false });
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const spec = /^n(?::0([1-9]\d*))?$/.exec(match[1]);
    if (spec === null) return failure(`has an unknown placeholder \`${match[0]}\`; use \`{n}\` or \`{n:03}\``);
    // Every number a plan can count fits in fewer digits (docs/limits.md); a wider pad only lengthens every name.
    const width = spec[1] === undefined ? 0 : Number(spec[1]);
    if (width > LIMITS.nameWidth) return failure(`pads \`${match[0]}\` to ${spec[1]} digits; at most ${LIMITS.nameWidth} are allowed`);
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push({ width });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return success({ parts, numbered: parts.some((part) => typeof part !== 'string') });
}

export function expandName(template: NameTemplate, n: number): string {
  let name = '';
  for (const part of template.parts) name += typeof part === 'string' ? part : String(n).padStart(part.width, '0');
  return name;
}

/**
 * The template for `count` copies, or why it cannot name them: more than one copy needs
 * `{n}`, or every copy would have the same name.
 */
export function templateForCopies(text: string, count: number): Result<NameTemplate> {
  const template = parseNameTemplate(text);
  if (template.ok && count > 1 && !template.value.numbered) return failure(`must contain \`{n}\` to name ${count} copies apart`);
  return template;
}
