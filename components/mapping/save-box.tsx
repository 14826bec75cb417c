'use client';
import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { ErrorNotice } from '@/components/ui/card';

/** The save area of the editor's side column: optional comment, the save button, status. */
export function SaveBox({
  title,
  buttonLabel,
  pendingLabel,
  comment,
  onComment,
  commentError,
  errorCount,
  pending,
  onSave,
  status,
  error,
  children,
}: {
  title: string;
  buttonLabel: string;
  pendingLabel: string;
  comment: string;
  onComment: (comment: string) => void;
  commentError?: string;
  errorCount: number;
  pending: boolean;
  onSave: () => void;
  status: ReactNode;
  error: unknown;
  children?: ReactNode;
}) {
  const blocked = errorCount > 0;
  return (
    <section aria-label={title} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      {children}
      <label className="block text-xs font-medium text-slate-700">
        Comment <span className="font-normal text-slate-400">(optional)</span>
        <input
          value={comment}
          maxLength={500}
          onChange={(e) => onComment(e.target.value)}
          placeholder="What changed and why"
          aria-invalid={commentError ? true : undefined}
          className="mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 aria-[invalid=true]:border-red-500"
        />
      </label>
      {commentError && <p className="text-xs text-red-700">Comment {commentError}</p>}
      <Button onClick={onSave} disabled={blocked || pending} className="w-full justify-center">
        {pending ? pendingLabel : buttonLabel}
      </Button>
      {blocked && (
        <p className="text-xs text-red-700" data-testid="save-blocked">
          Fix {errorCount} error{errorCount === 1 ? '' : 's'} under Checks to save.
        </p>
      )}
      {status}
      <ErrorNotice error={error} />
    </section>
  );
}
