'use client';
import { formatAge, formatClock } from '../../lib/format.ts';
import type { ClockAnchor } from '../_hooks/use-live-state.ts';
import { useServerNow } from '../_hooks/use-server-now.ts';
import type { ConnectionState } from '../_lib/live-socket.ts';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'Kobler til …',
  live: 'Direkte',
  reconnecting: 'Frakoblet – prøver igjen',
};

/** Says whether the page is live and how fresh it is, so it is never silently late. */
export function LiveStatus({ connection, updatedAt, dataAt, clockAnchor }: {
  connection: ConnectionState;
  updatedAt: string | null;
  dataAt: string | null;
  clockAnchor: ClockAnchor;
}) {
  // Ages are measured on the sidecar's clock, so during a fast replay they are simulated minutes.
  const now = useServerNow(clockAnchor, 1000);
  const simulated = clockAnchor.clock.mode === 'simulated';
  return (
    <p className="live-status" role="status" aria-live="polite" data-connection={connection}>
      <span className={`live-dot live-dot--${connection}`} aria-hidden="true" />
      <span className="live-status__state">{LABELS[connection]}</span>
      {dataAt ? (
        <span className="live-status__updated">
          {' · '}Sist nytt resultat kl. <time dateTime={dataAt}>{formatClock(dataAt)}</time>
          {` (${formatAge(dataAt, now)})`}
        </span>
      ) : (
        <span className="live-status__updated"> · Ingen resultater ennå</span>
      )}
      {simulated ? (
        <span className="live-status__replay"> · Avspilling: klokken er {formatClock(now.toISOString())} ({clockAnchor.clock.speed}× fart)</span>
      ) : null}
      {updatedAt ? <span className="visually-hidden"> Siden ble oppdatert kl. {formatClock(updatedAt)}.</span> : null}
    </p>
  );
}
