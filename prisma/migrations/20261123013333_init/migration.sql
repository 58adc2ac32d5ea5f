-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "count_category" AS ENUM ('advance', 'election_day');

-- CreateEnum
CREATE TYPE "count_stage" AS ENUM ('preliminary', 'final');

-- CreateEnum
CREATE TYPE "district_kind" AS ENUM ('advance', 'election_day');

-- CreateTable
CREATE TABLE "election" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "election_day" DATE NOT NULL,
    "polls_close_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "election_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "municipality" (
    "id" SERIAL NOT NULL,
    "election_id" TEXT NOT NULL,
    "number" CHAR(4) NOT NULL,
    "name" TEXT NOT NULL,
    "county_number" CHAR(2) NOT NULL,
    "county_name" TEXT NOT NULL,
    "electorate" INTEGER NOT NULL,
    "council_size" INTEGER NOT NULL,
    "expected_turnout" DOUBLE PRECISION NOT NULL,
    "watch" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "municipality_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "district" (
    "id" SERIAL NOT NULL,
    "municipality_id" INTEGER NOT NULL,
    "number" CHAR(4) NOT NULL,
    "name" TEXT NOT NULL,
    "electorate" INTEGER NOT NULL,
    "kind" "district_kind" NOT NULL,

    CONSTRAINT "district_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "party_list" (
    "id" SERIAL NOT NULL,
    "municipality_id" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "party_list_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reference_result" (
    "municipality_id" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "votes" INTEGER NOT NULL,

    CONSTRAINT "reference_result_pkey" PRIMARY KEY ("municipality_id","year","code")
);

-- CreateTable
CREATE TABLE "ingest_credential" (
    "id" SERIAL NOT NULL,
    "municipality_id" INTEGER NOT NULL,
    "token_hash" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "ingest_credential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "result_report" (
    "id" BIGSERIAL NOT NULL,
    "district_id" INTEGER NOT NULL,
    "category" "count_category" NOT NULL,
    "stage" "count_stage" NOT NULL,
    "version" INTEGER NOT NULL,
    "counted_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "ballots_counted" INTEGER NOT NULL,
    "ballots_rejected" INTEGER NOT NULL,
    "ballots_blank" INTEGER NOT NULL,
    "payload_hash" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "credential_id" INTEGER,

    CONSTRAINT "result_report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "report_vote" (
    "report_id" BIGINT NOT NULL,
    "party_list_id" INTEGER NOT NULL,
    "votes" INTEGER NOT NULL,

    CONSTRAINT "report_vote_pkey" PRIMARY KEY ("report_id","party_list_id")
);

-- CreateTable
CREATE TABLE "current_result" (
    "district_id" INTEGER NOT NULL,
    "category" "count_category" NOT NULL,
    "stage" "count_stage" NOT NULL,
    "report_id" BIGINT NOT NULL,

    CONSTRAINT "current_result_pkey" PRIMARY KEY ("district_id","category","stage")
);

-- CreateTable
CREATE TABLE "status_report" (
    "id" BIGSERIAL NOT NULL,
    "municipality_id" INTEGER NOT NULL,
    "category" "count_category" NOT NULL,
    "stage" "count_stage" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "district_numbers" TEXT[],
    "payload_hash" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "credential_id" INTEGER,

    CONSTRAINT "status_report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "local_count" (
    "district_id" INTEGER NOT NULL,
    "category" "count_category" NOT NULL,
    "stage" "count_stage" NOT NULL,
    "finished_at" TIMESTAMPTZ(3) NOT NULL,
    "status_report_id" BIGINT NOT NULL,

    CONSTRAINT "local_count_pkey" PRIMARY KEY ("district_id","category","stage")
);

-- CreateTable
CREATE TABLE "change_log" (
    "seq" BIGSERIAL NOT NULL,
    "election_id" TEXT NOT NULL,
    "municipality_id" INTEGER,
    "kind" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "committed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" JSONB NOT NULL,

    CONSTRAINT "change_log_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "municipality_election_id_number_key" ON "municipality"("election_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "district_municipality_id_number_key" ON "district"("municipality_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "party_list_municipality_id_code_key" ON "party_list"("municipality_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "ingest_credential_token_hash_key" ON "ingest_credential"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "result_report_seq_key" ON "result_report"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "result_report_district_id_category_stage_version_key" ON "result_report"("district_id", "category", "stage", "version");

-- CreateIndex
CREATE UNIQUE INDEX "result_report_id_district_id_category_stage_key" ON "result_report"("id", "district_id", "category", "stage");

-- CreateIndex
CREATE UNIQUE INDEX "current_result_report_id_district_id_category_stage_key" ON "current_result"("report_id", "district_id", "category", "stage");

-- CreateIndex
CREATE UNIQUE INDEX "status_report_seq_key" ON "status_report"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "status_report_municipality_id_payload_hash_key" ON "status_report"("municipality_id", "payload_hash");

-- CreateIndex
CREATE INDEX "change_log_election_id_seq_idx" ON "change_log"("election_id", "seq");

-- AddForeignKey
ALTER TABLE "municipality" ADD CONSTRAINT "municipality_election_id_fkey" FOREIGN KEY ("election_id") REFERENCES "election"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "district" ADD CONSTRAINT "district_municipality_id_fkey" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "party_list" ADD CONSTRAINT "party_list_municipality_id_fkey" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reference_result" ADD CONSTRAINT "reference_result_municipality_id_fkey" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ingest_credential" ADD CONSTRAINT "ingest_credential_municipality_id_fkey" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "result_report" ADD CONSTRAINT "result_report_district_id_fkey" FOREIGN KEY ("district_id") REFERENCES "district"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "result_report" ADD CONSTRAINT "result_report_credential_id_fkey" FOREIGN KEY ("credential_id") REFERENCES "ingest_credential"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "result_report" ADD CONSTRAINT "result_report_seq_fkey" FOREIGN KEY ("seq") REFERENCES "change_log"("seq") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_vote" ADD CONSTRAINT "report_vote_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "result_report"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_vote" ADD CONSTRAINT "report_vote_party_list_id_fkey" FOREIGN KEY ("party_list_id") REFERENCES "party_list"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "current_result" ADD CONSTRAINT "current_result_district_id_fkey" FOREIGN KEY ("district_id") REFERENCES "district"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "current_result" ADD CONSTRAINT "current_result_report_id_district_id_category_stage_fkey" FOREIGN KEY ("report_id", "district_id", "category", "stage") REFERENCES "result_report"("id", "district_id", "category", "stage") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_report" ADD CONSTRAINT "status_report_municipality_id_fkey" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_report" ADD CONSTRAINT "status_report_credential_id_fkey" FOREIGN KEY ("credential_id") REFERENCES "ingest_credential"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_report" ADD CONSTRAINT "status_report_seq_fkey" FOREIGN KEY ("seq") REFERENCES "change_log"("seq") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "local_count" ADD CONSTRAINT "local_count_district_id_fkey" FOREIGN KEY ("district_id") REFERENCES "district"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "local_count" ADD CONSTRAINT "local_count_status_report_id_fkey" FOREIGN KEY ("status_report_id") REFERENCES "status_report"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_log" ADD CONSTRAINT "change_log_election_id_fkey" FOREIGN KEY ("election_id") REFERENCES "election"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_log" ADD CONSTRAINT "change_log_municipality_id_fkey" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written: guarantees Prisma's schema language cannot express (the diff ignores CHECKs and triggers).
ALTER TABLE "municipality" ADD CONSTRAINT "municipality_number_format" CHECK ("number" ~ '^[0-9]{4}$'),
  ADD CONSTRAINT "municipality_counts_valid" CHECK ("electorate" >= 0 AND "council_size" > 0);
ALTER TABLE "district" ADD CONSTRAINT "district_number_format" CHECK ("number" ~ '^[0-9]{4}$'),
  ADD CONSTRAINT "district_electorate_valid" CHECK ("electorate" >= 0);
ALTER TABLE "result_report" ADD CONSTRAINT "result_report_counts_valid" CHECK (
  "version" >= 1 AND "ballots_counted" >= 0 AND "ballots_rejected" >= 0 AND "ballots_blank" >= 0
  AND "ballots_blank" <= "ballots_counted");
ALTER TABLE "report_vote" ADD CONSTRAINT "report_vote_votes_valid" CHECK ("votes" >= 0);

-- The change log is append-only: history is never rewritten, only added to.
CREATE FUNCTION "change_log_refuse_rewrite"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'change_log is append-only (% refused)', TG_OP USING ERRCODE = 'P0001';
END;
$$;
CREATE TRIGGER "change_log_append_only" BEFORE UPDATE OR DELETE ON "change_log"
  FOR EACH ROW EXECUTE FUNCTION "change_log_refuse_rewrite"();
CREATE TRIGGER "change_log_no_truncate" BEFORE TRUNCATE ON "change_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "change_log_refuse_rewrite"();
