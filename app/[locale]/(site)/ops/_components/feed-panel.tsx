'use client';
// The official feed's watchdog on the operators' board: the feed's health, the last good poll, errors, lag
// and unreadable paths, and the one feed_down incident an outage raises (acknowledgeable like an alert).
import { useId, useState, type FormEvent } from 'react';
import type { FeedIncident, FeedPanel as FeedPanelData, FeedHealth } from '../../../../../lib/contracts/feed-status.ts';
import { computeFeedHealth, computeFeedSource, describeFeedOutage } from '../../../../../lib/domain/feed-status.ts';
import { formatAge, formatClock, formatClockShort, formatInteger } from '../../../../../lib/format.ts';
import { goToSignIn } from '../_lib/navigation.ts';
import { acknowledgeFeedIncidentAction } from '../actions.ts';

const HEALTH_LABELS: Record<FeedHealth, string> = {
  ok: 'Leses normalt',
  degraded: 'Delvis lesbar',
  down: 'Svarer ikke',
  late: 'Vaktprogrammet har ikke meldt seg',
};
const STATUS_LABELS: Record<FeedIncident['status'], string> = { open: 'Åpent', acknowledged: 'Kvittert', resolved: 'Løst' };

function formatLag(seconds: number | null): string {
  if (seconds === null) return '–';
  if (Math.abs(seconds) < 120) return `${Math.round(seconds)} s`;
  return `${Math.round(seconds / 60)} min`;
}

