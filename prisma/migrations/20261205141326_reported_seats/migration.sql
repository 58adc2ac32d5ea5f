-- CreateTable
CREATE TABLE "seats_credential" (
    "id" SERIAL NOT NULL,
    "election_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "seats_credential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reported_seats" (
    "id" SERIAL NOT NULL,
    "election_id" TEXT NOT NULL,
    "area" TEXT NOT NULL,
    "reported_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "payload_hash" TEXT NOT NULL,
    "credential_id" INTEGER NOT NULL,
    "seq" BIGINT NOT NULL,

    CONSTRAINT "reported_seats_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "seats_credential_token_hash_key" ON "seats_credential"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "reported_seats_seq_key" ON "reported_seats"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "reported_seats_election_id_area_reported_at_key" ON "reported_seats"("election_id", "area", "reported_at");

-- AddForeignKey
ALTER TABLE "seats_credential" ADD CONSTRAINT "seats_credential_election_id_fkey" FOREIGN KEY ("election_id") REFERENCES "election"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reported_seats" ADD CONSTRAINT "reported_seats_election_id_fkey" FOREIGN KEY ("election_id") REFERENCES "election"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reported_seats" ADD CONSTRAINT "reported_seats_credential_id_fkey" FOREIGN KEY ("credential_id") REFERENCES "seats_credential"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
