// How deep a text's brackets nest, found before any parser sees it: the yaml package and
// the JSON syntax-error finder recurse per level, so `[[[[…` thousands deep would
// exhaust their stack or take hundreds of megabytes (docs/limits.md, "Nesting depth").
import { LIMITS } from './limits.ts';

/** The offset at which `[` or `{` first nests past LIMITS.nestingDepth, or null. */
export function tooDeepAt(text: string): number | null {
  let depth = 0;
  let quote = '';
  for (let offset = 0; offset < text.length; offset++) {
    const char = text[offset];
    if (quote !== '') {
      if (char === '\\' && quote === '"') offset++;
      // A YAML apostrophe in a plain scalar (`don't`) must not hide the rest of the file.
      else if (char === quote || (char === '\n' && quote === "'")) quote = '';
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '[' || char === '{') {
      if (++depth > LIMITS.nestingDepth) return offset;
    } else if (char === ']' || char === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  return null;
}

export const TOO_DEEP = `nests more than ${LIMITS.nestingDepth} levels deep; a plan needs fewer than ten`;
