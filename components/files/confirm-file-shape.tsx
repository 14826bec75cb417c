'use client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { CsvShape, CsvShapeReport } from '@/lib/connectors/csv/csv-shape';
import type { CsvColumnOverride } from '@/lib/schemas/file-source';
import { useConfirmShape, useShapeReport, useSourceFile, type ShapeOverrides, type SourceFileView } from '@/hooks/use-file-sources';
import { shapeAsOverrides } from '@/lib/file-sources/merge-column-overrides';
import { useCan } from '@/components/layout/actor-context';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, ErrorNotice, PageHeader } from '@/components/ui/card';
import { formatBytes, statusLabels } from './file-format';
import { ShapeChoices } from './shape-choices';
import { columnAsEdited, ShapeColumns } from './shape-columns';
import { shapeIssue, unplacedError } from './shape-issues';
import { ShapePreview } from './shape-preview';

/** Typing a column name re-reads the file once the typing pauses, not on every key. */
const REREAD_DELAY_MS = 350;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function ConfirmFileShape({ fileId }: { fileId: string }) {
  const detail = useSourceFile(fileId);
  const file = detail.data?.file;
  return (
    <>
      <PageHeader
        title={file ? `${file.tableName} · version ${file.version}` : 'File'}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <Link href="/files" className="text-indigo-700 hover:underline">
              ← Files
            </Link>
            {file && (
              <>
                <span>
                  {file.originalName} · {formatBytes(file.bytes)}
                </span>
                <Badge tone={statusLabels[file.status].tone}>{statusLabels[file.status].label}</Badge>
              </>
            )}
          </span>
        }
      />
      <ErrorNotice error={detail.error} />
      {detail.isLoading && <p className="text-sm text-slate-500">Loading…</p>}
      {file && file.status === 'uploading' && (
        <Card>
          <p className="text-sm text-slate-700">
            The upload is not complete ({formatBytes(file.receivedBytes)} of {formatBytes(file.bytes)} received). Resume it from the{' '}
            <Link href="/files" className="text-indigo-700 hover:underline">
              Files
            </Link>{' '}
            page; its shape can be read once every byte is here.
          </p>
        </Card>
      )}
      {file && detail.data?.report && <ShapeEditor file={file} detected={detail.data.report} />}
    </>
  );
}

function ShapeEditor({ file, detected }: { file: SourceFileView; detected: CsvShapeReport }) {
  const canWrite = useCan('connections:write');
  // A confirmed file is edited from its confirmed shape, not from what detection alone would find.
  const [overrides, setOverrides] = useState<ShapeOverrides>(() => (file.confirmedAt ? shapeAsOverrides(detected) : {}));
  const asked = useDebounced(overrides, REREAD_DELAY_MS);
  const hasOverrides = Object.keys(asked).length > 0;
  const reread = useShapeReport(file.id, asked, hasOverrides);
  const confirm = useConfirmShape(file.id);
  const report = hasOverrides && reread.data ? reread.data : detected;
  const editable = canWrite && (file.status === 'uploaded' || file.status === 'ready') && !confirm.isSuccess;
  const columnOverrides = overrides.columns ?? [];
  const columns = report.columns.map((column, i) => columnAsEdited(column, columnOverrides[i]));
  const errors = [reread.error, confirm.error];
  const issue = (field: string) => shapeIssue(errors, field);

  // A new dialect or header reads other columns: choices made for the old ones no longer apply.
  function changeDialect(change: Omit<ShapeOverrides, 'columns'>) {
    confirm.reset();
    setOverrides((current) => {
      const { columns: _dropped, ...rest } = current;
      return { ...rest, ...change };
    });
  }

  function changeColumn(index: number, change: CsvColumnOverride) {
    confirm.reset();
    setOverrides((current) => {
      const list = [...(current.columns ?? [])];
      while (list.length <= index) list.push(null);
      list[index] = { ...(list[index] ?? {}), ...change };
      return { ...current, columns: list };
    });
  }

  function submit() {
    const shape: CsvShape = {
      encoding: report.encoding,
      bom: report.bom,
      delimiter: report.delimiter,
      quote: report.quote,
      escape: report.escape,
      headerRow: report.headerRow,
      columns,
    };
    confirm.mutate(shape);
  }

  const pending = reread.isFetching || overrides !== asked;
  return (
    <div className="space-y-6">
      {file.status === 'ready' && !confirm.isSuccess && (
        <Card>
          <p className="text-sm text-slate-700">
            This version is confirmed{file.confirmedAt ? ` (${new Date(file.confirmedAt).toLocaleString()})` : ''}
            {file.current ? ' and is the one mappings read.' : '.'} Confirming a changed shape changes how they read it (refused while a job reads the table).
          </p>
          <MappingLinks file={file} />
        </Card>
      )}
      {file.status === 'replaced' && (
        <Card>
          <p className="text-sm text-slate-700">A newer version of {file.tableName} replaced this one; it is kept for the record.</p>
        </Card>
      )}
      <Card title="How the file reads" actions={pending ? <span className="text-xs text-slate-500">Reading…</span> : undefined}>
        <ShapeChoices report={report} onChange={changeDialect} issue={issue} disabled={!editable} />
      </Card>
      <Card title={`Columns (${columns.length})`}>
        <ShapeColumns report={report} overrides={columnOverrides} onChange={changeColumn} issue={issue} disabled={!editable} />
      </Card>
      <Card title="First records as read">
        <ShapePreview report={report} columnNames={columns.map((c) => c.name)} />
      </Card>
      <ErrorNotice error={unplacedError(reread.error) ?? unplacedError(confirm.error)} />
      {editable && (
        <div className="flex items-center gap-3">
          <Button onClick={submit} disabled={confirm.isPending || pending}>
            Confirm the shape
          </Button>
          <span className="text-xs text-slate-500">Mappings read {file.tableName} with this shape; an earlier version is replaced.</span>
        </div>
      )}
      {confirm.isSuccess && (
        <Card title="Confirmed">
          <p role="status" className="text-sm text-slate-700">
            {file.tableName} now reads version {confirm.data.version} ({file.originalName}).
          </p>
          <MappingLinks file={file} />
        </Card>
      )}
    </div>
  );
}

function MappingLinks({ file }: { file: SourceFileView }) {
  const query = new URLSearchParams({ sourceConnectionId: file.connectionId, sourceTable: file.tableName });
  return (
    <div className="mt-3 flex gap-4 text-sm">
      <Link href={`/mappings/new?${query.toString()}`} className="font-medium text-indigo-700 hover:underline">
        Create a mapping from this file
      </Link>
      <Link href="/files" className="text-indigo-700 hover:underline">
        Back to Files
      </Link>
    </div>
  );
}
