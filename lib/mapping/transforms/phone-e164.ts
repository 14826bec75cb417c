import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { TransformOf } from '../../schemas/mapping-spec';
import { describeValue, TransformError } from '../transform-error';
import { toText } from '../value-text';
import type { ColumnReader, TransformFn } from './types';

type PhoneParams = Pick<TransformOf<'phone_e164'>, 'defaultCountry' | 'countryColumn'>;

/** A country as a row may hold it (' de', 'GB'): the code, or null when it names none libphonenumber knows. */
export function countryCodeOf(value: unknown): CountryCode | null {
  const text = toText(value)?.trim().toUpperCase();
  return text && /^[A-Z]{2}$/.test(text) && isSupportedCountry(text) ? text : null;
}

/**
 * Normalizes to E.164 ('+12125550134'). A number written without +country code is read as
 * a number of the row's country (`countryColumn`, given a reader of the row's columns),
 * else of `defaultCountry`. Uses libphonenumber's default ("min") metadata, which
 * validates number length and leading digits per country: fake area codes such as
 * +1 555 are rejected, but not every unassigned range is.
 */
export function compilePhoneE164(params: PhoneParams, readColumn?: ColumnReader): TransformFn {
  const fallback = params.defaultCountry ? (params.defaultCountry.toUpperCase() as CountryCode) : null;
  const column = params.countryColumn;
  const countryOf = column && readColumn ? readColumn(column) : null;
  return (value, row) => {
    const text = toText(value);
    if (text === null || text.trim() === '') return null;
    const own = countryOf ? countryOf(row) : null;
    const country = (own === null ? null : countryCodeOf(own)) ?? fallback;
    const phone = parsePhoneNumberFromString(text, country ?? undefined);
    if (phone === undefined || !phone.isValid()) {
      throw new TransformError('invalid_phone', `${describeValue(value)} is not a valid phone number (${countryNote(column, own, country)})`);
    }
    return phone.number;
  };
}

function countryNote(column: string | undefined, own: unknown, used: CountryCode | null): string {
  if (!column) return `default country ${used}`;
  if (own === null || own === undefined || toText(own)?.trim() === '') return used ? `no country in ${column}; default country ${used}` : `no country in ${column} and no default country`;
  const named = countryCodeOf(own);
  if (named) return `country ${named} from ${column}`;
  return `${column} ${describeValue(own)} is not a country code; ${used ? `default country ${used}` : 'no default country'}`;
}

export function phoneE164(value: unknown, params: PhoneParams, row?: Record<string, unknown>): unknown {
  return compilePhoneE164(params, (column) => (r) => (r as Record<string, unknown> | undefined)?.[column] ?? null)(value, row);
}
