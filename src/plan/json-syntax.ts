// Where JSON.parse gave up, for `.json` plans and NDJSON trace lines. V8's messages only
// sometimes carry a position, so after a failed JSON.parse (never on the fast path) this
// small scanner walks the text the way RFC 8259 reads it and names the first problem.

export interface JsonSyntaxError {
  offset: number;
  message: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;

/** Each step reads one piece at `at` and moves past it, or names the problem there. */
class JsonScanner {
  private at = 0;

  constructor(private readonly text: string) {}

  document(): JsonSyntaxError | null {
    const error = this.value();
    if (error) return error;
    this.skipSpace();
    return this.at < this.text.length ? this.problem(`unexpected ${this.describe()} after the value`) : null;
  }

  private problem(message: string, offset = this.at): JsonSyntaxError {
    return { offset, message };
  }

  private describe(): string {
    return this.at >= this.text.length ? 'the end of the text' : `\`${this.text[this.at]}\``;
  }

  private skipSpace(): void {
    while (this.at < this.text.length && ' \t\n\r'.includes(this.text[this.at])) this.at++;
  }

  /** After a skip of white space: whether `char` is next, taken if it is. */
  private take(char: string): boolean {
    this.skipSpace();
    if (this.text[this.at] !== char) return false;
    this.at++;
    return true;
  }

  private value(): JsonSyntaxError | null {
    this.skipSpace();
    const char = this.text[this.at];
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    if (char === '"') return this.string();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return null;
      }
    }
    NUMBER.lastIndex = this.at;
    if (!NUMBER.exec(this.text)) return this.problem(`expected a value, found ${this.describe()}`);
    this.at = NUMBER.lastIndex;
    return null;
  }

  private object(): JsonSyntaxError | null {
    this.at++;
    if (this.take('}')) return null;
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] !== '"') return this.problem(`expected a "quoted" key, found ${this.describe()}`);
      const error = this.string() ?? (this.take(':') ? null : this.problem(`expected \`:\` after the key, found ${this.describe()}`)) ?? this.value();
      if (error) return error;
      if (this.take('}')) return null;
      if (!this.take(',')) return this.problem(`expected \`,\` or \`}\`, found ${this.describe()}`);
    }
  }

  private array(): JsonSyntaxError | null {
    this.at++;
    if (this.take(']')) return null;
    for (;;) {
      const error = this.value();
      if (error) return error;
      if (this.take(']')) return null;
      if (!this.take(',')) return this.problem(`expected \`,\` or \`]\`, found ${this.describe()}`);
    }
  }

  private string(): JsonSyntaxError | null {
    const start = this.at;
    STRING_BODY.lastIndex = this.at + 1;
    STRING_BODY.exec(this.text);
    this.at = STRING_BODY.lastIndex;
    const char = this.text[this.at];
    if (char === '"') {
      this.at++;
      return null;
    }
    if (this.at >= this.text.length || char === '\n') return this.problem('unterminated string', start);
    return this.problem(char === '\\' ? 'invalid escape in string' : 'control character in string');
  }
}

/** The first problem in `text` as JSON, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  return new JsonScanner(text).document();
}
