'use client';
import { useState, type DragEvent } from 'react';
import type { TableDetail } from '@/lib/connectors/connector';
import { autoMap, type AutoMapProposal } from '@/lib/mapping/auto-map';
import { useAutoMap } from '@/hooks/use-auto-map';
import { Button } from '@/components/ui/button';
import { AutoMapPanel } from './auto-map-panel';
import { droppedColumn } from './column-drag';
import { newTransform } from './create-draft';
import { removeField, setPrimarySource, setReference, upsertField } from './edit-draft';
import type { DraftField, DraftUpdate, MappingDraft } from './mapping-draft';
import { issueTarget, type EditorIssue } from './mapping-issues';
import { SourceColumnList } from './source-column-list';
import { TargetFieldRow } from './target-field-row';
import { UnknownFields } from './unknown-fields';

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
  sourceConnectionId,
  targetConnectionId,
  readOnly,
  issues,
}: {
  draft: MappingDraft;
  update: DraftUpdate;
  sourceTable: TableDetail;
  targetTable: TableDetail;
  /** For auto-map's sample of source values (without them it goes by names and types). */
  sourceConnectionId?: string;
  targetConnectionId?: string;
  readOnly: boolean;
  issues: readonly EditorIssue[];
}) {
  const [proposals, setProposals] = useState<AutoMapProposal[] | null>(null);
  /** How the proposals were ranked: rows sampled, or why no sample could be read. */
  const [evidence, setEvidence] = useState<{ sampledRows: number } | { unavailable: string } | null>(null);
  const autoMapRequest = useAutoMap();
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

  function showProposals(list: AutoMapProposal[]) {
    const current = new Map(draft.fields.map((field) => [field.target, field.sources[0]]));
    setProposals(list.filter((proposal) => current.get(proposal.target) !== proposal.source));
  }
  function runAutoMap() {
    if (!sourceConnectionId || !targetConnectionId) {
      setEvidence(null);
      showProposals(autoMap(sourceTable, targetTable));
      return;
    }
    autoMapRequest.mutate(
      { sourceConnectionId, targetConnectionId, sourceTable: draft.source.table || sourceTable.name, targetTable: draft.target.table || targetTable.name },
      {
        onSuccess: (result) => {
          setEvidence(result.sampleProblem ? { unavailable: result.sampleProblem } : { sampledRows: result.sampledRows });
          showProposals(result.proposals);
        },
        // Names, keys and types still make proposals when the source cannot be sampled.
        onError: (error) => {
          setEvidence({ unavailable: error instanceof Error ? error.message : String(error) });
          showProposals(autoMap(sourceTable, targetTable));
        },
      },
    );
  }
  /** A proposal's source, and its reference when auto-map found the parent mapping. */
  const applyProposal = (d: MappingDraft, proposal: AutoMapProposal) => {
    const linked = setPrimarySource(d, targetColumns, proposal.target, proposal.source);
    return proposal.reference ? setReference(linked, targetColumns, proposal.target, proposal.reference) : linked;
  };
  function accept(proposal: AutoMapProposal) {
    update((d) => applyProposal(d, proposal));
    setProposals((list) => (list ?? []).filter((p) => p !== proposal));
  }
  function acceptAll() {
    const accepted = proposals ?? [];
    update((d) => accepted.reduce(applyProposal, d));
    setProposals(null);
  }

  function onDrop(target: string, event: DragEvent) {
    event.preventDefault();
    const source = droppedColumn(event) || dragged;
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
            <Button variant="secondary" onClick={runAutoMap} disabled={autoMapRequest.isPending}>
              {autoMapRequest.isPending ? 'Auto-mapping…' : 'Auto-map'}
            </Button>
          </span>
        )}
      </header>
      <div className="p-4">
        {proposals !== null && !readOnly && (
          <AutoMapPanel
            proposals={proposals}
            evidence={evidence}
            draft={draft}
            onAccept={accept}
            onReject={(proposal) => setProposals((list) => (list ?? []).filter((p) => p !== proposal))}
            onAcceptAll={acceptAll}
            onDismiss={() => setProposals(null)}
          />
        )}
        <div className="grid gap-4 md:grid-cols-[13rem_minmax(0,1fr)]">
          <SourceColumnList
            sourceTable={sourceTable}
            usedBy={usedBy}
            readOnly={readOnly}
            dragged={dragged}
            onDragStart={setDragged}
            onDragEnd={() => setDragged(null)}
          />
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
                    onReference={(reference) => update((d) => setReference(d, targetColumns, column.name, reference))}
                    onDrop={(event) => onDrop(column.name, event)}
                  />
                );
              })}
            </ul>
            <UnknownFields fields={unknownFields} readOnly={readOnly} onRemove={(target) => update((d) => removeField(d, target))} />
          </div>
        </div>
      </div>
    </section>
  );
}
