import { jsonNestingBeyond } from '@integrixs/domain';

/** Parsing JSON (schemas and payloads) with a size and a nesting cap, and located errors. */

export interface JsonLimits {
  /** Largest accepted text, in UTF-8 bytes. */
  maxBytes: number;
  /** Deepest nesting of arrays and objects. */
  maxDepth: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = {
  maxBytes: 16 * 1024 * 1024,
  maxDepth: 512,
};

export type JsonParseResult =
  { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number };

/**
 * Checks the caps in one pass (strings skipped), then `JSON.parse`. Walkers and validators
 * recurse, so a 100k-deep array must be refused before it reaches them.
 */
export function parseJson(text: string, limits: JsonLimits = DEFAULT_JSON_LIMITS): JsonParseResult {
  const tooLarge = sizeProblem(text, limits);
  if (tooLarge) return { ok: false, message: tooLarge, line: 1, column: 1 };
  const tooDeep = jsonNestingBeyond(text, limits.maxDepth);
  if (tooDeep !== -1) {
    return {
      ok: false,
      message: `objects and arrays are nested deeper than ${limits.maxDepth} levels`,
      ...position(text, tooDeep),
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const at = syntaxErrorOffset(text);
    const found = at < text.length ? `unexpected ${JSON.stringify(text[at])}` : 'unexpected end';
    return {
      ok: false,
      message: `not valid JSON: ${found}`,
      ...position(text, Math.min(at, text.length)),
    };
  }
}

/** Why the text is too large, or undefined. */
export function sizeProblem(text: string, limits: JsonLimits): string | undefined {
  const bytes = text.length * 3 <= limits.maxBytes ? 0 : Buffer.byteLength(text, 'utf8');
  return bytes > limits.maxBytes
    ? `the document is ${bytes} bytes; at most ${limits.maxBytes} are accepted`
    : undefined;
}

class SyntaxAt extends Error {
  constructor(readonly offset: number) {
    super(`JSON syntax error at ${offset}`);
  }
}

/** Offset of the first JSON syntax error (only called once JSON.parse has failed). */
function syntaxErrorOffset(text: string): number {
  let i = 0;
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string) => {
    if (!text.startsWith(word, i)) throw new SyntaxAt(i);
    i += word.length;
  };
  const string = () => {
    if (text[i] !== '"') throw new SyntaxAt(i);
    for (i++; i < text.length; i++) {
      const c = text[i];
      if (c === '\\') {
        i++;
        if (!'"\\/bfnrtu'.includes(text[i] ?? '')) throw new SyntaxAt(i);
      } else if (c === '"') {
        i++;
        return;
      } else if (c < ' ') {
        throw new SyntaxAt(i);
      }
    }
    throw new SyntaxAt(i);
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match || match[0] === '') throw new SyntaxAt(i);
    i += match[0].length;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        string();
        space();
        if (text[i] !== ':') throw new SyntaxAt(i);
        i++;
        value();
        space();
        if (text[i] === '}') return void i++;
        if (text[i] !== ',') throw new SyntaxAt(i);
        i++;
      }
    } else if (c === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === ']') return void i++;
        if (text[i] !== ',') throw new SyntaxAt(i);
        i++;
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else number();
  };
  try {
    value();
    space();
    return i;
  } catch (error) {
    if (error instanceof SyntaxAt) return error.offset;
    throw error;
  }
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    start = at + 1;
  }
  return { line, column: offset - start + 1 };
}
