import { ExpiringMap } from './expiring-map';

describe('ExpiringMap', () => {
  afterEach(() => jest.useRealTimers());

  it('answers an entry until ttlMs after it was set, then nothing', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const map = new ExpiringMap<string>(1_000, 10);
    map.set('a', 'A');
    jest.advanceTimersByTime(999);
    expect(map.get('a')).toBe('A');
    jest.advanceTimersByTime(1);
    expect(map.get('a')).toBeUndefined();
    map.set('a', 'A2');
    expect(map.get('a')).toBe('A2');
    map.delete('a');
    expect(map.get('a')).toBeUndefined();
  });

  it('starts over when full instead of growing past maxEntries', () => {
    const map = new ExpiringMap<number>(60_000, 2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([undefined, undefined, 3]);
  });

  it('drops the entries a predicate picks, or all of them', () => {
    const map = new ExpiringMap<{ user: string }>(60_000, 10);
    map.set('a', { user: 'u1' });
    map.set('b', { user: 'u2' });
    map.set('c', { user: 'u1' });
    map.deleteWhere((v) => v.user === 'u1');
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([
      undefined,
      { user: 'u2' },
      undefined,
    ]);
    map.clear();
    expect(map.get('b')).toBeUndefined();
  });
});
