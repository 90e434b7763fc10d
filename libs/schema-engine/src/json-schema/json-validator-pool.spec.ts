import { PayloadTooComplexError } from '../problems/schema-problems';
import { type AjvInput } from './json-ajv';
import { JsonValidatorPool } from './json-validator-pool';

const input = (schema: unknown): AjvInput => ({
  draft: 'draft-07',
  schemas: [{ schema, key: 'bundle:///s.json' }],
  main: 'bundle:///s.json',
});

/** Two branches recursing on the same value (the first fails after): 2^depth evaluations. */
const doubling = input({
  anyOf: [
    { properties: { a: { $ref: '#' } }, required: ['b'] },
    { properties: { a: { $ref: '#' } } },
  ],
});
const nested = (depth: number): unknown => (depth === 0 ? 'x' : { a: nested(depth - 1) });

describe('JsonValidatorPool', () => {
  const pool = new JsonValidatorPool({ workers: 1, validateTimeoutMs: 300 });
  afterAll(() => pool.close());

  it('validates text and parsed values in a worker, with located errors', async () => {
    const tags = input({
      type: 'object',
      properties: { tags: { items: { pattern: '^[a-z]+$' } } },
    });
    expect(await pool.validate('tags', tags, { text: '{"tags": ["ok"]}' })).toEqual({
      valid: true,
      errors: [],
    });
    expect(await pool.validate('tags', tags, { value: { tags: ['ok', 'NO'] } })).toEqual({
      valid: false,
      errors: [{ path: '/tags/1', message: 'must match pattern "^[a-z]+$"' }],
    });
    expect(await pool.validate('tags', tags, { text: '{"tags": ' })).toEqual({
      valid: false,
      errors: [{ path: '', line: 1, column: 10, message: 'not valid JSON: unexpected end' }],
    });
  });

  it('runs patterns on RE2 there too', async () => {
    const evil = input({ pattern: '^(a+)+$' });
    const result = await pool.validate('evil', evil, { value: `${'a'.repeat(50_000)}!` });
    expect(result.valid).toBe(false);
  });

  it('abandons a validation past the time limit while the event loop stays free, then recovers', async () => {
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    try {
      await expect(
        pool.validate('doubling', doubling, { value: nested(40) }),
      ).rejects.toBeInstanceOf(PayloadTooComplexError);
    } finally {
      clearInterval(timer);
    }
    // 300 ms of a 5 ms timer: it ran all along (a blocked loop would show 0 or 1).
    expect(ticks).toBeGreaterThan(10);
    expect(await pool.validate('doubling', doubling, { value: nested(3) })).toEqual({
      valid: true,
      errors: [],
    });
  });
});
