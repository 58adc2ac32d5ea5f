'use client';
import { usePageLocale } from '../../../../_i18n/use-page-locale.ts';
import { useTranslations } from 'next-intl';
import type { OpsBoard } from '../../../../../lib/contracts/ops.ts';
import { formatClock, formatInteger } from '../../../../../lib/format.ts';
import { isBehind } from '../../../../../lib/domain/night-status.ts';
import type { ClockAnchor } from '../../../../_hooks/use-live-state.ts';
import { useServerNow } from '../../../../_hooks/use-server-now.ts';
import type { ConnectionState } from '../../../../_lib/live-socket.ts';
import { formatDay } from './ops-format.ts';


/** Whether the board is live, the sidecar's clock (simulated during a replay) and the night in numbers. */
export function OpsStatus({ connection, anchor, board }: { connection: ConnectionState; anchor: ClockAnchor; board: OpsBoard }) {
  const now = useServerNow(anchor, 1000);
  const t = useTranslations('ops');
  const locale = usePageLocale();
  const tl = useTranslations('liveStatus');
  const problems = board.rows.filter((r) => isBehind(r.stateInfo.state)).length;
  const open = board.alerts.filter((a) => a.status === 'open').length;
  const simulated = anchor.clock.mode === 'simulated';
  return (
    <div className="ops-status">
      {/* Only the connection is announced; the ticking clock would be noise to a screen reader. */}
      <p className="live-status" role="status" aria-live="polite" data-connection={connection}>
        <span className={`live-dot live-dot--${connection}`} aria-hidden="true" />
        <span className="live-status__state">{tl(`connection.${connection}`)}</span>
      </p>
      <p className="ops-clock">
        {t('clock')} <time dateTime={now.toISOString()} data-testid="ops-clock">{formatClock(now.toISOString(), locale)}</time>
        <span className="muted"> {formatDay(now.toISOString(), locale)}</span>
        {simulated ? <span className="ops-clock__sim"> · {t('simulated', { speed: formatInteger(anchor.clock.speed, locale) })}</span> : null}
      </p>
      <p className="ops-summary">
        {t.rich('summary', { notDone: formatInteger(board.rows.length, locale), problems: formatInteger(problems, locale), open: formatInteger(open, locale), strong: (chunks) => <strong>{chunks}</strong> })}
      </p>
    </div>
  );
}
