'use client';
import { IconButton, Labeled, MiniInput, MiniSelect } from './controls';
import type { DraftTransformOf } from './mapping-draft';
import type { TransformParamsProps } from './transform-params';

/** Common IANA zones offered as suggestions; any valid IANA name can be typed. */
const COMMON_TIME_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'Europe/Madrid',
  'Europe/Amsterdam',
  'Europe/Warsaw',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Tokyo',
  'Asia/Singapore',
  'Asia/Kolkata',
  'Australia/Sydney',
];
const COMMON_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY', 'YYYY-MM-DD HH:mm:ss', 'DD/MM/YYYY HH:mm', 'YYYY-MM-DDTHH:mm:ssZ'];

export function ParseDateParams({ transform, onChange, readOnly, invalid, idPrefix }: TransformParamsProps<DraftTransformOf<'parse_date'>>) {
  const formats = transform.formats.length > 0 ? transform.formats : [''];
  const setFormat = (index: number, value: string) => onChange({ ...transform, formats: formats.map((f, i) => (i === index ? value : f)) });
  const formatInvalid = (index: number) => (formats.length === 1 ? invalid('format') || invalid('formats') : invalid(`formats.${index}`) || (index === 0 && invalid('format')));
  const formatList = `${idPrefix}-formats`;
  const zoneList = `${idPrefix}-zones`;
  return (
    <div className="space-y-1.5">
      <div className="flex flex-wrap items-end gap-2">
        <Labeled label="Format">
          <MiniInput
            value={formats[0]}
            placeholder="DD/MM/YYYY"
            list={formatList}
            onChange={(e) => setFormat(0, e.target.value)}
            disabled={readOnly}
            invalid={formatInvalid(0)}
            className="w-44 font-mono"
          />
        </Labeled>
        <Labeled label="Time zone">
          <MiniInput
            value={transform.timeZone}
            placeholder="UTC"
            list={zoneList}
            onChange={(e) => onChange({ ...transform, timeZone: e.target.value })}
            disabled={readOnly}
            invalid={invalid('timeZone')}
            className="w-40"
          />
        </Labeled>
        <Labeled label="Output">
          <MiniSelect value={transform.output} onChange={(e) => onChange({ ...transform, output: e.target.value })} disabled={readOnly} invalid={invalid('output')}>
            <option value="date">date</option>
            <option value="timestamp">timestamp (no zone)</option>
            <option value="timestamptz">timestamptz (instant)</option>
          </MiniSelect>
        </Labeled>
        {!readOnly && (
          <button type="button" onClick={() => onChange({ ...transform, formats: [...formats, ''] })} className="mb-0.5 text-xs font-medium text-indigo-700 hover:underline">
            + alternative format
          </button>
        )}
      </div>
      {formats.slice(1).map((format, offset) => {
        const index = offset + 1;
        return (
          <div key={index} className="flex items-end gap-1 pl-4">
            <Labeled label={`Alternative ${index}`}>
              <MiniInput
                value={format}
                placeholder="YYYY-MM-DD"
                list={formatList}
                onChange={(e) => setFormat(index, e.target.value)}
                disabled={readOnly}
                invalid={formatInvalid(index)}
                className="w-44 font-mono"
              />
            </Labeled>
            {!readOnly && (
              <IconButton label={`Remove alternative ${index}`} tone="danger" onClick={() => onChange({ ...transform, formats: formats.filter((_, i) => i !== index) })}>
                ×
              </IconButton>
            )}
          </div>
        );
      })}
      <p className="text-[11px] text-slate-500">
        Tokens: <span className="font-mono">YYYY MM DD HH mm ss SSS Z</span>. Formats are tried in order; the time zone applies to values without an offset.
      </p>
      <datalist id={formatList}>
        {COMMON_FORMATS.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      <datalist id={zoneList}>
        {COMMON_TIME_ZONES.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </div>
  );
}
