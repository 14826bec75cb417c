-- CreateEnum
CREATE TYPE "SourceFileStatus" AS ENUM ('uploading', 'uploaded', 'ready', 'replaced');

-- AlterEnum
ALTER TYPE "ConnectorKind" ADD VALUE 'csv';

-- CreateTable
CREATE TABLE "source_files" (
    "id" TEXT NOT NULL,
    "connection_id" TEXT NOT NULL,
    "table_name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "original_name" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "received_bytes" BIGINT NOT NULL DEFAULT 0,
    "status" "SourceFileStatus" NOT NULL,
    "shape" JSONB,
    "fingerprint" TEXT,
    "uploaded_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3),

    CONSTRAINT "source_files_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "source_files_connection_id_status_idx" ON "source_files"("connection_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "source_files_connection_id_table_name_version_key" ON "source_files"("connection_id", "table_name", "version");

-- AddForeignKey
ALTER TABLE "source_files" ADD CONSTRAINT "source_files_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "source_files" ADD CONSTRAINT "source_files_uploaded_by_id_fkey" FOREIGN KEY ("uploaded_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
