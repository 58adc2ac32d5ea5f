import type { MunicipalitySummary } from '../../lib/contracts/live.ts';
import type { MunicipalityState } from '../../lib/contracts/ops.ts';
import { isBehind } from '../../lib/domain/night-status.ts';
import { STATUS_LABELS } from '../../lib/format.ts';

const ICONS: Record<MunicipalityState, string> = {
  waiting: '○', counting: '◐', complete: '●', slow: '◔', stalled: '■', backlog: '⇄', regressed: '↓', under_review: '⚑',
};
export const STATE_LABELS: Record<MunicipalityState, string> = {
  ...STATUS_LABELS, slow: 'Treg', stalled: 'Stanset', backlog: 'Overføring henger', regressed: 'Korrigert ned', under_review: 'Til gjennomgang',
};

/** Icon, text and colour together, so no one depends on colour alone. A reason given is read out too. */
export function StateBadge({ state, reason }: { state: MunicipalityState; reason?: string }) {
  return (
    <span className={`status status--${state}`} title={reason}>
      <span aria-hidden="true" className="status__icon">{ICONS[state]}</span> {STATE_LABELS[state]}
      {reason ? <span className="visually-hidden">: {reason}</span> : null}
    </span>
  );
}

/**
 * A municipality's status on the public pages: a problem state (stalled, backlog, …) takes precedence over
 * the counting progress, and its reason is the tooltip and, for screen readers, text.
 */
export function StatusBadge({ summary }: { summary: Pick<MunicipalitySummary, 'status' | 'state' | 'stateReason'> }) {
  const problem = isBehind(summary.state);
  return <StateBadge state={problem ? summary.state : summary.status} reason={problem ? summary.stateReason : undefined} />;
}
