-- CreateEnum
CREATE TYPE "RangeStatus" AS ENUM ('waiting', 'pending', 'running', 'done', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "RangePhase" AS ENUM ('compare', 'extras');

-- DropIndex
DROP INDEX "consistency_diffs_report_id_kind_idx";

-- AlterTable
ALTER TABLE "mappings" ADD COLUMN     "verify_settings" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "consistency_reports" ADD COLUMN     "method" TEXT,
ADD COLUMN     "mode" TEXT,
ADD COLUMN     "plan" JSONB,
ADD COLUMN     "ranges_total" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "settings" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "consistency_diffs" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "error_row_id" INTEGER,
ADD COLUMN     "range_id" TEXT,
ADD COLUMN     "source_key" JSONB;

-- CreateTable
CREATE TABLE "consistency_ranges" (
    "id" TEXT NOT NULL,
    "report_id" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "phase" "RangePhase" NOT NULL DEFAULT 'compare',
    "lower_key" JSONB,
    "upper_key" JSONB,
    "status" "RangeStatus" NOT NULL DEFAULT 'pending',
    "rows_read" INTEGER NOT NULL DEFAULT 0,
    "hash_matched" INTEGER NOT NULL DEFAULT 0,
    "matched" INTEGER NOT NULL DEFAULT 0,
    "different" INTEGER NOT NULL DEFAULT 0,
    "missing" INTEGER NOT NULL DEFAULT 0,
    "extra" INTEGER NOT NULL DEFAULT 0,
    "null_keys" INTEGER NOT NULL DEFAULT 0,
    "duplicate_keys" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "worker_id" TEXT,
    "lease_id" TEXT,
    "queue_job_id" TEXT,
    "heartbeat_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "last_error" TEXT,

    CONSTRAINT "consistency_ranges_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consistency_keys" (
    "report_id" TEXT NOT NULL,
    "key_text" TEXT NOT NULL,
    "range_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,

    CONSTRAINT "consistency_keys_pkey" PRIMARY KEY ("report_id","key_text")
);

-- CreateIndex
CREATE INDEX "consistency_ranges_job_id_status_idx" ON "consistency_ranges"("job_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "consistency_ranges_report_id_phase_seq_key" ON "consistency_ranges"("report_id", "phase", "seq");

-- CreateIndex
CREATE INDEX "consistency_keys_range_id_idx" ON "consistency_keys"("range_id");

-- CreateIndex
CREATE INDEX "consistency_reports_job_id_idx" ON "consistency_reports"("job_id");

-- CreateIndex
CREATE INDEX "consistency_diffs_report_id_kind_id_idx" ON "consistency_diffs"("report_id", "kind", "id");

-- CreateIndex
CREATE INDEX "consistency_diffs_range_id_idx" ON "consistency_diffs"("range_id");

-- AddForeignKey
ALTER TABLE "consistency_ranges" ADD CONSTRAINT "consistency_ranges_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "consistency_reports"("id") ON DELETE CASCADE ON UPDATE CASCADE;
