import { isUtf8 } from 'node:buffer';
import chardet from 'chardet';
import { CSV_ENCODINGS, type CsvEncoding } from './csv-shape';

export interface DetectedCsvEncoding {
  encoding: CsvEncoding;
  bom: boolean;
  confidence: number;
  note: string;
}

const BOMS: readonly { bytes: readonly number[]; encoding: CsvEncoding }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/** Length of the byte order mark an encoding writes. */
export const bomLength = (encoding: CsvEncoding): number => (encoding === 'utf-8' ? 3 : encoding.startsWith('utf-16') ? 2 : 0);

/**
 * The encoding of a file's first bytes. A byte order mark settles it; then valid UTF-8 wins
 * (plain ASCII is valid UTF-8, and legacy single-byte text is almost never valid UTF-8 by
 * accident); BOM-less UTF-16 shows as a zero in every other byte of mostly-ASCII text,
 * which chardet does not look for; anything else is chardet's best single-byte guess.
 * `truncated`: the sample is cut from a longer file, so its last character may be cut too.
 */
export function detectCsvEncoding(sample: Uint8Array, truncated = false): DetectedCsvEncoding {
  for (const { bytes, encoding } of BOMS) {
    if (bytes.every((byte, i) => sample[i] === byte)) {
      if (encoding === 'utf-16le' && sample[2] === 0 && sample[3] === 0) {
        return { encoding: 'utf-16le', bom: true, confidence: 0.3, note: 'starts like UTF-32LE, which is not supported; read as UTF-16LE' };
      }
      return { encoding, bom: true, confidence: 1, note: `${label(encoding)} byte order mark` };
    }
  }
  const utf16 = bomlessUtf16(sample);
  if (utf16 !== null) return { encoding: utf16, bom: false, confidence: 0.8, note: `no byte order mark; every other byte is zero, as in ${label(utf16)}` };
  const body = truncated ? withoutCutCharacter(sample) : sample;
  if (isUtf8(body)) {
    const ascii = body.every((byte) => byte < 0x80);
    return ascii
      ? { encoding: 'utf-8', bom: false, confidence: 0.9, note: 'plain ASCII so far: read as UTF-8 (identical for these bytes)' }
      : { encoding: 'utf-8', bom: false, confidence: 0.95, note: 'valid UTF-8 with multi-byte characters' };
  }
  return legacyEncoding(sample);
}

function legacyEncoding(sample: Uint8Array): DetectedCsvEncoding {
  const hasC1 = sample.some((byte) => byte >= 0x80 && byte <= 0x9f);
  for (const match of chardet.analyse(sample)) {
    let encoding = CSV_ENCODINGS.find((name) => name === match.name.toLowerCase());
    if (encoding === undefined || encoding.startsWith('utf')) continue;
    // ISO-8859-1 has only control characters at 0x80–0x9F; text with those bytes was written
    // by Windows (€, smart quotes, dashes), whose 1252 is Latin-1 plus them.
    if (encoding === 'iso-8859-1' && hasC1) encoding = 'windows-1252';
    return { encoding, bom: false, confidence: Math.min(0.85, match.confidence / 100 + 0.3), note: `not valid UTF-8; looks like ${label(encoding)} (chardet ${match.confidence}%${match.lang ? `, ${match.lang}` : ''})` };
  }
  return { encoding: 'windows-1252', bom: false, confidence: 0.2, note: 'not valid UTF-8 and no known single-byte encoding fits well: read as Windows-1252' };
}

function bomlessUtf16(sample: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const pairs = Math.floor(Math.min(sample.length, 4096) / 2);
  if (pairs < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs; i++) {
    if (sample[2 * i] === 0) evenZeros++;
    if (sample[2 * i + 1] === 0) oddZeros++;
  }
  if (oddZeros > pairs * 0.7 && evenZeros < pairs * 0.1) return 'utf-16le';
  if (evenZeros > pairs * 0.7 && oddZeros < pairs * 0.1) return 'utf-16be';
  return null;
}

/** The sample without a UTF-8 sequence cut at its end (at most 3 bytes). */
function withoutCutCharacter(sample: Uint8Array): Uint8Array {
  for (let back = 1; back <= Math.min(3, sample.length); back++) {
    const byte = sample[sample.length - back];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? sample.subarray(0, sample.length - back) : sample;
  }
  return sample;
}

const LABELS: Record<CsvEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
  'iso-8859-1': 'ISO-8859-1 (Latin-1)',
  'windows-1252': 'Windows-1252',
  'iso-8859-2': 'ISO-8859-2 (Latin-2)',
  'iso-8859-15': 'ISO-8859-15 (Latin-9)',
  'windows-1250': 'Windows-1250',
  'windows-1251': 'Windows-1251',
  'koi8-r': 'KOI8-R',
};
export const label = (encoding: CsvEncoding) => LABELS[encoding];
