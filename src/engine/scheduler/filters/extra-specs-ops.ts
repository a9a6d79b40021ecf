// Nova's extra-spec operators (nova/scheduler/filters/extra_specs_ops.py `match`), which
// ComputeCapabilitiesFilter and AggregateInstanceExtraSpecsFilter compare a host's value
// with (docs/semantics.md, "Extra-spec operators"). Python's own quirks are kept: `=` means
// "at least", `s==` and the other string operators compare the first word after the
// operator only, `<in>` is a substring test, and a requirement without an operator is a
// plain string equality.

/** Python's float() of a string, or null where it raises ValueError. */
export function pythonFloat(text: string): number | null {
  const trimmed = text.trim().replace(/(?<=\d)_(?=\d)/g, '');
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return Number(trimmed);
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(trimmed);
  if (special === null) return null;
  if (special[2].toLowerCase() === 'nan') return NaN;
  return special[1] === '-' ? -Infinity : Infinity;
}

/**
 * A numeric operator on a value or requirement float() refuses: Nova's filter raises
 * ValueError and the scheduling request fails, which the plan loader reports before the
 * replay (docs/plan-format.md, "Aggregates").
 */
export class NotANumber extends Error {}

function number(text: string): number {
  const value = pythonFloat(text);
  if (value === null) throw new NotANumber(`could not convert string to float: '${text}'`);
  return value;
}

/** Each operator on the host's value and the words after it; all but `<all-in>` read the first word only. */
const OPERATORS: Record<string, (value: string, wanted: string, words: readonly string[]) => boolean> = {
  '=': (value, wanted) => number(value) >= number(wanted),
  '<in>': (value, wanted) => value.includes(wanted),
  '<all-in>': (value, _wanted, words) => words.every((word) => value.includes(word)),
  '==': (value, wanted) => number(value) === number(wanted),
  '!=': (value, wanted) => number(value) !== number(wanted),
  '>=': (value, wanted) => number(value) >= number(wanted),
  '<=': (value, wanted) => number(value) <= number(wanted),
  's==': (value, wanted) => value === wanted,
  's!=': (value, wanted) => value !== wanted,
  's<': (value, wanted) => value < wanted,
  's<=': (value, wanted) => value <= wanted,
  's>': (value, wanted) => value > wanted,
  's>=': (value, wanted) => value >= wanted,
};

/** Python's str.split(): runs of whitespace separate, none at either end. */
function pythonWords(text: string): string[] {
  return text.split(/[\s\u001c-\u001f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/).filter((word) => word !== '');
}

/** Whether `value` (null: the host has none) satisfies the requirement `requirement`, as `match` decides. */
export function extraSpecMatches(value: string | null, requirement: string): boolean {
  const words = pythonWords(requirement);
  const op = words.length > 0 ? words.shift()! : null;
  const method = op === null ? undefined : OPERATORS[op];
  if (op !== '<or>' && method === undefined) return value === requirement;
  if (value === null) return false;
  if (op === '<or>') {
    // `<or> a <or> b`: the words at even places are the choices.
    for (;;) {
      if (words.shift() === value) return true;
      if (words.length === 0) return false;
      words.shift();
      if (words.length === 0) return false;
    }
  }
  if (words.length === 0) return false;
  return method!(value, words[0], words);
}

/** Whether the requirement compares numbers, so that a value float() refuses makes Nova's filter raise. */
export function isNumericRequirement(requirement: string): boolean {
  const [op] = pythonWords(requirement);
  return op === '=' || op === '==' || op === '!=' || op === '>=' || op === '<=';
}
