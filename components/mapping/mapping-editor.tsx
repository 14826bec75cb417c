'use client';
import { useMemo, type ReactNode } from 'react';
import type { TableDetail } from '@/lib/connectors/connector';
import { draftToSpecInput } from './draft-to-spec';
import { FieldMapper } from './field-mapper';
import { KeyAndModePanel } from './key-and-mode-panel';
import { LiveChecks } from './live-checks';
import type { DraftUpdate, MappingDraft } from './mapping-draft';
import { validateDraft, type EditorIssue, type MappingValidation } from './mapping-issues';
import { PreviewPanel } from './preview-panel';

export interface EditorActionsContext extends MappingValidation {
  /** Stable text form of the draft's spec, for "unsaved changes" comparisons. */
  specJson: string;
}

/** Validation of a draft against its tables, memoized per draft. */
export function useDraftValidation(draft: MappingDraft, sourceTable: TableDetail, targetTable: TableDetail) {
  return useMemo(() => {
    const specInput = draftToSpecInput(draft, { source: sourceTable, target: targetTable });
    return { ...validateDraft(draft, specInput, sourceTable, targetTable), specJson: JSON.stringify(specInput) };
  }, [draft, sourceTable, targetTable]);
}

/**
 * The visual mapping editor. The draft lives with the page (so the page can save it);
 * every change goes through `onChange` as an immutable update.
 */
export function MappingEditor({
  draft,
  onChange,
  sourceTable,
  targetTable,
  sourceConnectionId,
  targetConnectionId,
  savedVersion,
  readOnly,
  serverIssues = [],
  renderActions,
}: {
  draft: MappingDraft;
  onChange: DraftUpdate;
  sourceTable: TableDetail;
  targetTable: TableDetail;
  sourceConnectionId: string;
  targetConnectionId: string;
  /** The saved version shown, if any: roles that cannot edit mappings preview it rather than the draft. */
  savedVersion?: { mappingId: string; version: number };
  readOnly: boolean;
  /** Issues from the last rejected save, shown until the draft changes. */
  serverIssues?: readonly EditorIssue[];
  /** The save area at the top of the side column; gets the live validation. */
  renderActions?: (context: EditorActionsContext) => ReactNode;
}) {
  const validation = useDraftValidation(draft, sourceTable, targetTable);
  const issues = useMemo(() => {
    const local = validation.issues;
    // A server issue the live checks already show is listed once.
    const extra = serverIssues.filter((s) => !local.some((l) => l.path === s.path && l.message === s.message));
    return [...extra, ...local];
  }, [validation.issues, serverIssues]);
  const errorCount = issues.filter((issue) => issue.severity === 'error').length;
  const context: EditorActionsContext = { ...validation, issues, errorCount, warningCount: issues.length - errorCount };
  const update: DraftUpdate = readOnly ? () => undefined : onChange;

  return (
    <div className="space-y-6">
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="min-w-0 space-y-6">
          <KeyAndModePanel draft={draft} update={update} sourceTable={sourceTable} targetTable={targetTable} readOnly={readOnly} issues={issues} />
          <FieldMapper
            draft={draft}
            update={update}
            sourceTable={sourceTable}
            targetTable={targetTable}
            sourceConnectionId={sourceConnectionId}
            targetConnectionId={targetConnectionId}
            readOnly={readOnly}
            issues={issues}
          />
        </div>
        <aside className="space-y-4 lg:sticky lg:top-4 lg:self-start" aria-label="Save and checks">
          {renderActions?.(context)}
          <LiveChecks issues={issues} draft={draft} />
        </aside>
      </div>
      <PreviewPanel
        sourceConnectionId={sourceConnectionId}
        targetConnectionId={targetConnectionId}
        savedVersion={savedVersion}
        spec={validation.spec}
        sourceTable={sourceTable}
        targetTable={targetTable}
      />
    </div>
  );
}
