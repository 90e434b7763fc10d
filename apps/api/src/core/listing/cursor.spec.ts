import { randomUUID } from 'node:crypto';

import { SqlParams } from '../database/sql-params';
import { ValidationError } from '../errors/app-error';
import {
  afterCursorSql,
  cutPage,
  decodeCursor,
  encodeCursor,
  orderBySql,
  type KeysetOrder,
} from './cursor';

const BY_NAME: KeysetOrder = {
  name: 'name',
  descending: false,
  keys: [
    { sql: 'lower(p.name)', type: 'text' },
    { sql: 'p.id', type: 'uuid' },
  ],
};
const NEWEST: KeysetOrder = {
  name: '-createdAt',
  descending: true,
  keys: [
    { sql: 'p.created_at', type: 'timestamptz' },
    { sql: 'p.id', type: 'uuid' },
  ],
};
const VERSIONS: KeysetOrder = {
  name: '-version',
  descending: true,
  keys: [{ sql: 'v.version_number', type: 'integer' }],
};

const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The problem `decodeCursor` raises for `cursor`, or undefined when it decodes. */
function refusal(cursor: string, order: KeysetOrder): ValidationError | undefined {
  try {
    decodeCursor(cursor, order);
    return undefined;
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
}

describe('list cursor', () => {
  const id = randomUUID();

  it.each([
    [BY_NAME, ["o'brien \\ ’", id]],
    [NEWEST, ['2026-11-25 14:21:15.123456+00', id]],
    [NEWEST, ['2026-11-25T14:21:15.123456+00:00', id]],
    [VERSIONS, [2147483647]],
  ] as const)('round-trips the keys of %j', (order, values) => {
    const cursor = encodeCursor(order, values);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).toEqual({
      s: order.name,
      k: values,
    });
    expect(decodeCursor(cursor, order)).toEqual(values);
  });

  it.each([
    ['not base64 JSON', 'bm90LWEtY3Vyc29y', BY_NAME],
    ['a JSON string', raw('name'), BY_NAME],
    ['an array (the old audit shape)', raw(['2026-01-01T00:00:00Z', id]), NEWEST],
    ['the old list shape', raw({ s: 'name', v: 'a', id }), BY_NAME],
    ['a plain version number', '2', VERSIONS],
    ['no keys', raw({ s: 'name' }), BY_NAME],
    ['too few keys', raw({ s: 'name', k: ['a'] }), BY_NAME],
    ['too many keys', raw({ s: '-version', k: [2, 1] }), VERSIONS],
    ['a NUL in text', raw({ s: 'name', k: ['a\u0000', id] }), BY_NAME],
    ['a number for text', raw({ s: 'name', k: [1, id] }), BY_NAME],
    ['SQL for a uuid', raw({ s: 'name', k: ['a', "' OR 1=1--"] }), BY_NAME],
    ['SQL for a timestamp', raw({ s: '-createdAt', k: ["' OR 1=1--", id] }), NEWEST],
    [
      'a day that does not exist',
      raw({ s: '-createdAt', k: ['2026-02-30 00:00:00+00', id] }),
      NEWEST,
    ],
    ['an integer out of range', raw({ s: '-version', k: [2147483648] }), VERSIONS],
    ['a fraction', raw({ s: '-version', k: [1.5] }), VERSIONS],
    ['a numeric string', raw({ s: '-version', k: ['2'] }), VERSIONS],
    ['null', raw({ s: '-version', k: [null] }), VERSIONS],
  ])('refuses %s, naming cursor', (_what, cursor, order) => {
    expect(refusal(cursor, order)?.errors).toEqual([
      { path: 'cursor', message: 'is not a cursor this API issued', code: 'cursor' },
    ]);
  });

  it('refuses a cursor of another order, saying which', () => {
    const cursor = encodeCursor(NEWEST, ['2026-01-01 00:00:00+00', id]);
    expect(refusal(cursor, { ...NEWEST, name: 'createdAt', descending: false })?.errors).toEqual([
      {
        path: 'cursor',
        message: 'was issued for the order "-createdAt", not "createdAt"',
        code: 'cursor',
      },
    ]);
    expect(refusal(cursor, VERSIONS)).toBeInstanceOf(ValidationError);
  });

  it('writes the keyset condition with every value bound and cast to its key type', () => {
    const params = new SqlParams(['first']);
    expect(afterCursorSql(NEWEST, ['2026-01-01 00:00:00+00', id], params.bind)).toBe(
      '(p.created_at, p.id) < (CAST($2 AS timestamptz), CAST($3 AS uuid))',
    );
    expect(afterCursorSql(BY_NAME, ["'); DROP TABLE users;--", id], params.bind)).toBe(
      '(lower(p.name), p.id) > (CAST($4 AS text), CAST($5 AS uuid))',
    );
    expect(params.values).toEqual([
      'first',
      '2026-01-01 00:00:00+00',
      id,
      "'); DROP TABLE users;--",
      id,
    ]);
    expect(orderBySql(NEWEST)).toBe('p.created_at DESC, p.id DESC');
  });

  it('cuts limit + 1 rows to a page, with a cursor only when there is more', () => {
    const rows = [{ n: 3 }, { n: 2 }, { n: 1 }];
    const more = cutPage(rows, 2, VERSIONS, (r) => [r.n]);
    expect(more.rows).toEqual([{ n: 3 }, { n: 2 }]);
    expect(decodeCursor(more.nextCursor ?? '', VERSIONS)).toEqual([2]);
    expect(cutPage(rows, 3, VERSIONS, (r) => [r.n])).toEqual({ rows, nextCursor: null });
    expect(cutPage([], 3, VERSIONS, (r: { n: number }) => [r.n])).toEqual({
      rows: [],
      nextCursor: null,
    });
  });
});
