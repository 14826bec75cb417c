-- DropForeignKey
ALTER TABLE "error_rows" DROP CONSTRAINT "error_rows_mapping_version_id_fkey";

-- AlterTable
ALTER TABLE "error_rows" ALTER COLUMN "source_key" SET DATA TYPE JSON,
ALTER COLUMN "source_row" SET DATA TYPE JSON;
