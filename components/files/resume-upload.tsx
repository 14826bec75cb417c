'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useState } from 'react';
import type { SourceFileView } from '@/hooks/use-file-sources';
import { formatBytes } from './file-format';
import { UploadProgress } from './upload-progress';
import { useFileUpload } from './use-file-upload';

/**
 * Finishes an upload a closed tab or a lost connection left halfway: the same file is picked
 * again (the browser cannot reopen it by itself) and only the bytes the server lacks are sent.
 */
export function ResumeUpload({ file }: { file: SourceFileView }) {
  const router = useRouter();
  const upload = useFileUpload();
  const inputId = useId();
  const [problem, setProblem] = useState<string | null>(null);

  const doneFileId = upload.state.phase === 'done' ? upload.state.fileId : null;
  useEffect(() => {
    if (doneFileId) router.push(`/files/${doneFileId}`);
  }, [doneFileId, router]);

  function pick(picked: File | null) {
    if (!picked) return;
    // Only the size can be checked before sending; a different file of the same size would be caught by its shape.
    if (picked.size !== file.bytes) {
      setProblem(`${picked.name} has ${formatBytes(picked.size)}; the upload expects ${file.originalName}, ${formatBytes(file.bytes)}.`);
      return;
    }
    setProblem(null);
    void upload.start(file.id, picked, file.receivedBytes);
  }

  if (upload.state.phase !== 'idle') {
    return <UploadProgress state={upload.state} onCancel={() => void upload.cancel()} onResume={upload.resume} />;
  }
  return (
    <div className="text-xs">
      <label htmlFor={inputId} className="cursor-pointer font-medium text-indigo-700 hover:underline">
        Resume upload of {file.originalName}
      </label>
      <input id={inputId} type="file" className="sr-only" onChange={(e) => pick(e.target.files?.[0] ?? null)} />
      {problem && (
        <p role="alert" className="mt-1 text-red-600">
          {problem}
        </p>
      )}
    </div>
  );
}
