import { SecurityEventLimiter } from './security-event-limiter';

describe('SecurityEventLimiter', () => {
  const policy = { windowMs: 1000, perSource: 3, perAction: 5, maxSources: 3 };

  it('writes the first events of a source in a window and counts the rest', () => {
    const limiter = new SecurityEventLimiter(policy);
    const admitted = Array.from({ length: 10 }, () =>
      limiter.admit('ACCESS_DENIED', '10.0.0.1', 0),
    );
    expect(admitted.filter(Boolean)).toHaveLength(3);
    expect(limiter.drain(500)).toEqual([]);
    expect(limiter.drain(1000)).toEqual([
      {
        action: 'ACCESS_DENIED',
        source: '10.0.0.1',
        count: 7,
        from: new Date(0),
        to: new Date(1000),
      },
    ]);
    expect(limiter.drain(5000)).toEqual([]);
  });

  it('starts a new window after windowMs and keeps the ended one for the summary', () => {
    const limiter = new SecurityEventLimiter(policy);
    for (let i = 0; i < 4; i++) limiter.admit('LOGIN_FAILED', 'a', 0);
    expect(limiter.admit('LOGIN_FAILED', 'a', 1500)).toBe(true);
    expect(limiter.drain(1500).map((s) => [s.source, s.count])).toEqual([['a', 1]]);
  });

  it('caps an action across all sources (many IPs at once)', () => {
    const limiter = new SecurityEventLimiter({ ...policy, maxSources: 100 });
    const admitted = Array.from({ length: 8 }, (_, i) =>
      limiter.admit('ACCESS_DENIED', `10.0.0.${i}`, 0),
    );
    expect(admitted).toEqual([true, true, true, true, true, false, false, false]);
  });

  it('folds sources beyond maxSources into one bucket, so memory stays bounded', () => {
    const limiter = new SecurityEventLimiter({ ...policy, perAction: 100 });
    for (const ip of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) limiter.admit('ACCESS_DENIED', ip, 0);
    const summary = limiter.drain(0, true);
    expect(summary).toEqual([expect.objectContaining({ source: '(other sources)', count: 2 })]);
  });

  it('limits each action on its own', () => {
    const limiter = new SecurityEventLimiter(policy);
    for (let i = 0; i < 3; i++) limiter.admit('ACCESS_DENIED', 'a', 0);
    expect(limiter.admit('ACCESS_DENIED', 'a', 0)).toBe(false);
    expect(limiter.admit('LOGIN_FAILED', 'a', 0)).toBe(true);
  });
});
