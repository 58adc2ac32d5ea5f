'use client';
// A municipality's counting over time as steps (districts and ballots received), with the spans it was
// slow, stalled or in backlog shaded and labelled. Loaded lazily; the state list beside it is the text.
import { useTranslations } from 'next-intl';
import { CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MunicipalityState, MunicipalityTimeline } from '../../../../../lib/contracts/ops.ts';
import { formatClockShort, formatInteger } from '../../../../../lib/format.ts';
import { useStateLabels } from '../../../../_components/status-badge.tsx';
import { usePageLocale } from '../../../../_i18n/use-page-locale.ts';
import { timeTicks } from './ops-format.ts';

const BALLOTS = '#0b5394';
const DISTRICTS = '#b45f06';
// Shaded bands; each also carries its name as a label, so colour is not the only cue.
const BANDS: Partial<Record<MunicipalityState, string>> = { slow: '#e3b341', stalled: '#d1242f', backlog: '#8250df' };

export default function TimelineChart({ timeline, now, districtsTotal, name }: { timeline: MunicipalityTimeline; now: string; districtsTotal: number; name: string }) {
  const STATE_LABELS = useStateLabels();
  const t = useTranslations('opsCharts');
  const locale = usePageLocale();
  const clock = (ms: number) => formatClockShort(new Date(ms).toISOString(), locale);
  const end = Date.parse(now);
  const points = timeline.progress.map((p) => ({ time: Date.parse(p.at), districts: p.districtsReported, ballots: p.ballotsCounted }));
  const last = points.at(-1);
  // Carry the last step on to now, so a silence shows as a flat line up to the present.
  const data = last && last.time < end ? [...points, { ...last, time: end }] : points;
  const bands = timeline.spans
    .filter((s) => BANDS[s.state])
    .map((s) => ({ state: s.state, x1: Date.parse(s.from), x2: s.to ? Date.parse(s.to) : end }));
  const times = [...data.map((d) => d.time), ...bands.map((b) => b.x1)];
  if (times.length === 0) return <p className="muted chart-empty">{t('timelineEmpty')}</p>;
  const start = Math.min(...times);
  const stop = Math.max(end, start + 60_000);
  const label = t('timelineLabel', { name })
    + (last
      ? t('timelineProgress', {
        count: districtsTotal,
        districts: formatInteger(last.districts, locale),
        total: formatInteger(districtsTotal, locale),
        ballots: formatInteger(last.ballots, locale),
        clock: clock(last.time),
      })
      : t('timelineNoResults'))
    + (bands.length
      ? t('timelineProblems', {
        count: bands.length,
        n: formatInteger(bands.length, locale),
        states: [...new Set(bands.map((b) => STATE_LABELS[b.state].toLocaleLowerCase(locale)))].join(', '),
      })
      : t('timelineNoProblems'));
  // BANDS is keyed by state (Object.keys answers string[] for any object).
  const used = (Object.keys(BANDS) as MunicipalityState[]).filter((s) => bands.some((b) => b.state === s));

  return (
    <figure className="chart timeline-chart">
      <div role="img" aria-label={label}>
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={data} margin={{ top: 18, right: 8, bottom: 4, left: 4 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="time" type="number" scale="time" domain={[start, stop]} padding={{ left: 28, right: 28 }} ticks={timeTicks(start, stop)} tickFormatter={clock} minTickGap={24} />
            <YAxis yAxisId="ballots" tickFormatter={(v: number) => formatInteger(v, locale)} width={64} />
            <YAxis yAxisId="districts" orientation="right" domain={[0, Math.max(1, districtsTotal)]} allowDecimals={false} width={36} />
            {bands.map((b) => (
              <ReferenceArea
                key={`${b.state}-${b.x1}`} yAxisId="ballots" x1={b.x1} x2={b.x2} fill={BANDS[b.state]} fillOpacity={0.18} stroke={BANDS[b.state]} strokeOpacity={0.5}
                // Named in the band when there is room; the legend and the list below name it anyway.
                label={(b.x2 - b.x1) / (stop - start) > 0.08 ? { value: STATE_LABELS[b.state], position: 'insideTopLeft', fontSize: 11, fill: '#1b1f24' } : undefined}
              />
            ))}
            <Tooltip labelFormatter={(at) => t('tooltipClock', { clock: clock(Number(at)) })} formatter={(v) => formatInteger(Number(v), locale)} />
            <Line yAxisId="ballots" type="stepAfter" dataKey="ballots" name={t('ballots')} stroke={BALLOTS} strokeWidth={2} dot={false} isAnimationActive={false} />
            <Line yAxisId="districts" type="stepAfter" dataKey="districts" name={t('districts')} stroke={DISTRICTS} strokeWidth={2} strokeDasharray="5 3" dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption>
        <ul className="chart-legend">
          <li><span className="swatch swatch--line" style={{ borderColor: BALLOTS }} aria-hidden="true" /> {t('ballotsLegend')}</li>
          <li><span className="swatch swatch--dashed" style={{ borderColor: DISTRICTS }} aria-hidden="true" /> {t('districtsLegend')}</li>
          {used.map((s) => (
            <li key={s}><span className="swatch swatch--band" style={{ background: BANDS[s], borderColor: BANDS[s] }} aria-hidden="true" /> {STATE_LABELS[s]}</li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
