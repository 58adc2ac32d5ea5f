-- AlterTable
ALTER TABLE "municipality" ADD COLUMN     "advance_minutes" DOUBLE PRECISION,
ADD COLUMN     "arrival_minutes" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[];
