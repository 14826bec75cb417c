import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { email } from './email';
import { phoneE164 } from './phone-e164';
import { throwsCode } from './test-support';

describe('email', () => {
  test('trims and lowercases valid addresses', () => {
    assert.equal(email('  John.Doe@Example.COM '), 'john.doe@example.com');
    assert.equal(email('a+tag@mail.example.co.uk'), 'a+tag@mail.example.co.uk');
    assert.equal(email(''), null);
    assert.equal(email(null), null);
  });

  test('rejects implausible addresses', () => {
    for (const bad of ['john@', '@example.com', 'john@example', 'john doe@example.com', 'john@example.com.', 'john@@example.com', 'john@example..com', 'john..doe@example.com', '.john@example.com']) {
      throwsCode(() => email(bad), 'invalid_email', JSON.stringify(bad.trim().length > 0 ? bad : ''));
    }
  });
});

describe('phone_e164', () => {
  test('normalizes national and international formats', () => {
    assert.equal(phoneE164('+1 (212) 555-0134', { defaultCountry: 'US' }), '+12125550134');
    assert.equal(phoneE164('(212) 555-0134', { defaultCountry: 'US' }), '+12125550134');
    assert.equal(phoneE164(2125550134, { defaultCountry: 'US' }), '+12125550134');
    assert.equal(phoneE164('030 12345678', { defaultCountry: 'DE' }), '+493012345678');
    assert.equal(phoneE164('0049 30 12345678', { defaultCountry: 'DE' }), '+493012345678');
    assert.equal(phoneE164('+44 20 7946 0958', { defaultCountry: 'US' }), '+442079460958');
    assert.equal(phoneE164('', { defaultCountry: 'US' }), null);
    assert.equal(phoneE164(null, { defaultCountry: 'US' }), null);
  });

  test('rejects invalid numbers', () => {
    // 555 is not a real US area code; libphonenumber knows.
    throwsCode(() => phoneE164('+1 (555) 123-4567', { defaultCountry: 'US' }), 'invalid_phone', '"+1 (555) 123-4567"');
    throwsCode(() => phoneE164('12345', { defaultCountry: 'US' }), 'invalid_phone');
    throwsCode(() => phoneE164('call me', { defaultCountry: 'US' }), 'invalid_phone');
  });
});

describe('phone_e164 with the row’s country', () => {
  const params = { countryColumn: 'country', defaultCountry: 'US' };

  test('reads national numbers in the country the row names, else the default', () => {
    assert.equal(phoneE164('030 12345678', params, { country: 'DE' }), '+493012345678');
    assert.equal(phoneE164('030 12345678', params, { country: ' de ' }), '+493012345678');
    assert.equal(phoneE164('(212) 555-0134', params, { country: null }), '+12125550134');
    assert.equal(phoneE164('+44 20 7946 0958', params, { country: 'DE' }), '+442079460958');
  });

  test('without a default, a row without a country only takes international numbers', () => {
    assert.equal(phoneE164('+49 30 12345678', { countryColumn: 'country' }, { country: null }), '+493012345678');
    throwsCode(() => phoneE164('030 12345678', { countryColumn: 'country' }, { country: '' }), 'invalid_phone', 'no country in country and no default country');
  });

  test('the message says which country was used and why', () => {
    throwsCode(() => phoneE164('call me', params, { country: 'DE' }), 'invalid_phone', 'country DE from country');
    throwsCode(() => phoneE164('call me', params, { country: 'Germany' }), 'invalid_phone', 'country "Germany" is not a country code; default country US');
  });
});
