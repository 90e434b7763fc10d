import { cronProblem } from './cron';

describe('cronProblem', () => {
  it.each([
    '* * * * *',
    '0 6 * * 1-5',
    '*/15 * * * *',
    '0 0 1 JAN,jul *',
    '30 2 * * SUN',
    '0-30/10 8-18 1,15 * 0,7',
  ])('accepts %s', (cron) => {
    expect(cronProblem(cron)).toBeNull();
  });

  it.each([
    ['', 'has 5 fields'],
    ['* * * *', 'this one has 4'],
    ['0 0 * * * *', 'this one has 6'],
    ['60 * * * *', 'the minute field'],
    ['* 24 * * *', 'the hour field'],
    ['* * 0 * *', 'the day of month field'],
    ['* * * 13 *', 'the month field'],
    ['* * * * 8', 'the day of week field'],
    ['5-1 * * * *', 'start is after its end'],
    ['*/0 * * * *', 'step that is not a number'],
    ['5/10 * * * *', 'step without a range'],
    ['1,,2 * * * *', 'empty list item'],
    ['@daily', 'has 5 fields'],
    ['? * * * *', 'is not a minute'],
  ])('refuses "%s" saying %s', (cron, says) => {
    expect(cronProblem(cron)).toContain(says);
  });
});
