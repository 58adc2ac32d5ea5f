-- AlterTable
ALTER TABLE "municipality" ADD COLUMN     "comparison_turnout" DOUBLE PRECISION;
