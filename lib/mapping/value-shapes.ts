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
  // The forms parse_date and toISOString write, checked without a regex match per value.
  if (family === 'timestamptz' && text.length === 24 && isIsoInstant(text)) return true;
  if (family === 'date' && text.length === 10 && isIsoDate(text)) return true;
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

const digitAt = (text: string, i: number) => {
  const code = text.charCodeAt(i) - 48;
  return code >= 0 && code <= 9 ? code : -100; // a non-digit makes any number out of range
};
const twoDigits = (text: string, i: number) => digitAt(text, i) * 10 + digitAt(text, i + 1);

/** 'YYYY-MM-DD' at the start of the text, a real calendar date. */
function isIsoDate(text: string): boolean {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  return isDateValid(twoDigits(text, 0) * 100 + twoDigits(text, 2), twoDigits(text, 5), twoDigits(text, 8));
}

/** 'YYYY-MM-DDTHH:mm:ss.sssZ', as toISOString writes it. */
function isIsoInstant(text: string): boolean {
  if (text[10] !== 'T' || text[13] !== ':' || text[16] !== ':' || text[19] !== '.' || text[23] !== 'Z') return false;
  if (!isIsoDate(text)) return false;
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  const millis = digitAt(text, 20) + digitAt(text, 21) + digitAt(text, 22);
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && millis >= 0;
}

function isDateValid(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function isTimeValid(hour: string, minute: string, second: string | undefined): boolean {
  return Number(hour) <= 23 && Number(minute) <= 59 && (second === undefined || Number(second) <= 59);
}
