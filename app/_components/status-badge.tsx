import type { MunicipalitySummary } from '../../lib/contracts/live.ts';
import type { MunicipalityState } from '../../lib/contracts/ops.ts';
import { STATUS_LABELS } from '../../lib/format.ts';

const ICONS: Record<MunicipalityState, string> = {
  waiting: '○', counting: '◐', complete: '●', slow: '◔', stalled: '■', backlog: '⧗', regressed: '↓', under_review: '⚑',
};
const LABELS: Record<MunicipalityState, string> = {
  ...STATUS_LABELS, slow: 'Treg', stalled: 'Stanset', backlog: 'Overføring henger', regressed: 'Korrigert ned', under_review: 'Til gjennomgang',
};
const PROBLEMS = new Set<MunicipalityState>(['slow', 'stalled', 'backlog', 'regressed', 'under_review']);

/**
 * Icon, text and colour together, so no one depends on colour alone. A problem state (stalled, backlog, …)
 * takes precedence over the counting progress; its reason is the tooltip and, for screen readers, text.
 */
export function StatusBadge({ summary }: { summary: Pick<MunicipalitySummary, 'status' | 'state' | 'stateReason'> }) {
  const shown: MunicipalityState = PROBLEMS.has(summary.state) ? summary.state : summary.status;
  return (
    <span className={`status status--${shown}`} title={PROBLEMS.has(shown) ? summary.stateReason : undefined}>
      <span aria-hidden="true" className="status__icon">{ICONS[shown]}</span> {LABELS[shown]}
      {PROBLEMS.has(shown) ? <span className="visually-hidden">: {summary.stateReason}</span> : null}
    </span>
  );
}
