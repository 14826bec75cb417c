-- CreateEnum
CREATE TYPE "SyncMode" AS ENUM ('cursor', 'log');

-- CreateEnum
CREATE TYPE "DeletePolicy" AS ENUM ('apply', 'mark', 'ignore');

-- CreateEnum
CREATE TYPE "SyncInitialLoad" AS ENUM ('full', 'from_now');

-- AlterTable
ALTER TABLE "error_rows" ADD COLUMN     "dismissed_at" TIMESTAMPTZ(3),
ADD COLUMN     "dismissed_by_email" TEXT;

-- CreateTable
CREATE TABLE "syncs" (
    "id" TEXT NOT NULL,
    "mapping_id" TEXT NOT NULL,
    "mode" "SyncMode" NOT NULL,
    "cursor_column" TEXT,
    "lag_ms" INTEGER NOT NULL DEFAULT 5000,
    "every_seconds" INTEGER,
    "cron" TEXT,
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "delete_policy" "DeletePolicy" NOT NULL DEFAULT 'apply',
    "mark_column" TEXT,
    "soft_delete_column" TEXT,
    "reconcile_minutes" INTEGER NOT NULL DEFAULT 60,
    "initial_load" "SyncInitialLoad" NOT NULL DEFAULT 'full',
    "verify_minutes" INTEGER NOT NULL DEFAULT 60,
    "last_verify_at" TIMESTAMPTZ(3),
    "job_id" TEXT,
    "last_commit_at" TIMESTAMPTZ(3),
    "last_applied_at" TIMESTAMPTZ(3),
    "pending_since" TIMESTAMPTZ(3),
    "capture_health" JSONB,
    "last_run_at" TIMESTAMPTZ(3),
    "last_reconcile_at" TIMESTAMPTZ(3),
    "created_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "syncs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_batches" (
    "id" BIGSERIAL NOT NULL,
    "sync_id" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changes" INTEGER NOT NULL,
    "upserts" INTEGER NOT NULL,
    "deletes" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,
    "apply_ms" INTEGER NOT NULL,
    "max_delay_ms" INTEGER NOT NULL,
    "delays" INTEGER[],

    CONSTRAINT "sync_batches_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "syncs_mapping_id_key" ON "syncs"("mapping_id");

-- CreateIndex
CREATE UNIQUE INDEX "syncs_job_id_key" ON "syncs"("job_id");

-- CreateIndex
CREATE INDEX "sync_batches_sync_id_at_idx" ON "sync_batches"("sync_id", "at");

-- AddForeignKey
ALTER TABLE "syncs" ADD CONSTRAINT "syncs_mapping_id_fkey" FOREIGN KEY ("mapping_id") REFERENCES "mappings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "syncs" ADD CONSTRAINT "syncs_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_batches" ADD CONSTRAINT "sync_batches_sync_id_fkey" FOREIGN KEY ("sync_id") REFERENCES "syncs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
