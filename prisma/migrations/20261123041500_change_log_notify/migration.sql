-- Hand-written (no schema change): tell every listening sidecar that the change log has grown, so nodes
-- other than the writer pull the new rows at once (server/cluster/commit-notices.ts). A notification is
-- delivered only when the transaction commits, so listeners never read ahead of storage. One per
-- statement and election, carrying the highest seq the statement appended: "<election id>:<seq>".
CREATE FUNCTION "change_log_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  appended_row RECORD;
BEGIN
  FOR appended_row IN SELECT "election_id", max("seq") AS "seq" FROM appended GROUP BY "election_id" LOOP
    PERFORM pg_notify('valgvakt_change_log', appended_row."election_id" || ':' || appended_row."seq");
  END LOOP;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "change_log_notify" AFTER INSERT ON "change_log"
  REFERENCING NEW TABLE AS appended
  FOR EACH STATEMENT EXECUTE FUNCTION "change_log_notify"();
