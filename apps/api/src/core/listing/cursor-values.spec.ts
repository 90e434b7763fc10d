import { isStorableText, isTimestampText } from './cursor-values';

describe('cursor values', () => {
  it.each([
    '2026-11-25 14:21:15.123456+00',
    '2026-11-25T14:21:15.123456+00:00',
    '2026-11-25 14:21:15+05:30',
    '2024-02-29 00:00:00-08',
    '1883-11-18 12:00:00+00:53:28',
    '2026-01-01T00:00:00Z',
  ])('takes %s, as PostgreSQL writes a timestamptz', (value) => {
    expect(isTimestampText(value)).toBe(true);
  });

  it.each([
    "' OR 1=1--",
    '2026-02-30 00:00:00+00',
    '2023-02-29 00:00:00+00',
    '0000-01-01 00:00:00+00',
    '2026-13-01 00:00:00+00',
    '2026-01-01 24:00:00+00',
    '2026-01-01 00:60:00+00',
    '2026-01-01',
    '2026-01-01 00:00:00+00; DROP TABLE users',
  ])('refuses %s', (value) => {
    expect(isTimestampText(value)).toBe(false);
  });

  it('refuses NUL in text, nothing else', () => {
    expect(isStorableText("' OR 1=1-- ’ \\")).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
  });
});
