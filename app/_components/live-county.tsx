'use client';
import { usePageLocale } from '../_i18n/use-page-locale.ts';
// A county: its municipalities live from the overview stream, and its roll-up (parties, change since 2019,
// councils led) re-read from the sidecar after a change in one of them.
import { useEffect, useState } from 'react';
import { ZCountyDetail, type CountyDetail, type NationalTotals, type OverviewPatch } from '../../lib/contracts/live.ts';
import { mergeProgress } from '../../lib/domain/overview-patch.ts';
import { mergeReportedSeats } from '../../lib/domain/reported-seats.ts';
import { latestResultAt } from '../../lib/domain/municipality-query.ts';
import { formatInteger, formatShare } from '../../lib/format.ts';
import { describeAreaTurnout } from '../../lib/domain/turnout.ts';
import { useLiveState } from '../_hooks/use-live-state.ts';
import { useServerNow } from '../_hooks/use-server-now.ts';
import { resolveSidecarUrl } from '../_lib/live-socket.ts';
import { CouncilsTable } from './councils-table.tsx';
import { LazyPartyChart } from './lazy-charts.tsx';
import { LiveStatus } from './live-status.tsx';
import { NightStatusPanel } from './night-status-panel.tsx';
import { MunicipalityTable } from './municipality-table.tsx';
import { PartyTable } from './party-table.tsx';
import { ReportedSeatsPanel } from './reported-seats.tsx';
import { ProgressBar } from './progress-bar.tsx';
import { useChangeSince, useElection } from './election-context.tsx';
import { useTranslations } from 'next-intl';
import { SourceLine } from './source-line.tsx';

/** `totalsSeq`: the seq the totals were computed at; `touchedSeq`: the last delta that changed one of ours. */
type CountyState = CountyDetail & { totalsSeq: number; touchedSeq: number };

function fromDetail(detail: CountyDetail): CountyState {
  return { ...detail, totalsSeq: detail.seq, touchedSeq: detail.seq };
}

async function fetchCounty(url: string, number: string): Promise<CountyDetail> {
  const response = await fetch(`${url}/api/v1/counties/${number}`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`county ${response.status}`);
  return ZCountyDetail.parse(await response.json());
}

export function LiveCounty({ initial, sidecarUrl }: { initial: CountyDetail; sidecarUrl: string | null }) {
  const number = initial.county.number;
  const election = useElection();
  const since = useChangeSince(election);
  const t = useTranslations('county');
  const locale = usePageLocale();
  const tc = useTranslations('common');
  const { state, connection, updatedAt, clockAnchor } = useLiveState<CountyState, OverviewPatch>({
    initial: fromDetail(initial),
    sidecarUrl,
    // Every overview delta moves the seq chain on; only ours change the table.
    subscribe: (socket, onDelta) => {
      socket.on('overview:patch', onDelta);
      return () => socket.off('overview:patch', onDelta);
    },
    resync: async (_socket, url) => fromDetail(await fetchCounty(url, number)),
    apply: (current, patch) => {
      const held = new Set(current.municipalities.map((m) => m.number));
      const ours = patch.municipalities.some((m) => held.has(m.number));
      return {
        ...current, seq: patch.seq, clock: patch.clock,
        municipalities: mergeProgress(current.municipalities, patch.municipalities),
        reportedSeats: mergeReportedSeats(current.reportedSeats, patch.reportedSeats?.filter((seats) => seats.area === number)),
        touchedSeq: ours ? patch.seq : current.touchedSeq,
        source: patch.source ?? current.source,
      };
    },
  });
  // Totals re-read after a change here; whichever of those and the live state's is newer is shown.
  const [refetched, setRefetched] = useState<{ seq: number; totals: NationalTotals } | null>(null);
  const totals = refetched && refetched.seq > state.totalsSeq ? refetched.totals : state.totals;
  const totalsSeq = Math.max(state.totalsSeq, refetched?.seq ?? -1);
  useEffect(() => {
    if (state.touchedSeq <= totalsSeq) return;
    // A burst of deltas becomes one read.
    const timer = setTimeout(() => {
      fetchCounty(resolveSidecarUrl(sidecarUrl), number).then((fresh) => setRefetched({ seq: fresh.seq, totals: fresh.totals }), () => undefined);
    }, 400);
    return () => clearTimeout(timer);
  }, [state.touchedSeq, totalsSeq, number, sidecarUrl]);
  const now = useServerNow(clockAnchor, 15_000);

  return (
    <>
      <LiveStatus connection={connection} updatedAt={updatedAt} clockAnchor={clockAnchor} dataAt={latestResultAt(state.municipalities)} />
      <SourceLine source={state.source} now={now} />
      {/* Who is behind here and why, first, as on the overview: the table of all of them is far below. */}
      <NightStatusPanel municipalities={state.municipalities} now={now} area={state.county.name} allHref="#county-municipalities-heading" />
      <section className="panel" aria-labelledby="county-count-heading">
        <h2 id="county-count-heading">{tc('count')}</h2>
        <dl className="key-figures">
          <div>
            <dt>{tc('counted')}</dt>
            <dd data-testid="county-share">{formatShare(totals.countedShare, locale)}</dd>
            <ProgressBar share={totals.countedShare} />
          </div>
          <div>
            <dt>{tc('ballotsCounted')}</dt>
            <dd data-testid="county-ballots">{formatInteger(totals.ballotsCounted, locale)}</dd>
          </div>
          <div>
            <dt>{tc('municipalitiesComplete')}</dt>
            <dd>{tc('ofTotal', { part: formatInteger(totals.municipalitiesComplete, locale), total: formatInteger(totals.municipalitiesTotal, locale) })}</dd>
          </div>
          <div className="key-figures__wide">
            <dt>{tc('turnout')}</dt>
            <dd data-testid="county-turnout">{describeAreaTurnout(totals.turnout, election?.comparisonYear ?? null, locale)}</dd>
          </div>
        </dl>
      </section>
      <section className="panel" aria-labelledby="county-results-heading">
        <h2 id="county-results-heading">{t('resultsHeading', { name: state.county.name })}</h2>
        <div className="results-grid">
          <LazyPartyChart parties={totals.parties} label={t('partyChartLabel', { name: state.county.name })} />
          <PartyTable parties={totals.parties} caption={`${t('partyTableCaption', { name: state.county.name })}${since}${election?.comparisonYear ? tc('sameMunicipalities') : ''}`} />
        </div>
        {election?.kind === 'storting' ? null : <CouncilsTable councils={totals.councils} caption={t('councilsCaption', { name: state.county.name })} />}
      </section>
      {election?.kind === 'storting' ? <ReportedSeatsPanel seats={state.reportedSeats} area={{ county: number, name: state.county.name }} headingId="county-seats-heading" /> : null}
      <section className="panel" aria-labelledby="county-municipalities-heading">
        <h2 id="county-municipalities-heading">{t('municipalitiesHeading')}</h2>
        <MunicipalityTable rows={state.municipalities} caption={t('municipalitiesCaption', { name: state.county.name, count: state.municipalities.length })} id="county" now={now} />
      </section>
    </>
  );
}
