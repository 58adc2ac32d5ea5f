-- CreateEnum
CREATE TYPE "election_kind" AS ENUM ('municipal', 'storting');

-- AlterTable: converted in place (the generated DROP + ADD would have lost every election's kind and every
-- channel's choice of kinds). A value outside the enum fails the migration rather than being dropped.
-- The enum holds what the CHECK election_kind_check (migration election_package) held, so that CHECK goes.
ALTER TABLE "election" DROP CONSTRAINT "election_kind_check",
ALTER COLUMN "kind" DROP DEFAULT,
ALTER COLUMN "kind" TYPE "election_kind" USING "kind"::"election_kind",
ALTER COLUMN "kind" SET DEFAULT 'municipal';

-- AlterTable
ALTER TABLE "alert_channel" ALTER COLUMN "alert_kinds" DROP DEFAULT,
ALTER COLUMN "alert_kinds" TYPE "alert_kind"[] USING "alert_kinds"::"alert_kind"[],
ALTER COLUMN "alert_kinds" SET DEFAULT ARRAY[]::"alert_kind"[];
