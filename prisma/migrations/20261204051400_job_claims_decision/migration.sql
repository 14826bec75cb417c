-- Whether a job claims target keys, decided by its first chunk and kept so that every
-- chunk of the job agrees (lib/engine/copy-batch.ts).

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "claims_keys" BOOLEAN;
