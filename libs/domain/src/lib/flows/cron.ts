/**
 * A strict check of a five-field cron expression (minute hour day-of-month month day-of-week),
 * the form flow schedules use: `*`, numbers, ranges `a-b`, lists `a,b` and steps `*\/n` or
 * `a-b/n`; months JAN–DEC and days SUN–SAT by name; day-of-week 0–7 (0 and 7 are Sunday).
 * No seconds field, no `?`, `L`, `W`, `#` or `@daily` macros: what the runtime will run is what
 * is written. Returns why it is not valid, or null.
 */
const FIELDS = [
  { name: 'minute', min: 0, max: 59, names: [] as string[] },
  { name: 'hour', min: 0, max: 23, names: [] as string[] },
  { name: 'day of month', min: 1, max: 31, names: [] as string[] },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

type Field = (typeof FIELDS)[number];

function valueOf(text: string, field: Field): number | null {
  if (/^\d{1,2}$/.test(text)) {
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : null;
  }
  const named = field.names.indexOf(text.toUpperCase());
  if (named < 0) return null;
  return field.name === 'month' ? named + 1 : named;
}

function itemProblem(item: string, field: Field): string | null {
  const [range, step, ...rest] = item.split('/');
  if (rest.length > 0) return `"${item}" has more than one step`;
  if (step !== undefined && !/^[1-9]\d{0,1}$/.test(step))
    return `"${item}" has a step that is not a number from 1 to 99`;
  if (range === '*') return null;
  const bounds = range.split('-');
  if (bounds.length > 2) return `"${item}" is not a value or a range`;
  const values = bounds.map((b) => valueOf(b, field));
  if (values.some((v) => v === null))
    return `"${item}" is not a ${field.name} from ${field.min} to ${field.max}`;
  if (bounds.length === 1 && step !== undefined)
    return `"${item}" has a step without a range (write */${step} or a-b/${step})`;
  if (bounds.length === 2 && (values[0] ?? 0) > (values[1] ?? 0))
    return `"${item}" is a range whose start is after its end`;
  return null;
}

export function cronProblem(expression: string): string | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] === '')
    return `a cron expression has 5 fields (minute hour day-of-month month day-of-week), this one has ${parts[0] === '' ? 0 : parts.length}`;
  for (const [i, part] of parts.entries()) {
    const field = FIELDS[i];
    for (const item of part.split(',')) {
      if (item === '') return `the ${field.name} field has an empty list item`;
      const problem = itemProblem(item, field);
      if (problem) return `the ${field.name} field: ${problem}`;
    }
  }
  return null;
}
