import type { SyncSettings } from '@/lib/schemas/sync-settings';

/** The settings form as typed: text for numbers (blank means the server's default), one schedule choice. */
export interface SyncDraft {
  mode: SyncSettings['mode'];
  cursorColumn: string;
  lagMs: string;
  schedule: 'every' | 'cron';
  everySeconds: string;
  cron: string;
  timeZone: string;
  deletePolicy: SyncSettings['deletePolicy'];
  markColumn: string;
  softDeleteColumn: string;
  reconcileMinutes: string;
  initialLoad: SyncSettings['initialLoad'];
  verifyMinutes: string;
}

const text = (value: number | null | undefined, fallback: string) => (value == null ? fallback : String(value));

export function draftOf(s?: SyncSettings): SyncDraft {
  return {
    mode: s?.mode ?? 'log',
    cursorColumn: s?.cursorColumn ?? '',
    lagMs: text(s?.lagMs, '5000'),
    schedule: s?.cron ? 'cron' : 'every',
    everySeconds: text(s?.everySeconds, '60'),
    cron: s?.cron ?? '',
    timeZone: s?.timeZone ?? 'UTC',
    deletePolicy: s?.deletePolicy ?? 'apply',
    markColumn: s?.markColumn ?? '',
    softDeleteColumn: s?.softDeleteColumn ?? '',
    reconcileMinutes: text(s?.reconcileMinutes, '60'),
    initialLoad: s?.initialLoad ?? 'full',
    verifyMinutes: text(s?.verifyMinutes, '60'),
  };
}

/** Blank is "the default"; anything else is sent as typed, so the server's limits decide (and name the field). */
const numberOf = (value: string) => (value.trim() === '' ? undefined : Number(value));
const textOf = (value: string) => (value.trim() === '' ? null : value.trim());

/** What the API takes: only the fields of the chosen mode, schedule and delete policy. */
export function settingsOf(d: SyncDraft): SyncSettings {
  const cursor = d.mode === 'cursor';
  return {
    mode: d.mode,
    cursorColumn: cursor ? textOf(d.cursorColumn) : null,
    lagMs: numberOf(d.lagMs) as number,
    everySeconds: cursor && d.schedule === 'every' ? (numberOf(d.everySeconds) ?? null) : null,
    cron: cursor && d.schedule === 'cron' ? textOf(d.cron) : null,
    timeZone: d.timeZone.trim() || 'UTC',
    deletePolicy: d.deletePolicy,
    markColumn: d.deletePolicy === 'mark' ? textOf(d.markColumn) : null,
    softDeleteColumn: cursor ? textOf(d.softDeleteColumn) : null,
    reconcileMinutes: numberOf(d.reconcileMinutes) as number,
    initialLoad: d.initialLoad,
    verifyMinutes: numberOf(d.verifyMinutes) as number,
  };
}
