import { describeValue, TransformError } from '../transform-error';
import { toText } from '../value-text';

/**
 * Pragmatic, not RFC 5322: one @, a non-empty local part, a dotted domain, no spaces,
 * no empty labels (so no leading/trailing/consecutive dots). Catches real typos in CRM
 * data without rejecting the odd-but-valid addresses that actually occur.
 */
const EMAIL = /^[^\s@]+@(?:[^\s@.]+\.)+[^\s@.]+$/;

export function isPlausibleEmail(text: string): boolean {
  if (!EMAIL.test(text)) return false;
  const local = text.slice(0, text.indexOf('@'));
  return !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
}

/** Trims, lowercases, validates; null and blank become null. */
export function email(value: unknown): unknown {
  const text = toText(value);
  if (text === null) return null;
  const normalized = text.trim().toLowerCase();
  if (normalized === '') return null;
  if (!isPlausibleEmail(normalized)) {
    throw new TransformError('invalid_email', `${describeValue(value)} is not a valid email address`);
  }
  return normalized;
}
