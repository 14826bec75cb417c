'use client';
import { useState } from 'react';
import { CSV_DELIMITERS, CSV_ENCODINGS, type CsvChoice, type CsvShapeReport } from '@/lib/connectors/csv/csv-shape';
import type { ShapeOverrides } from '@/hooks/use-file-sources';
import { Badge } from '@/components/ui/badge';
import { Field, Select, TextInput } from '@/components/ui/field';
import { confidenceLabel } from './shape-issues';

const delimiterNames: Record<string, string> = { ',': 'Comma ( , )', ';': 'Semicolon ( ; )', '\t': 'Tab', '|': 'Pipe ( | )' };
const OTHER = 'other';
const NO_HEADER = 'none';

export function ChoiceNote({ choice, testId }: { choice: CsvChoice | undefined; testId?: string }) {
  if (!choice) return null;
  const confidence = confidenceLabel(choice.confidence);
  return (
    <p className="mt-1 flex flex-wrap items-center gap-1.5 text-xs text-slate-600" data-testid={testId}>
      {choice.overridden ? <Badge tone="info">set by you</Badge> : <Badge tone={confidence.tone}>{confidence.text}</Badge>}
      <span>{choice.note}</span>
    </p>
  );
}

/**
 * Encoding, delimiter, quote, escape and header row, each as detected with how sure and
 * why; changing one re-reads the file under it (and the columns are detected anew).
 */
export function ShapeChoices({
  report,
  onChange,
  issue,
  disabled,
}: {
  report: CsvShapeReport;
  onChange: (change: Omit<ShapeOverrides, 'columns'>) => void;
  issue: (field: string) => string | undefined;
  disabled: boolean;
}) {
  const knownDelimiter = (CSV_DELIMITERS as readonly string[]).includes(report.delimiter);
  const [otherDelimiter, setOtherDelimiter] = useState(knownDelimiter ? '' : report.delimiter);
  const [choosingOther, setChoosingOther] = useState(!knownDelimiter);
  const quotes = ['"', "'", ...(report.quote === '"' || report.quote === "'" ? [] : [report.quote])];

  return (
    <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
      <div>
        <Field label="Encoding" error={issue('encoding')}>
          <Select value={report.encoding} disabled={disabled} onChange={(e) => onChange({ encoding: e.target.value as ShapeOverrides['encoding'] })}>
            {CSV_ENCODINGS.map((encoding) => (
              <option key={encoding} value={encoding}>
                {encoding}
              </option>
            ))}
          </Select>
        </Field>
        <ChoiceNote choice={report.choices.encoding} testId="choice-encoding" />
        {report.bom && <p className="mt-1 text-xs text-slate-500">The file starts with a byte order mark (skipped).</p>}
      </div>
      <div>
        <Field label="Delimiter" error={choosingOther ? undefined : issue('delimiter')}>
          <Select
            value={choosingOther ? OTHER : report.delimiter}
            disabled={disabled}
            onChange={(e) => {
              if (e.target.value === OTHER) {
                setChoosingOther(true);
                return;
              }
              setChoosingOther(false);
              onChange({ delimiter: e.target.value });
            }}
          >
            {CSV_DELIMITERS.map((d) => (
              <option key={d} value={d}>
                {delimiterNames[d]}
              </option>
            ))}
            <option value={OTHER}>Other…</option>
          </Select>
        </Field>
        {choosingOther && (
          <div className="mt-2">
            <Field label="Other delimiter" error={issue('delimiter')} hint="1 to 4 characters, e.g. ~ or ||">
              <TextInput
                value={otherDelimiter}
                maxLength={4}
                disabled={disabled}
                invalid={!!issue('delimiter')}
                onChange={(e) => {
                  setOtherDelimiter(e.target.value);
                  if (e.target.value !== '') onChange({ delimiter: e.target.value });
                }}
              />
            </Field>
          </div>
        )}
        <ChoiceNote choice={report.choices.delimiter} testId="choice-delimiter" />
      </div>
      <div>
        <Field label="Quote" error={issue('quote')}>
          <Select value={report.quote} disabled={disabled} onChange={(e) => onChange({ quote: e.target.value })}>
            {quotes.map((q) => (
              <option key={q} value={q}>
                {q === '"' ? 'Double quote ( " )' : q === "'" ? "Single quote ( ' )" : q}
              </option>
            ))}
          </Select>
        </Field>
        <ChoiceNote choice={report.choices.quote} testId="choice-quote" />
      </div>
      <div>
        <Field label="Escape" error={issue('escape')}>
          <Select value={report.escape === report.quote ? report.quote : report.escape} disabled={disabled} onChange={(e) => onChange({ escape: e.target.value })}>
            <option value={report.quote}>Quote doubled ({report.quote + report.quote}), as in RFC 4180</option>
            <option value="\">Backslash ( \{report.quote} )</option>
          </Select>
        </Field>
        <ChoiceNote choice={report.choices.escape} testId="choice-escape" />
      </div>
      <div className="md:col-span-2">
        <Field label="Header row" error={issue('headerRow')}>
          <Select
            value={report.headerRow === null ? NO_HEADER : String(report.headerRow)}
            disabled={disabled}
            onChange={(e) => onChange({ headerRow: e.target.value === NO_HEADER ? null : Number(e.target.value) })}
          >
            <option value={NO_HEADER}>No header row (columns are numbered)</option>
            {report.leadingRecords.map((record, i) => (
              <option key={i} value={String(i)}>
                Record {i + 1}: {record.slice(0, 6).join(' | ').slice(0, 120)}
                {record.length > 6 ? ' | …' : ''}
              </option>
            ))}
          </Select>
        </Field>
        <ChoiceNote choice={report.choices.headerRow} testId="choice-header-row" />
      </div>
    </div>
  );
}
