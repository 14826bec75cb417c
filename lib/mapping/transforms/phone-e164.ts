import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { TransformOf } from '../../schemas/mapping-spec';
import { describeValue, TransformError } from '../transform-error';
import { toText } from '../value-text';
import type { TransformFn } from './types';

type PhoneParams = Pick<TransformOf<'phone_e164'>, 'defaultCountry'>;

/**
 * Normalizes to E.164 ('+12125550134'). Uses libphonenumber's default ("min") metadata,
 * which validates number length and leading digits per country: fake area codes such
 * as +1 555 are rejected, but not every unassigned range is.
 */
export function compilePhoneE164(params: PhoneParams): TransformFn {
  const country = params.defaultCountry.toUpperCase() as CountryCode;
  return (value) => {
    const text = toText(value);
    if (text === null || text.trim() === '') return null;
    const phone = parsePhoneNumberFromString(text, country);
    if (phone === undefined || !phone.isValid()) {
      throw new TransformError('invalid_phone', `${describeValue(value)} is not a valid phone number (default country ${country})`);
    }
    return phone.number;
  };
}

export function phoneE164(value: unknown, params: PhoneParams): unknown {
  return compilePhoneE164(params)(value);
}
