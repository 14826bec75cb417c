import { compileDateFormat } from '../../mapping/date-format';
import type { TypeFamily } from '../type-family';
import type { CsvColumn } from './csv-shape';

/** A CSV field as the mapping receives it; a value the column's type cannot read stays the text it was. */
export type CsvValueReader = (field: string) => unknown;

const TRUE_WORDS = new Set(['true', 'yes', 'y', 't', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'f', '0']);
const INTEGER = /^[+-]?\d+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The type family a confirmed CSV column reads as (mapping checks and auto-map judge by it). */
export function csvColumnFamily(column: Pick<CsvColumn, 'type' | 'format'>): TypeFamily {
  switch (column.type) {
    case 'integer':
      return 'integer';
    case 'decimal':
      return 'decimal';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return column.format?.includes('Z') ? 'timestamptz' : 'timestamp';
    default:
      return 'text';
  }
}

/**
 * How one column's fields become values, in the forms the database connectors give
 * (integers as numbers, or digit strings past 2^53; decimals as text with a point; dates
 * 'YYYY-MM-DD'; wall times 'YYYY-MM-DD HH:MM:SS.fff'; instants ISO with Z), so mapping,
 * preview and verification treat a file like a table. An empty field is NULL: CSV cannot
 * tell the two apart, and an empty text is rarely what a CRM export meant. A field the type
 * cannot read is passed on as written: the mapping then fails that row on the field, with
 * the value, instead of the reader guessing.
 */
export function makeCsvValueReader(column: Pick<CsvColumn, 'type' | 'format'>): CsvValueReader {
  switch (column.type) {
    case 'integer':
      return (field) => {
        const text = field.trim();
        if (text === '') return null;
        if (!INTEGER.test(text)) return field;
        const n = Number(text);
        return Number.isSafeInteger(n) ? n : BigInt(text).toString();
      };
    case 'decimal': {
      const comma = column.format === ',';
      return (field) => {
        const text = field.trim();
        if (text === '') return null;
        return comma ? text.replace(',', '.') : text;
      };
    }
    case 'boolean':
      return (field) => {
        const text = field.trim().toLowerCase();
        if (text === '') return null;
        if (TRUE_WORDS.has(text)) return true;
        if (FALSE_WORDS.has(text)) return false;
        return field;
      };
    case 'date':
    case 'datetime': {
      const parse = column.format ? compileDateFormat(column.format) : null;
      const dateOnly = column.type === 'date';
      const iso = dateOnly && column.format === 'YYYY-MM-DD';
      return (field) => {
        // Most exports write ISO dates: those are already the form the mapping takes.
        if (iso && ISO_DATE.test(field)) return field;
        const text = field.trim();
        if (text === '') return null;
        const fields = parse?.(text);
        if (!fields) return field;
        const date = `${pad(fields.year, 4)}-${pad(fields.month, 2)}-${pad(fields.day, 2)}`;
        if (dateOnly) return date;
        const time = `${pad(fields.hour, 2)}:${pad(fields.minute, 2)}:${pad(fields.second, 2)}.${pad(fields.millisecond, 3)}`;
        if (fields.offsetMs === null) return `${date} ${time}`;
        const instant = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second, fields.millisecond) - fields.offsetMs;
        return new Date(instant).toISOString();
      };
    }
    default:
      return (field) => (field === '' ? null : field);
  }
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
