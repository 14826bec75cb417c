import { closeCachedConnectors, cachedConnector } from '@/lib/engine/connector-cache';
import { findInIdMap, ID_MAP_ENTRIES_SQL, writeIdMapRows } from '@/lib/engine/id-map-store';
import { metadataPool } from '@/lib/engine/metadata-pool';
import { log } from './bench-env';
import type { BenchPlan, PlanRunResult } from './plan-run';

const REPEAT = 10;

async function meanMs(work: (round: number) => Promise<unknown>): Promise<number> {
  await work(-1); // warm: plans cached, pages in memory, as in the middle of a run
  const started = performance.now();
  for (let round = 0; round < REPEAT; round++) await work(round);
  return (performance.now() - started) / REPEAT;
}

/**
 * Where a plan's time goes beyond a plain migration, measured after the run in isolation,
 * per batch of `batchRows`, on the run's own tables: a reference look-up in an id map (what
 * every child batch does per reference field), the read-back of generated ids by the upsert
 * key (what every batch of a parent with generated ids does), and the id map insert (every
 * parent batch). Times the number of batches of each step, that is the plan's extra cost
 * per step, to compare with the step's wall time.
 */
export async function profilePlanSteps(plan: BenchPlan, run: PlanRunResult, batchRows: number, targetConnectionId: string): Promise<void> {
  const pool = metadataPool();
  // A random batch of each id map (its keys as text, as a child batch asks for them).
  const sample = async (mappingId: string) =>
    (await pool.query<{ k: string; t: string }>(
      `SELECT e.k, e.t FROM mappings m JOIN ${ID_MAP_ENTRIES_SQL} e ON e.map_no = m.id_map_no WHERE m.id = $1 ORDER BY random() LIMIT $2`,
      [mappingId, batchRows],
    )).rows;
  const contactKeys = await sample(plan.mappings.contacts);
  const dealKeys = await sample(plan.mappings.deals);
  if (contactKeys.length === 0) {
    log('profile: the contacts id map is empty; nothing to profile');
    return;
  }
  const lookup = (mappingId: string, keys: string[]) => findInIdMap(mappingId, keys);
  const lookupMs = await meanMs(() => lookup(plan.mappings.contacts, contactKeys.map((r) => r.k)));
  const dealLookupMs = await meanMs(() => lookup(plan.mappings.deals, dealKeys.map((r) => r.k)));

  const target = await cachedConnector(targetConnectionId);
  const legacyIds = contactKeys.map((r) => [Number(r.k)]);
  const readBackMs = await meanMs(() => target.readKeys('contacts', ['legacy_id'], ['id'], legacyIds));

  // Inserted under a map number no mapping has (serials start at 1), then removed: the id map's write cost on its real index.
  const scratch = (round: number) => -2 - round;
  const insertMs = await meanMs((round) => writeIdMapRows(scratch(round), contactKeys.map((r) => r.k), contactKeys.map((r) => r.t)));
  await pool.query('DELETE FROM id_map_ints WHERE map_no < 0');
  await pool.query('DELETE FROM id_map_texts WHERE map_no < 0');
  await closeCachedConnectors();

  log(`profile per batch of ${contactKeys.length} rows: id map look-up ${lookupMs.toFixed(1)} ms (deals' ${dealLookupMs.toFixed(1)} ms), ` +
    `read-back of generated ids ${readBackMs.toFixed(1)} ms, id map insert ${insertMs.toFixed(1)} ms`);
  const batches = (mappingId: string) => Math.ceil((run.steps.find((s) => s.mappingId === mappingId)?.rows ?? 0) / batchRows);
  const perStep: [string, string, number][] = [
    ['contacts', plan.mappings.contacts, readBackMs + insertMs],
    ['deals', plan.mappings.deals, lookupMs + readBackMs + insertMs],
    ['payments', plan.mappings.payments, dealLookupMs],
    ['cases', plan.mappings.cases, lookupMs],
  ];
  for (const [name, mappingId, perBatch] of perStep) {
    const step = run.steps.find((s) => s.mappingId === mappingId);
    const wall = step?.finishedAt ? (step.finishedAt.getTime() - step.startedAt.getTime()) / 1000 : 0;
    const extra = (batches(mappingId) * perBatch) / 1000;
    log(`  ${name}: ${batches(mappingId)} batches × ${perBatch.toFixed(1)} ms = ${extra.toFixed(1)} s of id work (sequential sum; the step took ${wall.toFixed(1)} s of wall time)`);
  }
}
