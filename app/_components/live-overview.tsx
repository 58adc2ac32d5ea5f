'use client';
import { usePageLocale } from '../_i18n/use-page-locale.ts';
import { Link } from '../_i18n/navigation.ts';
import { useTranslations } from 'next-intl';
import { useMemo } from 'react';
import type { Snapshot } from '../../lib/contracts/live.ts';
import { findFirstScreenFacts, type OverviewFirstScreen } from '../../lib/domain/first-screen.ts';
import { latestResultAt, listCounties } from '../../lib/domain/municipality-query.ts';
import { orderWatchlist } from '../../lib/domain/night-status.ts';
import { formatInteger, formatShare } from '../../lib/format.ts';
import { describeAreaTurnout } from '../../lib/domain/turnout.ts';
import { useLiveOverview } from '../_hooks/use-live-views.ts';
import { CouncilsTable } from './councils-table.tsx';
import { MunicipalityExplorer } from './municipality-explorer.tsx';
import { useServerNow } from '../_hooks/use-server-now.ts';
import { LazyPartyChart } from './lazy-charts.tsx';
import { LiveStatus } from './live-status.tsx';
import { NightStatusPanel } from './night-status-panel.tsx';
import { StatusMapSection } from './status-map-section.tsx';
import { MunicipalityTable } from './municipality-table.tsx';
import { PartyTable } from './party-table.tsx';
import { ProgressBar } from './progress-bar.tsx';
import { ReportedSeatsPanel } from './reported-seats.tsx';
import { useChangeSince } from './election-context.tsx';
import { SourceLine } from './source-line.tsx';

/**
 * Served with the first screen only (lib/domain/first-screen.ts): the live socket's first connection fetches
 * the full snapshot, and until then what needs every municipality (the map, filters, "Vis alle") waits.
 */
export function LiveOverview({ initial, sidecarUrl }: { initial: Snapshot | OverviewFirstScreen; sidecarUrl: string | null }) {
  const t = useTranslations('overview');
  const locale = usePageLocale();
  const since = useChangeSince(initial.election);
  const { state, connection, updatedAt, clockAnchor } = useLiveOverview(initial, sidecarUrl);
  const firstScreen = findFirstScreenFacts(state);
  // Ages tick on the sidecar's clock; the tables need not tick every second.
  const now = useServerNow(clockAnchor, 15_000);
  const { national, municipalities } = state;
  // Behind first, worst first; the finished ones folded away below the rest.
  const watchlist = useMemo(() => orderWatchlist(municipalities), [municipalities]);
  const watchOpen = watchlist.filter((m) => m.status !== 'complete' || m.state !== 'complete');
  const watchDone = watchlist.filter((m) => m.status === 'complete' && m.state === 'complete');
  const counties = useMemo(() => firstScreen?.counties ?? listCounties(municipalities), [firstScreen, municipalities]);
  return (
    <>
      <LiveStatus connection={connection} updatedAt={updatedAt} clockAnchor={clockAnchor} dataAt={firstScreen ? firstScreen.latestResultAt : latestResultAt(municipalities)} />
      <SourceLine source={state.source} now={now} />
      <NightStatusPanel municipalities={municipalities} now={now} ledger={firstScreen?.ledger} />
      <section aria-labelledby="map-heading" className="panel">
        <h2 id="map-heading">{t('mapHeading')}</h2>
        <StatusMapSection municipalities={municipalities} now={now} label={t('mapLabel')} leaderMode pending={firstScreen !== null} />
      </section>
      <section aria-labelledby="national-heading" className="panel">
        <h2 id="national-heading">{t('nationalHeading')}</h2>
        <dl className="key-figures">
          <div>
            <dt>{t('counted')}</dt>
            <dd data-testid="national-share">{formatShare(national.countedShare, locale)}</dd>
            <ProgressBar share={national.countedShare} />
          </div>
          <div>
            <dt>{t('ballotsCounted')}</dt>
            <dd data-testid="national-ballots">{formatInteger(national.ballotsCounted, locale)}</dd>
          </div>
          <div>
            <dt>{t('municipalitiesComplete')}</dt>
            <dd data-testid="national-complete">{t('ofTotal', { part: formatInteger(national.municipalitiesComplete, locale), total: formatInteger(national.municipalitiesTotal, locale) })}</dd>
          </div>
          <div>
            <dt>{t('districtsReported')}</dt>
            <dd>{t('ofTotal', { part: formatInteger(national.districtsReported, locale), total: formatInteger(national.districtsTotal, locale) })}</dd>
          </div>
          <div className="key-figures__wide">
            <dt>{t('turnout')}</dt>
            <dd data-testid="national-turnout">{describeAreaTurnout(national.turnout, state.election.comparisonYear, locale)}</dd>
          </div>
        </dl>
        <div className="results-grid">
          <LazyPartyChart parties={national.parties} label={t('partyChartLabel')} />
          <PartyTable parties={national.parties} caption={`${t('partyTableCaption')}${since}${state.election.comparisonYear ? t('sameMunicipalities') : ''}`} />
        </div>
        {/* The source's limitation, said where the figure is shown (tests/unit/national-2023.test.ts). */}
        <p className="source-note" data-testid="national-source-note">
          {t('sourceNote')}
        </p>
        {state.election.kind === 'municipal' ? <CouncilsTable councils={national.councils} caption={t('councilsCaption')} /> : null}
      </section>
      {state.election.kind === 'storting' ? <ReportedSeatsPanel seats={state.reportedSeats} area="national" headingId="seats-heading" /> : null}
      <section aria-labelledby="watch-heading" className="panel">
        <h2 id="watch-heading">{t('watchHeading', { count: watchlist.length })}</h2>
        <p className="lead">{t('watchLead')}</p>
        {watchOpen.length > 0 ? (
          <MunicipalityTable rows={watchOpen} caption={t('watchOpenCaption')} id="watchlist" now={now} />
        ) : null}
        {watchDone.length > 0 ? (
          <details className="watch-done" open={watchOpen.length === 0}>
            <summary>{t('watchDoneSummary', { count: formatInteger(watchDone.length, locale) })}</summary>
            <MunicipalityTable rows={watchDone} caption={t('watchDoneCaption')} id="watchlist-done" now={now} />
          </details>
        ) : null}
      </section>
      <section aria-labelledby="all-heading" className="panel">
        <h2 id="all-heading">{t('allHeading')}</h2>
        <MunicipalityExplorer municipalities={municipalities} now={now} pendingTotal={firstScreen?.municipalitiesTotal} />
        <nav aria-labelledby="counties-heading" className="county-links">
          <h3 id="counties-heading">{t('countiesHeading')}</h3>
          <ul>
            {counties.map(([number, name]) => <li key={number}><Link href={`/fylke/${number}`}>{name}</Link></li>)}
          </ul>
        </nav>
      </section>
    </>
  );
}
