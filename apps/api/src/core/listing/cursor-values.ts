/**
 * Checks for the values a list cursor carries back to the database. A cursor is opaque to the
 * client but not trusted: its values are bound parameters, yet one PostgreSQL cannot cast (a
 * forged timestamp, a NUL) must be refused here, naming `cursor`, not by the database.
 */

// PostgreSQL's timestamptz text (`2026-11-25 14:21:15.123456+00`) or its JSON form (`…T…+00:00`).
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-]\d{2}(?::?\d{2}){0,2})$/;

/** True when `value` is a real instant written the way PostgreSQL writes a timestamptz. */
export function isTimestampText(value: string): boolean {
  const match = TIMESTAMP.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return (
    year >= 1 &&
    daysInMonth !== undefined &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59
  );
}

/** True when PostgreSQL text can hold `value` (anything but NUL). */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000');
}
