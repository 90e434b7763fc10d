import { StreamLanguage, type StreamParser, type StringStream } from '@codemirror/language';

/**
 * JSONata (and JSON, its token subset) as a small stream tokenizer. Decided over
 * `@codemirror/lang-javascript`: JSONata is not JavaScript — backticks quote field names (not
 * template strings), `$` and `$$` are variables, `and`/`or`/`in` are operators, `~>` chains and
 * `'#text'` is a field — so a JavaScript parser would mark valid expressions as broken. The
 * tokenizer only colours; the API compiles and reports the real errors.
 */
interface State {
  /** Inside a `/* … *\/` comment that continues on the next line. */
  comment: boolean;
}

const KEYWORDS = /^(?:and|or|in|function|true|false|null)\b/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const OPERATOR = /^(?:~>|:=|\.\.|!=|<=|>=|\?:|\?\?|[-+*/%&|=<>?:!^~#@.])/;

function token(stream: StringStream, state: State): string | null {
  if (state.comment) {
    state.comment = !stream.skipTo('*/');
    if (state.comment) stream.skipToEnd();
    else stream.pos += 2;
    return 'comment';
  }
  if (stream.eatSpace()) return null;
  if (stream.match('/*')) {
    state.comment = true;
    return token(stream, state) ?? 'comment';
  }
  const quote = stream.peek();
  if (quote === '"' || quote === "'" || quote === '`') {
    stream.next();
    let escaped = false;
    for (let next = stream.next(); next !== undefined; next = stream.next()) {
      if (next === quote && !escaped) break;
      escaped = !escaped && next === '\\';
    }
    // A backtick quotes a field name; quotes make a string (a field, in a path step).
    return quote === '`' ? 'propertyName' : 'string';
  }
  if (stream.match(NUMBER)) return 'number';
  if (stream.match(/^\$\$?[A-Za-z_0-9]*/)) return 'variableName';
  if (stream.match(KEYWORDS)) return 'keyword';
  if (stream.match(/^[A-Za-z_\u00C0-\uFFFF][\w\u00C0-\uFFFF]*/)) return 'propertyName';
  if (stream.match(OPERATOR)) return 'operator';
  stream.next();
  return 'punctuation';
}

const parser: StreamParser<State> = {
  name: 'jsonata',
  startState: () => ({ comment: false }),
  copyState: (state) => ({ ...state }),
  token,
  languageData: { commentTokens: { block: { open: '/*', close: '*/' } } },
};

export const jsonataLanguage = StreamLanguage.define(parser);
