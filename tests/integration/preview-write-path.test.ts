import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type mysql from 'mysql2/promise';
import pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { prisma } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { startMigration } from '@/lib/jobs/start-migration';
import { previewMapping } from '@/lib/saved-mappings/preview-mapping';
import { previewMappingSchema } from '@/lib/schemas/mapping-request';
import { freshMariaDatabase, freshPgDatabase, testAdmin, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { closeVerifyTest } from './support/verify';
import { waitForJob } from './support/wait';
import { PG_URL } from './support/test-env';

/**
 * Preview runs the run's write path against the target in a transaction it always rolls
 * back: per constraint kind, the error preview shows for a row is the error row the real
 * run records for it, and the target is unchanged after preview.
 */

const SOURCE_DB = 'ferry_it_pwp_src';
const TARGET_DB = 'ferry_it_pwp_tgt';
const MARIA_DB = 'ferry_it_pwp_maria';
const MARIA_TARGET_DB = 'ferry_it_pwp_maria_tgt';

let actor: Actor;
let source: pg.Client;
let target: pg.Client;
let maria: mysql.Connection;
let mariaTarget: mysql.Connection;
const workers: SpawnedWorker[] = [];

const spec = {
  source: { table: 'deal_rows', key: ['id'] },
  target: { table: 'deals', key: ['id'] },
  fields: ['id', 'customer_id', 'email', 'amount', 'tags', 'phone'].map((c) => ({ target: c, sources: [c] })),
};

/** One source row per constraint kind, between rows that land. */
const rows = [
  [1, 1, 'one@example.com', '10.00', '{a,b}', '555-0101'],
  [2, 99, 'two@example.com', '10.00', null, '555-0102'], // no customer 99: foreign key
  [3, 1, 'twin@example.com', '10.00', null, '555-0103'],
  [4, 1, 'twin@example.com', '10.00', null, '555-0104'], // 3's email, same batch: unique
  [5, 1, 'taken@example.com', '10.00', null, '555-0105'], // target row 900's email: unique
  [6, 1, 'six@example.com', '-5.00', null, '555-0106'], // CHECK (amount > 0)
  [7, 1, 'seven@example.com', '10.00', '{a,"b}', '555-0107'], // braces, but not an array literal
  [8, 1, 'eight@example.com', '10.00', null, '   '], // the trigger makes it NULL: NOT NULL
  [9, 1, 'nine@example.com', '10.00', '{}', '555-0109'],
];
const expected: Record<number, { field: string; code: string } | null> = {
  1: null,
  2: { field: 'customer_id', code: 'foreign_key_violation' },
  3: null,
  4: { field: 'email', code: 'unique_violation' },
  5: { field: 'email', code: 'unique_violation' },
  6: { field: 'amount', code: 'check_violation' },
  7: { field: 'tags', code: 'invalid_value' },
  8: { field: 'phone', code: 'not_null_violation' },
  9: null,
};

const TARGET_DDL = `
  CREATE TABLE customers (id int PRIMARY KEY);
  INSERT INTO customers VALUES (1);
  CREATE TABLE deals (
    id int PRIMARY KEY,
    customer_id int CONSTRAINT deals_customer_fk REFERENCES customers,
    email text CONSTRAINT deals_email_unique UNIQUE,
    amount numeric(10,2) CONSTRAINT amount_positive CHECK (amount > 0),
    tags text[],
    phone text NOT NULL);
  -- Blank phone numbers become NULL, which NOT NULL then refuses: a failure only the write finds.
  CREATE FUNCTION blank_phone() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN NEW.phone := NULLIF(trim(NEW.phone), ''); RETURN NEW; END $$;
  CREATE TRIGGER deals_blank_phone BEFORE INSERT OR UPDATE ON deals FOR EACH ROW EXECUTE FUNCTION blank_phone();
  INSERT INTO deals VALUES (900, 1, 'taken@example.com', 1, NULL, '555-0900');`;

before(async () => {
  actor = await testAdmin();
  source = await freshPgDatabase(SOURCE_DB);
  await source.query(`CREATE TABLE deal_rows (id int PRIMARY KEY, customer_id int, email text, amount numeric(10,2), tags text, phone text)`);
  for (const row of rows) await source.query('INSERT INTO deal_rows VALUES ($1, $2, $3, $4, $5, $6)', row);
  target = await freshPgDatabase(TARGET_DB);
  await target.query(TARGET_DDL);

  maria = await freshMariaDatabase(MARIA_DB);
  await maria.query(`CREATE TABLE deal_rows (id int PRIMARY KEY, customer_id int, email varchar(100), amount decimal(10,2), tags varchar(100), phone varchar(20))`);
  await maria.query('INSERT INTO deal_rows VALUES ?', [rows]);

  mariaTarget = await freshMariaDatabase(MARIA_TARGET_DB);
  await mariaTarget.query(`
    CREATE TABLE customers (id int PRIMARY KEY) ENGINE=InnoDB;
    INSERT INTO customers VALUES (1);
    CREATE TABLE deals (
      id int PRIMARY KEY,
      customer_id int,
      email varchar(100),
      amount decimal(10,2),
      tags varchar(100),
      phone varchar(20) NOT NULL,
      CONSTRAINT deals_email_unique UNIQUE (email),
      CONSTRAINT deals_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id),
      CONSTRAINT amount_positive CHECK (amount > 0)) ENGINE=InnoDB;
    INSERT INTO deals VALUES (900, 1, 'taken@example.com', 1, NULL, '555-0900');`);

  workers.push(spawnWorker());
});

after(async () => {
  await maria?.end();
  await mariaTarget?.end();
  await closeVerifyTest(workers, [source, target]);
});

type Preview = Awaited<ReturnType<typeof previewMapping>>;

const preview = (sourceConnectionId: string, targetConnectionId: string, extra: Record<string, unknown> = {}) =>
  previewMapping(previewMappingSchema.parse({ sourceConnectionId, targetConnectionId, spec, limit: 20, ...extra }));

/** Every row and sequence-free fact of the target: equal before and after a preview. */
async function pgTargetState() {
  const deals = await target.query(`SELECT coalesce(string_agg(d::text, ';' ORDER BY id), '') AS rows FROM deals d`);
  const customers = await target.query(`SELECT coalesce(string_agg(c::text, ';' ORDER BY id), '') AS rows FROM customers c`);
  return { deals: deals.rows[0].rows as string, customers: customers.rows[0].rows as string };
}

async function mariaTargetState() {
  const [deals] = await mariaTarget.query('SELECT * FROM deals ORDER BY id');
  const [customers] = await mariaTarget.query('SELECT * FROM customers ORDER BY id');
  return JSON.stringify({ deals, customers });
}

const errorsByKey = (result: Preview) => new Map(result.rows.map((row) => [Number(row.sourceKey[0]), row.errors]));

/** Runs the mapping for real (a spawned worker) and returns its error rows by source key. */
async function runMigration(name: string, sourceConnectionId: string, targetConnectionId: string) {
  const mapping = await testMapping(actor, name, sourceConnectionId, targetConnectionId, spec);
  // One batch, as the preview's sample is one batch: rows of a batch interact the same way.
  const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 1000, batchRows: 100 } });
  assert.equal(await waitForJob(job.id), 'completed_with_errors');
  const errorRows = await prisma().errorRow.findMany({ where: { jobId: job.id }, select: { sourceKey: true, stage: true, field: true, code: true, message: true } });
  return new Map(errorRows.map((e) => [(e.sourceKey as number[])[0], { stage: e.stage as string, field: e.field ?? '', code: e.code, message: e.message }]));
}

