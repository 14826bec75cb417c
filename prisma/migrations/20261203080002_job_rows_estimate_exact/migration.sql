-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "rows_estimate_exact" BOOLEAN NOT NULL DEFAULT false;
