-- CreateEnum
CREATE TYPE "alert_kind" AS ENUM ('slow', 'stalled', 'backlog', 'regressed');

-- CreateEnum
CREATE TYPE "feed_incident_kind" AS ENUM ('feed_down');

-- AlterTable (hand-edited: the generated DROP COLUMN + ADD COLUMN would lose existing rows' kinds; the
-- enum holds what the CHECK alert_kind_valid held, so that CHECK goes)
ALTER TABLE "alert" DROP CONSTRAINT "alert_kind_valid";
ALTER TABLE "alert" ALTER COLUMN "kind" TYPE "alert_kind" USING ("kind"::"alert_kind");

-- AlterTable (hand-edited, as above)
ALTER TABLE "feed_incident" ALTER COLUMN "kind" TYPE "feed_incident_kind" USING ("kind"::"feed_incident_kind");

-- Hand-written: the change log's kinds are text (the published kinds hold dots, which Prisma's enums
-- cannot), held to ChangeKind (lib/contracts/changes.ts) by a CHECK. Keep both lists in step.
ALTER TABLE "change_log" ADD CONSTRAINT "change_log_kind_valid" CHECK ("kind" IN (
  'result.accepted', 'status.reported', 'state.changed',
  'alert.raised', 'alert.updated', 'alert.acknowledged', 'alert.reopened', 'alert.resolved',
  'oversight.changed', 'watchlist.changed', 'seats.reported', 'feed.status',
  'feed.incident.raised', 'feed.incident.acknowledged', 'feed.incident.resolved'));
