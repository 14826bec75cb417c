import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { detectCsvEncoding } from './detect-csv-encoding';

const german = 'name;stadt;notiz\nJosé;München;Straße und Café\nFrançois;Zürich;naïve Fassade\nJürgen;Köln;Grüße\n';

describe('detectCsvEncoding', () => {
  test('a byte order mark settles it', () => {
    for (const encoding of ['utf-8', 'utf-16le', 'utf-16be'] as const) {
      const result = detectCsvEncoding(iconv.encode(german, encoding, { addBOM: true }));
      assert.equal(result.encoding, encoding);
      assert.equal(result.bom, true);
      assert.equal(result.confidence, 1);
    }
  });

  test('UTF-8 without a byte order mark', () => {
    const result = detectCsvEncoding(Buffer.from(german));
    assert.deepEqual([result.encoding, result.bom], ['utf-8', false]);
    assert.match(result.note, /valid UTF-8/);
  });

  test('plain ASCII reads as UTF-8', () => {
    const result = detectCsvEncoding(Buffer.from('a,b\n1,2\n'));
    assert.equal(result.encoding, 'utf-8');
    assert.match(result.note, /ASCII/);
  });

  test('a UTF-8 character cut at the end of a truncated sample is still UTF-8', () => {
    const bytes = Buffer.from(`${german}Zoë`);
    const cut = bytes.subarray(0, bytes.length - 1);
    assert.equal(detectCsvEncoding(cut, true).encoding, 'utf-8');
    assert.notEqual(detectCsvEncoding(cut, false).encoding, 'utf-8');
  });

  test('UTF-16 without a byte order mark, from its zero bytes', () => {
    assert.deepEqual([detectCsvEncoding(iconv.encode(german, 'utf-16le')).encoding, detectCsvEncoding(iconv.encode(german, 'utf-16le')).bom], ['utf-16le', false]);
    assert.equal(detectCsvEncoding(iconv.encode(german, 'utf-16be')).encoding, 'utf-16be');
  });

  test('Latin-1 text', () => {
    const result = detectCsvEncoding(iconv.encode(german, 'latin1'));
    assert.equal(result.encoding, 'iso-8859-1');
    assert.equal(result.bom, false);
    assert.ok(result.confidence < 0.9);
  });

  test('Windows-1252 text with the euro sign and smart quotes', () => {
    const result = detectCsvEncoding(iconv.encode(`${german}Preis;5 €;“Angebot” – gültig\n`, 'windows-1252'));
    assert.equal(result.encoding, 'windows-1252');
  });

  test('Latin-1 guessed for bytes only Windows-1252 gives meaning to becomes Windows-1252', () => {
    // chardet's first guess for a few words with one 0x80 byte is Latin-1; the byte decides.
    const result = detectCsvEncoding(iconv.encode(`${german}x;5 €\n`, 'windows-1252'));
    assert.equal(result.encoding, 'windows-1252');
  });
});
