-- AlterTable
ALTER TABLE "election" ADD COLUMN     "comparison_year" INTEGER,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'municipal',
ADD COLUMN     "package_hash" TEXT,
ADD COLUMN     "time_zone" TEXT NOT NULL DEFAULT 'Europe/Oslo';

-- Hand-written: the kinds the package format knows (lib/election-package/manifest.ts).
ALTER TABLE "election" ADD CONSTRAINT "election_kind_check" CHECK ("kind" IN ('municipal', 'storting'));
