import { TestScheduler } from 'rxjs/testing';

import {
  isRuntimeChange,
  isRuntimeChangeOf,
  RUNTIME_OFFLINE_POLL_MS,
  RUNTIME_POLL_MS,
  runtimeRefreshOf,
} from './runtime-refresh';

/** Virtual time (TestScheduler): marbles in milliseconds, no real waiting. */
function scheduler() {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('runtimeRefreshOf', () => {
  it('reloads a flood of changes at most once a second: the first at once, the last at the end', () => {
    scheduler().run(({ cold, hot, expectObservable }) => {
      // A change every 100 ms for 2.5 s, then quiet.
      const flood = `${'a 99ms '.repeat(25)}`;
      const changes = hot(flood);
      const refresh = runtimeRefreshOf({
        liveOpen: cold('t', { t: true }),
        changes,
        visible: () => true,
      });
      expectObservable(refresh, '^ 10s !').toBe('a 999ms a 999ms a 999ms a', {
        a: undefined,
      });
    });
  });

  it('polls every 30 s while the live socket is open and every 5 s while it is not', () => {
    scheduler().run(({ cold, hot, expectObservable }) => {
      const liveOpen = hot('f 11999ms t', { f: false, t: true });
      const refresh = runtimeRefreshOf({ liveOpen, changes: cold('-'), visible: () => true });
      // Offline: at 5 s and 10 s; the socket opens at 12 s: then every 30 s from there.
      expectObservable(refresh, '^ 45s !').toBe(
        `${RUNTIME_OFFLINE_POLL_MS}ms a ${RUNTIME_OFFLINE_POLL_MS - 1}ms a ${RUNTIME_POLL_MS + 2000 - 1}ms a`,
        { a: undefined },
      );
    });
  });

  it('does not poll while the page is hidden, but still reloads on a change', () => {
    scheduler().run(({ cold, hot, expectObservable }) => {
      const refresh = runtimeRefreshOf({
        liveOpen: cold('t', { t: false }),
        changes: hot('7s a'),
        visible: () => false,
      });
      expectObservable(refresh, '^ 20s !').toBe('7s a', { a: undefined });
    });
  });
});

describe('isRuntimeChange', () => {
  it.each([
    ['execution.changed', true],
    ['deployment.changed', true],
    ['runtime.anything', true],
    ['asset.updated', false],
    ['membership.changed', false],
  ])('%s: %s', (type, expected) => {
    expect(isRuntimeChange({ type } as never)).toBe(expected);
  });
});

describe('isRuntimeChangeOf (a view of one flow)', () => {
  const change = (type: string, flowId?: string) => ({ type, seq: 1, flowId });

  it("ignores other flows' executions, not their deployments", () => {
    expect(isRuntimeChangeOf(change('execution.changed', 'f1'), 'f1')).toBe(true);
    expect(isRuntimeChangeOf(change('execution.changed', 'f2'), 'f1')).toBe(false);
    expect(isRuntimeChangeOf(change('deployment.changed', 'f2'), 'f1')).toBe(true);
    expect(isRuntimeChangeOf(change('asset.updated', 'f1'), 'f1')).toBe(false);
  });

  it('takes every flow when the view shows all', () => {
    expect(isRuntimeChangeOf(change('execution.changed', 'f2'), undefined)).toBe(true);
  });
});
