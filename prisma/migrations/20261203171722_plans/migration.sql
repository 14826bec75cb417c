-- CreateEnum
CREATE TYPE "PlanRunStatus" AS ENUM ('running', 'paused', 'completed', 'completed_with_errors', 'failed', 'cancelled');

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "plan_run_id" TEXT,
ADD COLUMN     "plan_step" TEXT;

-- AlterTable
ALTER TABLE "error_rows" ADD COLUMN     "parent_error_row_id" INTEGER;

-- CreateTable
CREATE TABLE "plans" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_members" (
    "plan_id" TEXT NOT NULL,
    "mapping_id" TEXT NOT NULL,

    CONSTRAINT "plan_members_pkey" PRIMARY KEY ("plan_id","mapping_id")
);

-- CreateTable
CREATE TABLE "plan_runs" (
    "id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "status" "PlanRunStatus" NOT NULL DEFAULT 'running',
    "steps" JSONB NOT NULL,
    "scope" JSONB,
    "options" JSONB NOT NULL DEFAULT '{}',
    "stop_reason" TEXT,
    "created_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "plan_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "id_maps" (
    "mapping_id" TEXT NOT NULL,
    "source_key_text" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,

    CONSTRAINT "id_maps_pkey" PRIMARY KEY ("mapping_id","source_key_text")
);

-- CreateIndex
CREATE UNIQUE INDEX "plans_name_key" ON "plans"("name");

-- CreateIndex
CREATE INDEX "plan_runs_plan_id_created_at_idx" ON "plan_runs"("plan_id", "created_at");

-- CreateIndex
CREATE INDEX "plan_runs_status_idx" ON "plan_runs"("status");

-- CreateIndex
CREATE INDEX "jobs_plan_run_id_idx" ON "jobs"("plan_run_id");

-- CreateIndex
CREATE INDEX "error_rows_parent_error_row_id_idx" ON "error_rows"("parent_error_row_id");

-- AddForeignKey
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_plan_run_id_fkey" FOREIGN KEY ("plan_run_id") REFERENCES "plan_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_members" ADD CONSTRAINT "plan_members_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_members" ADD CONSTRAINT "plan_members_mapping_id_fkey" FOREIGN KEY ("mapping_id") REFERENCES "mappings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_runs" ADD CONSTRAINT "plan_runs_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;
