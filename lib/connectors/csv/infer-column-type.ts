import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { compileDateFormat, type DateFieldsParser } from '../../mapping/date-format';
import { isPlausibleEmail } from '../../mapping/transforms/email';
import type { CsvColumnType } from './csv-shape';

export interface InferredColumnType {
  type: CsvColumnType;
  format?: string;
  confidence: number;
  note: string;
}

/** Day before month first: where both read every value, the European order is the guess (and the note says so). */
const DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY', 'YYYY/MM/DD', 'DD-MM-YYYY', 'MM-DD-YYYY', 'YYYY.MM.DD'];
const TIMES = ['HH:mm', 'HH:mm:ss', 'HH:mm:ss.SSS'];
const DATETIME_FORMATS = DATE_FORMATS.flatMap((date) => {
  const separators = date === 'YYYY-MM-DD' ? ['T', ' '] : [' '];
  const zones = date === 'YYYY-MM-DD' ? ['', 'Z', ' Z'] : [''];
  return separators.flatMap((separator) => TIMES.flatMap((time) => zones.map((zone) => `${date}${separator}${time}${zone}`)));
});

const compiled = (formats: string[]) => formats.map((format) => ({ format, parse: compileDateFormat(format) }));
const DATE_PARSERS = compiled(DATE_FORMATS);
const DATETIME_PARSERS = compiled(DATETIME_FORMATS);

const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no', 'y', 'n', 't', 'f']);
// A leading zero makes a code (postcode, customer number), not a number: as an integer it would lose the zero.
const INTEGER = /^[+-]?(?:0|[1-9]\d{0,17})$/;
const DECIMAL_POINT = /^[+-]?(?:(?:0|[1-9]\d*)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?(?:(?:0|[1-9]\d*)(?:,\d+)?|,\d+)$/;
const PHONE_TEXT = /^\+?[\d\s().\-/]{6,25}$/;

/**
 * The narrowest type every non-empty value of a column's sample has, tried in this order:
 * boolean, integer, decimal, date, datetime, email, phone, else text. One odd value makes a
 * column text: the analyst sees why in the note and can override. `decimalComma`: commas may
 * be decimal separators (the delimiter is not a comma).
 */
export function inferColumnType(values: readonly string[], decimalComma: boolean): InferredColumnType {
  const texts = values.map((value) => value.trim()).filter((value) => value !== '');
  if (texts.length === 0) return { type: 'text', confidence: 0.1, note: 'no values in the sample' };
  const sure = Math.min(0.95, 0.5 + texts.length / 40);
  const of = `${texts.length} value${texts.length === 1 ? '' : 's'}`;

  if (texts.every((text) => BOOLEAN_WORDS.has(text.toLowerCase()))) return { type: 'boolean', confidence: sure, note: `all ${of} are yes/no words` };
  if (texts.every((text) => INTEGER.test(text))) return { type: 'integer', confidence: sure, note: `all ${of} are whole numbers` };
  if (texts.every((text) => DECIMAL_POINT.test(text))) return { type: 'decimal', format: '.', confidence: sure, note: `all ${of} are numbers` };
  if (decimalComma && texts.every((text) => DECIMAL_COMMA.test(text))) {
    return { type: 'decimal', format: ',', confidence: sure, note: `all ${of} are numbers with a decimal comma` };
  }
  const date = matchingFormat(texts, DATE_PARSERS);
  if (date !== null) return { type: 'date', format: date.format, confidence: date.ambiguous ? 0.5 : sure, note: dateNote(date, of) };
  const datetime = matchingFormat(texts, DATETIME_PARSERS);
  if (datetime !== null) return { type: 'datetime', format: datetime.format, confidence: datetime.ambiguous ? 0.5 : sure, note: dateNote(datetime, of) };
  if (texts.every(isPlausibleEmail)) return { type: 'email', confidence: sure, note: `all ${of} are email addresses` };
  if (texts.every(isPhoneLike)) return { type: 'phone', confidence: Math.min(sure, 0.8), note: `all ${of} look like phone numbers` };
  const odd = texts.length - texts.filter((text) => DECIMAL_POINT.test(text) || INTEGER.test(text)).length;
  return { type: 'text', confidence: sure, note: odd < texts.length && odd > 0 ? `mostly numbers, but ${odd} of ${of} are not` : `free text (${of})` };
}

/** Does one value fit a column type (used to tell a header row from a data row)? */
export function valueFitsType(value: string, type: CsvColumnType, format: string | undefined): boolean {
  const text = value.trim();
  if (text === '') return true;
  switch (type) {
    case 'boolean':
      return BOOLEAN_WORDS.has(text.toLowerCase());
    case 'integer':
      return INTEGER.test(text);
    case 'decimal':
      return format === ',' ? DECIMAL_COMMA.test(text) : DECIMAL_POINT.test(text);
    case 'date':
    case 'datetime':
      return format !== undefined && compileDateFormat(format)(text) !== null;
    case 'email':
      return isPlausibleEmail(text);
    case 'phone':
      return isPhoneLike(text);
    case 'text':
      return true;
  }
}

function isPhoneLike(text: string): boolean {
  if (!PHONE_TEXT.test(text)) return false;
  const digits = text.replace(/\D/g, '').length;
  if (digits < 6 || digits > 15) return false;
  if (text.startsWith('+')) return parsePhoneNumberFromString(text)?.isPossible() === true;
  // Without a country code only the writing shows a phone number; bare digits could be any code.
  return /[\s()\-/]/.test(text) && /^[(0]/.test(text);
}

interface FormatMatch {
  format: string;
  ambiguous: string | null;
}

function matchingFormat(texts: readonly string[], parsers: readonly { format: string; parse: DateFieldsParser }[]): FormatMatch | null {
  if (!/\d/.test(texts[0])) return null;
  const fits = parsers.filter(({ parse }) => texts.every((text) => parse(text) !== null)).map(({ format }) => format);
  if (fits.length === 0) return null;
  return { format: fits[0], ambiguous: fits.length > 1 ? fits[1] : null };
}

const dateNote = (match: FormatMatch, of: string) =>
  match.ambiguous === null ? `all ${of} read as ${match.format}` : `all ${of} read as ${match.format}, but also as ${match.ambiguous}: check the day/month order`;
