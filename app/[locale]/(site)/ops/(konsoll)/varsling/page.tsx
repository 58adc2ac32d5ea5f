import { redirectInLocale } from '../../../../../_i18n/redirect.ts';
import { listAlertChannels, listAlertDeliveries } from '../../../../../_data/ops.ts';
import { STATE_NAMES } from '../../../../../../lib/domain/revision.ts';
import type { AlertKind } from '../../../../../../lib/contracts/ops.ts';
import { formatDateTime } from '../../../../../../lib/format.ts';
import { AlertChannelForm } from '../../_components/alert-channel-form.tsx';
import { deleteAlertChannelAction, setAlertChannelEnabledAction, testAlertChannelAction } from '../../actions.ts';

// Channels and their delivery log, as the sidecar has them now.
export const dynamic = 'force-dynamic';

const KIND_NAMES = { webhook: 'Webhook', slack: 'Slack', email: 'E-post' } as const;
const STATUS_NAMES = { pending: 'venter', sending: 'sendes', sent: 'sendt', failed: 'feilet' } as const;
const EVENT_NAMES: Record<string, string> = {
  'alert.raised': 'nytt varsel', 'alert.updated': 'endret', 'alert.acknowledged': 'kvittert', 'alert.reopened': 'åpnet igjen', 'alert.resolved': 'løst', test: 'test',
};

function describeScope(scope: string): string {
  if (scope === 'all') return 'alle kommuner';
  if (scope === 'watchlist') return 'overvåkningslisten';
  return `fylke ${scope.slice('county:'.length)}`;
}

export default async function AlertChannelsPage() {
  const [channels, deliveries] = await Promise.all([listAlertChannels(), listAlertDeliveries(100)]);
  if ((!channels.ok && channels.error === 'unauthenticated') || (!deliveries.ok && deliveries.error === 'unauthenticated')) return redirectInLocale('/ops/logg-inn');
  if (!channels.ok) throw new Error(`alert channels: ${channels.message}`);
  if (!deliveries.ok) throw new Error(`alert deliveries: ${deliveries.message}`);
  return (
    <>
      <h1>Varsling</h1>
      <p className="lead">Kanaler som får beskjed når et varsel reises, endres (skjerpes), kvitteres, åpnes igjen eller løses.</p>
      <section className="panel" aria-labelledby="channels-heading">
        <h2 id="channels-heading">Kanaler</h2>
        {channels.value.length === 0 ? <p className="muted">Ingen kanaler ennå.</p> : (
          <div className="table-scroll">
            <table className="data-table">
              <thead>
                <tr><th scope="col">Navn</th><th scope="col">Type</th><th scope="col">Adresse</th><th scope="col">Varsler</th><th scope="col">I kø</th><th scope="col">Feilet</th><th scope="col">Status</th><th scope="col"><span className="visually-hidden">Handlinger</span></th></tr>
              </thead>
              <tbody>
                {channels.value.map((channel) => (
                  <tr key={channel.id}>
                    <th scope="row">{channel.name}</th>
                    <td>{KIND_NAMES[channel.kind]}</td>
                    <td className="nowrap">{channel.target}</td>
                    <td>{channel.alertKinds.length === 0 ? 'alle typer' : channel.alertKinds.map((k: AlertKind) => STATE_NAMES[k]).join(', ')}, {describeScope(channel.scope)}</td>
                    <td>{channel.queued}</td>
                    <td>{channel.failed}</td>
                    <td>{channel.enabled ? 'på' : 'av'}</td>
                    <td className="nowrap alert-channel-actions">
                      <form action={testAlertChannelAction}>
                        <input type="hidden" name="id" value={channel.id} />
                        <button type="submit" className="button button--primary button--small">Send test</button>
                      </form>{' '}
                      <form action={setAlertChannelEnabledAction}>
                        <input type="hidden" name="id" value={channel.id} />
                        <input type="hidden" name="enabled" value={String(!channel.enabled)} />
                        <button type="submit" className="button button--small button--quiet">{channel.enabled ? 'Slå av' : 'Slå på'}</button>
                      </form>{' '}
                      <form action={deleteAlertChannelAction}>
                        <input type="hidden" name="id" value={channel.id} />
                        <button type="submit" className="button button--small button--quiet" aria-label={`Slett ${channel.name}`}>Slett</button>
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
        <h2 id="deliveries-heading">Leveringslogg</h2>
        {deliveries.value.length === 0 ? <p className="muted">Ingenting sendt ennå.</p> : (
          <div className="table-scroll">
            <table className="data-table">
              <thead>
                <tr><th scope="col">Opprettet</th><th scope="col">Kanal</th><th scope="col">Hendelse</th><th scope="col">Status</th><th scope="col">Forsøk</th><th scope="col">Neste forsøk</th><th scope="col">Siste feil</th></tr>
              </thead>
              <tbody>
                {deliveries.value.map((delivery) => (
                  <tr key={delivery.id}>
                    <td className="nowrap">{formatDateTime(delivery.createdAt)}</td>
                    <td>{delivery.channelName}</td>
                    <td>{EVENT_NAMES[delivery.event] ?? delivery.event}{delivery.seq === null ? '' : ` (#${delivery.seq})`}</td>
                    <td>{STATUS_NAMES[delivery.status]}</td>
                    <td>{delivery.attempts}</td>
                    <td className="nowrap">{delivery.nextAttemptAt ? formatDateTime(delivery.nextAttemptAt) : '–'}</td>
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
