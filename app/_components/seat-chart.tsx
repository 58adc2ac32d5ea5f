'use client';
// The council as one stacked bar, a segment per list, with the majority line. Loaded lazily; SeatTable is
// its text alternative.
import { useTranslations } from 'next-intl';
import { Bar, BarChart, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { CouncilSeats } from '../../lib/contracts/live.ts';
import { formatInteger } from '../../lib/format.ts';
import { usePageLocale } from '../_i18n/use-page-locale.ts';
import { partyColor } from './party-colors.ts';

/** A segment's label, only where it fits: narrow segments on a phone would write over their neighbours. */
function SegmentLabel({ x, y, width, height, text }: { x?: number | string; y?: number | string; width?: number | string; height?: number | string; text: string }) {
  const [left, top, w, h] = [Number(x), Number(y), Number(width), Number(height)];
  // About 8 px a character at 13 px bold-ish sans, plus a little room at the edges.
  if (!text || !(w >= text.length * 8 + 6)) return null;
  return <text x={left + w / 2} y={top + h / 2} fill="#fff" fontSize={13} textAnchor="middle" dominantBaseline="central">{text}</text>;
}

export default function SeatChart({ seats, label }: { seats: CouncilSeats; label: string }) {
  const t = useTranslations('seats');
  const locale = usePageLocale();
  const lists = seats.lists.filter((l) => l.seats > 0);
  // The one row's category sits on a hidden axis: a key, never shown.
  const row = Object.fromEntries([['name', 'council'], ...lists.map((l) => [l.code, l.seats])]);
  const order = lists.map((l) => l.code).join(',');
  const majority = Math.floor(seats.councilSize / 2) + 1;
  const summary = lists.map((l) => `${l.name} ${formatInteger(l.seats, locale)}`).join(', ');
  const counts = { label, majority: formatInteger(majority, locale), size: formatInteger(seats.councilSize, locale) };
  return (
    <figure className="chart chart--seats" role="img" aria-label={summary ? t('chartLabel', { ...counts, summary }) : t('chartLabelEmpty', counts)}>
      <ResponsiveContainer width="100%" height={96}>
        <BarChart data={[row]} layout="vertical" margin={{ top: 18, right: 8, bottom: 4, left: 8 }}>
          <XAxis type="number" domain={[0, seats.councilSize]} hide />
          <YAxis type="category" dataKey="name" hide />
          {/* Keys carry the whole order: Recharts stacks in the order bars were first rendered, and the order changes with the count. */}
          {lists.map((l) => (
            <Bar key={`${order}:${l.code}`} dataKey={l.code} stackId="council" fill={partyColor(l.code)} stroke="#fff" isAnimationActive={false}
              label={(props: { x?: number | string; y?: number | string; width?: number | string; height?: number | string }) => <SegmentLabel {...props} text={`${l.code} ${l.seats}`} />} />
          ))}
          <ReferenceLine x={majority - 0.5} stroke="#1a1a1a" strokeDasharray="4 2" label={{ value: t('majorityLine', { majority: counts.majority }), position: 'top', fontSize: 12 }} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
