import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { Prisma } from '@/lib/db/generated/client';
import { prisma } from '@/lib/db/client';
import { ID_MAP_ENTRIES_SQL } from '@/lib/engine/id-map-store';
import { createPlan } from '@/lib/plans/save-plan';
import { createMapping } from '@/lib/saved-mappings/save-mapping';
import { mappingSpecSchema, type MappingSpecInput } from '@/lib/schemas/mapping-spec';
import { customersToContactsSpec, ordersToDealsSpec, paymentsToPaymentsSpec, ticketsToCasesSpec } from '../../../scripts/demo-data/demo-mapping-specs';
import { expectEventually } from './wait';

const FINAL_RUN = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

/** Waits for a plan run to settle; the error names the run's state and its steps' jobs. */
export async function waitForPlanRun(runId: string, timeoutMs = 120_000): Promise<string> {
  return expectEventually(
    async () => {
      const run = await prisma().planRun.findUniqueOrThrow({
        where: { id: runId },
        select: { status: true, stopReason: true, jobs: { select: { planStep: true, status: true, mapping: { select: { name: true } } } } },
      });
      if (!FINAL_RUN.includes(run.status)) {
        const steps = run.jobs.map((j) => `${j.mapping.name}:${j.planStep} ${j.status}`).join(', ');
        throw new Error(`plan run ${runId} is ${run.status} (${steps || 'no step started'})`);
      }
      return run.status;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

/** The migration jobs of a plan run, oldest first. */
export async function planRunJobs(runId: string) {
  return prisma().job.findMany({ where: { planRunId: runId }, orderBy: { createdAt: 'asc' }, select: { id: true, mappingId: true, planStep: true, status: true } });
}

/** Deletes plans and mappings left by an earlier run of a test (plans first: they hold the mappings). */
export async function dropPlansAndMappings(planNames: string[], mappingNames: string[]): Promise<void> {
  await prisma().plan.deleteMany({ where: { name: { in: planNames } } });
  // Children before parents: a mapping referred to by another cannot be checked away mid-way.
  for (const name of [...mappingNames].reverse()) await prisma().mapping.deleteMany({ where: { name } });
}

/** Saves a mapping with its automatic verification off (the plan tests check the target by SQL, and faster). */
export async function savePlanMapping(actor: Actor, name: string, sourceConnectionId: string, targetConnectionId: string, spec: MappingSpecInput): Promise<string> {
  const mapping = await createMapping(actor, { name, sourceConnectionId, targetConnectionId, spec: mappingSpecSchema.parse(spec) });
  await prisma().mapping.update({ where: { id: mapping.id }, data: { verifySettings: { autoVerify: false } } });
  return mapping.id;
}

export interface DemoPlanIds {
  planId: string;
  contacts: string;
  deals: string;
  payments: string;
  cases: string;
}

/** The demo's four mappings (scripts/demo-data/demo-mapping-specs.ts) under names of the caller's, and one plan of them. */
export async function createDemoPlan(actor: Actor, label: string, legacyConnectionId: string, targetConnectionId: string): Promise<DemoPlanIds> {
  const names = demoPlanNames(label);
  await dropPlansAndMappings([names.plan], names.mappings);
  const save = (name: string, spec: MappingSpecInput) => savePlanMapping(actor, name, legacyConnectionId, targetConnectionId, spec);
  const contacts = await save(names.mappings[0], customersToContactsSpec);
  const deals = await save(names.mappings[1], ordersToDealsSpec(contacts));
  const payments = await save(names.mappings[2], paymentsToPaymentsSpec(deals));
  const cases = await save(names.mappings[3], ticketsToCasesSpec(contacts));
  // Listed children first: the order comes from the references, not from the list.
  const plan = await createPlan(actor, { name: names.plan, mappingIds: [payments, cases, deals, contacts] });
  return { planId: plan.id, contacts, deals, payments, cases };
}

export function demoPlanNames(label: string) {
  return {
    plan: `${label} plan`,
    mappings: [`${label} customers → contacts`, `${label} orders → deals`, `${label} payments → payments`, `${label} tickets → cases`],
  };
}

export interface Fingerprint {
  n: number;
  h: string;
}

/** A table as one fingerprint (count and md5 of its rows in key order): equal fingerprints, equal tables. */
export async function tableFingerprint(client: pg.Client, table: string, orderBy = 'id'): Promise<Fingerprint> {
  const { rows } = await client.query<Fingerprint>(`SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.${orderBy}), '')) AS h FROM ${table} t`);
  return rows[0];
}

/** The id maps of these mappings, one fingerprint per mapping. */
export async function idMapFingerprints(mappingIds: string[]): Promise<Record<string, Fingerprint>> {
  const rows = await prisma().$queryRaw<{ mapping_id: string; n: number; h: string }[]>`
    SELECT m.id AS mapping_id, count(*)::int AS n, md5(string_agg(e.k || '=' || e.t, E'\n' ORDER BY e.k)) AS h
      FROM mappings m JOIN ${Prisma.raw(ID_MAP_ENTRIES_SQL)} e ON e.map_no = m.id_map_no
     WHERE m.id = ANY(${mappingIds}::text[]) GROUP BY m.id`;
  return Object.fromEntries(mappingIds.map((id) => {
    const row = rows.find((r) => r.mapping_id === id);
    return [id, { n: row?.n ?? 0, h: row?.h ?? '' }];
  }));
}

/** Error rows of a plan run's jobs as "mapping|source key|code" (sorted), to compare runs. */
export async function runFailures(runId: string): Promise<string[]> {
  const rows = await prisma().errorRow.findMany({ where: { job: { planRunId: runId } }, select: { sourceKeyText: true, code: true, job: { select: { mappingId: true } } } });
  return rows.map((r) => `${r.job.mappingId}|${r.sourceKeyText}|${r.code}`).sort();
}
