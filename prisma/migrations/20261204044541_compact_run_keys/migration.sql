-- Claimed target keys carry the job's short number instead of its 36-character id, and
-- compare byte by byte (lib/engine/claim-target-keys.ts): every claim is an index
-- insertion, and a batch claims thousands. Claims of jobs still running move over.

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "job_no" SERIAL NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "jobs_job_no_key" ON "jobs"("job_no");

-- CreateTable (COLLATE "C": equality is all a claim asks, and Prisma's schema cannot say it)
CREATE TABLE "run_keys_compact" (
    "job_no" INTEGER NOT NULL,
    "key_text" TEXT COLLATE "C" NOT NULL,
    "source_key_text" TEXT COLLATE "C" NOT NULL,
    "order_value" JSONB
);

INSERT INTO "run_keys_compact" ("job_no", "key_text", "source_key_text", "order_value")
SELECT j."job_no", r."key_text", r."source_key_text", r."order_value"
  FROM "run_keys" r JOIN "jobs" j ON j."id" = r."job_id";

DROP TABLE "run_keys";
ALTER TABLE "run_keys_compact" RENAME TO "run_keys";
ALTER TABLE "run_keys" ADD CONSTRAINT "run_keys_pkey" PRIMARY KEY ("job_no", "key_text");
