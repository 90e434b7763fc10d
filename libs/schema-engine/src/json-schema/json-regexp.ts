import { RE2JS } from 're2js';

/**
 * JSON Schema regular expressions (`pattern`, `patternProperties`, the regex-based formats) on
 * RE2 (re2js, a pure JavaScript port): matching takes time linear in the input, whatever the
 * pattern, so `^(a+)+$` cannot stall validation the way it does on JavaScript's backtracking
 * engine. What RE2 cannot express (backreferences, lookahead, lookbehind) is refused when the
 * schema is saved, with the reason.
 */

/** JavaScript's `\s` (ECMA-262 WhiteSpace and LineTerminator), as RE2 class members. */
const JS_SPACE =
  '\\t\\n\\x0b\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}';
/** Its complement (`\S`), as RE2 class members. */
const JS_NON_SPACE =
  '\\x00-\\x08\\x0e-\\x1f\\x21-\\x{9f}\\x{a1}-\\x{167f}\\x{1681}-\\x{1fff}\\x{200b}-\\x{2027}\\x{202a}-\\x{202e}\\x{2030}-\\x{205e}\\x{2060}-\\x{2fff}\\x{3001}-\\x{fefe}\\x{ff00}-\\x{10ffff}';
/** JavaScript's `.` without the `s` flag: anything but a line terminator. */
const JS_DOT = '[^\\n\\r\\x{2028}\\x{2029}]';

/**
 * Rewrites the three places where RE2 and JavaScript (`u` flag) read the same pattern
 * differently: `\s` and `\S` (RE2: ASCII whitespace only) and `.` (RE2: anything but `\n`).
 * Everything else is left to re2js's own translation.
 */
function jsSemantics(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i];
      if (next === 's') out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      else if (next === 'S') out += inClass ? JS_NON_SPACE : `[${JS_NON_SPACE}]`;
      else out += c + next;
    } else if (c === '[' && !inClass) {
      inClass = true;
      out += c;
    } else if (c === ']' && inClass) {
      inClass = false;
      out += c;
    } else if (c === '.' && !inClass) {
      out += JS_DOT;
    } else {
      out += c;
    }
  }
  return out;
}

/** Which backtracking-only feature a pattern uses (lookaround, backreferences), if any. */
function unsupportedFeature(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[++i] ?? '';
      if (!inClass && /[1-9k]/.test(next)) return 'a backreference (\\1 or \\k<name>)';
    } else if (c === '[') {
      inClass = true;
    } else if (c === ']') {
      inClass = false;
    } else if (c === '(' && !inClass) {
      const head = pattern.slice(i + 1, i + 4);
      if (/^\?[=!]/.test(head)) return 'a lookahead ((?= or (?!)';
      if (/^\?<[=!]/.test(head)) return 'a lookbehind ((?<= or (?<!)';
    }
  }
  return undefined;
}

/** Compiles a JavaScript (`u` flag) pattern for RE2; `i` makes it case-insensitive. */
export function compileLinear(pattern: string, flags = ''): RE2JS {
  const translated = RE2JS.translateRegExp(jsSemantics(pattern));
  return RE2JS.compile(translated, flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0);
}

/**
 * Why `pattern` cannot be used, or undefined when it can: not a valid ECMA-262 pattern, or
 * something only a backtracking engine can run.
 */
export function patternProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u'); // syntax only: constructing never runs it
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message})`;
  }
  // Checked first: re2js would quietly read `\k<name>` as the letters `k<name>`.
  const feature = unsupportedFeature(pattern);
  let why = feature && `uses ${feature}`;
  if (!why) {
    try {
      compileLinear(pattern);
      return undefined;
    } catch (error) {
      why = `cannot be run in linear time (${(error as Error).message})`;
    }
  }
  return `${why}; patterns are matched by a linear-time engine (RE2) so that no payload can stall validation, and it has no backtracking features: rewrite the pattern without it`;
}

/**
 * ajv's `code.regExp` engine: the same `{ test }` interface as a RegExp, run by RE2. ajv keys
 * compiled patterns by `toString()`, as a RegExp prints itself: so must this.
 */
export const linearRegExp = Object.assign(
  (pattern: string, flags: string): { test(input: string): boolean; toString(): string } => {
    const compiled = compileLinear(pattern, flags);
    return {
      test: (input: string) => compiled.test(input),
      toString: () => `/${pattern}/${flags}`,
    };
  },
  // Only read when ajv generates standalone code, which this project never does.
  { code: 'require("re2js")' },
);
