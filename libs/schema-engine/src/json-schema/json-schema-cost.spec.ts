import { corpusFiles } from '../testing/corpus';
import { linearBound, type LinearBound } from './json-schema-cost';
import { estimatedWork } from './json-validation-policy';

const bound = (schema: unknown, more: { uri: string; schema: unknown }[] = []) =>
  linearBound([{ uri: 'bundle:///s.json', schema }, ...more], 'bundle:///s.json', '$id', 1e9);

/** `{ a: { a: … } }`, `depth` objects deep. */
const nested = (depth: number, leaf: unknown = 'x'): unknown =>
  depth === 0 ? leaf : { a: nested(depth - 1, leaf) };

describe('linear bound of a JSON Schema', () => {
  it('bounds a plain schema, and settles', () => {
    const found = bound({
      type: 'object',
      properties: { id: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } },
    }) as LinearBound;
    expect(found.settled).toBe(true);
    expect(found.quadratic).toBe(false);
    expect(estimatedWork(found, { id: 1, tags: ['a', 'b'] })).toBeLessThan(100);
  });

  it('bounds a recursive type that descends once per level (a "configuration" value)', () => {
    const found = bound({
      $ref: '#/definitions/config',
      definitions: {
        config: {
          oneOf: [
            { type: 'string' },
            { type: 'object', additionalProperties: { $ref: '#/definitions/config' } },
            { type: 'array', items: { $ref: '#/definitions/config' } },
          ],
        },
      },
    }) as LinearBound;
    expect(found.settled).toBe(true);
    // Work grows with the number of values, not with their depth.
    expect(estimatedWork(found, nested(200), Infinity)).toBeLessThan(
      2 * estimatedWork(found, nested(100), Infinity),
    );
  });

  it('sees work that doubles per level (two branches recursing on the same value)', () => {
    const found = bound({
      anyOf: [{ properties: { a: { $ref: '#' } } }, { properties: { a: { $ref: '#' } } }],
    }) as LinearBound;
    expect(found.settled).toBe(false);
    expect(estimatedWork(found, nested(5))).toBeLessThan(1000);
    expect(estimatedWork(found, nested(40))).toBe(Infinity);
  });

  it('sees the SchemaStore package.json schema explode on nested "exports" conditions', () => {
    // properties.import and patternProperties both apply to "import": 269 bytes took 415 ms on
    // plain ajv, ~2.7× more per level.
    const files = corpusFiles(
      'jsonschema/package',
      (p) => p === 'schema.json' || p.startsWith('refs/'),
    );
    const docs = files.map((f) => {
      const schema = JSON.parse(f.text) as { $id?: string };
      return { uri: schema.$id ?? `bundle:///${f.path}`, schema };
    });
    const main = docs[files.findIndex((f) => f.path === 'schema.json')].uri;
    const found = linearBound(docs, main, '$id', 1e9) as LinearBound;
    let exports: unknown = './index.js';
    for (let i = 0; i < 20; i++) exports = { import: exports };
    expect(estimatedWork(found, { name: 'x', exports })).toBe(Infinity);
    expect(estimatedWork(found, { name: 'x', exports: { import: './index.js' } })).toBeLessThan(
      100_000,
    );
  });

  it.each([
    ['a $ref cycle that never descends', { allOf: [{ $ref: '#' }] }],
    ['a $dynamicRef', { $dynamicRef: '#meta' }],
    ['a $recursiveRef', { $recursiveRef: '#' }],
    ['a $ref to an anchor', { $ref: '#node', $defs: { n: { $anchor: 'node' } } }],
    ['a $ref to nothing', { $ref: 'other.json' }],
  ])('gives no bound for %s', (_what, schema) => {
    expect(bound(schema)).toBeUndefined();
  });

  it('follows $refs into other documents by $id', () => {
    const found = bound({ $ref: 'urn:other' }, [
      { uri: 'urn:other', schema: { type: 'array', items: { type: 'number' } } },
    ]) as LinearBound;
    expect(found.settled).toBe(true);
    expect(estimatedWork(found, [1, 2, 3])).toBeLessThan(100);
  });

  it.each([
    [{ uniqueItems: true }, true],
    [{ uniqueItems: true, items: { type: 'object' } }, true],
    [{ uniqueItems: true, items: { type: ['string', 'number'] } }, false],
    [{ uniqueItems: false }, false],
  ])('%j compares items pairwise: %s', (schema, quadratic) => {
    expect(bound(schema)?.quadratic).toBe(quadratic);
  });

  it('charges pairwise uniqueItems by the square of the payload', () => {
    const found = bound({ uniqueItems: true }) as LinearBound;
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ i }));
    expect(estimatedWork(found, items(100))).toBeLessThan(100_000);
    expect(estimatedWork(found, items(5000))).toBe(Infinity);
  });

  it('charges long strings for the patterns that run over them', () => {
    const found = bound({ items: { pattern: '^a+$' } }) as LinearBound;
    expect(estimatedWork(found, ['a'.repeat(10)])).toBeLessThan(
      estimatedWork(found, ['a'.repeat(10_000)]),
    );
  });
});
