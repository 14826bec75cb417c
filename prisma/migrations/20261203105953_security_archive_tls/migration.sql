-- AlterEnum
ALTER TYPE "SslMode" ADD VALUE 'verify_ca';

-- AlterTable
ALTER TABLE "connections" ADD COLUMN     "ssl_ca_certificate" TEXT;

-- AlterTable
ALTER TABLE "mappings" ADD COLUMN     "archived_at" TIMESTAMPTZ(3),
ADD COLUMN     "archived_by_id" TEXT;

-- CreateIndex
CREATE INDEX "audit_log_actor_id_at_idx" ON "audit_log"("actor_id", "at");
