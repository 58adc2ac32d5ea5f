'use client';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { ACK_REASON_CODES, type Alert } from '../../../../lib/contracts/ops.ts';
import { formatAge, formatClockShort } from '../../../../lib/format.ts';
import { StateBadge } from '../../../_components/status-badge.tsx';
import { goToSignIn } from '../_lib/navigation.ts';
import { acknowledgeAlertAction } from '../actions.ts';

export const ACK_REASON_LABELS: Record<(typeof ACK_REASON_CODES)[number], string> = {
  known_delay: 'Kjent forsinkelse',
  contacted_municipality: 'Kommunen er kontaktet',
  technical_problem: 'Teknisk problem',
  recount: 'Omtelling',
  other: 'Annet',
};
const STATUS_LABELS: Record<Alert['status'], string> = { open: 'Åpent', acknowledged: 'Kvittert', resolved: 'Løst' };

/** Active alerts, open ones first; each can be acknowledged (again, to change owner or expiry). */
export function AlertList({ alerts, operator, now, onAcknowledged }: {
  alerts: Alert[];
  operator: string;
  now: Date;
  onAcknowledged: (alert: Alert) => void;
}) {
  const [query, setQuery] = useState('');
  const sorted = useMemo(() => {
    const q = query.trim().toLocaleLowerCase('nb');
    return alerts
      .filter((a) => !q || a.name.toLocaleLowerCase('nb').includes(q) || a.municipality.startsWith(q))
      .toSorted((a, b) => Number(b.status === 'open') - Number(a.status === 'open') || b.raisedAt.localeCompare(a.raisedAt));
  }, [alerts, query]);
  const open = alerts.filter((a) => a.status === 'open').length;
  return (
    <section className="panel ops-alerts" role="region" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">Varsler</h2>
      <p className="lead">
        {alerts.length === 0 ? 'Ingen aktive varsler.' : `${open} åpne, ${alerts.length - open} kvittert.`}
        {' '}Et kvittert varsel varsler igjen når kvitteringen utløper, om kommunen fortsatt ligger etter.
      </p>
      {alerts.length > 5 ? (
        <label className="field field--inline">
          Finn varsel
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Kommune eller nummer" autoComplete="off" />
        </label>
      ) : null}
      {sorted.length > 0 ? (
        <ul className="alert-list" aria-label="Aktive varsler" tabIndex={0}>
          {sorted.map((alert) => (
            <AlertItem key={alert.id} alert={alert} operator={operator} now={now} onAcknowledged={onAcknowledged} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function AlertItem({ alert, operator, now, onAcknowledged }: { alert: Alert; operator: string; now: Date; onAcknowledged: (alert: Alert) => void }) {
  const [formOpen, setFormOpen] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const formId = useId();
  return (
    <li className={`alert alert--${alert.status}`} data-alert={alert.id} data-municipality={alert.municipality}>
      <div className="alert__head">
        <StateBadge state={alert.kind} />
        <span className="alert__name">{alert.name} <span className="muted">{alert.municipality}</span></span>
        <span className={`alert-status alert-status--${alert.status}`}>{STATUS_LABELS[alert.status]}</span>
      </div>
      <p className="alert__reason">{alert.reason}</p>
      <p className="alert__meta">
        Varslet kl. <time dateTime={alert.raisedAt}>{formatClockShort(alert.raisedAt)}</time> ({formatAge(alert.raisedAt, now)})
        {alert.status === 'acknowledged' && alert.acknowledgedAt ? (
          <>
            {' · '}Kvittert av {alert.acknowledgedBy} kl. {formatClockShort(alert.acknowledgedAt)}
            {alert.ackReasonCode ? ` (${ACK_REASON_LABELS[alert.ackReasonCode]})` : ''}
            {alert.ackText ? `: «${alert.ackText}»` : ''}
            {alert.ackExpiresAt ? <> · gjelder til kl. <time dateTime={alert.ackExpiresAt}>{formatClockShort(alert.ackExpiresAt)}</time></> : null}
          </>
        ) : null}
      </p>
      <button type="button" className="button button--small" aria-expanded={formOpen} aria-controls={formId} onClick={() => { setFormOpen(!formOpen); setMessage(null); }}>
        {alert.status === 'open' ? 'Kvitter' : 'Endre kvittering'}
        <span className="visually-hidden"> varselet for {alert.name}</span>
      </button>
      {message ? <p role="status" className="form__ok">{message}</p> : null}
      {formOpen ? (
        <AcknowledgeForm
          id={formId}
          alert={alert}
          operator={operator}
          onDone={(updated) => {
            onAcknowledged(updated);
            setFormOpen(false);
            setMessage(`Kvittert. Varselet gjelder til kl. ${updated.ackExpiresAt ? formatClockShort(updated.ackExpiresAt) : '–'}.`);
          }}
        />
      ) : null}
    </li>
  );
}

function AcknowledgeForm({ id, alert, operator, onDone }: { id: string; alert: Alert; operator: string; onDone: (alert: Alert) => void }) {
  const [reasonCode, setReasonCode] = useState<(typeof ACK_REASON_CODES)[number]>(alert.ackReasonCode ?? 'known_delay');
  const [text, setText] = useState(alert.ackText ?? '');
  const [owner, setOwner] = useState(alert.acknowledgedBy ?? operator);
  const [minutes, setMinutes] = useState('30');
  const [publicNote, setPublicNote] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const note = publicNote.trim();
      const answer = await acknowledgeAlertAction(alert.id, {
        reasonCode, text: text.trim(), owner: owner.trim(), expiresInMinutes: Number(minutes),
        // Empty leaves the current note as it is; notes are changed or removed under "Vis forløp".
        ...(note ? { publicNote: note } : {}),
      });
      if (answer.ok) onDone(answer.value);
      else if (answer.error === 'unauthenticated') goToSignIn();
      else if (answer.error === 'conflict') setError('Varselet er allerede løst: kommunen rapporterer igjen.');
      else setError(`Kunne ikke kvittere: ${answer.message}`);
    } catch {
      setError('Kunne ikke kvittere: ingen kontakt med serveren. Prøv igjen.');
    } finally {
      setPending(false);
    }
  }

  return (
    <form id={id} className="form ack-form" onSubmit={submit} aria-label={`Kvitter varselet for ${alert.name}`}>
      {error ? <p role="alert" className="form__error">{error}</p> : null}
      <div className="field">
        <label htmlFor={`${id}-reason`}>Årsak</label>
        <select id={`${id}-reason`} value={reasonCode} onChange={(e) => setReasonCode(e.target.value as typeof reasonCode)}>
          {ACK_REASON_CODES.map((code) => <option key={code} value={code}>{ACK_REASON_LABELS[code]}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>Intern kommentar</label>
        <textarea id={`${id}-text`} value={text} onChange={(e) => setText(e.target.value)} maxLength={500} rows={2} />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-owner`}>Ansvarlig</label>
          <input id={`${id}-owner`} value={owner} onChange={(e) => setOwner(e.target.value)} required maxLength={80} autoComplete="off" />
        </div>
        <div className="field field--narrow">
          <label htmlFor={`${id}-minutes`}>Gyldig i (minutter)</label>
          <input id={`${id}-minutes`} type="number" inputMode="numeric" min={1} max={1440} step={1} value={minutes} onChange={(e) => setMinutes(e.target.value)} required />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>Offentlig merknad (valgfri)</label>
        <textarea id={`${id}-note`} value={publicNote} onChange={(e) => setPublicNote(e.target.value)} maxLength={280} rows={2} aria-describedby={`${id}-note-hint`} />
        <span id={`${id}-note-hint`} className="field__hint">Vises på de offentlige sidene. {280 - publicNote.length} tegn igjen. Tom: uendret.</span>
      </div>
      <button type="submit" className="button button--primary" disabled={pending}>{pending ? 'Kvitterer …' : 'Kvitter varsel'}</button>
    </form>
  );
}
