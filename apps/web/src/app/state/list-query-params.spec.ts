import { convertToParamMap } from '@angular/router';

import {
  dayToInstant,
  filtersFromParams,
  filtersToParams,
  namesAnyFilter,
  nonDefaultParams,
  type FilterSpec,
} from './list-query-params';

const SPEC: FilterSpec = [
  { key: 'q', default: '' },
  { key: 'status', default: '', allowed: ['', 'DRAFT', 'READY'] },
  { key: 'sort', default: 'name', allowed: ['name', '-name', '-updatedAt'] },
  { key: 'updatedFrom', default: '', kind: 'date' },
];

describe('filter ↔ query parameter mapping', () => {
  it('reads the filters a URL names and defaults the rest', () => {
    const params = convertToParamMap({ q: 'invoice', sort: '-updatedAt', other: 'x' });
    expect(filtersFromParams(SPEC, params)).toEqual({
      q: 'invoice',
      status: '',
      sort: '-updatedAt',
      updatedFrom: '',
    });
  });

  it.each([
    ['an unknown sort', { sort: 'size' }, 'sort', 'name'],
    ['an unknown status', { status: 'DELETED' }, 'status', ''],
    ['a date that is no day', { updatedFrom: 'yesterday' }, 'updatedFrom', ''],
    ['an impossible day', { updatedFrom: '2026-02-30' }, 'updatedFrom', ''],
    ['a real day', { updatedFrom: '2026-02-28' }, 'updatedFrom', '2026-02-28'],
  ])('reads %s as %s', (_name, params, key, expected) => {
    expect(filtersFromParams(SPEC, params)[key]).toBe(expected);
  });

  it('takes the first of a repeated parameter from a plain record', () => {
    expect(filtersFromParams(SPEC, { q: ['a', 'b'] })['q']).toBe('a');
  });

  it('writes defaults as null (removed from the URL) and the rest as they are', () => {
    expect(
      filtersToParams(SPEC, { q: 'ubl', status: '', sort: 'name', updatedFrom: '2026-01-02' }),
    ).toEqual({ q: 'ubl', status: null, sort: null, updatedFrom: '2026-01-02' });
    expect(
      nonDefaultParams(SPEC, { q: '', status: 'READY', sort: '-name', updatedFrom: '' }),
    ).toEqual({ status: 'READY', sort: '-name' });
  });

  it('round-trips: what it writes reads back as the same filters', () => {
    const values = { q: 'order', status: 'DRAFT', sort: '-name', updatedFrom: '2025-12-31' };
    const written = nonDefaultParams(SPEC, values);
    expect(filtersFromParams(SPEC, convertToParamMap(written))).toEqual(values);
  });

  it('tells whether a URL names any filter (a deep link) or none (restore the saved ones)', () => {
    expect(namesAnyFilter(SPEC, convertToParamMap({ status: 'READY' }))).toBe(true);
    expect(namesAnyFilter(SPEC, convertToParamMap({ tab: 'x' }))).toBe(false);
  });

  it("turns a day into the API's instants: its start, or the next day's start for a 'to' bound", () => {
    const from = dayToInstant('2026-03-10');
    const to = dayToInstant('2026-03-10', true);
    expect(from && new Date(from).getDate()).toBe(10);
    expect(to && new Date(to).getTime() - new Date(from ?? '').getTime()).toBeGreaterThanOrEqual(
      23 * 3600_000,
    );
    expect(dayToInstant('')).toBeUndefined();
    expect(dayToInstant('10/03/2026')).toBeUndefined();
  });
});
