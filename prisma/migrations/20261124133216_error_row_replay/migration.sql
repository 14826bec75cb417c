-- AlterTable
ALTER TABLE "error_rows" ADD COLUMN     "edited_at" TIMESTAMPTZ(3),
ADD COLUMN     "edited_by_email" TEXT,
ADD COLUMN     "last_replay_job_id" TEXT;
