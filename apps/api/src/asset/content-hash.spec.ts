import { canonicalJson, contentHash } from './content-hash';
import { storableJsonProblem } from './dto/storable-json.validator';

describe('content hash', () => {
  it('is the same for the same content whatever the key order', () => {
    expect(contentHash({ b: 1, a: { d: [1, 2], c: null } })).toBe(
      contentHash({ a: { c: null, d: [1, 2] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: 'x' })).toBe('{"a":"x","b":1}');
  });

  it('differs when array order, types or values differ', () => {
    expect(contentHash([1, 2])).not.toBe(contentHash([2, 1]));
    expect(contentHash('1')).not.toBe(contentHash(1));
    expect(contentHash({ a: null })).not.toBe(contentHash({}));
  });
});

describe('storable JSON', () => {
  it.each([
    ['plain text', 'hello', null],
    ['NUL in a string', 'a\u0000b', 'must not contain NUL characters'],
    ['NUL in a key', { 'k\u0000': 1 }, 'must not contain NUL characters'],
    ['NUL deep inside', { a: [{ b: 'x\u0000' }] }, 'must not contain NUL characters'],
  ])('%s', (_name, value, problem) => {
    expect(storableJsonProblem(value)).toBe(problem);
  });

  it('refuses nesting deeper than 64 levels', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 64; i++) deep = [deep];
    expect(storableJsonProblem(deep)).toBeNull();
    expect(storableJsonProblem([deep])).toMatch(/deeper than 64/);
  });
});
