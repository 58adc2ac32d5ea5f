import { useTranslations } from 'next-intl';
import type { OpsBoard, QueueMetrics } from '../../../../../lib/contracts/ops.ts';
import { formatAge, formatClockShort, formatInteger } from '../../../../../lib/format.ts';
import { usePageLocale } from '../../../../_i18n/use-page-locale.ts';
import { LazyQueueChart } from './lazy-ops-charts.tsx';
import { formatDecimal, formatMinutes } from './ops-format.ts';

function Eta({ queue, now }: { queue: QueueMetrics; now: Date }) {
  const t = useTranslations('opsBacklog');
  const locale = usePageLocale();
  if (queue.depth === 0) return <>{t('empty')}</>;
  if (queue.etaMinutes === null) return <>{t('notDraining')}</>;
  const at = new Date(now.getTime() + queue.etaMinutes * 60_000).toISOString();
  return <>{t.rich('eta', { duration: formatMinutes(queue.etaMinutes, locale), clock: formatClockShort(at, locale), sub: (chunks) => <span className="sub">{chunks}</span> })}</>;
}

/**
 * The national transfer queue: counting units counted locally whose results have not arrived. Units are the
 * election-day districts and each municipality's advance-vote unit — "telleenheter", not the public pages'
 * "kretser" (election-day districts only), so the two numbers are never set against each other.
 */
export function BacklogPanel({ queue, history, now }: { queue: QueueMetrics; history: OpsBoard['queueHistory']; now: Date }) {
  const t = useTranslations('opsBacklog');
  const locale = usePageLocale();
  return (
    <section className="panel ops-backlog" aria-labelledby="backlog-heading">
      <h2 id="backlog-heading">{t('heading')}</h2>
      <p className="lead">{t('lead')}</p>
      <dl className="key-figures key-figures--compact">
        <div>
          <dt>{t('depth')}</dt>
          <dd data-testid="queue-depth">{t('units', { count: queue.depth, n: formatInteger(queue.depth, locale) })}</dd>
        </div>
        <div>
          <dt>{t('oldest')}</dt>
          <dd>
            {queue.oldestPendingSince ? (
              <><time dateTime={queue.oldestPendingSince}>{formatClockShort(queue.oldestPendingSince, locale)}</time> <span className="sub">{formatAge(queue.oldestPendingSince, now, locale)}</span></>
            ) : '–'}
          </dd>
        </div>
        <div>
          <dt>{t('drain')}</dt>
          <dd>{t('perMinute', { n: formatDecimal(queue.drainPerMinute, locale) })}</dd>
        </div>
        <div>
          <dt>{t('emptyIn')}</dt>
          <dd><Eta queue={queue} now={now} /></dd>
        </div>
        <div>
          <dt>{t('municipalities')}</dt>
          <dd data-testid="queue-municipalities">{formatInteger(queue.municipalitiesWithBacklog, locale)}</dd>
        </div>
        <div>
          <dt>{t('ledgers')}</dt>
          <dd data-testid="queue-ledgers">{t('ledgerUnits', { counted: formatInteger(queue.districtsCountedLocally, locale), received: formatInteger(queue.districtsReceived, locale) })}</dd>
        </div>
        <div>
          <dt>{t('ballots')}</dt>
          <dd data-testid="queue-ballots">{t('about', { n: formatInteger(queue.ballotsPendingEstimate, locale) })}</dd>
        </div>
      </dl>
      <LazyQueueChart history={history} />
    </section>
  );
}
