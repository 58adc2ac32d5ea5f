import { useTranslations } from 'next-intl';
import type { MunicipalitySummary } from '../../lib/contracts/live.ts';
import { MUNICIPALITY_STATES, type MunicipalityState } from '../../lib/contracts/ops.ts';
import { isBehind } from '../../lib/domain/night-status.ts';
import { renderStateReason } from '../../lib/domain/state-reason.ts';
import { usePageLocale } from '../_i18n/use-page-locale.ts';

const ICONS: Record<MunicipalityState, string> = {
  waiting: '○', counting: '◐', complete: '●', slow: '◔', stalled: '■', backlog: '⇄', regressed: '↓', under_review: '⚑',
};
/** The states' names in the page's language (catalogue `states`). */
export function useStateLabels(): Record<MunicipalityState, string> {
  const t = useTranslations('states');
  return Object.fromEntries(MUNICIPALITY_STATES.map((state) => [state, t(state)])) as Record<MunicipalityState, string>; // fromEntries loses the keys' type; every state is mapped
}

/** Icon, text and colour together, so no one depends on colour alone. A reason given is read out too. */
export function StateBadge({ state, reason }: { state: MunicipalityState; reason?: string }) {
  const STATE_LABELS = useStateLabels();
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
export function StatusBadge({ summary }: { summary: Pick<MunicipalitySummary, 'status' | 'state' | 'stateReasonFacts'> }) {
  const locale = usePageLocale();
  const problem = isBehind(summary.state);
  return <StateBadge state={problem ? summary.state : summary.status} reason={problem ? renderStateReason(summary.stateReasonFacts, locale) : undefined} />;
}
