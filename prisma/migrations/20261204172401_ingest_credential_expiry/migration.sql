-- AlterTable
ALTER TABLE "ingest_credential" ADD COLUMN     "expires_at" TIMESTAMPTZ(3);
