-- Hand-written (no schema change): the ingest batch's read and write as two functions, so a batch costs
-- four round trips with constant SQL text (db/ingest.ts): BEGIN + lock, `ingest_batch_state`,
-- `ingest_batch_append`, COMMIT. PL/pgSQL keeps each statement's plan for the session, so the server
-- plans them once per connection rather than once per batch. Both work on PGlite as on the server.

-- Everything deciding a batch needs, read under the change-log lock. Its keys come as arrays (a generic
-- plan then expects a handful of rows and looks each up by index, where a jsonb record set would be
-- guessed at 100 rows and joined by scanning whole tables):
--   unit_*            one element per result report: district, category, stage, version
--   municipality_ids  municipalities of the batch's result reports (their per-stage sums)
--   resend_*          one element per status report: municipality and payload hash
--   status_districts  districts the batch's status reports name
-- Returns {"results": {current, totals, versions}, "statuses": {resends, counted}} (db/results.ts,
-- db/status.ts).
CREATE FUNCTION "ingest_batch_state"(
  unit_districts int[], unit_categories count_category[], unit_stages count_stage[], unit_versions int[], municipality_ids int[],
  resend_municipalities int[], resend_hashes text[], status_districts int[]
) RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
  results jsonb := '{"current": [], "totals": [], "versions": []}';
  statuses jsonb := '{"resends": [], "counted": []}';
BEGIN
  IF cardinality(unit_districts) > 0 THEN
    results := jsonb_build_object(
      'current', (SELECT COALESCE(jsonb_agg(DISTINCT jsonb_build_object(
          'districtId', c.district_id, 'category', c.category, 'stage', c.stage,
          'version', r.version, 'counted', r.ballots_counted, 'rejected', r.ballots_rejected, 'blank', r.ballots_blank)), '[]')
        FROM unnest(unit_districts, unit_categories, unit_stages, unit_versions) AS k(district_id, category, stage, version)
        JOIN current_result c USING (district_id, category, stage)
        JOIN result_report r ON r.id = c.report_id),
      'totals', (SELECT COALESCE(jsonb_agg(jsonb_build_object('municipalityId', t.municipality_id, 'stage', t.stage, 'ballots', t.ballots)), '[]')
        FROM (SELECT d.municipality_id, c.stage, SUM(r.ballots_counted + r.ballots_rejected) AS ballots
          FROM district d
          JOIN current_result c ON c.district_id = d.id
          JOIN result_report r ON r.id = c.report_id
          WHERE d.municipality_id = ANY(municipality_ids)
          GROUP BY d.municipality_id, c.stage) AS t),
      'versions', (SELECT COALESCE(jsonb_agg(jsonb_build_object(
          'districtId', r.district_id, 'category', r.category, 'stage', r.stage, 'version', r.version,
          'payloadHash', r.payload_hash, 'seq', r.seq::text)), '[]')
        FROM unnest(unit_districts, unit_categories, unit_stages, unit_versions) AS k(district_id, category, stage, version)
        JOIN result_report r USING (district_id, category, stage, version)));
  END IF;
  IF cardinality(resend_municipalities) > 0 THEN
    statuses := jsonb_build_object(
      'resends', (SELECT COALESCE(jsonb_agg(jsonb_build_object('municipalityId', s.municipality_id, 'payloadHash', s.payload_hash, 'seq', s.seq::text)), '[]')
        FROM unnest(resend_municipalities, resend_hashes) AS k(municipality_id, payload_hash)
        JOIN status_report s USING (municipality_id, payload_hash)),
      'counted', (SELECT COALESCE(jsonb_agg(jsonb_build_object('districtId', l.district_id, 'category', l.category, 'stage', l.stage)), '[]')
        FROM local_count l WHERE l.district_id = ANY(status_districts)));
  END IF;
  RETURN jsonb_build_object('results', results, 'statuses', statuses);
END;
$$;

-- Appends a batch's changes in one statement, under the caller's change-log lock, with the result and
-- status reports that go with them. As many seqs as there are changes are drawn and handed out in
-- ascending order along `changes` (by `position`, 1-based), so the batch's order is its seq order. One
-- INSERT into change_log, so the commit notice fires once per batch. Returns the seqs in position order.
CREATE FUNCTION "ingest_batch_append"(changes jsonb, results jsonb, statuses jsonb) RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
  seqs bigint[];
BEGIN
  WITH drawn AS (SELECT nextval(pg_get_serial_sequence('change_log', 'seq')) AS seq FROM generate_series(1, jsonb_array_length(changes))),
  change_seq AS (SELECT seq, row_number() OVER (ORDER BY seq)::int AS position FROM drawn),
  appended AS (
    INSERT INTO change_log (seq, election_id, municipality_id, kind, actor, at, payload)
    SELECT s.seq, e.election_id, e.municipality_id, e.kind, e.actor, e.at, e.payload
    FROM jsonb_to_recordset(changes)
      AS e(position int, election_id text, municipality_id int, kind text, actor text, at timestamptz, payload jsonb)
    JOIN change_seq s USING (position)
  ), result_input AS (
    SELECT s.seq, x.* FROM jsonb_to_recordset(results) AS x(
      position int, district_id int, category count_category, stage count_stage, version int, counted_at timestamptz,
      received_at timestamptz, ballots_counted int, ballots_rejected int, ballots_blank int, payload_hash text,
      credential_id int, votes jsonb, becomes_current boolean)
    JOIN change_seq s USING (position)
  ), result_row AS (
    INSERT INTO result_report (district_id, category, stage, version, counted_at, received_at, ballots_counted,
      ballots_rejected, ballots_blank, payload_hash, seq, credential_id)
    SELECT district_id, category, stage, version, counted_at, received_at, ballots_counted,
      ballots_rejected, ballots_blank, payload_hash, seq, credential_id
    FROM result_input
    RETURNING id, seq
  ), result_vote AS (
    INSERT INTO report_vote (report_id, party_list_id, votes)
    SELECT r.id, v.key::int, v.value::int FROM result_row r JOIN result_input i USING (seq), jsonb_each_text(i.votes) AS v
  ), result_current AS (
    INSERT INTO current_result (district_id, category, stage, report_id)
    SELECT i.district_id, i.category, i.stage, r.id FROM result_row r JOIN result_input i USING (seq)
    WHERE i.becomes_current
    ON CONFLICT (district_id, category, stage) DO UPDATE SET report_id = EXCLUDED.report_id
  ), status_input AS (
    SELECT s.seq, x.* FROM jsonb_to_recordset(statuses) AS x(
      position int, municipality_id int, category count_category, stage count_stage, at timestamptz, received_at timestamptz,
      district_numbers text[], payload_hash text, credential_id int, fresh int[])
    JOIN change_seq s USING (position)
  ), status_row AS (
    INSERT INTO status_report (municipality_id, category, stage, at, received_at, district_numbers, payload_hash, seq, credential_id)
    SELECT municipality_id, category, stage, at, received_at, district_numbers, payload_hash, seq, credential_id FROM status_input
    RETURNING id, seq
  ), status_counted AS (
    INSERT INTO local_count (district_id, category, stage, finished_at, status_report_id)
    SELECT fresh.district_id, i.category, i.stage, i.at, r.id
    FROM status_row r JOIN status_input i USING (seq), unnest(i.fresh) AS fresh(district_id)
  )
  SELECT array_agg(seq ORDER BY position) INTO seqs FROM change_seq;
  RETURN seqs;
END;
$$;
