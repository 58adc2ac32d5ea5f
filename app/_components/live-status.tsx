'use client';
import { usePageLocale } from '../_i18n/use-page-locale.ts';
import { useTranslations } from 'next-intl';
import { formatAge, formatClock } from '../../lib/format.ts';
import type { ClockAnchor } from '../_hooks/use-live-state.ts';
import { useServerNow } from '../_hooks/use-server-now.ts';
import type { ConnectionState } from '../_lib/live-socket.ts';


/** Says whether the page is live and how fresh it is, so it is never silently late. */
export function LiveStatus({ connection, updatedAt, dataAt, clockAnchor }: {
  connection: ConnectionState;
  updatedAt: string | null;
  dataAt: string | null;
  clockAnchor: ClockAnchor;
}) {
  // Ages are measured on the sidecar's clock, so during a fast replay they are simulated minutes.
  const now = useServerNow(clockAnchor, 1000);
  const t = useTranslations('liveStatus');
  const locale = usePageLocale();
  const simulated = clockAnchor.clock.mode === 'simulated';
  return (
    <p className="live-status" role="status" aria-live="polite" data-connection={connection}>
      <span className={`live-dot live-dot--${connection}`} aria-hidden="true" />
      <span className="live-status__state">{t(`connection.${connection}`)}</span>
      {dataAt ? (
        <span className="live-status__updated">
          {' · '}{t.rich('lastResult', { time: () => <time dateTime={dataAt}>{formatClock(dataAt, locale)}</time> })}
          {` (${formatAge(dataAt, now, locale)})`}
        </span>
      ) : (
        <span className="live-status__updated"> · {t('noResults')}</span>
      )}
      {simulated ? (
        <span className="live-status__replay"> · {t('replay', { clock: formatClock(now.toISOString(), locale), speed: clockAnchor.clock.speed })}</span>
      ) : null}
      {updatedAt ? <span className="visually-hidden"> {t('updated', { clock: formatClock(updatedAt, locale) })}</span> : null}
    </p>
  );
}