type Recorded = Awaited<ReturnType<typeof runMigration>>;

/** Row `id` previews as `want` says (ok, or one error of that field and code), and that error is the run's error row. */
function assertRow(previewed: Preview, recorded: Recorded, id: number, want: { field: string; code: string } | null) {
  const errors = errorsByKey(previewed).get(id);
  assert.ok(errors, `row ${id} is not in the preview`);
  if (want === null) {
    assert.deepEqual(errors, [], `row ${id} should preview ok`);
    assert.equal(recorded.get(id), undefined, `row ${id} should land`);
    return;
  }
  assert.equal(errors.length, 1, `row ${id}: ${JSON.stringify(errors)}`);
  assert.deepEqual({ field: errors[0].field, code: errors[0].code }, want, `row ${id}: ${errors[0].message}`);
  assert.deepEqual(errors[0], recorded.get(id), `row ${id}: preview and run disagree`);
}

const assertAllRows = (previewed: Preview, recorded: Recorded, want: typeof expected) => {
  for (const [id, row] of Object.entries(want)) assertRow(previewed, recorded, Number(id), row);
};

describe('preview runs the write path against a PostgreSQL target', () => {
  let previewed: Preview;
  let recorded: Recorded;
  let stateBefore: Awaited<ReturnType<typeof pgTargetState>>;
  let stateAfterPreview: Awaited<ReturnType<typeof pgTargetState>>;

  before(async () => {
    const src = await testConnection(actor, 'postgres', SOURCE_DB);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    stateBefore = await pgTargetState();
    previewed = await preview(src.id, tgt.id);
    stateAfterPreview = await pgTargetState();
    recorded = await runMigration('it preview write path pg', src.id, tgt.id);
  });

  test('the preview checked the writes and left the target unchanged', () => {
    assert.equal(previewed.writeCheck.status, 'checked', previewed.writeCheck.message);
    // Rows, constraints' referenced rows and the trigger's effects are rolled back; sequences
    // (none here) would advance anyway, since nextval is never rolled back.
    assert.deepEqual(stateAfterPreview, stateBefore);
  });

  test('foreign key: a deal whose customer does not exist', () => assertRow(previewed, recorded, 2, expected[2]));
  test('unique: two rows of the batch with the same email', () => assertRow(previewed, recorded, 4, expected[4]));
  test('unique: an email an existing target row holds', () => assertRow(previewed, recorded, 5, expected[5]));
  test('CHECK: a negative amount', () => assertRow(previewed, recorded, 6, expected[6]));
  test('a text that is not an array literal', () => assertRow(previewed, recorded, 7, expected[7]));
  test('NOT NULL: a value the database turns into NULL', () => assertRow(previewed, recorded, 8, expected[8]));
  test('the other rows preview ok and land', () => assertAllRows(previewed, recorded, { 1: null, 3: null, 9: null }));
});

