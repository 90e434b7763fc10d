import { PayloadTooComplexError, problemLocation, SchemaInvalidError } from './schema-problems';

describe('schema problems', () => {
  it.each([
    [{ file: 'a.xsd', line: 3, column: 7 }, 'a.xsd:3:7'],
    [{ file: 'a.xsd', line: 3 }, 'a.xsd:3'],
    [{ file: 's.json', pointer: '/properties/a/$ref' }, 's.json#/properties/a/$ref'],
    [{ file: 'a.xsd' }, 'a.xsd'],
    [{}, ''],
  ])('locates %j as %s', (where, expected) => {
    expect(problemLocation({ ...where, message: 'm', code: 'schema_invalid' })).toBe(expected);
  });

  it('names the first problem and counts the rest in a plain error', () => {
    const problems = [
      { file: 'a.xsd', line: 2, message: 'first', code: 'schema_invalid' as const },
      { file: 'b.xsd', message: 'second', code: 'reference_unresolved' as const },
    ];
    const error = new SchemaInvalidError(problems);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SchemaInvalidError');
    expect(error.message).toBe('a.xsd:2: first (and 1 more problems)');
    expect(error.problems).toEqual(problems);
    expect(new SchemaInvalidError([]).message).toBe('the schema is not valid');
  });

  it('says how long a payload was given before it was abandoned', () => {
    const error = new PayloadTooComplexError(250);
    expect(error.limitMs).toBe(250);
    expect(error.message).toBe(
      'validation did not finish within 250 ms; the payload was abandoned',
    );
  });
});
