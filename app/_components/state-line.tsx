// A municipality's state in words and its two ledgers, as every public view shows them: the badge, the
// reason from the facts of this moment, how long it has held (ticking on the sidecar's clock), and what
// the municipality has counted itself beside what is published.
import { usePageLocale } from '../_i18n/use-page-locale.ts';
import { useTranslations } from 'next-intl';
import type { MunicipalitySummary } from '../../lib/contracts/live.ts';
import { isBehind } from '../../lib/domain/night-status.ts';
import { formatInteger, formatSince } from '../../lib/format.ts';
import { StatusBadge } from './status-badge.tsx';
import { renderStateReason } from '../../lib/domain/state-reason.ts';

type StateFields = Pick<MunicipalitySummary, 'status' | 'state' | 'stateReason' | 'stateReasonFacts' | 'stateSince'>;

/** The reason and "siden kl. 21:11 (2 t 38 min)"; only for states that mean the municipality is behind. */
export function StateReason({ summary, now }: { summary: StateFields; now: Date }) {
  const locale = usePageLocale();
  if (!isBehind(summary.state)) return null;
  return (
    <span className="state-reason" data-testid="state-reason">
      {/* Told in the reader's language from the reason's facts, not the stored bokmål sentence. */}
      {renderStateReason(summary.stateReasonFacts, locale)}
      {summary.stateSince ? <> · <time dateTime={summary.stateSince}>{formatSince(summary.stateSince, now, locale)}</time></> : null}
    </span>
  );
}

export function StateLine({ summary, now }: { summary: StateFields; now: Date }) {
  return (
    <>
      <StatusBadge summary={summary} />
      <StateReason summary={summary} now={now} />
    </>
  );
}

type LedgerFields = Pick<MunicipalitySummary, 'districtsCountedLocally' | 'districtsReported' | 'districtsTotal' | 'ballotsCounted' | 'ballotsPendingEstimate' | 'advanceCountedLocally' | 'advanceReported'>;

/**
 * "91 av 101 kretser talt lokalt · 21 publisert (34 999 stemmer) · ca. 180 000 stemmer talt, ikke publisert".
 * `compact` leaves out the ballots published (shown beside it elsewhere).
 */
export function CountLedger({ m, compact = false }: { m: LedgerFields; compact?: boolean }) {
  const t = useTranslations('ledger');
  const locale = usePageLocale();
  const advanceWaiting = m.advanceCountedLocally && !m.advanceReported;
  return (
    <span className="ledger" data-testid="ledger">
      <span className="ledger__local">{t.rich('local', { part: formatInteger(m.districtsCountedLocally, locale), total: formatInteger(m.districtsTotal, locale), strong: (chunks) => <strong>{chunks}</strong> })}</span>
      <span className="ledger__published">{t('published', { count: formatInteger(m.districtsReported, locale) })}{compact ? '' : ` (${t('votes', { count: formatInteger(m.ballotsCounted, locale) })})`}</span>
      {m.ballotsPendingEstimate > 0 ? (
        <span className="ledger__pending">{t('pending', { count: formatInteger(m.ballotsPendingEstimate, locale) })}{advanceWaiting ? t('advanceToo') : ''}</span>
      ) : null}
    </span>
  );
}
