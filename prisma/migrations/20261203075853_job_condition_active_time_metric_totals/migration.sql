-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "active_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "active_since" TIMESTAMPTZ(3),
ADD COLUMN     "condition" JSONB,
ADD COLUMN     "planned_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "metric_totals" (
    "name" TEXT NOT NULL,
    "value" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "metric_totals_pkey" PRIMARY KEY ("name")
);

-- Jobs that already have units were planned before this column existed.
UPDATE "jobs" j SET "planned_at" = coalesce(j."started_at", j."created_at")
 WHERE EXISTS (SELECT 1 FROM "chunks" c WHERE c."job_id" = j."id")
    OR EXISTS (SELECT 1 FROM "consistency_ranges" r WHERE r."job_id" = j."id");

-- Running time: every status change passes here, whichever code path made it.
CREATE FUNCTION ferry_job_active_time() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_active boolean := OLD.status::text IN ('running', 'pausing', 'cancelling');
  is_active boolean := NEW.status::text IN ('running', 'pausing', 'cancelling');
BEGIN
  IF is_active AND NOT was_active THEN
    NEW.active_since := now();
  ELSIF was_active AND NOT is_active THEN
    NEW.active_seconds := OLD.active_seconds + greatest(0, extract(epoch FROM now() - coalesce(OLD.active_since, now())));
    NEW.active_since := NULL;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER jobs_active_time BEFORE UPDATE OF status ON "jobs"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION ferry_job_active_time();
UPDATE "jobs" SET "active_since" = coalesce("started_at", "created_at") WHERE "status"::text IN ('running', 'pausing', 'cancelling');

-- Counters for metrics never go backwards: a deleted chunk's rows move into metric_totals.
INSERT INTO "metric_totals" ("name", "value") VALUES ('rows_read', 0), ('rows_written', 0), ('rows_failed', 0), ('rows_duplicate', 0);
CREATE FUNCTION ferry_retire_chunk_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "metric_totals" m SET "value" = m."value" + d.v
    FROM (SELECT 'rows_read' AS name, sum("rows_read")::bigint AS v FROM old_rows
          UNION ALL SELECT 'rows_written', sum("rows_written")::bigint FROM old_rows
          UNION ALL SELECT 'rows_failed', sum("rows_failed")::bigint FROM old_rows
          UNION ALL SELECT 'rows_duplicate', sum("rows_duplicate")::bigint FROM old_rows) d
   WHERE m."name" = d.name AND d.v IS NOT NULL;
  RETURN NULL;
END $$;
CREATE TRIGGER chunks_retire_totals AFTER DELETE ON "chunks"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ferry_retire_chunk_totals();
