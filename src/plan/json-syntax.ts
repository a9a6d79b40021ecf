// Where JSON.parse gave up, for `.json` plans and NDJSON trace lines. V8's messages only
// sometimes carry a position, so after a failed JSON.parse (never on the fast path) this
// small scanner walks the text the way RFC 8259 reads it and names the first problem.

export interface JsonSyntaxError {
  offset: number;
  message: string;
}

class Stop {
  constructor(readonly error: JsonSyntaxError) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;

export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let at = 0;
  const fail = (message: string, offset = at): never => {
    throw new Stop({ offset, message });
  };
  const describe = () => (at >= text.length ? 'the end of the text' : `\`${text[at]}\``);
  const skipSpace = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at])) at++;
  };
  const expect = (char: string, what: string) => {
    skipSpace();
    if (text[at] !== char) fail(`expected ${what}, found ${describe()}`);
    at++;
  };
  const string = () => {
    const start = at;
    at++;
    STRING_BODY.lastIndex = at;
    STRING_BODY.exec(text);
    at = STRING_BODY.lastIndex;
    if (text[at] === '"') return void at++;
    if (at >= text.length || text[at] === '\n') fail('unterminated string', start);
    fail(text[at] === '\\' ? 'invalid escape in string' : 'control character in string');
  };
  const value = (): void => {
    skipSpace();
    const char = text[at];
    if (char === '{') {
      at++;
      skipSpace();
      if (text[at] === '}') return void at++;
      for (;;) {
        skipSpace();
        if (text[at] !== '"') fail(`expected a "quoted" key, found ${describe()}`);
        string();
        expect(':', '`:` after the key');
        value();
        skipSpace();
        if (text[at] === '}') return void at++;
        if (text[at] !== ',') fail(`expected \`,\` or \`}\`, found ${describe()}`);
        at++;
      }
    }
    if (char === '[') {
      at++;
      skipSpace();
      if (text[at] === ']') return void at++;
      for (;;) {
        value();
        skipSpace();
        if (text[at] === ']') return void at++;
        if (text[at] !== ',') fail(`expected \`,\` or \`]\`, found ${describe()}`);
        at++;
      }
    }
    if (char === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, at)) return void (at += word.length);
    }
    NUMBER.lastIndex = at;
    if (NUMBER.exec(text)) return void (at = NUMBER.lastIndex);
    fail(`expected a value, found ${describe()}`);
  };
  try {
    value();
    skipSpace();
    if (at < text.length) fail(`unexpected ${describe()} after the value`);
    return null;
  } catch (stop) {
    if (stop instanceof Stop) return stop.error;
    throw stop;
  }
}
