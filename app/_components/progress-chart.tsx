'use client';
// Counting progress over time for one municipality (step chart of ballots and districts reported).
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ProgressPoint } from '../../lib/contracts/live.ts';
import { formatClockShort, formatInteger } from '../../lib/format.ts';

export default function ProgressChart({ progress, districtsTotal }: { progress: ProgressPoint[]; districtsTotal: number }) {
  const data = progress.map((p) => ({ ...p, time: new Date(p.at).getTime() }));
  const last = progress.at(-1);
  const label = last
    ? `Opptelling over tid: ${formatInteger(last.districtsReported)} av ${formatInteger(districtsTotal)} kretser og ${formatInteger(last.ballotsCounted)} stemmer kl. ${formatClockShort(last.at)}.`
    : 'Opptelling over tid: ingen resultater ennå.';
  if (!last) return <p className="chart-empty" data-testid="chart-empty">{label}</p>;
  return (
    <figure className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="time" type="number" scale="time" domain={['dataMin', 'dataMax']} padding={{ left: 28, right: 28 }} tickFormatter={(t: number) => formatClockShort(new Date(t).toISOString())} />
          <YAxis yAxisId="ballots" tickFormatter={(v: number) => formatInteger(v)} width={72} />
          <YAxis yAxisId="districts" orientation="right" domain={[0, districtsTotal]} allowDecimals={false} width={40} />
          <Tooltip labelFormatter={(t) => formatClockShort(new Date(Number(t)).toISOString())} formatter={(v) => formatInteger(Number(v))} />
          <Legend />
          <Line yAxisId="ballots" type="stepAfter" dataKey="ballotsCounted" name="Stemmer talt" stroke="#0b5394" dot={false} isAnimationActive={false} />
          <Line yAxisId="districts" type="stepAfter" dataKey="districtsReported" name="Kretser rapportert" stroke="#b45f06" strokeDasharray="5 3" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
