'use client';
import { usePageLocale } from '../_i18n/use-page-locale.ts';
import type { MunicipalityDetail } from '../../lib/contracts/live.ts';
import { hasEnoughCountedForSeats } from '../../lib/domain/municipality.ts';
import { districtStatusLabels, formatClockShort, formatInteger, formatShare } from '../../lib/format.ts';
import { describeMunicipalityTurnout } from '../../lib/domain/turnout.ts';
import { useLiveMunicipality } from '../_hooks/use-live-views.ts';
import { LazyPartyChart, LazyProgressChart } from './lazy-charts.tsx';
import { LiveStatus } from './live-status.tsx';
import { SourceLine } from './source-line.tsx';
import { PartyTable } from './party-table.tsx';
import { ProgressBar } from './progress-bar.tsx';
import { PublicNote } from './public-note.tsx';
import { StateLine } from './state-line.tsx';
import { useServerNow } from '../_hooks/use-server-now.ts';
import { EmbedSnippet } from './embed-snippet.tsx';
import { SeatsPanel } from './seats-panel.tsx';
import { useChangeSince, useElection } from './election-context.tsx';
import { useTranslations } from 'next-intl';

export function LiveMunicipality({ initial, sidecarUrl }: { initial: MunicipalityDetail; sidecarUrl: string | null }) {
  const { state, connection, updatedAt, clockAnchor } = useLiveMunicipality(initial, sidecarUrl);
  const now = useServerNow(clockAnchor, 15_000);
  const election = useElection();
  const since = useChangeSince(election);
  const t = useTranslations('municipality');
  const locale = usePageLocale();
  const tc = useTranslations('common');
  const m = state.municipality;
  const enoughCounted = hasEnoughCountedForSeats(m);
  // An election whose seats Valgvakt does not compute (the Storting's) shows no council at all.
  const councils = election?.kind !== 'storting';
  const seatsByCode = enoughCounted && councils ? new Map(state.seats.lists.map((l) => [l.code, l.seats])) : undefined;
  return (
    <>
      <LiveStatus connection={connection} updatedAt={updatedAt} clockAnchor={clockAnchor} dataAt={m.lastResultAt} />
      <SourceLine source={state.source} now={now} />
      <PublicNote note={m.publicNote} className="public-note--prominent" />
      <section className="panel" aria-labelledby="count-heading">
        <h2 id="count-heading">{tc('count')}</h2>
        <div className="municipality-state" data-testid="municipality-status">
          <StateLine summary={m} now={now} />
        </div>
        <dl className="key-figures">
          <div>
            <dt>{t('districtsCountedLocally')}</dt>
            <dd data-testid="municipality-counted-locally">{tc('ofTotal', { part: formatInteger(m.districtsCountedLocally, locale), total: formatInteger(m.districtsTotal, locale) })}</dd>
            <ProgressBar share={m.districtsTotal ? m.districtsCountedLocally / m.districtsTotal : 0} tone="district" />
          </div>
          <div>
            <dt>{t('districtsPublished')}</dt>
            <dd data-testid="municipality-districts">{tc('ofTotal', { part: formatInteger(m.districtsReported, locale), total: formatInteger(m.districtsTotal, locale) })}</dd>
            <ProgressBar share={m.districtsTotal ? m.districtsReported / m.districtsTotal : 0} tone="district" />
          </div>
          <div>
            <dt>{tc('counted')}</dt>
            <dd data-testid="municipality-share">{formatShare(m.countedShare, locale)}</dd>
            <ProgressBar share={m.countedShare} />
          </div>
          <div>
            <dt>{t('ballotsPublished')}</dt>
            <dd data-testid="municipality-ballots">{formatInteger(m.ballotsCounted, locale)}</dd>
          </div>
          {m.ballotsPendingEstimate > 0 ? (
            <div>
              <dt>{t('countedNotPublished')}</dt>
              <dd data-testid="municipality-pending">{tc('approx', { value: formatInteger(m.ballotsPendingEstimate, locale) })}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('advanceVotes')}</dt>
            <dd>{t(m.advanceReported ? 'advancePublished' : m.advanceCountedLocally ? 'advanceCountedLocally' : 'advanceNotCounted')}</dd>
          </div>
          <div>
            <dt>{t('electorate')}</dt>
            <dd>{formatInteger(m.electorate, locale)}</dd>
          </div>
          <div className="key-figures__wide">
            <dt>{tc('turnout')}</dt>
            <dd data-testid="municipality-turnout">{describeMunicipalityTurnout(m, election?.comparisonYear ?? null, locale)}</dd>
          </div>
        </dl>
      </section>
      <section className="panel" aria-labelledby="parties-heading">
        <h2 id="parties-heading">{t('resultsHeading')}</h2>
        <div className="results-grid">
          <LazyPartyChart parties={state.parties} label={t('partyChartLabel', { name: m.name })} />
          <PartyTable parties={state.parties} seats={seatsByCode} caption={`${t('partyTableCaption', { name: m.name })}${m.finalShare < 1 ? tc('provisionalSuffix') : ''}${since}`} />
        </div>
      </section>
      {councils ? <SeatsPanel seats={state.seats} municipalityName={m.name} enoughCounted={enoughCounted} /> : null}
      <section className="panel" aria-labelledby="progress-heading">
        <h2 id="progress-heading">{t('progressHeading')}</h2>
        <LazyProgressChart progress={state.progress} districtsTotal={m.districtsTotal} />
      </section>
      <section className="panel" aria-labelledby="districts-heading">
        <h2 id="districts-heading">{t('districtsHeading')}</h2>
        <div className="table-scroll" tabIndex={0}>
          <table className="data-table district-table">
            <caption>{t('districtsCaption', { name: m.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('district')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col" className="num">{t('electorate')}</th>
                <th scope="col" className="num">{tc('ballotsCounted')}</th>
                <th scope="col">{t('lastReport')}</th>
              </tr>
            </thead>
            <tbody>
              {state.districts.map((d) => (
                <tr key={d.number} data-district={d.number}>
                  <th scope="row"><span className="muted">{d.number}</span> {d.name}</th>
                  <td>{d.status === 'waiting' && d.countedLocallyAt
                    ? t.rich('districtCountedLocally', { time: () => <time dateTime={d.countedLocallyAt ?? undefined}>{formatClockShort(d.countedLocallyAt ?? '', locale)}</time> })
                    : districtStatusLabels(locale)[d.status]}</td>
                  <td className="num">{d.kind === 'advance' ? '–' : formatInteger(d.electorate, locale)}</td>
                  <td className="num">{formatInteger(d.ballotsCounted, locale)}</td>
                  <td>{d.lastReportAt ? <time dateTime={d.lastReportAt}>{formatClockShort(d.lastReportAt, locale)}</time> : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <EmbedSnippet path={`/embed/kommune/${m.number}`} title={t('embedTitle', { name: m.name })} />
    </>
  );
}
