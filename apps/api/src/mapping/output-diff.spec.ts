import { outputDiff } from './output-diff';

describe('outputDiff (expected vs actual mapping output)', () => {
  it.each([
    [
      'equal objects in another key order',
      { a: 1, b: { c: [1, 2] } },
      { b: { c: [1, 2] }, a: 1 },
      [],
    ],
    [
      'a changed value',
      { totals: { payable: 729 } },
      { totals: { payable: '729' } },
      [{ path: '/totals/payable', op: 'changed', expected: 729, actual: '729' }],
    ],
    [
      'a missing and an extra key',
      { id: 'A', note: 'x' },
      { id: 'A', extra: true },
      [
        { path: '/note', op: 'removed', expected: 'x' },
        { path: '/extra', op: 'added', actual: true },
      ],
    ],
    [
      'array items added and removed',
      { lines: [1, 2] },
      { lines: [1] },
      [{ path: '/lines/1', op: 'removed', expected: 2 }],
    ],
    [
      'keys with / and ~ escaped',
      { 'a/b~': 1 },
      { 'a/b~': 2 },
      [{ path: '/a~1b~0', op: 'changed', expected: 1, actual: 2 }],
    ],
    [
      'different types at the top',
      [1],
      { a: 1 },
      [{ path: '', op: 'changed', expected: [1], actual: { a: 1 } }],
    ],
  ])('reports %s', (_name, expected, actual, diff) => {
    expect(outputDiff(expected, actual)).toEqual(diff);
  });
});
