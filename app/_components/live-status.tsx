'use client';
import { useEffect, useState } from 'react';
import { formatAge, formatClock } from '../../lib/format.ts';
import type { ConnectionState } from '../_lib/live-socket.ts';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'Kobler til …',
  live: 'Direkte',
  reconnecting: 'Frakoblet – prøver igjen',
};

/** Says whether the page is live and how fresh it is, so it is never silently late. */
export function LiveStatus({ connection, updatedAt, dataAt }: { connection: ConnectionState; updatedAt: string | null; dataAt: string | null }) {
  const [now, setNow] = useState<Date | null>(null);
  useEffect(() => {
    setNow(new Date());
    const timer = setInterval(() => setNow(new Date()), 5000);
    return () => clearInterval(timer);
  }, []);
  return (
    <p className="live-status" role="status" aria-live="polite" data-connection={connection}>
      <span className={`live-dot live-dot--${connection}`} aria-hidden="true" />
      <span className="live-status__state">{LABELS[connection]}</span>
      {dataAt ? (
        <span className="live-status__updated">
          {' · '}Sist nytt resultat kl. <time dateTime={dataAt}>{formatClock(dataAt)}</time>
          {now ? ` (${formatAge(dataAt, now)})` : null}
        </span>
      ) : (
        <span className="live-status__updated"> · Ingen resultater ennå</span>
      )}
      {updatedAt ? <span className="visually-hidden"> Siden ble oppdatert kl. {formatClock(updatedAt)}.</span> : null}
    </p>
  );
}
