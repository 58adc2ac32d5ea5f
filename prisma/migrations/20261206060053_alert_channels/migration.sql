-- CreateEnum
CREATE TYPE "alert_channel_kind" AS ENUM ('webhook', 'slack', 'email');

-- CreateEnum
CREATE TYPE "alert_delivery_status" AS ENUM ('pending', 'sending', 'sent', 'failed');

-- CreateTable
CREATE TABLE "alert_channel" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "alert_channel_kind" NOT NULL,
    "target" TEXT NOT NULL,
    "secret" TEXT,
    "alert_kinds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "scope" TEXT NOT NULL DEFAULT 'all',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,

    CONSTRAINT "alert_channel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_delivery" (
    "id" BIGSERIAL NOT NULL,
    "channel_id" INTEGER NOT NULL,
    "seq" BIGINT,
    "event" TEXT NOT NULL,
    "status" "alert_delivery_status" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "alert_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_dispatch_cursor" (
    "election_id" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,

    CONSTRAINT "alert_dispatch_cursor_pkey" PRIMARY KEY ("election_id")
);

-- CreateIndex
CREATE INDEX "alert_delivery_status_next_attempt_at_idx" ON "alert_delivery"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "alert_delivery_channel_id_id_idx" ON "alert_delivery"("channel_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "alert_delivery_channel_id_seq_key" ON "alert_delivery"("channel_id", "seq");

-- AddForeignKey
ALTER TABLE "alert_delivery" ADD CONSTRAINT "alert_delivery_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "alert_channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_delivery" ADD CONSTRAINT "alert_delivery_seq_fkey" FOREIGN KEY ("seq") REFERENCES "change_log"("seq") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_dispatch_cursor" ADD CONSTRAINT "alert_dispatch_cursor_election_id_fkey" FOREIGN KEY ("election_id") REFERENCES "election"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A channel's scope is one of three forms (lib/domain/alert-channels.ts parses it the same way).
ALTER TABLE "alert_channel" ADD CONSTRAINT "alert_channel_scope_check" CHECK ("scope" = 'all' OR "scope" = 'watchlist' OR "scope" ~ '^county:[0-9]{2}$');
