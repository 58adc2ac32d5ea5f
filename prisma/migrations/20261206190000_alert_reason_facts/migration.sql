-- An alert keeps its reason as facts beside the bokmål sentence, so the console tells it in the operator's
-- language even once the municipality has left the board. Alerts raised before this have none (the
-- sentence is shown).
ALTER TABLE "alert" ADD COLUMN "reason_facts" JSONB;
