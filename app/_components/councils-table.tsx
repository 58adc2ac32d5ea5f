import { useTranslations } from 'next-intl';
import type { PartyCouncils } from '../../lib/contracts/live.ts';
import { formatInteger } from '../../lib/format.ts';
import { usePageLocale } from '../_i18n/use-page-locale.ts';

/** Per national party: councils where it is largest so far, and council seats it would have. */
export function CouncilsTable({ councils, caption }: { councils: PartyCouncils[]; caption: string }) {
  const t = useTranslations('councils');
  const locale = usePageLocale();
  const rows = councils.filter((c) => c.councilsLed > 0 || c.seats > 0);
  return (
    <div className="table-scroll" tabIndex={0}>
      <table className="data-table councils-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('party')}</th>
            <th scope="col" className="num">{t('largestIn')}</th>
            <th scope="col" className="num">{t('seats')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr><td colSpan={3}>{t('none')}</td></tr>
          ) : rows.map((c) => (
            <tr key={c.code} data-party={c.code}>
              <th scope="row">{c.name}</th>
              <td className="num" data-testid="councils-led">{formatInteger(c.councilsLed, locale)}<span className="hide-narrow"> {t('municipalities', { count: c.councilsLed })}</span></td>
              <td className="num">{formatInteger(c.seats, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
