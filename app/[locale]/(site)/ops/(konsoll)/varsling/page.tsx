import { getLocale, getTranslations } from 'next-intl/server';
import { redirectInLocale } from '../../../../../_i18n/redirect.ts';
import { listAlertChannels, listAlertDeliveries } from '../../../../../_data/ops.ts';
import { stateNames } from '../../../../../../lib/domain/revision.ts';
import { DEFAULT_LOCALE, isLocale } from '../../../../../../lib/i18n/locale.ts';
import type { AlertKind } from '../../../../../../lib/contracts/ops.ts';
import { formatDateTime, formatInteger } from '../../../../../../lib/format.ts';
import { AlertChannelForm } from '../../_components/alert-channel-form.tsx';
import { deleteAlertChannelAction, setAlertChannelEnabledAction, testAlertChannelAction } from '../../actions.ts';

// Channels and their delivery log, as the sidecar has them now.
export const dynamic = 'force-dynamic';

// The delivery events the catalogue names; another (newer) event is shown by its code.
const EVENTS = new Set(['alert.raised', 'alert.updated', 'alert.acknowledged', 'alert.reopened', 'alert.resolved', 'test']);

export default async function AlertChannelsPage() {
  const [channels, deliveries] = await Promise.all([listAlertChannels(), listAlertDeliveries(100)]);
  if ((!channels.ok && channels.error === 'unauthenticated') || (!deliveries.ok && deliveries.error === 'unauthenticated')) return redirectInLocale('/ops/logg-inn');
  if (!channels.ok) throw new Error(`alert channels: ${channels.message}`);
  if (!deliveries.ok) throw new Error(`alert deliveries: ${deliveries.message}`);
  const t = await getTranslations('opsChannels');
  const pageLocale = await getLocale();
  const locale = isLocale(pageLocale) ? pageLocale : DEFAULT_LOCALE;
  const names = stateNames(locale);
  const describeScope = (scope: string) => (scope === 'all' || scope === 'watchlist' ? t(`scopes.${scope}`) : t('scopes.county', { county: scope.slice('county:'.length) }));
  return (
    <>
      <h1>{t('heading')}</h1>
      <p className="lead">{t('lead')}</p>
      <section className="panel" aria-labelledby="channels-heading">
        <h2 id="channels-heading">{t('channels')}</h2>
        {channels.value.length === 0 ? <p className="muted">{t('noChannels')}</p> : (
          <div className="table-scroll">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('columns.name')}</th><th scope="col">{t('columns.kind')}</th><th scope="col">{t('columns.target')}</th>
                  <th scope="col">{t('columns.alerts')}</th><th scope="col">{t('columns.queued')}</th><th scope="col">{t('columns.failed')}</th>
                  <th scope="col">{t('columns.status')}</th><th scope="col"><span className="visually-hidden">{t('columns.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {channels.value.map((channel) => (
                  <tr key={channel.id}>
                    <th scope="row">{channel.name}</th>
                    <td>{t(`kinds.${channel.kind}`)}</td>
                    <td className="nowrap">{channel.target}</td>
                    <td>{channel.alertKinds.length === 0 ? t('allKinds') : channel.alertKinds.map((k: AlertKind) => names[k]).join(', ')}, {describeScope(channel.scope)}</td>
                    <td>{formatInteger(channel.queued, locale)}</td>
                    <td>{formatInteger(channel.failed, locale)}</td>
                    <td>{channel.enabled ? t('on') : t('off')}</td>
                    <td className="nowrap alert-channel-actions">
                      <form action={testAlertChannelAction}>
                        <input type="hidden" name="id" value={channel.id} />
                        <button type="submit" className="button button--primary button--small">{t('sendTest')}</button>
                      </form>{' '}
                      <form action={setAlertChannelEnabledAction}>
                        <input type="hidden" name="id" value={channel.id} />
                        <input type="hidden" name="enabled" value={String(!channel.enabled)} />
                        <button type="submit" className="button button--small button--quiet">{channel.enabled ? t('disable') : t('enable')}</button>
                      </form>{' '}
                      <form action={deleteAlertChannelAction}>
                        <input type="hidden" name="id" value={channel.id} />
                        <button type="submit" className="button button--small button--quiet" aria-label={t('deleteLabel', { name: channel.name })}>{t('delete')}</button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <AlertChannelForm />
      <section className="panel" aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">{t('deliveries')}</h2>
        {deliveries.value.length === 0 ? <p className="muted">{t('noDeliveries')}</p> : (
          <div className="table-scroll">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('columns.created')}</th><th scope="col">{t('columns.channel')}</th><th scope="col">{t('columns.event')}</th>
                  <th scope="col">{t('columns.status')}</th><th scope="col">{t('columns.attempts')}</th><th scope="col">{t('columns.nextAttempt')}</th>
                  <th scope="col">{t('columns.lastError')}</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.value.map((delivery) => (
                  <tr key={delivery.id}>
                    <td className="nowrap">{formatDateTime(delivery.createdAt, locale)}</td>
                    <td>{delivery.channelName}</td>
                    <td>{EVENTS.has(delivery.event) ? t(`events.${delivery.event.replace('.', '_')}`) : delivery.event}{delivery.seq === null ? '' : ` (#${delivery.seq})`}</td>
                    <td>{t(`statuses.${delivery.status}`)}</td>
                    <td>{formatInteger(delivery.attempts, locale)}</td>
                    <td className="nowrap">{delivery.nextAttemptAt ? formatDateTime(delivery.nextAttemptAt, locale) : '–'}</td>
                    {/* What the receiver or the network answered, as the sidecar stored it. */}
                    <td>{delivery.lastError ?? '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
