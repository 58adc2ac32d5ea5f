'use client';
import { usePageLocale } from '../_i18n/use-page-locale.ts';
import { useTranslations } from 'next-intl';
import { Link } from '../_i18n/navigation.ts';
// Embed: counting progress in the municipalities on the watchlist (operators edit it), live, worst first.
import { useMemo } from 'react';
import type { Snapshot } from '../../lib/contracts/live.ts';
import { formatInteger, formatShare } from '../../lib/format.ts';
import { useLiveOverview } from '../_hooks/use-live-views.ts';
import { ProgressBar } from './progress-bar.tsx';
import { PublicNote } from './public-note.tsx';
import { StateLine } from './state-line.tsx';
import { useServerNow } from '../_hooks/use-server-now.ts';
import { orderWatchlist } from '../../lib/domain/night-status.ts';
import { inSentence } from './election-context.tsx';
import { SourceLine, SourceWarning } from './source-line.tsx';

export function EmbeddedWatchlist({ initial, sidecarUrl }: { initial: Snapshot; sidecarUrl: string | null }) {
  const { state, connection, clockAnchor } = useLiveOverview(initial, sidecarUrl);
  const now = useServerNow(clockAnchor, 15_000);
  const t = useTranslations('embed');
  const locale = usePageLocale();
  const tt = useTranslations('table');
  // The same order as the overview's: those behind first, worst first; finished ones last.
  const watched = useMemo(() => orderWatchlist(state.municipalities), [state.municipalities]);
  return (
    <article className="embed-card" aria-labelledby="embed-heading" data-connection={connection}>
      <h1 id="embed-heading" className="embed-card__title">{t('watchlistHeading', { election: inSentence(state.election.name) })}</h1>
      <SourceWarning source={state.source} now={now} />
      <div className="table-scroll" tabIndex={0}>
        <table className="data-table watch-embed-table">
          <caption className="visually-hidden">{t('watchlistCaption', { count: watched.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{tt('municipality')}</th>
              <th scope="col" className="hide-narrow">{tt('status')}</th>
              <th scope="col">{tt('counted')}</th>
            </tr>
          </thead>
          <tbody>
            {watched.map((m) => (
              <tr key={m.number} data-municipality={m.number}>
                <th scope="row">
                  <Link href={`/kommune/${m.number}`} target="_blank" rel="noopener">{m.name}</Link>
                  <span className="show-narrow"><StateLine summary={m} now={now} /></span>
                  <PublicNote note={m.publicNote} className="public-note--compact" />
                </th>
                <td className="hide-narrow"><StateLine summary={m} now={now} /></td>
                <td className="num">
                  <span>{formatShare(m.countedShare, locale)}</span>
                  <span className="sub">{tt('districtsPublished', { part: formatInteger(m.districtsReported, locale), total: formatInteger(m.districtsTotal, locale) })}</span>
                  {m.districtsCountedLocally > m.districtsReported ? <span className="sub sub--warn">{tt('countedLocally', { count: formatInteger(m.districtsCountedLocally, locale) })}</span> : null}
                  <ProgressBar share={m.countedShare} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <SourceLine source={state.source} now={now} compact warning={false} />
      <p className="embed-card__source">{t.rich('via', { link: (chunks) => <Link href="/" target="_blank" rel="noopener">{chunks}</Link> })}</p>
    </article>
  );
}