describe('preview from a MariaDB source to a PostgreSQL target', () => {
  test('shows the errors the run records, and changes nothing', async () => {
    await target.query('DELETE FROM deals WHERE id <> 900');
    const src = await testConnection(actor, 'mysql', MARIA_DB);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const before = await pgTargetState();
    const previewed = await preview(src.id, tgt.id);
    assert.equal(previewed.writeCheck.status, 'checked', previewed.writeCheck.message);
    assert.deepEqual(await pgTargetState(), before);
    assertAllRows(previewed, await runMigration('it preview write path maria', src.id, tgt.id), expected);
  });
});

describe('preview to a MariaDB target', () => {
  test('names the field of each refused row as the run does, and rolls back', async () => {
    const src = await testConnection(actor, 'postgres', SOURCE_DB);
    const tgt = await testConnection(actor, 'mysql', MARIA_TARGET_DB);
    const before = await mariaTargetState();
    const previewed = await preview(src.id, tgt.id);
    assert.equal(previewed.writeCheck.status, 'checked', previewed.writeCheck.message);
    // AUTO_INCREMENT counters (none here) would advance anyway: InnoDB never gives them back.
    assert.equal(await mariaTargetState(), before);
    const recorded = await runMigration('it preview write path to maria', src.id, tgt.id);
    // MariaDB has no array type and the table no trigger: tags and phone land as text.
    assertAllRows(previewed, recorded, { ...expected, 7: null, 8: null });
  });
});

describe('preview against a locked target table', () => {
  test('says the table is locked within the lock timeout, instead of waiting or failing', async () => {
    const src = await testConnection(actor, 'postgres', SOURCE_DB);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    // A CREATE INDEX holds SHARE on the table: reads go on, writes wait. Another session's
    // uncommitted write of a key the preview writes makes that write wait. (An ACCESS
    // EXCLUSIVE lock also holds up reading the table's definition, before any write.)
    const holds = [
      'LOCK TABLE deals IN SHARE MODE',
      `INSERT INTO deals VALUES (1, 1, 'held@example.com', 1, NULL, '555-0001') ON CONFLICT (id) DO UPDATE SET phone = EXCLUDED.phone`,
    ];
    for (const hold of holds) {
      const locker = new pg.Client({ connectionString: PG_URL(TARGET_DB) });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query(hold);
        const started = Date.now();
        const previewed = await preview(src.id, tgt.id);
        const took = Date.now() - started;
        assert.equal(previewed.writeCheck.status, 'locked', `${hold}: ${JSON.stringify(previewed.writeCheck)}`);
        assert.match(previewed.writeCheck.message, /the target table is locked by another session; preview could not check the writes/i);
        assert.ok(took < 10_000, `${hold}: took ${took} ms`);
        // The rows are still shown, mapped, without write errors nobody checked.
        assert.equal(previewed.rows.length, rows.length);
        assert.ok(previewed.rows.every((row) => row.errors.every((e) => e.stage !== 'write')));
      } finally {
        await locker.query('ROLLBACK');
        await locker.end();
      }
    }
  });
});

describe('preview input', () => {
  test('a key value the source key cannot take is refused with its field path, not a 500', async () => {
    const src = await testConnection(actor, 'postgres', SOURCE_DB);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    await assert.rejects(preview(src.id, tgt.id, { keys: [[1], ['one']] }), (error: unknown) => {
      assert.ok(error instanceof AppError, String(error));
      assert.equal(error.status, 422);
      assert.deepEqual(error.issues.map((i) => i.path), ['body.keys']);
      return true;
    });
  });
});
