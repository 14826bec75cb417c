-- AlterTable
ALTER TABLE "chunks" ADD COLUMN     "lease_id" TEXT,
ADD COLUMN     "queue_job_id" TEXT;
