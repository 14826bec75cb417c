/** What an action did, in words: "archived mapping". Unknown actions show as recorded. */
const actionWords: Record<string, string> = {
  'connection.create': 'created connection',
  'connection.update': 'changed connection',
  'connection.delete': 'deleted connection',
  'file_source.create': 'created file source',
  'source_file.upload': 'uploaded a file version',
  'source_file.register': 'registered a file by path',
  'source_file.confirm': 'confirmed the shape of a file',
  'source_file.delete': 'deleted a file version',
  'mapping.create': 'created mapping',
  'mapping.version': 'saved a new version of mapping',
  'mapping.verify_settings': 'changed the verify settings of mapping',
  'mapping.archive': 'archived mapping',
  'mapping.restore': 'restored mapping',
  'mapping.purge': 'erased mapping',
  'mapping.delete': 'deleted mapping',
  'job.start': 'started',
  'job.verify': 'started',
  'job.replay': 'started',
  'job.repair': 'started',
  'job.pause': 'paused',
  'job.resume': 'resumed',
  'job.cancel': 'cancelled',
  'error_row.edit': 'corrected',
  'error_row.replay': 'replayed',
  'error_row.dismiss': 'dismissed',
  'sync.create': 'created a sync',
  'sync.update': 'changed the sync settings',
  'sync.start': 'started the sync',
  'user.create': 'created user',
  'user.update': 'changed user',
};

export const actionLabel = (action: string) => actionWords[action] ?? action;

export const entityKindLabels: Record<string, string> = {
  connection: 'Connections',
  mapping: 'Mappings',
  job: 'Jobs',
  error_row: 'Error rows',
  user: 'Users',
  sync: 'Syncs',
  source_file: 'Files',
};

/** A recorded value as short text: strings as typed, anything else as JSON; absent as "—". */
export function valueText(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

/** Local calendar day `YYYY-MM-DD` → the instants bounding it, for the API's from/to (which it takes inclusive). */
export function dayBounds(day: string): { start: string; end: string } | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const start = new Date(`${day}T00:00:00`);
  if (Number.isNaN(start.getTime())) return null;
  const next = new Date(start);
  next.setDate(next.getDate() + 1);
  return { start: start.toISOString(), end: new Date(next.getTime() - 1).toISOString() };
}
