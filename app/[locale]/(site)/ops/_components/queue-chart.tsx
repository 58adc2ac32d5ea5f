'use client';
// Queue depth over the night (one sample per state evaluation). Loaded lazily; described in words for
// screen readers, and the figures beside it carry the current numbers.
import { useTranslations } from 'next-intl';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { OpsBoard } from '../../../../../lib/contracts/ops.ts';
import { formatClockShort, formatInteger } from '../../../../../lib/format.ts';
import { usePageLocale } from '../../../../_i18n/use-page-locale.ts';
import { timeTicks } from './ops-format.ts';

const MAX_POINTS = 600;

export default function QueueChart({ history }: { history: OpsBoard['queueHistory'] }) {
  const t = useTranslations('opsCharts');
  const locale = usePageLocale();
  const clock = (ms: number) => formatClockShort(new Date(ms).toISOString(), locale);
  const first = history[0];
  const last = history.at(-1);
  if (history.length < 2 || !first || !last) return <p className="muted chart-empty">{t('queueEmpty')}</p>;
  // A night of samples is thousands of points; every n-th (and the last) draws the same line.
  const step = Math.ceil(history.length / MAX_POINTS);
  const sampled = history.filter((_, i) => i % step === 0 || i === history.length - 1);
  const data = sampled.map((p) => ({ time: Date.parse(p.at), depth: p.depth }));
  const peak = history.reduce((max, p) => (p.depth > max.depth ? p : max), first);
  const label = t('queueLabel', { from: formatClockShort(first.at, locale), to: formatClockShort(last.at, locale), count: last.depth, n: formatInteger(last.depth, locale) })
    + (peak.depth > 0 ? t('queuePeak', { n: formatInteger(peak.depth, locale), clock: formatClockShort(peak.at, locale) }) : t('queueNone'));
  return (
    <figure className="chart chart--small" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={170}>
        <AreaChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="time" type="number" scale="time" domain={['dataMin', 'dataMax']} padding={{ left: 28, right: 28 }} ticks={timeTicks(Date.parse(first.at), Date.parse(last.at), 5)} tickFormatter={clock} minTickGap={24} />
          <YAxis allowDecimals={false} width={40} tickFormatter={(v: number) => formatInteger(v, locale)} />
          <Tooltip labelFormatter={(at) => t('tooltipClock', { clock: clock(Number(at)) })} formatter={(v) => [t('queueUnits', { count: Number(v), n: formatInteger(Number(v), locale) }), t('queueDepth')]} />
          <Area type="stepAfter" dataKey="depth" name={t('queueDepth')} stroke="#8250df" fill="#8250df" fillOpacity={0.18} strokeWidth={2} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
}
