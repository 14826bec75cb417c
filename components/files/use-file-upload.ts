'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '@/hooks/api-client';
import { useRefreshFileSources } from '@/hooks/use-file-sources';
import { sendFileChunks, UploadStopped, type ChunkProgress } from './send-file-chunks';

export type UploadState =
  | { phase: 'idle' }
  | { phase: 'sending'; fileId: string; progress: ChunkProgress }
  | { phase: 'stopped'; fileId: string; progress: ChunkProgress; message: string; resumable: boolean }
  | { phase: 'done'; fileId: string; progress: ChunkProgress }
  | { phase: 'cancelled'; message: string };

const initialProgress = (file: Blob, offset: number): ChunkProgress => ({ sent: offset, total: file.size, bytesPerSecond: null, secondsLeft: null, retry: null });

/** One upload at a time: its progress, and cancel and resume for the component showing it. */
export function useFileUpload() {
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const job = useRef<{ fileId: string; file: Blob; controller: AbortController; offset: number } | null>(null);
  const refresh = useRefreshFileSources();

  // Leaving the page stops sending; the server keeps what it got and the list offers to resume.
  useEffect(() => () => job.current?.controller.abort(), []);

  const run = useCallback(
    async (fileId: string, file: Blob, offset: number) => {
      const controller = new AbortController();
      job.current = { fileId, file, controller, offset };
      let progress = initialProgress(file, offset);
      setState({ phase: 'sending', fileId, progress });
      try {
        await sendFileChunks({
          fileId,
          file,
          offset,
          signal: controller.signal,
          onProgress: (next) => {
            progress = next;
            if (job.current) job.current.offset = next.sent;
            setState({ phase: 'sending', fileId, progress: next });
          },
        });
        setState({ phase: 'done', fileId, progress: { ...progress, sent: file.size, secondsLeft: 0, retry: null } });
      } catch (error) {
        if (controller.signal.aborted) return;
        const stopped = error instanceof UploadStopped ? error : new UploadStopped(String(error), progress.sent, false);
        if (job.current) job.current.offset = stopped.offset;
        setState({ phase: 'stopped', fileId, progress: { ...progress, sent: stopped.offset, retry: null }, message: stopped.message, resumable: !stopped.final });
      } finally {
        void refresh();
      }
    },
    [refresh],
  );

  const resume = useCallback(() => {
    if (job.current) void run(job.current.fileId, job.current.file, job.current.offset);
  }, [run]);

  const cancel = useCallback(async () => {
    const current = job.current;
    if (!current) return;
    current.controller.abort();
    job.current = null;
    // A cancelled upload is not meant to be finished later: its partial bytes go too.
    const removed = await api(`/api/source-files/${current.fileId}`, { method: 'DELETE' }).then(
      () => true,
      () => false,
    );
    setState({ phase: 'cancelled', message: removed ? 'Upload cancelled; the partial file was removed.' : 'Upload cancelled. The partial file is still listed; delete it there.' });
    void refresh();
  }, [refresh]);

  return { state, start: run, resume, cancel };
}
