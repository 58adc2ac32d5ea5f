// The order operators triage alerts in: open before acknowledged, then the most severe state, then the
// most ballots still to come — so a stalled Oslo is at the top, not below the newest small municipality.
import type { Alert, AlertKind, BoardRow } from '../contracts/ops.ts';

/** Most severe first, as the municipality's own state ranks them. */
export const ALERT_SEVERITY: readonly AlertKind[] = ['regressed', 'backlog', 'stalled', 'slow'];

/** Ballots an alert's municipality still has to deliver; 0 when it is not on the board. */
export function computeBallotsWaiting(row: Pick<BoardRow, 'ballotsOutstanding' | 'stateInfo'> | undefined): number {
  if (!row) return 0;
  return Math.max(row.ballotsOutstanding, row.stateInfo.reconciliation.ballotsPendingEstimate);
}

export function sortAlertsForTriage<A extends Pick<Alert, 'status' | 'kind' | 'municipality'>>(
  alerts: readonly A[], rows: ReadonlyMap<string, Pick<BoardRow, 'ballotsOutstanding' | 'stateInfo'>>,
): A[] {
  const waiting = (a: A) => computeBallotsWaiting(rows.get(a.municipality));
  return alerts.toSorted((a, b) =>
    Number(b.status === 'open') - Number(a.status === 'open')
    || ALERT_SEVERITY.indexOf(a.kind) - ALERT_SEVERITY.indexOf(b.kind)
    || waiting(b) - waiting(a)
    || a.municipality.localeCompare(b.municipality));
}
