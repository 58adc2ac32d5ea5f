'use client';
// The operations console: the board the sidecar pushes over /ops, replaced whole on every push, with the
// backlog, the alerts and the stall board. Operator actions go through server actions (the session cookie
// never reaches this code); their answers are applied at once and the next push confirms them.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Alert, BoardRow, OpsBoard, WatchlistAnswer } from '../../../../../lib/contracts/ops.ts';
import type { ClockAnchor } from '../../../../_hooks/use-live-state.ts';
import { useServerNow } from '../../../../_hooks/use-server-now.ts';
import { resolveSidecarUrl, type ConnectionState } from '../../../../_lib/live-socket.ts';
import { goToSignIn } from '../_lib/navigation.ts';
import { connectOps } from '../_lib/ops-socket.ts';
import { boardAction, socketTicketAction } from '../actions.ts';
import { AlertList } from './alert-list.tsx';
import { FeedPanel } from './feed-panel.tsx';
import type { FeedIncident } from '../../../../../lib/contracts/feed-status.ts';
import { BacklogPanel } from './backlog-panel.tsx';
import { OpsMap } from './ops-map.tsx';
import { OpsStatus } from './ops-status.tsx';
import { SIGNING_OUT_EVENT } from './sign-out-form.tsx';
import { StallBoard } from './stall-board.tsx';
import { TimelineDialog, type OversightSaved } from './timeline-dialog.tsx';
import { WatchlistPanel } from './watchlist-panel.tsx';

/** A push and a fetch may cross: keep whichever reflects more of the log (or, at the same seq, later time). */
function isNewer(next: OpsBoard, current: OpsBoard): boolean {
  return next.seq > current.seq || (next.seq === current.seq && next.clock.now >= current.clock.now);
}


export function OpsConsole({ initialBoard, operator, initialTicket, sidecarUrl }: {
  initialBoard: OpsBoard;
  operator: string;
  /** Issued with the page, so the first connection needs no extra round trip. */
  initialTicket: string | null;
  sidecarUrl: string | null;
}) {
  const [board, setBoard] = useState(initialBoard);
  const [anchor, setAnchor] = useState<ClockAnchor>(() => ({ clock: initialBoard.clock, receivedAt: Date.now() }));
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [timelineFor, setTimelineFor] = useState<BoardRow | null>(null);
  const boardRef = useRef(board);

  const commit = useCallback((next: OpsBoard) => {
    boardRef.current = next;
    setBoard(next);
    setAnchor({ clock: next.clock, receivedAt: Date.now() });
  }, []);

  useEffect(() => {
    let ticket = initialTicket;
    let failures = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const accept = (next: OpsBoard) => {
      if (isNewer(next, boardRef.current)) commit(next);
    };
    const socket = connectOps(resolveSidecarUrl(sidecarUrl), async () => {
      if (ticket) {
        const first = ticket;
        ticket = null;
        return first;
      }
      const fresh = await socketTicketAction();
      if (fresh.ok) return fresh.value;
      if (fresh.error === 'unauthenticated') goToSignIn();
      return null;
    });
    socket.on('board:updated', accept);
    socket.on('connect', () => {
      failures = 0;
      setConnection('live');
      // Pushes come on changes and evaluations only: after a gap the board may be behind, so fetch it.
      if (!socket.recovered) {
        void boardAction().then((answer) => {
          if (answer.ok) accept(answer.value);
          else if (answer.error === 'unauthenticated') goToSignIn();
        }, () => {});
      }
    });
    socket.on('disconnect', (reason) => {
      setConnection('reconnecting');
      // Socket.IO retries by itself unless the server closed the connection.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', () => {
      setConnection('reconnecting');
      // A refused ticket is final for Socket.IO; try again, with a fresh one, after a growing pause.
      if (!socket.active) {
        failures += 1;
        clearTimeout(retry);
        retry = setTimeout(() => socket.connect(), Math.min(10_000, 500 * 2 ** failures));
      }
    });
    const stop = () => {
      clearTimeout(retry);
      socket.disconnect();
    };
    window.addEventListener(SIGNING_OUT_EVENT, stop);
    return () => {
      window.removeEventListener(SIGNING_OUT_EVENT, stop);
      stop();
    };
  }, [commit, initialTicket, sidecarUrl]);

  const now = useServerNow(anchor, 5000);

  const applyAlert = useCallback((alert: Alert) => {
    const current = boardRef.current;
    commit({ ...current, alerts: current.alerts.map((a) => (a.id === alert.id ? alert : a)) });
  }, [commit]);

  const applyFeedIncident = useCallback((incident: FeedIncident) => {
    const current = boardRef.current;
    if (current.feed) commit({ ...current, feed: { ...current.feed, incident } });
  }, [commit]);

  const applyOversight = useCallback((saved: OversightSaved) => {
    const current = boardRef.current;
    commit({
      ...current,
      rows: current.rows.map((r) => (r.number === saved.municipality
        ? { ...r, stateInfo: { ...r.stateInfo, state: saved.state, publicNote: saved.publicNote } }
        : r)),
    });
  }, [commit]);

  const applyWatch = useCallback((saved: WatchlistAnswer) => {
    const current = boardRef.current;
    const others = current.watchlist.filter((w) => w.number !== saved.municipality);
    const row = current.rows.find((r) => r.number === saved.municipality);
    const held = current.watchlist.find((w) => w.number === saved.municipality);
    const entry = { number: saved.municipality, name: saved.name, countyName: row?.countyName ?? held?.countyName ?? '', reason: saved.reason };
    commit({
      ...current,
      watchlist: saved.watch ? [...others, entry].sort((a, b) => a.number.localeCompare(b.number)) : others,
      rows: current.rows.map((r) => (r.number === saved.municipality ? { ...r, watch: saved.watch } : r)),
    });
  }, [commit]);

  const watchCandidates = useMemo(() => board.rows.filter((r) => !r.watch).map((r) => ({ number: r.number, name: r.name })), [board.rows]);

  // The dialog follows the live row; if the municipality completes meanwhile, it keeps the last one seen.
  const timelineRow = timelineFor ? (board.rows.find((r) => r.number === timelineFor.number) ?? timelineFor) : null;

  return (
    <div className="ops">
      <OpsStatus connection={connection} anchor={anchor} board={board} />
      <FeedPanel feed={board.feed} operator={operator} now={now} onAcknowledged={applyFeedIncident} />
      <div className="ops-top">
        <BacklogPanel queue={board.queue} history={board.queueHistory} now={now} />
        <AlertList alerts={board.alerts} rows={board.rows} operator={operator} now={now} onAcknowledged={applyAlert} />
      </div>
      <WatchlistPanel watchlist={board.watchlist} candidates={watchCandidates} onSaved={applyWatch} />
      <StallBoard rows={board.rows} now={now} onShowTimeline={setTimelineFor} />
      <OpsMap rows={board.rows} now={now} />
      {timelineRow ? (
        <TimelineDialog row={timelineRow} seq={board.seq} now={now} onClose={() => setTimelineFor(null)} onSaved={applyOversight} />
      ) : null}
    </div>
  );
}
