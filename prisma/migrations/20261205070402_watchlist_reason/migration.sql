-- AlterTable
ALTER TABLE "municipality" ADD COLUMN     "watch_reason" TEXT;
