'use client';
import { useState, type DragEvent } from 'react';
import type { ColumnInfo, TableDetail } from '@/lib/connectors/connector';
import { autoMap, type AutoMapProposal } from '@/lib/mapping/auto-map';
import type { TransformOp } from '@/lib/schemas/mapping-spec';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { AutoMapPanel } from './auto-map-panel';
import { IconButton, MiniSelect, SeverityDot } from './controls';
import { newTransform } from './create-draft';
import { removeField, setPrimarySource, upsertField } from './edit-draft';
import type { DraftField, DraftTransform, DraftUpdate, MappingDraft } from './mapping-draft';
import { issueTarget, type EditorIssue } from './mapping-issues';
import { transformLabels } from './operation-labels';
import { suggestTransforms } from './suggest-transforms';
import { AddTransformSelect, TransformChainEditor } from './transform-chain-editor';

const DRAG_TYPE = 'application/x-ferry-source-column';

export function fieldElementId(target: string): string {
  return `mapping-field-${target}`;
}

/**
 * Source columns on the left, target columns on the right. A target is linked by
 * choosing a source in its select or by dragging a source column onto it; each linked
 * target carries its transform chain.
 */
export function FieldMapper({
  draft,
  update,
  sourceTable,
  targetTable,
  readOnly,
  issues,
}: {
  draft: MappingDraft;
  update: DraftUpdate;
  sourceTable: TableDetail;
  targetTable: TableDetail;
  readOnly: boolean;
  issues: readonly EditorIssue[];
}) {
  const [proposals, setProposals] = useState<AutoMapProposal[] | null>(null);
  const [dragged, setDragged] = useState<string | null>(null);
  const targetColumns = targetTable.columns;
  const fieldByTarget = new Map(draft.fields.map((field, index) => [field.target, { field, index }]));
  const usedBy = new Map<string, string[]>();
  for (const field of draft.fields) {
    for (const source of field.sources) usedBy.set(source, [...(usedBy.get(source) ?? []), field.target]);
  }
  const issuesByTarget = new Map<string, EditorIssue[]>();
  for (const issue of issues) {
    const target = issueTarget(issue.path, draft, issue.code, issue.message);
    if (target !== null) issuesByTarget.set(target, [...(issuesByTarget.get(target) ?? []), issue]);
  }
  const unknownFields = draft.fields.filter((field) => !targetColumns.some((column) => column.name === field.target));
  const mappedCount = targetColumns.filter((column) => fieldByTarget.has(column.name)).length;

  const changeField = (target: string, change: (field: DraftField) => DraftField) => update((d) => upsertField(d, targetColumns, target, change));
  const linkSource = (target: string, source: string) => update((d) => setPrimarySource(d, targetColumns, target, source));

  function runAutoMap() {
    const current = new Map(draft.fields.map((field) => [field.target, field.sources[0]]));
    setProposals(autoMap(sourceTable.columns, targetColumns).filter((proposal) => current.get(proposal.target) !== proposal.source));
  }
  function accept(proposal: AutoMapProposal) {
    linkSource(proposal.target, proposal.source);
    setProposals((list) => (list ?? []).filter((p) => p !== proposal));
  }
  function acceptAll() {
    const accepted = proposals ?? [];
    update((d) => accepted.reduce((acc, proposal) => setPrimarySource(acc, targetColumns, proposal.target, proposal.source), d));
    setProposals(null);
  }

  function onDrop(target: string, event: DragEvent) {
    event.preventDefault();
    const source = event.dataTransfer.getData(DRAG_TYPE) || event.dataTransfer.getData('text/plain') || dragged;
    setDragged(null);
    if (!source || !sourceTable.columns.some((column) => column.name === source)) return;
    const field = fieldByTarget.get(target)?.field;
    // A field that joins its sources collects the dropped column; otherwise it is replaced.
    if (field && field.transforms.some((t) => t.op === 'concat') && field.sources.length > 0) {
      if (!field.sources.includes(source)) changeField(target, (f) => ({ ...f, sources: [...f.sources, source] }));
    } else {
      linkSource(target, source);
    }
  }

  return (
    <section aria-label="Fields" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <header className="flex flex-wrap items-center gap-3 border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-800">Fields</h2>
        <span className="text-xs text-slate-500" data-testid="mapped-count">
          {mappedCount} of {targetColumns.length} target columns mapped
        </span>
        {!readOnly && (
          <span className="ml-auto flex items-center gap-2">
            <span className="hidden text-xs text-slate-500 xl:inline">Drag a source column onto a target field, or pick it in the field’s list.</span>
            <Button variant="secondary" onClick={runAutoMap}>
              Auto-map
            </Button>
          </span>
        )}
      </header>
      <div className="p-4">
        {proposals !== null && !readOnly && (
          <AutoMapPanel
            proposals={proposals}
            draft={draft}
            onAccept={accept}
            onReject={(proposal) => setProposals((list) => (list ?? []).filter((p) => p !== proposal))}
            onAcceptAll={acceptAll}
            onDismiss={() => setProposals(null)}
          />
        )}
        <div className="grid gap-4 md:grid-cols-[13rem_minmax(0,1fr)]">
          <div className="md:sticky md:top-4 md:max-h-[calc(100vh-2rem)] md:self-start md:overflow-y-auto">
            <h3 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">
              Source · <span className="font-mono normal-case">{sourceTable.name}</span>
            </h3>
            <ul aria-label="Source columns" className="space-y-1">
              {sourceTable.columns.map((column) => {
                const targets = usedBy.get(column.name) ?? [];
                return (
                  <li
                    key={column.name}
                    data-testid={`source-column-${column.name}`}
                    draggable={!readOnly}
                    onDragStart={(event) => {
                      event.dataTransfer.setData(DRAG_TYPE, column.name);
                      event.dataTransfer.setData('text/plain', column.name);
                      event.dataTransfer.effectAllowed = 'link';
                      setDragged(column.name);
                    }}
                    onDragEnd={() => setDragged(null)}
                    title={readOnly ? column.dataType : `${column.dataType} · drag onto a target field`}
                    className={`rounded border px-2 py-1 text-xs ${readOnly ? '' : 'cursor-grab active:cursor-grabbing'} ${
                      dragged === column.name ? 'border-indigo-400 bg-indigo-50' : targets.length > 0 ? 'border-slate-200 bg-white' : 'border-dashed border-slate-300 bg-slate-50'
                    }`}
                  >
                    <div className="flex items-center gap-1">
                      {!readOnly && (
                        <span aria-hidden className="text-slate-300">
                          ⋮⋮
                        </span>
                      )}
                      <span className="truncate font-mono font-medium text-slate-800">{column.name}</span>
                      {sourceTable.primaryKey.includes(column.name) && <span className="rounded bg-indigo-100 px-1 text-[9px] font-semibold text-indigo-800">PK</span>}
                    </div>
                    <div className="flex items-center gap-1 pl-0.5">
                      <span className="truncate font-mono text-[10px] text-slate-500">{column.dataType}</span>
                      {targets.length > 0 && (
                        <span className="ml-auto truncate text-[10px] text-indigo-700" title={`used by ${targets.join(', ')}`}>
                          → {targets.join(', ')}
                        </span>
                      )}
                    </div>
                  </li>
                );
              })}
            </ul>
          </div>
          <div className="min-w-0">
            <h3 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">
              Target · <span className="font-mono normal-case">{targetTable.name}</span>
            </h3>
            <ul aria-label="Target fields" className="space-y-1.5">
              {targetColumns.map((column) => {
                const entry = fieldByTarget.get(column.name);
                return (
                  <TargetFieldRow
                    key={column.name}
                    column={column}
                    field={entry?.field}
                    fieldIndex={entry?.index ?? -1}
                    sourceTable={sourceTable}
                    isPrimaryKey={targetTable.primaryKey.includes(column.name)}
                    isKey={draft.target.key.includes(column.name)}
                    rowIssues={issuesByTarget.get(column.name) ?? []}
                    issues={issues}
                    readOnly={readOnly}
                    dragging={dragged !== null}
                    onSource={(source) => linkSource(column.name, source)}
                    onSources={(sources) => changeField(column.name, (f) => ({ ...f, sources }))}
                    onTransforms={(transforms) => changeField(column.name, (f) => ({ ...f, transforms }))}
                    onAddTransform={(op) => changeField(column.name, (f) => ({ ...f, transforms: [...f.transforms, newTransform(op, column)] }))}
                    onUnmap={() => update((d) => removeField(d, column.name))}
                    onDrop={(event) => onDrop(column.name, event)}
                  />
                );
              })}
            </ul>
            {unknownFields.length > 0 && (
              <div className="mt-4 rounded-md border border-red-200 bg-red-50 p-3">
                <h4 className="text-xs font-semibold text-red-800">Mapped to columns the target table no longer has</h4>
                <ul className="mt-1 space-y-1">
                  {unknownFields.map((field) => (
                    <li key={field.id} className="flex items-center gap-2 text-xs text-red-800">
                      <span className="font-mono">{field.target}</span>
                      <span className="text-red-600">← {field.sources.join(', ') || 'no source'}</span>
                      {!readOnly && (
                        <button type="button" onClick={() => update((d) => removeField(d, field.target))} className="ml-auto font-medium underline">
                          Remove {field.target}
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </div>
        </div>
      </div>
    </section>
  );
}

function TargetFieldRow({
  column,
  field,
  fieldIndex,
  sourceTable,
  isPrimaryKey,
  isKey,
  rowIssues,
  issues,
  readOnly,
  dragging,
  onSource,
  onSources,
  onTransforms,
  onAddTransform,
  onUnmap,
  onDrop,
}: {
  column: ColumnInfo;
  field: DraftField | undefined;
  fieldIndex: number;
  sourceTable: TableDetail;
  isPrimaryKey: boolean;
  isKey: boolean;
  rowIssues: EditorIssue[];
  issues: readonly EditorIssue[];
  readOnly: boolean;
  dragging: boolean;
  onSource: (source: string) => void;
  onSources: (sources: string[]) => void;
  onTransforms: (transforms: DraftTransform[]) => void;
  onAddTransform: (op: TransformOp) => void;
  onUnmap: () => void;
  onDrop: (event: DragEvent) => void;
}) {
  const [over, setOver] = useState(false);
  const [addingSource, setAddingSource] = useState(false);
  const name = column.name;
  const sources = field?.sources ?? [];
  const primary = sources[0] ?? '';
  const hasConcat = field?.transforms.some((t) => t.op === 'concat') ?? false;
  const showExtraSources = !!field && primary !== '' && (sources.length > 1 || hasConcat || addingSource);
  const errors = rowIssues.filter((i) => i.severity === 'error');
  const warnings = rowIssues.filter((i) => i.severity === 'warning');
  // Transform issues are shown on the transform itself.
  const ownMessages = rowIssues.filter((i) => !/^fields\.\d+\.transforms\./.test(i.path));
  const hints = field && !readOnly ? suggestTransforms(field, column, sourceTable) : [];
  const required = !column.nullable && column.defaultValue === null && !column.autoGenerated;
  const knownSource = (s: string) => sourceTable.columns.some((c) => c.name === s);

  const sourceOptions = (exclude: readonly string[]) =>
    sourceTable.columns
      .filter((c) => !exclude.includes(c.name))
      .map((c) => (
        <option key={c.name} value={c.name}>
          {c.name} · {c.dataType}
        </option>
      ));

  return (
    <li
      id={fieldElementId(name)}
      data-testid={`target-field-${name}`}
      data-mapped={field ? 'true' : 'false'}
      onDragOver={(event) => {
        if (readOnly) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'link';
        if (!over) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        setOver(false);
        if (!readOnly) onDrop(event);
      }}
      className={`rounded-md border px-3 py-2 transition-colors ${
        over ? 'border-indigo-500 bg-indigo-50 ring-2 ring-indigo-200' : dragging && !readOnly ? 'border-dashed border-indigo-300 bg-white' : field ? 'border-slate-200 bg-white' : 'border-slate-200 bg-slate-50/70'
      } ${errors.length > 0 ? 'border-l-4 border-l-red-400' : warnings.length > 0 ? 'border-l-4 border-l-amber-300' : ''}`}
    >
      <div className="flex flex-wrap items-center gap-1.5">
        <span className="font-mono text-sm font-semibold text-slate-900">{name}</span>
        <span className="font-mono text-[11px] text-slate-500">{column.dataType}</span>
        {isPrimaryKey && <Badge tone="info">PK</Badge>}
        {!column.nullable && <Badge tone="warn">NOT NULL</Badge>}
        {isKey && !isPrimaryKey && <Badge tone="info">key</Badge>}
        {column.autoGenerated && <Badge>generated</Badge>}
        {column.family === 'enum' && column.enumValues && (
          <span className="truncate text-[10px] text-slate-500" title={column.enumValues.join(', ')}>
            enum: {column.enumValues.slice(0, 4).join(', ')}
            {column.enumValues.length > 4 ? ', …' : ''}
          </span>
        )}
        <span className="ml-auto flex items-center gap-2">
          {errors.length > 0 && (
            <span className="flex items-center gap-1 text-[11px] font-medium text-red-700" title={errors.map((e) => e.message).join('\n')}>
              <SeverityDot severity="error" />
              {errors.length}
            </span>
          )}
          {warnings.length > 0 && (
            <span className="flex items-center gap-1 text-[11px] font-medium text-amber-700" title={warnings.map((e) => e.message).join('\n')}>
              <SeverityDot severity="warning" />
              {warnings.length}
            </span>
          )}
          {!field && required && <span className="text-[11px] font-medium text-red-700">required</span>}
          {field && !readOnly && (
            <IconButton label={`Unmap ${name}`} tone="danger" onClick={onUnmap}>
              ×
            </IconButton>
          )}
        </span>
      </div>

      <div className="mt-1.5 flex items-center gap-2">
        <span aria-hidden className="text-xs text-slate-400">
          ←
        </span>
        <MiniSelect
          aria-label={`Source for ${name}`}
          value={primary}
          onChange={(event) => onSource(event.target.value)}
          disabled={readOnly}
          className={`min-w-0 flex-1 font-mono ${primary === '' ? 'text-slate-400' : ''}`}
        >
          <option value="">{field && sources.length === 0 ? '— no source (value from transforms) —' : '— not mapped —'}</option>
          {primary !== '' && !knownSource(primary) && <option value={primary}>{primary} (missing in source)</option>}
          {sourceOptions([])}
        </MiniSelect>
        {!readOnly && primary !== '' && !showExtraSources && (
          <button
            type="button"
            onClick={() => setAddingSource(true)}
            aria-label={`Add another source to ${name}`}
            title="Use several source columns (first non-null, or joined with concat)"
            className="shrink-0 rounded px-1.5 py-1 text-[11px] font-medium text-indigo-700 hover:bg-indigo-50"
          >
            + source
          </button>
        )}
        {!readOnly && <AddTransformSelect target={name} onAdd={onAddTransform} />}
      </div>

      {showExtraSources && field && (
        <div className="mt-1.5 flex flex-wrap items-center gap-1.5 pl-4 text-xs">
          <span className="text-[11px] text-slate-500">{hasConcat ? 'Joined with:' : 'Then, if null:'}</span>
          {sources.slice(1).map((source, offset) => (
            <span key={`${source}-${offset}`} className="inline-flex items-center gap-0.5 rounded border border-slate-200 bg-slate-50 pl-1.5 font-mono text-[11px]">
              {source}
              {!readOnly && (
                <IconButton label={`Remove source ${source} from ${name}`} tone="danger" onClick={() => onSources(sources.filter((_, i) => i !== offset + 1))}>
                  ×
                </IconButton>
              )}
            </span>
          ))}
          {!readOnly && (
            <MiniSelect
              aria-label={`Add source to ${name}`}
              value=""
              onChange={(event) => {
                if (event.target.value) onSources([...sources, event.target.value]);
              }}
              className="w-40 font-mono text-slate-600"
            >
              <option value="">+ add source…</option>
              {sourceOptions(sources)}
            </MiniSelect>
          )}
        </div>
      )}

      {field && (
        <TransformChainEditor field={field} fieldIndex={fieldIndex} target={column} issues={issues} readOnly={readOnly} onChange={onTransforms} />
      )}

      {hints.length > 0 && (
        <p className="mt-1.5 flex flex-wrap items-center gap-1.5 text-[11px] text-slate-500" data-testid="transform-hint">
          <span>Suggested:</span>
          {hints.map((hint) => (
            <button
              key={hint.op}
              type="button"
              onClick={() => onAddTransform(hint.op)}
              title={hint.reason}
              aria-label={`Add suggested ${hint.op} to ${name}`}
              className="rounded-full border border-indigo-200 bg-indigo-50 px-2 py-0.5 font-medium text-indigo-700 hover:bg-indigo-100"
            >
              + {transformLabels[hint.op]}
            </button>
          ))}
          <span className="truncate">({hints.map((h) => h.reason).join('; ')})</span>
        </p>
      )}

      {ownMessages.length > 0 && (
        <ul className="mt-1 space-y-0.5">
          {ownMessages.map((issue, index) => (
            <li key={index} className={`text-[11px] ${issue.severity === 'error' ? 'text-red-700' : 'text-amber-700'}`}>
              {issue.message}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
