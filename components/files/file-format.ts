import type { BadgeTone } from '@/components/ui/badge';
import type { SourceFileStatus, SourceFileView } from '@/hooks/use-file-sources';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export const statusLabels: Record<SourceFileStatus, { label: string; tone: BadgeTone }> = {
  uploading: { label: 'uploading', tone: 'warn' },
  uploaded: { label: 'to confirm', tone: 'info' },
  ready: { label: 'ready', tone: 'good' },
  replaced: { label: 'replaced', tone: 'neutral' },
};

/** One table of a file source: the versions shown in the list, and the older ones folded away. */
export interface FileTable {
  tableName: string;
  shown: SourceFileView[];
  history: SourceFileView[];
}

/**
 * Groups a source's files by table, newest version first. Shown: the version mappings read
 * and any newer one still uploading or waiting for its shape; the rest is history.
 */
export function groupFilesByTable(files: SourceFileView[]): FileTable[] {
  const byTable = new Map<string, SourceFileView[]>();
  for (const file of files) byTable.set(file.tableName, [...(byTable.get(file.tableName) ?? []), file]);
  return [...byTable.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tableName, versions]) => {
      const sorted = [...versions].sort((a, b) => b.version - a.version);
      const current = sorted.find((f) => f.current) ?? sorted.find((f) => f.status === 'ready');
      const isShown = (f: SourceFileView) => f === current || ((f.status === 'uploading' || f.status === 'uploaded') && (!current || f.version > current.version));
      const shown = sorted.filter(isShown);
      return { tableName, shown: shown.length > 0 ? shown : sorted.slice(0, 1), history: sorted.filter((f) => !isShown(f) && (shown.length > 0 || f !== sorted[0])) };
    });
}
