import { filtersFromParams, filtersToParams } from '../../state/list-query-params';
import {
  deadLetterQueryOf,
  executionQueryOf,
  formatDuration,
  queryKey,
  RUNTIME_FILTERS,
} from './runtime-filters';

const FLOW = '5b0c6f5e-1a2b-4c3d-9e8f-0a1b2c3d4e5f';

describe('the runtime monitor filters and the address bar', () => {
  it('reads every filter from the query parameters, defaults for the rest', () => {
    const values = filtersFromParams(RUNTIME_FILTERS, {
      flowId: FLOW,
      environment: 'DEV',
      status: 'DEAD_LETTERED',
    });
    expect(values).toEqual({
      view: 'executions',
      flowId: FLOW,
      environment: 'DEV',
      status: 'DEAD_LETTERED',
      trigger: '',
      from: '',
      to: '',
      q: '',
      deadLetterStatus: 'OPEN',
    });
  });

  it.each([
    ['an unknown status', { status: 'EXPLODED' }, 'status', ''],
    ['an unknown view', { view: 'graphs' }, 'view', 'executions'],
    ['a day that is none', { from: '2026-02-30' }, 'from', ''],
    ['an unknown dead-letter status', { deadLetterStatus: 'GONE' }, 'deadLetterStatus', 'OPEN'],
  ])('reads %s as the default', (_, params, key, expected) => {
    expect(filtersFromParams(RUNTIME_FILTERS, params)[key]).toBe(expected);
  });

  it('writes only the filters away from their defaults (null removes a parameter)', () => {
    const values = filtersFromParams(RUNTIME_FILTERS, {});
    expect(
      filtersToParams(RUNTIME_FILTERS, { ...values, view: 'dead-letters', environment: 'PROD' }),
    ).toEqual({
      view: 'dead-letters',
      flowId: null,
      environment: 'PROD',
      status: null,
      trigger: null,
      from: null,
      to: null,
      q: null,
      deadLetterStatus: null,
    });
    // "Any" dead-letter status is a choice of its own: '' is kept in the address.
    expect(filtersToParams(RUNTIME_FILTERS, { ...values, deadLetterStatus: '' })).toMatchObject({
      deadLetterStatus: '',
    });
  });

  it('survives the round trip through the address bar', () => {
    const chosen = {
      ...filtersFromParams(RUNTIME_FILTERS, {}),
      flowId: FLOW,
      trigger: 'REPLAY',
      from: '2026-11-01',
      q: 'invoice-0042',
    };
    const params = Object.fromEntries(
      Object.entries(filtersToParams(RUNTIME_FILTERS, chosen)).filter(([, v]) => v !== null),
    ) as Record<string, string>;
    expect(filtersFromParams(RUNTIME_FILTERS, params)).toEqual(chosen);
  });
});

describe('executionQueryOf', () => {
  const base = filtersFromParams(RUNTIME_FILTERS, {});

  it('sends no filter when none is set', () => {
    expect(executionQueryOf(base)).toEqual({});
  });

  it('sends the set filters, days as instants with "to" the end of its day', () => {
    expect(
      executionQueryOf({
        ...base,
        flowId: FLOW.toUpperCase(),
        environment: 'DEV',
        status: 'SUCCEEDED',
        trigger: 'MANUAL',
        from: '2026-11-01',
        to: '2026-11-02',
        q: '  invoice-0042.xml ',
      }),
    ).toEqual({
      flowId: FLOW,
      environment: 'DEV',
      status: 'SUCCEEDED',
      trigger: 'MANUAL',
      from: new Date(2026, 10, 1).toISOString(),
      to: new Date(2026, 10, 3).toISOString(),
      q: 'invoice-0042.xml',
    });
  });

  it('ignores a malformed flow id or environment from a hand-edited link instead of a 400', () => {
    expect(executionQueryOf({ ...base, flowId: 'not-a-uuid', environment: 'D EV' })).toEqual({});
  });
});

describe('deadLetterQueryOf', () => {
  const base = filtersFromParams(RUNTIME_FILTERS, {});

  it('asks for the OPEN ones of the flow and environment by default', () => {
    expect(deadLetterQueryOf({ ...base, flowId: FLOW, environment: 'TEST' })).toEqual({
      flowId: FLOW,
      environment: 'TEST',
      status: 'OPEN',
    });
  });

  it('leaves the status out for "any", and ignores the execution-only filters', () => {
    expect(
      deadLetterQueryOf({ ...base, deadLetterStatus: '', status: 'SUCCEEDED', q: 'x' }),
    ).toEqual({});
  });
});

describe('queryKey and formatDuration', () => {
  it('keys a query by its content, not its key order', () => {
    expect(queryKey({ status: 'QUEUED', environment: 'DEV' })).toBe(
      queryKey({ environment: 'DEV', status: 'QUEUED' }),
    );
  });

  it.each([
    [null, '—'],
    [0, '0 ms'],
    [340, '340 ms'],
    [1234, '1.23 s'],
    [12_345, '12.3 s'],
    [125_000, '2 min 5 s'],
  ])('formats %p ms as %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
