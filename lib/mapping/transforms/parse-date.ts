import type { TransformOf } from '../../schemas/mapping-spec';
import { compileDateFormat, type DateFields, describeDateFormatProblem, hasTimeOfDay } from '../date-format';
import { describeValue, TransformError } from '../transform-error';
import { getZone, instantToWallTime, isValidTimeZone, utcMillis, wallTimeToInstant, type Zone } from '../zoned-time';
import type { TransformFn } from './types';

type ParseDateParams = Pick<TransformOf<'parse_date'>, 'format' | 'formats' | 'timeZone' | 'output'>;
type Output = ParseDateParams['output'];

/**
 * Text is read as wall-clock time in `timeZone` (unless the format has a Z token);
 * a JS Date is an instant. Outputs:
 *  - 'date'        → 'YYYY-MM-DD', the calendar date in `timeZone`
 *  - 'timestamp'   → 'YYYY-MM-DD HH:mm:ss', the wall-clock time in `timeZone`
 *  - 'timestamptz' → ISO-8601 UTC ('2024-03-31T00:30:00.000Z')
 * So for naive targets `timeZone` says which zone the stored wall clock is in; text with
 * a date and no offset keeps its fields as written.
 */
export function compileParseDate(params: ParseDateParams): TransformFn {
  const formats = params.formats ?? (params.format === undefined ? [] : [params.format]);
  if (formats.length === 0) throw new TransformError('invalid_input', 'parse_date needs a format');
  for (const format of formats) {
    const problem = describeDateFormatProblem(format);
    if (problem !== null) throw new TransformError('invalid_input', `date format ${describeValue(format)} ${problem}`);
  }
  if (!isValidTimeZone(params.timeZone)) {
    throw new TransformError('invalid_input', `unknown time zone ${describeValue(params.timeZone)}`);
  }
  const parsers = formats.map(compileDateFormat);
  // Only texts of a date-only format are remembered: texts with a time of day are nearly
  // all distinct (a million legacy rows held 190k of them), and caching them would only
  // push out the dates that do repeat.
  const remember = formats.map((format) => !hasTimeOfDay(format));
  const zone = getZone(params.timeZone);
  const { output } = params;
  const expected = formats.join(' or ');
  // Text → output for this compiled step: legacy columns repeat the same dates a lot, and
  // parsing + rendering (Date.UTC, toISOString) is most of a date field's cost. The output
  // depends on the text alone, so a hit is exactly what parsing again would give.
  const rendered = new Map<string, string>();

  return (value) => {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) {
      const instant = value.getTime();
      if (Number.isNaN(instant)) throw new TransformError('unparseable_date', 'the source value is an invalid date');
      return renderInstant(instant, zone, output);
    }
    let text: string;
    if (typeof value === 'string') text = value.trim();
    else if (typeof value === 'number' || typeof value === 'bigint') text = String(value);
    else throw new TransformError('unparseable_date', `${describeValue(value)} is not a date`);
    if (text === '') return null;
    const known = rendered.get(text);
    if (known !== undefined) return known;
    for (let i = 0; i < parsers.length; i++) {
      const fields = parsers[i](text);
      if (fields !== null) {
        const result = renderFields(fields, zone, output);
        if (remember[i]) {
          if (rendered.size >= MAX_RENDERED) rendered.clear();
          rendered.set(text, result);
        }
        return result;
      }
    }
    throw new TransformError('unparseable_date', `${describeValue(value)} is not a valid date in the format ${expected}`);
  };
}

/** Distinct texts remembered per compiled parse_date step (then it starts over). */
const MAX_RENDERED = 20_000;

export function parseDate(value: unknown, params: ParseDateParams): unknown {
  return compileParseDate(params)(value);
}

function renderFields(fields: DateFields, zone: Zone, output: Output): string {
  if (fields.offsetMs !== null) return renderInstant(wallTimeOf(fields) - fields.offsetMs, zone, output);
  switch (output) {
    case 'date':
      return `${pad(fields.year, 4)}-${pad(fields.month, 2)}-${pad(fields.day, 2)}`;
    case 'timestamp':
      return (
        `${pad(fields.year, 4)}-${pad(fields.month, 2)}-${pad(fields.day, 2)} ` +
        `${pad(fields.hour, 2)}:${pad(fields.minute, 2)}:${pad(fields.second, 2)}`
      );
    case 'timestamptz':
      return new Date(wallTimeToInstant(zone, wallTimeOf(fields))).toISOString();
  }
}

function wallTimeOf(fields: DateFields): number {
  return utcMillis(fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second, fields.millisecond);
}

function renderInstant(instant: number, zone: Zone, output: Output): string {
  if (output === 'timestamptz') return new Date(instant).toISOString();
  const iso = new Date(instantToWallTime(zone, instant)).toISOString();
  return output === 'date' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
