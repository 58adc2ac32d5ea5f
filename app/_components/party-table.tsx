import { useTranslations } from 'next-intl';
import type { PartyResult } from '../../lib/contracts/live.ts';
import { formatInteger, formatPoints, formatShare } from '../../lib/format.ts';
import { usePageLocale } from '../_i18n/use-page-locale.ts';
import { useElection } from './election-context.tsx';

/** The party results as a table: the chart's text alternative, and useful on its own. */
export function PartyTable({ parties, caption, seats }: { parties: PartyResult[]; caption: string; seats?: ReadonlyMap<string, number> }) {
  const comparisonYear = useElection()?.comparisonYear;
  const t = useTranslations('parties');
  const locale = usePageLocale();
  const year = comparisonYear ? String(comparisonYear) : null;
  return (
    <div className="table-scroll" tabIndex={0}>
      <table className="data-table party-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('party')}</th>
            {/* On a phone the share and the change matter more than the raw count, which gives way. */}
            <th scope="col" className="num party-table__votes">{t('votes')}</th>
            <th scope="col" className="num">{t('share')}</th>
            <th scope="col" className="num"><abbr title={year ? t('changeTitleSince', { year }) : t('changeTitle')}>{t('change')}</abbr></th>
            {/* On a phone the seats panel below lists the seats; here share and change keep the width. */}
            {seats ? <th scope="col" className="num hide-narrow">{t('seats')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {parties.map((p) => (
            <tr key={p.code} data-party={p.code}>
              <th scope="row">{p.name}</th>
              <td className="num party-table__votes">{formatInteger(p.votes, locale)}</td>
              <td className="num">{formatShare(p.share, locale)}</td>
              <td className="num" data-testid="party-change">
                {p.change === null ? <span title={p.previousShare === null ? (year ? t('noListThen', { year }) : t('nothingToCompare')) : t('noVotesYet')}>–</span> : (
                  <span className={p.change > 0 ? 'change change--up' : p.change < 0 ? 'change change--down' : 'change'}>{formatPoints(p.change, locale)}<span className="visually-hidden"> {t('points')}</span></span>
                )}
              </td>
              {seats ? <td className="num hide-narrow">{formatInteger(seats.get(p.code) ?? 0, locale)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
