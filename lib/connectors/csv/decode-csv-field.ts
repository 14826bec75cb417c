import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import type { CsvEncoding } from './csv-shape';

/** Decodes one field's raw bytes as the byte-level parser gives them. */
export interface CsvFieldDecoder {
  text(bytes: Uint8Array): string;
  /** Were these bytes, decoded as `text`, invalid in the encoding (the text then holds U+FFFD for them)? */
  invalid(bytes: Uint8Array, text: string): boolean;
}

/**
 * A decoder for the raw bytes of one field. UTF-16 files reach the parser already
 * transcoded to UTF-8, so they decode as UTF-8 here. The check for invalid bytes runs only
 * when the decode produced a U+FFFD, which valid text rarely holds; text and check are
 * apart so that the hot path allocates nothing but the string.
 */
export function makeCsvFieldDecoder(encoding: CsvEncoding): CsvFieldDecoder {
  if (encoding === 'utf-8' || encoding === 'utf-16le' || encoding === 'utf-16be') {
    return { text: (bytes) => asBuffer(bytes).toString('utf8'), invalid: (bytes, text) => text.includes('\ufffd') && !isUtf8(bytes) };
  }
  if (encoding === 'iso-8859-1') return { text: (bytes) => asBuffer(bytes).toString('latin1'), invalid: () => false };
  // iconv-lite decodes a byte its table leaves undefined (0x81 in Windows-1252) as U+FFFD.
  return { text: (bytes) => iconv.decode(asBuffer(bytes), encoding), invalid: (_bytes, text) => text.includes('\ufffd') };
}

/** csv-parse hands out Buffers; a view is made only for a plain Uint8Array. */
const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
