// Nova's CPU-set syntax ("0-7,^3,9"), as nova.virt.hardware.parse_cpu_spec reads it.
import { failure, success, type Result } from '../core/result.ts';

/** Python's int() on a str: optional sign, digits, surrounding whitespace. */
export function pythonInt(text: string): number | null {
  const trimmed = text.trim();
  if (!/^[+-]?\d+(_\d+)*$/.test(trimmed)) return null;
  return Number(trimmed.replace(/_/g, ''));
}

/** Python's %r of a str, for the error texts Nova raises. */
export function pythonRepr(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\');
  return escaped.includes("'") && !escaped.includes('"') ? `"${escaped}"` : `'${escaped.replace(/'/g, "\\'")}'`;
}

/** The largest CPU id a host or a flavor's CPU mask may name (docs/limits.md). */
export const LARGEST_CPU_ID = 4095;

/** Returns the sorted CPU ids, or Nova's error text for the first bad rule. */
export function parseCpuSpec(spec: string): Result<number[]> {
  const included = new Set<number>();
  const rejected = new Set<number>();
  for (const rawRule of spec.split(',')) {
    const rule = rawRule.trim();
    if (rule.length < 1) continue;
    const dash = rule.indexOf('-');
    if (dash >= 0) {
      let startText = rule.slice(0, dash);
      const endText = rule.slice(dash + 1);
      const reject = startText.startsWith('^');
      if (reject) startText = startText.slice(1);
      const start = pythonInt(startText);
      const end = pythonInt(endText);
      if (start === null || end === null || start > end) {
        return failure(`Invalid range expression ${pythonRepr(rule)}`);
      }
      // Nova would build the whole range as a set; one past any real CPU is a typo that
      // would take gigabytes to spell out (docs/limits.md).
      if (end > LARGEST_CPU_ID) return failure(`CPU ${end} in ${pythonRepr(rule)} is beyond the largest CPU id accepted (${LARGEST_CPU_ID})`);
      for (let cpu = start; cpu <= end; cpu++) (reject ? rejected : included).add(cpu);
    } else if (rule.startsWith('^')) {
      const cpu = pythonInt(rule.slice(1));
      if (cpu === null) return failure(`Invalid exclusion expression ${pythonRepr(rule)}`);
      rejected.add(cpu);
    } else {
      const cpu = pythonInt(rule);
      if (cpu === null) return failure(`Invalid inclusion expression ${pythonRepr(rule)}`);
      included.add(cpu);
    }
  }
  return success([...included].filter((cpu) => !rejected.has(cpu)).sort((a, b) => a - b));
}
