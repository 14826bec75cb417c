-- Id maps keyed by a short mapping number and, for one-integer keys, a bigint
-- (lib/engine/id-map-store.ts): the rows of the old text-keyed table move over.

-- AlterTable
ALTER TABLE "mappings" ADD COLUMN     "id_map_no" SERIAL NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "mappings_id_map_no_key" ON "mappings"("id_map_no");

-- CreateTable
CREATE TABLE "id_map_ints" (
    "map_no" INTEGER NOT NULL,
    "source_key" BIGINT NOT NULL,
    "target_id" TEXT NOT NULL,

    CONSTRAINT "id_map_ints_pkey" PRIMARY KEY ("map_no","source_key")
);

-- CreateTable
CREATE TABLE "id_map_texts" (
    "map_no" INTEGER NOT NULL,
    "source_key" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,

    CONSTRAINT "id_map_texts_pkey" PRIMARY KEY ("map_no","source_key")
);

-- The same rule as intKeyText(): canonical decimal digits within bigint's range.
INSERT INTO "id_map_ints" ("map_no", "source_key", "target_id")
SELECT m."id_map_no", i."source_key_text"::bigint, i."target_id"
  FROM "id_maps" i JOIN "mappings" m ON m."id" = i."mapping_id"
 WHERE CASE WHEN i."source_key_text" ~ '^(0|-?[1-9][0-9]{0,18})$'
            THEN i."source_key_text"::numeric BETWEEN -9223372036854775808 AND 9223372036854775807
            ELSE false END;

INSERT INTO "id_map_texts" ("map_no", "source_key", "target_id")
SELECT m."id_map_no", i."source_key_text", i."target_id"
  FROM "id_maps" i JOIN "mappings" m ON m."id" = i."mapping_id"
 WHERE NOT CASE WHEN i."source_key_text" ~ '^(0|-?[1-9][0-9]{0,18})$'
                THEN i."source_key_text"::numeric BETWEEN -9223372036854775808 AND 9223372036854775807
                ELSE false END;

-- DropTable
DROP TABLE "id_maps";
