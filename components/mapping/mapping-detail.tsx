'use client';
import Link from 'next/link';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError } from '@/hooks/api-client';
import { useTable } from '@/hooks/use-connections';
import { useMapping, useSaveMappingVersion, type MappingVersionSummary } from '@/hooks/use-mappings';
import { useCan } from '@/components/layout/actor-context';
import { Button } from '@/components/ui/button';
import { ErrorNotice, PageHeader } from '@/components/ui/card';
import { draftFromSpec } from './draft-from-spec';
import { draftToSpecInput } from './draft-to-spec';
import type { DraftUpdate, MappingDraft } from './mapping-draft';
import { MappingEditor, type EditorActionsContext } from './mapping-editor';
import { serverSpecIssues, type EditorIssue } from './mapping-issues';
import { SaveBox } from './save-box';
import { ArchiveMappingButton, ArchivedMappingBanner } from './mapping-archive';

const pad = (n: number) => String(n).padStart(2, '0');
function isoDate(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function versionLabel(v: MappingVersionSummary): string {
  const comment = v.comment && v.comment.length > 60 ? `${v.comment.slice(0, 59)}…` : v.comment;
  return [`v${v.version}`, isoDate(v.createdAt), v.createdBy ?? 'unknown user', comment].filter(Boolean).join(' · ');
}

interface Loaded {
  /** Which request the draft was loaded for: "latest" or a version number. */
  request: string;
  version: number;
  draft: MappingDraft;
  /** The spec text the draft started from; differences are unsaved changes. */
  baseline: string;
}

/**
 * The editor page of a saved mapping. `jobsSlot` is rendered under the header (the
 * page passes the jobs area: start-migration button and job history).
 */
export function MappingDetail({ id, jobsSlot }: { id: string; jobsSlot?: ReactNode }) {
  const canWrite = useCan('mappings:write');
  const [viewVersion, setViewVersion] = useState<number | undefined>(undefined);
  const mapping = useMapping(id, viewVersion);
  const data = mapping.data;
  const sourceTable = useTable(data?.sourceConnection.id, data?.sourceTable);
  const targetTable = useTable(data?.targetConnection.id, data?.targetTable);
  const save = useSaveMappingVersion(id);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [editCopy, setEditCopy] = useState(false);
  const [pendingVersion, setPendingVersion] = useState<number | null>(null);
  const [serverIssues, setServerIssues] = useState<EditorIssue[]>([]);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string | undefined>();

  const request = viewVersion === undefined ? 'latest' : String(viewVersion);
  useEffect(() => {
    if (!data || mapping.isPlaceholderData || loaded?.request === request) return;
    const draft = draftFromSpec(data.spec);
    setLoaded({ request, version: data.version, draft, baseline: JSON.stringify(draftToSpecInput(draft, {})) });
    setEditCopy(false);
    setServerIssues([]);
    setPendingVersion(null);
  }, [data, mapping.isPlaceholderData, loaded?.request, request]);

  const currentJson = useMemo(
    () => (loaded ? JSON.stringify(draftToSpecInput(loaded.draft, { source: sourceTable.data, target: targetTable.data })) : ''),
    [loaded, sourceTable.data, targetTable.data],
  );
  const dirty = !!loaded && currentJson !== loaded.baseline;

  if (mapping.error && !data) return <ErrorNotice error={mapping.error} />;
  if (!data || !loaded) return <p className="text-sm text-slate-500">Loading…</p>;

  const latestVersion = Math.max(data.latestVersion, loaded.version);
  const viewingOld = loaded.version < latestVersion;
  const archived = !!data.archivedAt;
  const readOnly = !canWrite || archived || (viewingOld && !editCopy);
  const versions = data.versions.some((v) => v.version === loaded.version)
    ? data.versions
    : [{ version: loaded.version, comment: null, createdAt: new Date().toISOString(), createdBy: null }, ...data.versions];

  const onChange: DraftUpdate = (change) => {
    setLoaded((current) => (current ? { ...current, draft: change(current.draft) } : current));
    setServerIssues([]);
  };

  function chooseVersion(version: number) {
    if (version === loaded?.version && !dirty) return;
    if (dirty) setPendingVersion(version);
    else openVersion(version);
  }
  function openVersion(version: number) {
    setPendingVersion(null);
    setSavedVersion(null);
    setViewVersion(version);
    // Opening the same request again (e.g. discarding changes) reloads it.
    if (String(version) === request) setLoaded((current) => (current ? { ...current, request: '' } : current));
  }

  async function onSave(context: EditorActionsContext) {
    if (!context.spec || context.errorCount > 0) return;
    setCommentError(undefined);
    try {
      const saved = await save.mutateAsync({ spec: context.spec, comment: comment.trim() || undefined });
      setSavedVersion(saved.version);
      setComment('');
      setEditCopy(false);
      // The draft is now that version: keep it instead of reloading it.
      setLoaded((current) => (current ? { ...current, request: String(saved.version), version: saved.version, baseline: context.specJson } : current));
      setViewVersion(saved.version);
    } catch (error) {
      if (error instanceof ApiError) {
        setServerIssues(serverSpecIssues(error.issues));
        setCommentError(error.issueFor('comment'));
      }
    }
  }

  const saveError = save.error instanceof ApiError && save.error.issues.some((i) => i.path.startsWith('body.spec')) ? null : save.error;
  const tablesError = sourceTable.error ?? targetTable.error;

  return (
    <>
      <PageHeader
        title={data.name}
        subtitle={
          <span className="flex flex-wrap items-center gap-1.5">
            <Link href="/mappings" className="text-indigo-700 hover:underline">
              Mappings
            </Link>
            <span className="text-slate-300">/</span>
            <span>{data.sourceConnection.name}</span>
            <span className="font-mono text-slate-700">{data.sourceTable}</span>
            <span aria-hidden className="text-slate-400">
              →
            </span>
            <span>{data.targetConnection.name}</span>
            <span className="font-mono text-slate-700">{data.targetTable}</span>
          </span>
        }
        actions={
          <div className="flex items-center gap-2">
            <label className="flex items-center gap-2 text-xs font-medium text-slate-600">
              Version
              <select
                value={loaded.version}
                onChange={(e) => chooseVersion(Number(e.target.value))}
                className="max-w-[26rem] rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-800 shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
              >
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {versionLabel(v)}
                  </option>
                ))}
              </select>
            </label>
            <ArchiveMappingButton mapping={data} />
          </div>
        }
      />

      <div className="space-y-4">
        <ArchivedMappingBanner mapping={data} />
        {jobsSlot}

        {pendingVersion !== null && (
          <div role="alertdialog" aria-label="Unsaved changes" className="flex flex-wrap items-center gap-3 rounded-md border border-amber-300 bg-amber-50 px-4 py-2.5 text-sm text-amber-900">
            <span>You have unsaved changes. Discard them and open v{pendingVersion}?</span>
            <span className="ml-auto flex gap-2">
              <Button variant="danger" onClick={() => openVersion(pendingVersion)}>
                Discard and open v{pendingVersion}
              </Button>
              <Button variant="secondary" onClick={() => setPendingVersion(null)}>
                Keep editing
              </Button>
            </span>
          </div>
        )}

        {viewingOld && (
          <div className="flex flex-wrap items-center gap-3 rounded-md border border-indigo-200 bg-indigo-50 px-4 py-2.5 text-sm text-indigo-900" data-testid="old-version-banner">
            <span>
              You are looking at <strong>v{loaded.version}</strong>; the latest is v{latestVersion}.{' '}
              {editCopy ? `Saving creates v${latestVersion + 1} from this content.` : 'Jobs and saves use the latest unless you restore this one.'}
            </span>
            <span className="ml-auto flex gap-2">
              {canWrite && !archived && !editCopy && (
                <Button variant="secondary" onClick={() => setEditCopy(true)}>
                  Edit as new version
                </Button>
              )}
              <Button variant="secondary" onClick={() => chooseVersion(latestVersion)}>
                Back to v{latestVersion}
              </Button>
            </span>
          </div>
        )}

        {tablesError ? (
          <div className="space-y-3">
            <ErrorNotice error={tablesError} />
            <p className="text-sm text-slate-600">The editor needs both tables. This is the stored spec of v{loaded.version}:</p>
            <pre className="max-h-96 overflow-auto rounded-md border border-slate-200 bg-white p-3 font-mono text-xs text-slate-700">{JSON.stringify(data.spec, null, 2)}</pre>
          </div>
        ) : !sourceTable.data || !targetTable.data ? (
          <p className="text-sm text-slate-500">Reading the source and target tables…</p>
        ) : (
          <MappingEditor
            draft={loaded.draft}
            onChange={onChange}
            sourceTable={sourceTable.data}
            targetTable={targetTable.data}
            sourceConnectionId={data.sourceConnection.id}
            targetConnectionId={data.targetConnection.id}
            savedVersion={{ mappingId: id, version: loaded.version }}
            readOnly={readOnly}
            serverIssues={serverIssues}
            renderActions={(context) =>
              archived ? (
                <section aria-label="Read-only" className="rounded-lg border border-slate-200 bg-white p-4 text-xs text-slate-600 shadow-sm">
                  Read-only: this mapping is archived. Restore it to save new versions.
                </section>
              ) : canWrite ? (
                readOnly ? (
                  <section aria-label="Save" className="rounded-lg border border-slate-200 bg-white p-4 text-xs text-slate-600 shadow-sm">
                    Read-only: an older version. Choose <strong>Edit as new version</strong> to change and save it.
                  </section>
                ) : (
                  <SaveBox
                    title="Save"
                    buttonLabel="Save as new version"
                    pendingLabel="Saving…"
                    comment={comment}
                    onComment={setComment}
                    commentError={commentError}
                    errorCount={context.errorCount}
                    pending={save.isPending}
                    onSave={() => onSave(context)}
                    error={saveError}
                    status={
                      dirty ? (
                        <p className="text-xs font-medium text-amber-700" role="status">
                          Unsaved changes
                        </p>
                      ) : savedVersion !== null && savedVersion === loaded.version ? (
                        <p className="text-xs font-medium text-emerald-700" role="status" data-testid="saved-version">
                          Saved as v{savedVersion}
                        </p>
                      ) : (
                        <p className="text-xs text-slate-500" role="status">
                          No unsaved changes · editing from v{loaded.version}
                        </p>
                      )
                    }
                  />
                )
              ) : (
                <section aria-label="Read-only" className="rounded-lg border border-slate-200 bg-white p-4 text-xs text-slate-600 shadow-sm">
                  Read-only: your role can look at mappings and preview them, but not change them.
                </section>
              )
            }
          />
        )}
      </div>
    </>
  );
}
