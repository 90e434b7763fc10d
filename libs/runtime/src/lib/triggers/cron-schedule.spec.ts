import { cronProblem } from '@integrixs/domain';

import { triggerLockKey } from './advisory-lock';
import { minuteOf, parseCron } from './cron-schedule';
import { claimedName, fileKey } from './file-poller';

const at = (iso: string) => new Date(iso);

describe('cron schedule matcher', () => {
  it('matches every minute for * * * * *', () => {
    const cron = parseCron('* * * * *');
    expect(cron.matches(at('2026-01-05T12:00:00Z'))).toBe(true);
    expect(cron.matches(at('2026-12-31T23:59:59Z'))).toBe(true);
  });

  it('matches steps, ranges, lists and names in UTC', () => {
    const cron = parseCron('*/15 9-17 * JAN-MAR MON-FRI');
    expect(cron.matches(at('2026-01-05T09:30:00Z'))).toBe(true); // a Monday
    expect(cron.matches(at('2026-01-05T09:31:00Z'))).toBe(false);
    expect(cron.matches(at('2026-01-05T18:00:00Z'))).toBe(false);
    expect(cron.matches(at('2026-01-04T10:00:00Z'))).toBe(false); // a Sunday
    expect(cron.matches(at('2026-04-06T10:00:00Z'))).toBe(false); // April
    const lists = parseCron('0,30 0 1,15 * *');
    expect(lists.matches(at('2026-02-15T00:30:00Z'))).toBe(true);
    expect(lists.matches(at('2026-02-16T00:30:00Z'))).toBe(false);
  });

  it('treats day-of-week 7 as Sunday and fires on either restricted day field (classic cron)', () => {
    expect(parseCron('0 0 * * 7').matches(at('2026-01-04T00:00:00Z'))).toBe(true);
    const either = parseCron('0 0 13 * FRI');
    expect(either.matches(at('2026-02-13T00:00:00Z'))).toBe(true); // the 13th
    expect(either.matches(at('2026-02-06T00:00:00Z'))).toBe(true); // a Friday
    expect(either.matches(at('2026-02-07T00:00:00Z'))).toBe(false);
  });

  it('parses what the flow validator accepts and refuses what it refuses', () => {
    for (const ok of ['5 4 * * SUN', '0 0-23/2 * * *', '0 12 1-7 JAN,JUL 1-5']) {
      expect(cronProblem(ok)).toBeNull();
      expect(() => parseCron(ok)).not.toThrow();
    }
    for (const bad of ['* * * *', '61 * * * *', '* * * FOO *']) {
      expect(cronProblem(bad)).not.toBeNull();
      expect(() => parseCron(bad)).toThrow();
    }
  });

  it('truncates to the minute; keys are stable and claims name the worker', () => {
    expect(minuteOf(at('2026-01-05T12:00:59.999Z')).toISOString()).toBe('2026-01-05T12:00:00.000Z');
    const id = '8a3c9e5e-3a59-4a5e-9f0e-1f2d3c4b5a69';
    expect(triggerLockKey(id)).toBe(triggerLockKey(id.toUpperCase()));
    expect(triggerLockKey(id)).toMatch(/^-?\d+$/);
    expect(claimedName('a.xml', 'w/1')).toBe('a.xml.integrixs-w_1.claimed');
    expect(fileKey({ name: 'a.xml', size: 3, modifiedAt: new Date(1000) })).toBe(
      'file:a.xml:3:1000',
    );
  });
});
