import { createAjv } from './json-ajv';
import { compileLinear, linearRegExp, patternProblem } from './json-regexp';

describe('linear-time patterns', () => {
  it('runs ^(a+)+$ in linear time on the input that stalls a backtracking engine', () => {
    // 28 characters took 1.2 s per validation on JavaScript's engine, doubling per character;
    // 100,000 is far beyond anything a backtracking engine could finish.
    const evil = linearRegExp('^(a+)+$', 'u');
    expect(evil.test(`${'a'.repeat(100_000)}!`)).toBe(false);
    expect(evil.test('a'.repeat(100_000))).toBe(true);
  });

  it.each([
    ['^[a-z]+$', 'abc', true],
    ['^[a-z]+$', 'abC', false],
    ['\\d{3}', 'x123y', true],
    ['^\\u00e9t\\u00e9$', 'été', true],
    ['^\\u{1F600}$', '😀', true],
    ['^a/b$', 'a/b', true],
    ['^\\s+$', ' \u00a0\u2028\ufeff\t', true],
    ['^\\S+$', 'a\u00a0b', false],
    ['^[\\s,]+$', ', \u3000', true],
    ['^[^\\s]+$', 'ab\u00a0', false],
    ['^.$', '\n', false],
    ['^.$', '\r', false],
    ['^.$', '\u2028', false],
    ['^.$', 'é', true],
    ['^[.]$', '.', true],
    ['^\\.$', 'x', false],
    ['^\\p{L}+$', 'Ünïcödé', true],
  ])('matches %s against %j as JavaScript does (%s)', (pattern, input, expected) => {
    expect(new RegExp(pattern, 'u').test(input)).toBe(expected);
    expect(linearRegExp(pattern, 'u').test(input)).toBe(expected);
  });

  it('honours the i flag (case-insensitive formats)', () => {
    expect(compileLinear('^[a-f]+$', 'i').test('ABC')).toBe(true);
  });

  it.each([
    ['(a)\\1', /uses a backreference/],
    ['(?<x>a)\\k<x>', /uses a backreference/],
    ['^(?=a)a', /uses a lookahead/],
    ['^(?!a)b', /uses a lookahead/],
    ['(?<=a)b', /uses a lookbehind/],
    ['(?<!a)b', /uses a lookbehind/],
    ['a{2000}', /cannot be run in linear time \(.*repeat/],
    ['(', /is not a valid regular expression/],
  ])('refuses %s and says why', (pattern, reason) => {
    expect(patternProblem(pattern)).toMatch(reason);
  });

  it.each(['^(a+)+$', '^[_a-zA-Z][a-zA-Z0-9_-]*$', '^(.+\\/)+(.+)\\.(ya?ml)(@.+)?$'])(
    'accepts %s',
    (pattern) => {
      expect(patternProblem(pattern)).toBeUndefined();
    },
  );
});

describe('what counts as a backtracking feature', () => {
  it.each(['\\\\1', '[(?=]'])('not %s (escaped or in a class)', (pattern) => {
    expect(patternProblem(pattern)).toBeUndefined();
  });
});

describe('in ajv', () => {
  it('keeps each pattern of a schema apart', () => {
    const validate = createAjv('draft-07').compile({
      properties: { a: { pattern: '^a+$' }, b: { pattern: '^b+$' } },
      patternProperties: { '^x': { type: 'string' }, '^y': { type: 'number' } },
    });
    expect(validate({ a: 'aa', b: 'bb', x1: 's', y1: 1 })).toBe(true);
    expect(validate({ b: 'a' })).toBe(false);
    expect(validate({ y1: 's' })).toBe(false);
  });
});
