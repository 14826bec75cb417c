'use client';
import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { useDeleteSourceFile, useFileSources, type FileSourceView, type SourceFileView } from '@/hooks/use-file-sources';
import { useCan } from '@/components/layout/actor-context';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, ErrorNotice, PageHeader } from '@/components/ui/card';
import { formatBytes, groupFilesByTable, statusLabels, type FileTable } from './file-format';
import { NewFileSourceForm } from './new-file-source-form';
import { RegisterFileForm } from './register-file-form';
import { ResumeUpload } from './resume-upload';
import { UploadFileForm } from './upload-file-form';

export function FileSourcesPage() {
  const sources = useFileSources();
  const canWrite = useCan('connections:write');
  const canRegister = useCan('files:register');
  const [chosenSourceId, setChosenSourceId] = useState<string | undefined>();
  const list = sources.data ?? [];

  return (
    <>
      <PageHeader
        title="Files"
        subtitle="CSV files as sources: each file source is a connection whose tables are the files uploaded to it. A new upload of the same export is a new version of its table."
      />
      <ErrorNotice error={sources.error} />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {sources.isLoading && <p className="text-sm text-slate-500">Loading…</p>}
          {!sources.isLoading && list.length === 0 && !sources.error && (
            <Card>
              <p className="text-sm text-slate-500">No file sources yet.{canWrite && ' Create one, then upload a CSV file to it.'}</p>
            </Card>
          )}
          {list.map((source) => (
            <FileSourceCard key={source.id} source={source} canWrite={canWrite} />
          ))}
        </div>
        {canWrite && (
          <div className="space-y-6">
            <Card title="New file source">
              <NewFileSourceForm onCreated={setChosenSourceId} />
            </Card>
            <Card title="Upload a file">
              {/* Re-mounted when a source is created so that source is the one picked. */}
              <UploadFileForm key={chosenSourceId ?? 'none'} sources={list} sourceId={chosenSourceId} />
            </Card>
            {canRegister && (
              <Card title="Register a file on the server">
                <RegisterFileForm sources={list} />
              </Card>
            )}
          </div>
        )}
      </div>
    </>
  );
}

function FileSourceCard({ source, canWrite }: { source: FileSourceView; canWrite: boolean }) {
  const tables = groupFilesByTable(source.files);
  return (
    <section className="rounded-lg border border-slate-200 bg-white shadow-sm" aria-label={`File source ${source.name}`} data-testid="file-source">
      <header className="flex items-center justify-between border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-800">{source.name}</h2>
        <span className="text-xs text-slate-500">
          {tables.length} {tables.length === 1 ? 'table' : 'tables'} · created {new Date(source.createdAt).toLocaleDateString()}
        </span>
      </header>
      <div className="overflow-x-auto p-4">
        {tables.length === 0 ? (
          <p className="text-sm text-slate-500">No files yet.</p>
        ) : (
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead>
              <tr>
                {['Table', 'Version', 'File', 'Size', 'Status', 'Uploaded', ''].map((h) => (
                  <th key={h} className="px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            {tables.map((table) => (
              <TableRows key={table.tableName} table={table} canWrite={canWrite} />
            ))}
          </table>
        )}
      </div>
    </section>
  );
}

function TableRows({ table, canWrite }: { table: FileTable; canWrite: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <tbody className="divide-y divide-slate-100 border-b border-slate-200" data-testid="file-table" data-table={table.tableName}>
      {table.shown.map((file, i) => (
        <FileRow key={file.id} file={file} tableCell={i === 0 ? <span className="font-mono font-medium">{table.tableName}</span> : null} canWrite={canWrite} />
      ))}
      {table.history.length > 0 && (
        <tr>
          <td colSpan={7} className="px-3 py-1">
            <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} className="text-xs text-indigo-700 hover:underline">
              {open ? 'Hide' : 'Show'} {table.history.length} earlier {table.history.length === 1 ? 'version' : 'versions'} of {table.tableName}
            </button>
          </td>
        </tr>
      )}
      {open && table.history.map((file) => <FileRow key={file.id} file={file} tableCell={null} canWrite={canWrite} muted />)}
    </tbody>
  );
}

function FileRow({ file, tableCell, canWrite, muted }: { file: SourceFileView; tableCell: ReactNode; canWrite: boolean; muted?: boolean }) {
  const remove = useDeleteSourceFile();
  const status = statusLabels[file.status];
  const partial = file.status === 'uploading';
  return (
    <tr className={muted ? 'bg-slate-50 text-slate-500' : 'hover:bg-slate-50'} data-testid="source-file" data-status={file.status}>
      <td className="px-3 py-2 align-top">{tableCell}</td>
      <td className="px-3 py-2 align-top tabular-nums">v{file.version}</td>
      <td className="px-3 py-2 align-top">
        <Link href={`/files/${file.id}`} className="text-indigo-700 hover:underline">
          {file.originalName}
        </Link>
        {file.registered && (
          <span className="ml-1 text-xs text-slate-500" title={file.path}>
            (on the server)
          </span>
        )}
      </td>
      <td className="px-3 py-2 align-top tabular-nums">
        {partial ? `${formatBytes(file.receivedBytes)} of ${formatBytes(file.bytes)}` : formatBytes(file.bytes)}
      </td>
      <td className="px-3 py-2 align-top">
        <Badge tone={status.tone}>{status.label}</Badge>
        {file.current && file.status === 'ready' && <span className="ml-1 text-xs text-slate-500">current</span>}
      </td>
      <td className="px-3 py-2 align-top text-xs">
        {new Date(file.createdAt).toLocaleString()}
        {file.uploadedBy && <span className="block text-slate-500">by {file.uploadedBy.name}</span>}
      </td>
      <td className="space-y-1 px-3 py-2 align-top text-right">
        {canWrite && file.status === 'uploaded' && (
          <Link href={`/files/${file.id}`} className="block text-xs font-medium text-indigo-700 hover:underline">
            Confirm the shape
          </Link>
        )}
        {canWrite && partial && <ResumeUpload file={file} />}
        {canWrite && file.status !== 'ready' && (
          <Button
            variant="ghost"
            className="text-xs"
            disabled={remove.isPending}
            aria-label={`Delete ${file.tableName} version ${file.version}`}
            onClick={() => {
              if (window.confirm(`Delete version ${file.version} of ${file.tableName} (${file.originalName})?`)) remove.mutate(file.id);
            }}
          >
            Delete
          </Button>
        )}
        <ErrorNotice error={remove.error} />
      </td>
    </tr>
  );
}
