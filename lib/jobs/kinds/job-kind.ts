import type { z } from 'zod';
import type { JobKind } from '../../db/generated/enums';
import type { PlannerJobName, UnitJobName } from '../../queue/job-names';
import type { JobStatus } from '../job-state';
import type { VerifyAfter } from '../start-verify';
import type { UnitRun, UnitOutcome } from '../units/run-unit';
import type { UnitStore } from '../units/unit-stores';

export type DefinedJobKind = JobKind;

/**
 * Everything that depends on a job's kind, in one place. The worker registry, the sweeper,
 * pause/resume/cancel, the progress view and the UI read these fields instead of
 * branching on the kind; a new kind of work is one definition (plus the lib/ functions it
 * names). Every field is required, so the compiler refuses a kind with a missing piece.
 */
export interface JobKindDefinition<Cursor = unknown> {
  kind: DefinedJobKind;
  /** How the UI names a job of this kind, as a lower-case noun ("migration"); headings capitalise it. */
  label: string;
  /** The job row's `options`, parsed with this schema wherever they are read. */
  optionsSchema: z.ZodType;
  /**
   * The planner job, which splits the work into units and enqueues them; null when the
   * units are created with the job (replay, repair). Its BullMQ id is `<name>-<job id>`.
   */
  planner: { jobName: PlannerJobName; plan(jobId: string): Promise<unknown> } | null;
  units: {
    /** The BullMQ job that processes one unit; its id is `<name>-<unit id>[-<generation>]`. */
    jobName: UnitJobName;
    store: UnitStore;
    /** What `cursor` holds between attempts (a key, an error-row id, a diff id); null before the first checkpoint. */
    cursorSchema: z.ZodType<Cursor>;
    /** One unit's work under its lease, batch by batch (see run-unit.ts for what happens around it). */
    process(run: UnitRun<Cursor>): Promise<UnitOutcome>;
    /**
     * What delivers a pending unit: its queue entry (`queue`: the sweeper re-enqueues a unit
     * whose entry vanished), or a BullMQ job scheduler that delivers it again and again
     * (`schedule`: a sync's unit is pending between runs; a failed run is retried by the
     * next delivery rather than by BullMQ, and never fails the job).
     */
    deliveredBy: 'queue' | 'schedule';
  };
  /** Whether its failed rows are error rows of its own, which a replay can send again (a replay's outcomes update its parent's rows instead). */
  ownsErrorRows: boolean;
  /** How the job page links a job of this kind to its parent job: the words around the link. */
  parentLink: { before: string; after: string };
  /** Pause and resume; every kind can be cancelled. */
  pausable: boolean;
  /**
   * Called after an admin paused, resumed or cancelled a job of this kind (a sync removes
   * or restores its schedule); null when the kind needs nothing more.
   */
  afterControl: ((jobId: string, action: 'pause' | 'resume' | 'cancel') => Promise<void>) | null;
  /** Whether it copies rows: the job page and list show read/written/failed, and its error rows can explain a missing row. */
  copiesRows: boolean;
  /**
   * Where its consistency score comes from: its own report (a verification), or a
   * verification started when it completes (always, when the mapping's autoVerify is on,
   * or never). `settle` starts that verification.
   */
  verification: 'own' | VerifyAfter;
  /**
   * Decides the job's status after one of its units stopped (or a control action): every
   * unit done → a final status; nothing running while pausing/cancelling → paused/cancelled.
   * Returns the new status, or null when nothing changed.
   */
  settle(jobId: string): Promise<JobStatus | null>;
}

/** The kind facts the browser needs, sent with every job (the definition itself stays on the server). */
export interface JobKindView {
  label: string;
  ownsErrorRows: boolean;
  parentLink: { before: string; after: string };
  pausable: boolean;
  rowCounters: boolean;
  consistency: 'own' | 'after' | 'none';
}

export const kindView = (definition: JobKindDefinition): JobKindView => ({
  label: definition.label,
  ownsErrorRows: definition.ownsErrorRows,
  parentLink: definition.parentLink,
  pausable: definition.pausable,
  rowCounters: definition.copiesRows,
  consistency: definition.verification === 'own' ? 'own' : definition.verification === 'never' ? 'none' : 'after',
});
