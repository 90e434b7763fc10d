/**
 * A matcher for the five-field cron expressions flow schedules use (the form
 * `cronProblem` in @integrixs/domain accepts: `*`, values, ranges, lists, steps, JAN–DEC and
 * SUN–SAT names, day-of-week 0–7). Times are matched in UTC. As in classic cron, when both
 * day-of-month and day-of-week are restricted a day matching either one fires.
 */
const FIELDS = [
  { min: 0, max: 59, names: [] as string[] },
  { min: 0, max: 23, names: [] as string[] },
  { min: 1, max: 31, names: [] as string[] },
  {
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

export interface CronSchedule {
  /** Whether the schedule fires in the minute that contains `at` (UTC). */
  matches(at: Date): boolean;
}

function valueOf(text: string, field: (typeof FIELDS)[number], month: boolean): number {
  if (/^\d{1,2}$/.test(text)) {
    const n = Number(text);
    if (n >= field.min && n <= field.max) return n;
  } else {
    const named = field.names.indexOf(text.toUpperCase());
    if (named >= 0) return month ? named + 1 : named;
  }
  throw new Error(`invalid cron value "${text}"`);
}

function parseField(text: string, index: number): { values: Set<number>; any: boolean } {
  const field = FIELDS[index];
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`invalid cron step "${item}"`);
    let from = field.min;
    let to = field.max;
    if (range !== '*') {
      const bounds = range.split('-');
      from = valueOf(bounds[0], field, index === 3);
      to = bounds.length > 1 ? valueOf(bounds[1], field, index === 3) : from;
    }
    for (let v = from; v <= to; v += step) values.add(index === 4 && v === 7 ? 0 : v);
  }
  return { values, any: text === '*' };
}

/** Parses a five-field expression; throws on one `cronProblem` would refuse. */
export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`a cron expression has 5 fields: "${expression}"`);
  const [minute, hour, dom, month, dow] = parts.map(parseField);
  return {
    matches(at: Date): boolean {
      if (!minute.values.has(at.getUTCMinutes())) return false;
      if (!hour.values.has(at.getUTCHours())) return false;
      if (!month.values.has(at.getUTCMonth() + 1)) return false;
      const byDom = dom.values.has(at.getUTCDate());
      const byDow = dow.values.has(at.getUTCDay());
      if (dom.any && dow.any) return true;
      if (dom.any) return byDow;
      if (dow.any) return byDom;
      return byDom || byDow;
    },
  };
}

/** The start of the minute containing `at`. */
export function minuteOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}
