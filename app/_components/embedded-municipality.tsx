'use client';
import { usePageLocale } from '../_i18n/use-page-locale.ts';
import { useTranslations } from 'next-intl';
import { Link } from '../_i18n/navigation.ts';
// Embed: one municipality's party results (chart and table), live, with how much is counted and whether
// the numbers are provisional, and a link back to the full page.
import type { MunicipalityDetail } from '../../lib/contracts/live.ts';
import { formatClockShort, formatInteger, formatShare } from '../../lib/format.ts';
import { useLiveMunicipality } from '../_hooks/use-live-views.ts';
import { LazyPartyChart } from './lazy-charts.tsx';
import { PartyTable } from './party-table.tsx';
import { PublicNote } from './public-note.tsx';
import { CountLedger, StateLine } from './state-line.tsx';
import { useServerNow } from '../_hooks/use-server-now.ts';
import { SourceLine, SourceWarning } from './source-line.tsx';
import { hasEnoughCountedForSeats } from '../../lib/domain/municipality.ts';
import { inSentence, useElection } from './election-context.tsx';

export function EmbeddedMunicipality({ initial, sidecarUrl }: { initial: MunicipalityDetail; sidecarUrl: string | null }) {
  const { state, connection, clockAnchor } = useLiveMunicipality(initial, sidecarUrl);
  const m = state.municipality;
  const election = useElection();
  const enoughCounted = hasEnoughCountedForSeats(m);
  const seats = enoughCounted && election?.kind !== 'storting' ? new Map(state.seats.lists.map((l) => [l.code, l.seats])) : undefined;
  const now = useServerNow(clockAnchor, 15_000);
  const t = useTranslations('embed');
  const locale = usePageLocale();
  return (
    <article className="embed-card" aria-labelledby="embed-heading" data-connection={connection}>
      <h1 id="embed-heading" className="embed-card__title">{election ? `${m.name}: ${inSentence(election.name)}` : m.name}</h1>
      <p className="embed-card__meta" data-testid="embed-counted">
        {t('counted', { share: formatShare(m.countedShare, locale), votes: formatInteger(m.ballotsCounted, locale) })}
        {state.seats.provisional ? t('provisional') : t('final')}
        {m.lastResultAt ? <> · {t.rich('lastUpdated', { time: () => <time dateTime={m.lastResultAt ?? undefined}>{formatClockShort(m.lastResultAt ?? '', locale)}</time> })}</> : null}
      </p>
      <SourceWarning source={state.source} now={now} />
      <p className="embed-card__state" data-testid="embed-state"><StateLine summary={m} now={now} /></p>
      <p className="embed-card__ledger"><CountLedger m={m} /></p>
      <PublicNote note={m.publicNote} className="public-note--compact" />
      <LazyPartyChart parties={state.parties} label={t('partyChartLabel', { name: m.name })} />
      <details className="embed-card__table">
        <summary>{t('showTable')}</summary>
        <PartyTable parties={state.parties} seats={seats} caption={t(seats ? 'tableCaptionSeats' : 'tableCaption', { name: m.name, provisional: state.seats.provisional ? 'yes' : 'no' })} />
      </details>
      <SourceLine source={state.source} now={now} compact warning={false} />
      <p className="embed-card__source">{t.rich('via', { link: (chunks) => <Link href={`/kommune/${m.number}`} target="_blank" rel="noopener">{chunks}</Link> })}</p>
    </article>
  );
}
