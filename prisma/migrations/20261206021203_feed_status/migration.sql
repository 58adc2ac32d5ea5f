-- CreateTable
CREATE TABLE "feed_status" (
    "id" SERIAL NOT NULL,
    "election_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "state" TEXT NOT NULL,
    "payload_hash" TEXT NOT NULL,
    "credential_id" INTEGER NOT NULL,
    "seq" BIGINT NOT NULL,

    CONSTRAINT "feed_status_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "feed_incident" (
    "id" SERIAL NOT NULL,
    "election_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "alert_status" NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL,
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by" TEXT,
    "ack_text" TEXT,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "feed_incident_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "feed_status_seq_key" ON "feed_status"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "feed_status_election_id_at_key" ON "feed_status"("election_id", "at");

-- CreateIndex
CREATE INDEX "feed_incident_election_id_raised_at_idx" ON "feed_incident"("election_id", "raised_at");

-- AddForeignKey
ALTER TABLE "feed_status" ADD CONSTRAINT "feed_status_election_id_fkey" FOREIGN KEY ("election_id") REFERENCES "election"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feed_status" ADD CONSTRAINT "feed_status_credential_id_fkey" FOREIGN KEY ("credential_id") REFERENCES "seats_credential"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feed_incident" ADD CONSTRAINT "feed_incident_election_id_fkey" FOREIGN KEY ("election_id") REFERENCES "election"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- One unresolved feed incident per election: an outage is one incident, however many statuses say so.
CREATE UNIQUE INDEX "feed_incident_one_active" ON "feed_incident"("election_id") WHERE "status" <> 'resolved';
