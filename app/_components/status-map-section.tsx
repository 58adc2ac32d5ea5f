'use client';
import { usePageLocale } from '../_i18n/use-page-locale.ts';
// The status map with its way past and its text alternative: a skip link over the map's 357 stops, the map
// itself (loaded after the page, like the charts), and the list of those behind, which renders with the page.
import dynamic from 'next/dynamic';
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { listBehind, type MapMunicipality } from '../../lib/domain/status-map.ts';
import { formatInteger } from '../../lib/format.ts';
import type { StatusMapProps } from './status-map.tsx';
import { StateReason } from './state-line.tsx';
import { StatusBadge } from './status-badge.tsx';
import { Link } from '../_i18n/navigation.ts';

/** Enough to read beside the map; the rest is one click away (on a busy night dozens are behind). */
const FIRST_SHOWN = 10;

// The placeholder holds the map's shape (public/municipality-map.json's viewBox), so nothing jumps when it loads.
const LazyStatusMap = dynamic(() => import('./status-map.tsx'), {
  ssr: false,
  loading: () => <div className="status-map__placeholder" aria-hidden="true" />,
});

/** `pending`: `municipalities` is not yet every municipality (the overview's first screen); the map waits for them. */
export function StatusMapSection({ municipalities, now, label, leaderMode, linkTarget, missingAs, listHeading: ListHeading = 'h3', pending = false }: StatusMapProps & {
  listHeading?: 'h2' | 'h3';
  pending?: boolean;
}) {
  const t = useTranslations('nightStatus');
  const locale = usePageLocale();
  const listId = `${useId().replace(/[^a-zA-Z0-9_-]/g, '')}-behind`;
  const [showAll, setShowAll] = useState(false);
  const behind = listBehind(municipalities);
  const shown = showAll ? behind : behind.slice(0, FIRST_SHOWN);
  return (
    <div className="status-map-section">
      <a className="skip-link" href={`#${listId}`}>{t('skipMap')}</a>
      {pending
        ? <div className="status-map__placeholder" aria-hidden="true" />
        : <LazyStatusMap municipalities={municipalities} now={now} label={label} leaderMode={leaderMode} linkTarget={linkTarget} missingAs={missingAs} />}
      <div className="status-map__alt" data-testid="status-map-behind">
        <ListHeading id={listId} tabIndex={-1} className="status-map__alt-heading">
          {behind.length === 0 ? t('heading', { count: 0, formatted: '0' }) : t('behindHeading', { count: formatInteger(behind.length, locale) })}
        </ListHeading>
        {behind.length > 0 ? (
          <ul className="status-map__alt-list">
            {shown.map((m: MapMunicipality) => (
              <li key={m.number} data-municipality={m.number}>
                <Link href={`/kommune/${m.number}`} target={linkTarget} rel={linkTarget ? 'noopener' : undefined}>{m.name}</Link>{' '}
                <StatusBadge summary={m} /> <StateReason summary={m} now={now} />
                <span className="status-map__alt-ledger">
                  {' '}· {t('altLedger', { local: formatInteger(m.districtsCountedLocally, locale), total: formatInteger(m.districtsTotal, locale), published: formatInteger(m.districtsReported, locale) })}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
        {behind.length > FIRST_SHOWN ? (
          <button type="button" className="button button--quiet" aria-expanded={showAll} onClick={() => setShowAll((v) => !v)}>
            {showAll ? t('showFewer') : t('showAll', { count: formatInteger(behind.length, locale) })}
          </button>
        ) : null}
      </div>
    </div>
  );
}
