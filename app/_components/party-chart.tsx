'use client';
// Recharts bar chart of party shares with a tick at each party's 2019 share. Loaded lazily (see
// lazy-charts.tsx); the PartyTable beside it is the text alternative, so the chart is described briefly.
import { useTranslations } from 'next-intl';
import { Bar, BarChart, CartesianGrid, Cell, ReferenceDot, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { PartyResult } from '../../lib/contracts/live.ts';
import { formatShare, formatShareWhole } from '../../lib/format.ts';
import { usePageLocale } from '../_i18n/use-page-locale.ts';
import { useElection } from './election-context.tsx';
import { partyColor } from './party-colors.ts';

/** A short vertical line at the 2019 share, across the party's bar. */
function PreviousMarker(props: { cx?: number; cy?: number }) {
  if (props.cx === undefined || props.cy === undefined) return <g />;
  return <line className="chart-marker" x1={props.cx} x2={props.cx} y1={props.cy - 12} y2={props.cy + 12} stroke="#1a1a1a" strokeWidth={3} />;
}

export default function PartyChart({ parties, label }: { parties: PartyResult[]; label: string }) {
  const t = useTranslations('parties');
  const locale = usePageLocale();
  const comparisonYear = useElection()?.comparisonYear;
  const data = parties.filter((p) => p.votes > 0).slice(0, 12).map((p) => ({
    ...p, percent: p.share * 100, previousPercent: p.previousShare === null ? null : p.previousShare * 100,
  }));
  const summary = data.slice(0, 3).map((p) => `${p.name} ${formatShare(p.share, locale)}`).join(', ');
  // The tick's year comes from the served election; without it the tick is drawn but not explained.
  const hasPrevious = typeof comparisonYear === 'number' && data.some((p) => p.previousPercent !== null);
  // An empty frame says nothing; the table beside it lists the lists with their zeros.
  if (data.length === 0) return <p className="chart-empty" data-testid="chart-empty">{t('chartEmpty', { label })}</p>;
  const shareOf = new Map(data.map((p) => [p.code, formatShare(p.share, locale)]));
  return (
    <figure className="chart" role="img" aria-label={t('chartLabel', { label, summary })}>
      <ResponsiveContainer width="100%" height={Math.max(160, data.length * 32 + 30)}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid horizontal={false} strokeDasharray="3 3" />
          <XAxis type="number" domain={[0, (max: number) => Math.max(10, Math.ceil(max / 10) * 10)]} tickCount={6} allowDecimals={false} tickFormatter={(v: number) => formatShareWhole(v / 100, locale)} />
          {/* The share is written beside the code, not at the bar's end, where the 2019 tick would cover it. */}
          <YAxis type="category" dataKey="code" width={118} interval={0} tickFormatter={(code: string) => `${code} ${shareOf.get(code) ?? ''}`} />
          <Bar dataKey="percent" isAnimationActive={false}>
            {data.map((p) => <Cell key={p.code} fill={partyColor(p.code)} />)}
          </Bar>
          {data.map((p) => (p.previousPercent === null ? null : (
            <ReferenceDot key={`prev-${p.code}`} x={p.previousPercent} y={p.code} r={0} ifOverflow="extendDomain" shape={PreviousMarker} />
          )))}
        </BarChart>
      </ResponsiveContainer>
      {hasPrevious ? <figcaption className="chart-legend" aria-hidden="true"><span className="legend-tick" /> {t('chartPrevious', { year: String(comparisonYear) })}</figcaption> : null}
    </figure>
  );
}
