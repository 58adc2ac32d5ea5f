-- AlterTable
ALTER TABLE "election" ADD COLUMN     "comparison_year" INTEGER,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'municipal',
ADD COLUMN     "package_hash" TEXT,
ADD COLUMN     "time_zone" TEXT NOT NULL DEFAULT 'Europe/Oslo';

-- Hand-written: the kinds the package format knows (lib/election-package/manifest.ts).
ALTER TABLE "election" ADD CONSTRAINT "election_kind_check" CHECK ("kind" IN ('municipal', 'storting'));

-- An election whose seats Valgvakt does not compute (kind storting) stores council size 0.
ALTER TABLE "municipality" DROP CONSTRAINT "municipality_counts_valid",
  ADD CONSTRAINT "municipality_counts_valid" CHECK ("electorate" >= 0 AND "council_size" >= 0);
