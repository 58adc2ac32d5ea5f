'use client';
// Counting progress over time for one municipality (step chart of ballots and districts reported).
import { useTranslations } from 'next-intl';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ProgressPoint } from '../../lib/contracts/live.ts';
import { formatClockShort, formatInteger } from '../../lib/format.ts';
import { usePageLocale } from '../_i18n/use-page-locale.ts';

export default function ProgressChart({ progress, districtsTotal }: { progress: ProgressPoint[]; districtsTotal: number }) {
  const t = useTranslations('progress');
  const locale = usePageLocale();
  const data = progress.map((p) => ({ ...p, time: new Date(p.at).getTime() }));
  const last = progress.at(-1);
  const label = last
    ? t('label', {
      districts: formatInteger(last.districtsReported, locale), total: formatInteger(districtsTotal, locale),
      ballots: formatInteger(last.ballotsCounted, locale), clock: formatClockShort(last.at, locale),
    })
    : t('labelEmpty');
  if (!last) return <p className="chart-empty" data-testid="chart-empty">{label}</p>;
  return (
    <figure className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="time" type="number" scale="time" domain={['dataMin', 'dataMax']} padding={{ left: 28, right: 28 }} tickFormatter={(time: number) => formatClockShort(new Date(time).toISOString(), locale)} />
          <YAxis yAxisId="ballots" tickFormatter={(v: number) => formatInteger(v, locale)} width={72} />
          <YAxis yAxisId="districts" orientation="right" domain={[0, districtsTotal]} allowDecimals={false} tickFormatter={(v: number) => formatInteger(v, locale)} width={40} />
          <Tooltip labelFormatter={(time) => formatClockShort(new Date(Number(time)).toISOString(), locale)} formatter={(v) => formatInteger(Number(v), locale)} />
          <Legend />
          <Line yAxisId="ballots" type="stepAfter" dataKey="ballotsCounted" name={t('ballots')} stroke="#0b5394" dot={false} isAnimationActive={false} />
          <Line yAxisId="districts" type="stepAfter" dataKey="districtsReported" name={t('districts')} stroke="#b45f06" strokeDasharray="5 3" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
