'use client';
// Recharts bar chart of party shares. Loaded lazily (see lazy-charts.tsx); the PartyTable beside it is the
// text alternative, so the chart itself is described briefly for screen readers.
import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { PartyResult } from '../../lib/contracts/live.ts';
import { formatShare } from '../../lib/format.ts';
import { partyColor } from './party-colors.ts';

export default function PartyChart({ parties, label }: { parties: PartyResult[]; label: string }) {
  const data = parties.filter((p) => p.votes > 0).slice(0, 12).map((p) => ({ ...p, percent: p.share * 100 }));
  const summary = data.slice(0, 3).map((p) => `${p.name} ${formatShare(p.share)}`).join(', ');
  return (
    <figure className="chart" role="img" aria-label={`${label}. Størst: ${summary || 'ingen stemmer talt ennå'}.`}>
      <ResponsiveContainer width="100%" height={Math.max(160, data.length * 30 + 30)}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 64, bottom: 4, left: 8 }}>
          <CartesianGrid horizontal={false} strokeDasharray="3 3" />
          <XAxis type="number" domain={[0, (max: number) => Math.max(10, Math.ceil(max / 10) * 10)]} tickCount={6} allowDecimals={false} tickFormatter={(v: number) => `${v} %`} />
          <YAxis type="category" dataKey="code" width={64} interval={0} />
          <Bar dataKey="percent" isAnimationActive={false}>
            {data.map((p) => <Cell key={p.code} fill={partyColor(p.code)} />)}
            <LabelList dataKey="share" position="right" formatter={(v: unknown) => formatShare(Number(v))} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
