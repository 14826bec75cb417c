import { daysInMonth } from './date-format';

/**
 * Text shapes databases accept for date/time and UUID columns. Kept strict (ISO-like
 * only) because what a database guesses from '03/04/2024' depends on its settings.
 */
const DATE_TIME_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const TIME_TEXT = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?$/;
const UUID_TEXT = /^(?:\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;

export function isUuidText(text: string): boolean {
  return UUID_TEXT.test(text);
}

export function checkDateTimeText(text: string, family: 'date' | 'timestamp' | 'timestamptz' | 'time'): boolean {
  if (family === 'time') {
    const match = TIME_TEXT.exec(text);
    return match !== null && isTimeValid(match[1], match[2], match[3]);
  }
  const match = DATE_TIME_TEXT.exec(text.trim());
  if (match === null) return false;
  const [, year, month, day, hour, minute, second] = match;
  if (!isDateValid(Number(year), Number(month), Number(day))) return false;
  if (hour === undefined) return true;
  return family !== 'date' && isTimeValid(hour, minute, second);
}

function isDateValid(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function isTimeValid(hour: string, minute: string, second: string | undefined): boolean {
  return Number(hour) <= 23 && Number(minute) <= 59 && (second === undefined || Number(second) <= 59);
}
