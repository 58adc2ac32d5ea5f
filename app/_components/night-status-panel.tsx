// The overview's lead: how many municipalities are behind and why, the worst first, each with what it has
// counted itself against what is published, since when, the reason and any public note.
import { usePageLocale } from '../_i18n/use-page-locale.ts';
import { Link } from '../_i18n/navigation.ts';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { MunicipalitySummary } from '../../lib/contracts/live.ts';
import { computeNightStatus, type NightStatus } from '../../lib/domain/night-status.ts';
import { formatInteger } from '../../lib/format.ts';
import { PublicNote } from './public-note.tsx';
import { CountLedger, StateReason } from './state-line.tsx';
import { StatusBadge, useStateLabels } from './status-badge.tsx';

/** Enough to fill a phone's first screen with the worst; the rest is one click away. */
const FIRST_SHOWN = 5;

/**
 * `ledger`: the national figures when `municipalities` is the first screen's subset (lib/domain/first-screen.ts).
 * `area` and `allHref`: a county page leads with its own municipalities, the ledger named after it and
 * "Alle kommuner" pointing at its own table.
 */
export function NightStatusPanel({ municipalities, now, ledger, area, allHref = '#all-heading' }: {
  municipalities: readonly MunicipalitySummary[]; now: Date;
  ledger?: Pick<NightStatus, 'districtsCountedLocally' | 'districtsPublished' | 'districtsTotal' | 'ballotsPendingEstimate'>;
  area?: string; allHref?: string;
}) {
  const STATE_LABELS = useStateLabels();
  const t = useTranslations('nightStatus');
  const locale = usePageLocale();
  const [showAll, setShowAll] = useState(false);
  const night = { ...computeNightStatus(municipalities), ...ledger };
  const shown = showAll ? night.behind : night.behind.slice(0, FIRST_SHOWN);
  const count = night.behind.length;
  return (
    <section aria-labelledby="night-heading" className={`panel night-status${count > 0 ? ' night-status--behind' : ''}`} data-testid="night-status">
      <h2 id="night-heading">
        {t('heading', { count, formatted: formatInteger(count, locale) })}
      </h2>
      {count > 0 ? (
        <p className="night-status__why" data-testid="night-why">
          {night.byState.map(({ state, count: n }) => `${STATE_LABELS[state].toLowerCase()}: ${formatInteger(n, locale)}`).join(' · ')}
        </p>
      ) : null}
      <p className="night-status__ledger" data-testid="night-ledger">
        {t.rich('ledger', { area: area ?? t('wholeCountry'), local: formatInteger(night.districtsCountedLocally, locale), total: formatInteger(night.districtsTotal, locale), published: formatInteger(night.districtsPublished, locale), strong: (chunks) => <strong>{chunks}</strong> })}
        {night.ballotsPendingEstimate > 0 ? <> · {t('pending', { count: formatInteger(night.ballotsPendingEstimate, locale) })}</> : null}
      </p>
      {count > 0 ? (
        <ol className="behind-list" aria-label={t('listLabel')}>
          {shown.map((m) => (
            <li key={m.number} className="behind" data-municipality={m.number}>
              <p className="behind__head">
                <Link href={`/kommune/${m.number}`} className="behind__name">{m.name}</Link>
                <StatusBadge summary={m} />
              </p>
              <p className="behind__ledger"><CountLedger m={m} /></p>
              <p className="behind__reason"><StateReason summary={m} now={now} /></p>
              <PublicNote note={m.publicNote} className="public-note--compact" />
            </li>
          ))}
        </ol>
      ) : null}
      <p className="night-status__more">
        {count > FIRST_SHOWN ? (
          <button type="button" className="button button--quiet" aria-expanded={showAll} onClick={() => setShowAll((v) => !v)}>
            {showAll ? t('showFewer') : t('showAll', { count: formatInteger(count, locale) })}
          </button>
        ) : null}
        <a href={allHref}>{t('allMunicipalities')}</a>
      </p>
    </section>
  );
}
