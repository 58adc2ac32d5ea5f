'use client';
// The council as one stacked bar, a segment per list, with the majority line. Loaded lazily; SeatTable is
// its text alternative.
import { Bar, BarChart, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { CouncilSeats } from '../../lib/contracts/live.ts';
import { partyColor } from './party-colors.ts';

/** A segment's label, only where it fits: narrow segments on a phone would write over their neighbours. */
function SegmentLabel({ x, y, width, height, text }: { x?: number | string; y?: number | string; width?: number | string; height?: number | string; text: string }) {
  const [left, top, w, h] = [Number(x), Number(y), Number(width), Number(height)];
  // About 8 px a character at 13 px bold-ish sans, plus a little room at the edges.
  if (!text || !(w >= text.length * 8 + 6)) return null;
  return <text x={left + w / 2} y={top + h / 2} fill="#fff" fontSize={13} textAnchor="middle" dominantBaseline="central">{text}</text>;
}

export default function SeatChart({ seats, label }: { seats: CouncilSeats; label: string }) {
  const lists = seats.lists.filter((l) => l.seats > 0);
  const row = Object.fromEntries([['name', 'Mandater'], ...lists.map((l) => [l.code, l.seats])]);
  const order = lists.map((l) => l.code).join(',');
  const majority = Math.floor(seats.councilSize / 2) + 1;
  const summary = lists.map((l) => `${l.name} ${l.seats}`).join(', ');
  return (
    <figure className="chart chart--seats" role="img" aria-label={`${label}: ${summary || 'ingen mandater fordelt ennå'}. Flertall: ${majority} av ${seats.councilSize}.`}>
      <ResponsiveContainer width="100%" height={96}>
        <BarChart data={[row]} layout="vertical" margin={{ top: 18, right: 8, bottom: 4, left: 8 }}>
          <XAxis type="number" domain={[0, seats.councilSize]} hide />
          <YAxis type="category" dataKey="name" hide />
          {/* Keys carry the whole order: Recharts stacks in the order bars were first rendered, and the order changes with the count. */}
          {lists.map((l) => (
            <Bar key={`${order}:${l.code}`} dataKey={l.code} stackId="council" fill={partyColor(l.code)} stroke="#fff" isAnimationActive={false}
              label={(props: { x?: number | string; y?: number | string; width?: number | string; height?: number | string }) => <SegmentLabel {...props} text={`${l.code} ${l.seats}`} />} />
          ))}
          <ReferenceLine x={majority - 0.5} stroke="#1a1a1a" strokeDasharray="4 2" label={{ value: `Flertall ${majority}`, position: 'top', fontSize: 12 }} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
