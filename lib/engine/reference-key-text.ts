import type { KeyTuple } from '../connectors/connector';

const SEPARATOR = '\u001f';

/**
 * The text an id map and a reference look-up share for a source key. Unlike keyText (error
 * rows), it does not tell 17 from "17": a child's INT column and its parent's BIGINT key
 * (which drivers return as text) must meet. Composite keys join their parts with the ASCII
 * unit separator, which no key part of a CRM holds.
 */
export function referenceKeyText(key: KeyTuple): string {
  if (key.length === 1) return String(key[0]);
  return key.map((part) => String(part)).join(SEPARATOR);
}

export function referenceKeyParts(text: string): string[] {
  return text.split(SEPARATOR);
}
