-- CreateEnum
CREATE TYPE "alert_status" AS ENUM ('open', 'acknowledged', 'resolved');

-- CreateTable
CREATE TABLE "alert" (
    "id" SERIAL NOT NULL,
    "municipality_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "alert_status" NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL,
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by" TEXT,
    "ack_reason_code" TEXT,
    "ack_text" TEXT,
    "ack_expires_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "active_alert" (
    "municipality_id" INTEGER NOT NULL,
    "alert_id" INTEGER NOT NULL,

    CONSTRAINT "active_alert_pkey" PRIMARY KEY ("municipality_id")
);

-- CreateTable
CREATE TABLE "oversight" (
    "municipality_id" INTEGER NOT NULL,
    "under_review" BOOLEAN NOT NULL DEFAULT false,
    "public_note" TEXT,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "oversight_pkey" PRIMARY KEY ("municipality_id")
);

-- CreateTable
CREATE TABLE "operator" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "operator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operator_session" (
    "id" SERIAL NOT NULL,
    "operator_id" INTEGER NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "operator_session_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alert_municipality_id_raised_at_idx" ON "alert"("municipality_id", "raised_at");

-- CreateIndex
CREATE UNIQUE INDEX "active_alert_alert_id_key" ON "active_alert"("alert_id");

-- CreateIndex
CREATE UNIQUE INDEX "operator_name_key" ON "operator"("name");

-- CreateIndex
CREATE UNIQUE INDEX "operator_session_token_hash_key" ON "operator_session"("token_hash");

-- CreateIndex
CREATE INDEX "operator_session_operator_id_idx" ON "operator_session"("operator_id");

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_municipality_id_fkey" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "active_alert" ADD CONSTRAINT "active_alert_municipality_id_fkey" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "active_alert" ADD CONSTRAINT "active_alert_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "oversight" ADD CONSTRAINT "oversight_municipality_id_fkey" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operator_session" ADD CONSTRAINT "operator_session_operator_id_fkey" FOREIGN KEY ("operator_id") REFERENCES "operator"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: guarantees the Prisma schema cannot express.
ALTER TABLE "alert" ADD CONSTRAINT "alert_kind_valid" CHECK ("kind" IN ('slow', 'stalled', 'backlog', 'regressed')),
  ADD CONSTRAINT "alert_lifecycle_valid" CHECK (
    ("status" = 'resolved') = ("resolved_at" IS NOT NULL)
    AND ("status" <> 'acknowledged' OR ("acknowledged_at" IS NOT NULL AND "acknowledged_by" IS NOT NULL)));