export function FeedPanel({ feed, operator, now, onAcknowledged }: {
  feed: FeedPanelData | undefined;
  operator: string;
  now: Date;
  onAcknowledged: (incident: FeedIncident) => void;
}) {
  const status = feed?.status ?? null;
  if (!feed || !status) {
    return (
      <section className="panel ops-feed" role="region" aria-labelledby="feed-heading" data-health="none">
        <h2 id="feed-heading">Kilde</h2>
        <p className="lead" data-testid="feed-health">Kommunenes egne rapporter: ingen offisiell strøm er meldt.</p>
      </section>
    );
  }
  // Judged again on the board's clock: a silent watchdog turns late between pushes.
  const health = computeFeedHealth(status, now) ?? feed.health ?? status.state;
  return (
    <section className="panel ops-feed" role="region" aria-labelledby="feed-heading" data-health={health}>
      <h2 id="feed-heading">Kilde: {status.source}</h2>
      <p className={`lead feed-health feed-health--${health}`} data-testid="feed-health">{HEALTH_LABELS[health]}</p>
      {feed.incident ? <IncidentItem incident={feed.incident} currentReason={describeFeedOutage(computeFeedSource(status, now))} operator={operator} now={now} onAcknowledged={onAcknowledged} /> : null}
      <dl className="key-figures feed-figures">
        <div>
          <dt>Sist lest uten feil</dt>
          <dd data-testid="feed-last-good">
            {status.lastGoodPollAt ? <><time dateTime={status.lastGoodPollAt}>{formatClock(status.lastGoodPollAt)}</time> <span className="feed-figures__sub">{formatAge(status.lastGoodPollAt, now)}</span></> : 'aldri'}
          </dd>
        </div>
        <div>
          <dt>Feil i siste runde</dt>
          <dd data-testid="feed-errors">{formatInteger(status.errors)}</dd>
        </div>
        <div>
          <dt>Mislykte runder på rad</dt>
          <dd>{formatInteger(status.consecutiveFailures)}</dd>
        </div>
        <div>
          <dt>Forsinkelse</dt>
          <dd data-testid="feed-lag">{formatLag(status.lagSeconds)}</dd>
        </div>
        <div>
          <dt>Sist meldt</dt>
          <dd><time dateTime={status.at}>{formatClock(status.at)}</time> <span className="feed-figures__sub">hvert {formatInteger(status.intervalSeconds)}. sekund</span></dd>
        </div>
        <div>
          <dt>Stoppvarsler holdt tilbake</dt>
          <dd data-testid="feed-held">{formatInteger(feed.heldStalls)}</dd>
        </div>
      </dl>
      {status.outageSince ? <p className="alert__meta">Brudd siden kl. <time dateTime={status.outageSince}>{formatClockShort(status.outageSince)}</time> ({formatAge(status.outageSince, now)})</p> : null}
      {status.unreadable.length > 0 ? (
        <details className="feed-unreadable" open={status.unreadable.length <= 5}>
          <summary>{status.unreadable.length === 1 ? '1 uleselig sti' : `${formatInteger(status.unreadable.length)} uleselige stier`}{status.unreadable.length >= 50 ? ' (de første 50)' : ''}</summary>
          <ul aria-label="Uleselige stier">
            {status.unreadable.map((entry) => <li key={entry.path}><code>{entry.path}</code>: {entry.reason}</li>)}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

/** `currentReason`: why the feed is out now; the reason stored at the raise may be another cause by now. */
function IncidentItem({ incident, currentReason, operator, now, onAcknowledged }: { incident: FeedIncident; currentReason: string | null; operator: string; now: Date; onAcknowledged: (incident: FeedIncident) => void }) {
  const [formOpen, setFormOpen] = useState(false);
  const [owner, setOwner] = useState(incident.acknowledgedBy ?? operator);
  const [text, setText] = useState(incident.ackText ?? '');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const formId = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const answer = await acknowledgeFeedIncidentAction(incident.id, { owner: owner.trim(), text: text.trim() });
      if (answer.ok) {
        onAcknowledged(answer.value);
        setFormOpen(false);
      } else if (answer.error === 'unauthenticated') goToSignIn();
      else if (answer.error === 'conflict') setError('Varselet er allerede løst: kilden svarer igjen.');
      else setError(`Kunne ikke kvittere: ${answer.message}`);
    } catch {
      setError('Kunne ikke kvittere: ingen kontakt med serveren. Prøv igjen.');
    } finally {
      setPending(false);
    }
  }

  return (
    <div className={`alert alert--${incident.status}`} data-feed-incident={incident.id} data-kind={incident.kind}>
      <div className="alert__head">
        <span className="alert__name">Kilden svarer ikke</span>
        <span className={`alert-status alert-status--${incident.status}`}>{STATUS_LABELS[incident.status]}</span>
      </div>
      <p className="alert__reason" data-testid="feed-incident-reason">{incident.status !== 'resolved' && currentReason ? currentReason : incident.reason}</p>
      <p className="alert__meta">
        Varslet kl. <time dateTime={incident.raisedAt}>{formatClockShort(incident.raisedAt)}</time> ({formatAge(incident.raisedAt, now)})
        {incident.status === 'acknowledged' && incident.acknowledgedAt
          ? <>{' · '}Kvittert av {incident.acknowledgedBy} kl. {formatClockShort(incident.acknowledgedAt)}{incident.ackText ? `: «${incident.ackText}»` : ''}</>
          : null}
      </p>
      <p className="alert__meta">Ett varsel for hele bruddet: kommuner som blir stille mens kilden er nede, varsles ikke hver for seg.</p>
      <button type="button" className="button button--small" aria-expanded={formOpen} aria-controls={formId} onClick={() => { setFormOpen(!formOpen); setError(null); }}>
        {incident.status === 'open' ? 'Kvitter' : 'Endre kvittering'}
        <span className="visually-hidden"> varselet om kilden</span>
      </button>
      {formOpen ? (
        <form id={formId} className="form ack-form" onSubmit={submit} aria-label="Kvitter varselet om kilden">
          {error ? <p role="alert" className="form__error">{error}</p> : null}
          <div className="field">
            <label htmlFor={`${formId}-owner`}>Ansvarlig</label>
            <input id={`${formId}-owner`} value={owner} onChange={(e) => setOwner(e.target.value)} required maxLength={80} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor={`${formId}-text`}>Intern kommentar</label>
            <textarea id={`${formId}-text`} value={text} onChange={(e) => setText(e.target.value)} maxLength={500} rows={2} />
          </div>
          <button type="submit" className="button button--primary" disabled={pending}>{pending ? 'Kvitterer …' : 'Kvitter varsel'}</button>
        </form>
      ) : null}
    </div>
  );
}
