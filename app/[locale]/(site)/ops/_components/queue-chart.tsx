'use client';
// Queue depth over the night (one sample per state evaluation). Loaded lazily; described in words for
// screen readers, and the figures beside it carry the current numbers.
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { OpsBoard } from '../../../../../lib/contracts/ops.ts';
import { formatClockShort, formatInteger } from '../../../../../lib/format.ts';
import { timeTicks } from './ops-format.ts';

const MAX_POINTS = 600;

export default function QueueChart({ history }: { history: OpsBoard['queueHistory'] }) {
  const first = history[0];
  const last = history.at(-1);
  if (history.length < 2 || !first || !last) return <p className="muted chart-empty">Køen over tid vises når den er målt et par ganger.</p>;
  // A night of samples is thousands of points; every n-th (and the last) draws the same line.
  const step = Math.ceil(history.length / MAX_POINTS);
  const sampled = history.filter((_, i) => i % step === 0 || i === history.length - 1);
  const data = sampled.map((p) => ({ time: Date.parse(p.at), depth: p.depth }));
  const peak = history.reduce((max, p) => (p.depth > max.depth ? p : max), first);
  const label = `Kø over tid fra kl. ${formatClockShort(first.at)} til ${formatClockShort(last.at)}: nå ${formatInteger(last.depth)} telleenheter`
    + (peak.depth > 0 ? `, høyest ${formatInteger(peak.depth)} kl. ${formatClockShort(peak.at)}.` : ', ingen kø.');
  return (
    <figure className="chart chart--small" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={170}>
        <AreaChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="time" type="number" scale="time" domain={['dataMin', 'dataMax']} padding={{ left: 28, right: 28 }} ticks={timeTicks(Date.parse(first.at), Date.parse(last.at), 5)} tickFormatter={(t: number) => formatClockShort(new Date(t).toISOString())} minTickGap={24} />
          <YAxis allowDecimals={false} width={40} tickFormatter={(v: number) => formatInteger(v)} />
          <Tooltip labelFormatter={(t) => `kl. ${formatClockShort(new Date(Number(t)).toISOString())}`} formatter={(v) => [`${formatInteger(Number(v))} telleenheter`, 'I kø']} />
          <Area type="stepAfter" dataKey="depth" name="I kø" stroke="#8250df" fill="#8250df" fillOpacity={0.18} strokeWidth={2} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
}
