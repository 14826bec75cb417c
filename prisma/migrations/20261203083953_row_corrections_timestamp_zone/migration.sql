-- AlterTable
ALTER TABLE "connections" ADD COLUMN     "timestamp_zone" TEXT NOT NULL DEFAULT 'UTC';

-- CreateTable
CREATE TABLE "row_corrections" (
    "id" SERIAL NOT NULL,
    "mapping_id" TEXT NOT NULL,
    "source_key" JSONB NOT NULL,
    "source_key_text" TEXT NOT NULL,
    "source_row" JSONB NOT NULL,
    "error_row_id" INTEGER,
    "corrected_by_email" TEXT,
    "corrected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "row_corrections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "row_corrections_mapping_id_source_key_text_key" ON "row_corrections"("mapping_id", "source_key_text");

-- AddForeignKey
ALTER TABLE "row_corrections" ADD CONSTRAINT "row_corrections_mapping_id_fkey" FOREIGN KEY ("mapping_id") REFERENCES "mappings"("id") ON DELETE CASCADE ON UPDATE CASCADE;
