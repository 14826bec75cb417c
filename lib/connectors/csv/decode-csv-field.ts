import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import type { CsvEncoding } from './csv-shape';

export interface DecodedField {
  text: string;
  /** False when the bytes are not valid in the encoding (the text then holds U+FFFD for them). */
  valid: boolean;
}

export type CsvFieldDecoder = (bytes: Uint8Array) => DecodedField;

/**
 * A decoder for the raw bytes of one field as the byte-level parser gives them. UTF-16 files
 * reach the parser already transcoded to UTF-8, so they decode as UTF-8 here. The check for
 * invalid bytes runs only when the fast decode produced a U+FFFD, which valid text rarely holds.
 */
export function makeCsvFieldDecoder(encoding: CsvEncoding): CsvFieldDecoder {
  if (encoding === 'utf-8' || encoding === 'utf-16le' || encoding === 'utf-16be') {
    return (bytes) => {
      const text = asBuffer(bytes).toString('utf8');
      return { text, valid: !text.includes('\ufffd') || isUtf8(bytes) };
    };
  }
  if (encoding === 'iso-8859-1') return (bytes) => ({ text: asBuffer(bytes).toString('latin1'), valid: true });
  // iconv-lite decodes a byte its table leaves undefined (0x81 in Windows-1252) as U+FFFD.
  return (bytes) => {
    const text = iconv.decode(asBuffer(bytes), encoding);
    return { text, valid: !text.includes('\ufffd') };
  };
}

/** csv-parse hands out Buffers; a view is made only for a plain Uint8Array. */
const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
