'use client';
import { useTranslations } from 'next-intl';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { ACK_REASON_CODES, type Alert, type BoardRow } from '../../../../../lib/contracts/ops.ts';
import { computeBallotsWaiting, sortAlertsForTriage } from '../../../../../lib/domain/alert-order.ts';
import { formatAge, formatClockShort, formatInteger } from '../../../../../lib/format.ts';
import { renderStateReason } from '../../../../../lib/domain/state-reason.ts';
import { StateBadge } from '../../../../_components/status-badge.tsx';
import { usePageLocale } from '../../../../_i18n/use-page-locale.ts';
import { useAcknowledge } from '../_lib/use-acknowledge.ts';
import { acknowledgeAlertAction } from '../actions.ts';

const FIRST_SHOWN = 10;

/**
 * Active alerts for triage: open ones first, then the most severe, then the most ballots still to come. Each
 * shows its municipality's current reason (from the board) and how long, counted live on the board's clock —
 * not the text stored when it was raised. Each can be acknowledged (again, to change owner or expiry).
 */
export function AlertList({ alerts, rows, operator, now, onAcknowledged }: {
  alerts: Alert[];
  rows: BoardRow[];
  operator: string;
  now: Date;
  onAcknowledged: (alert: Alert) => void;
}) {
  const t = useTranslations('opsAlerts');
  const locale = usePageLocale();
  const [query, setQuery] = useState('');
  const [showAll, setShowAll] = useState(false);
  const byNumber = useMemo(() => new Map(rows.map((r) => [r.number, r])), [rows]);
  const sorted = useMemo(() => {
    const q = query.trim().toLocaleLowerCase('nb');
    return sortAlertsForTriage(alerts.filter((a) => !q || a.name.toLocaleLowerCase('nb').includes(q) || a.municipality.startsWith(q)), byNumber);
  }, [alerts, query, byNumber]);
  const open = alerts.filter((a) => a.status === 'open').length;
  // The most urgent few, and the rest on request: on a bad night hundreds of alerts would push the board
  // off the screen, and a scroll box inside the page hid the largest ones.
  const shown = showAll || query.trim() ? sorted : sorted.slice(0, FIRST_SHOWN);
  return (
    <section className="panel ops-alerts" role="region" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">{t('heading')}</h2>
      <p className="lead">
        {alerts.length === 0 ? t('none') : t('counts', { open: formatInteger(open, locale), acknowledged: formatInteger(alerts.length - open, locale) })}
        {' '}{t('realert')}
      </p>
      {alerts.length > 5 ? (
        <label className="field field--inline">
          {t('find')}
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('findPlaceholder')} autoComplete="off" />
        </label>
      ) : null}
      {sorted.length > 0 ? (
        <ul className="alert-list" aria-label={t('listLabel')}>
          {shown.map((alert) => (
            <AlertItem key={alert.id} alert={alert} row={byNumber.get(alert.municipality)} operator={operator} now={now} onAcknowledged={onAcknowledged} />
          ))}
        </ul>
      ) : null}
      {sorted.length > FIRST_SHOWN && !query.trim() ? (
        <button type="button" className="button button--small alert-list__more" aria-expanded={showAll} onClick={() => setShowAll(!showAll)}>
          {showAll ? t('showFirst', { n: formatInteger(FIRST_SHOWN, locale) }) : t('showAll', { n: formatInteger(sorted.length, locale) })}
        </button>
      ) : null}
    </section>
  );
}

function AlertItem({ alert, row, operator, now, onAcknowledged }: { alert: Alert; row: BoardRow | undefined; operator: string; now: Date; onAcknowledged: (alert: Alert) => void }) {
  const [formOpen, setFormOpen] = useState(false);
  const t = useTranslations('opsAlerts');
  const locale = usePageLocale();
  const [message, setMessage] = useState<string | null>(null);
  const formId = useId();
  return (
    <li className={`alert alert--${alert.status}`} data-alert={alert.id} data-municipality={alert.municipality} data-kind={alert.kind}>
      <div className="alert__head">
        <StateBadge state={alert.kind} />
        <span className="alert__name">{alert.name} <span className="muted">{alert.municipality}</span></span>
        <span className={`alert-status alert-status--${alert.status}`}>{t(`status.${alert.status}`)}</span>
      </div>
      {/* The reason as of now, from the board's facts in the page's language; when the board no longer has the
          row, the alert's own facts as of its last escalation (the bokmål sentence only for alerts from before
          facts were kept). */}
      <p className="alert__reason" data-testid="alert-reason">{row ? renderStateReason(row.stateInfo.reasonFacts, locale) : alert.reasonFacts ? renderStateReason(alert.reasonFacts, locale) : alert.reason}</p>
      {row ? (
        <p className="alert__meta" data-testid="alert-since">
          {row.stateInfo.since ? (
            <>
              {t.rich('since', {
                clock: formatClockShort(row.stateInfo.since, locale),
                age: formatAge(row.stateInfo.since, now, locale),
                time: (chunks) => <time dateTime={row.stateInfo.since ?? undefined}>{chunks}</time>,
              })}
              {' · '}
            </>
          ) : null}
          {t('ballotsLeft', { n: formatInteger(computeBallotsWaiting(row), locale) })}
        </p>
      ) : null}
      <p className="alert__meta">
        {t.rich('raisedAt', {
          clock: formatClockShort(alert.raisedAt, locale),
          age: formatAge(alert.raisedAt, now, locale),
          time: (chunks) => <time dateTime={alert.raisedAt}>{chunks}</time>,
        })}
        {alert.status === 'acknowledged' && alert.acknowledgedAt ? (
          <>
            {' · '}{t('acknowledgedBy', { owner: alert.acknowledgedBy ?? '', clock: formatClockShort(alert.acknowledgedAt, locale) })}
            {alert.ackReasonCode ? ` (${t(`ackReasons.${alert.ackReasonCode}`)})` : ''}
            {alert.ackText ? `: «${alert.ackText}»` : ''}
            {alert.ackExpiresAt ? (
              <>
                {' · '}
                {t.rich('validUntil', {
                  clock: formatClockShort(alert.ackExpiresAt, locale),
                  time: (chunks) => <time dateTime={alert.ackExpiresAt ?? undefined}>{chunks}</time>,
                })}
              </>
            ) : null}
          </>
        ) : null}
      </p>
      <button type="button" className="button button--small" aria-expanded={formOpen} aria-controls={formId} onClick={() => { setFormOpen(!formOpen); setMessage(null); }}>
        {t.rich(alert.status === 'open' ? 'acknowledge' : 'changeAck', { name: alert.name, hidden: (chunks) => <span className="visually-hidden">{chunks}</span> })}
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
            setMessage(t('acknowledged', { clock: updated.ackExpiresAt ? formatClockShort(updated.ackExpiresAt, locale) : '–' }));
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
  const { pending, error, submit: send } = useAcknowledge('opsAlerts');
  const t = useTranslations('opsAlerts');
  const locale = usePageLocale();

  function submit(event: FormEvent<HTMLFormElement>) {
    const note = publicNote.trim();
    return send(event, () => acknowledgeAlertAction(alert.id, {
      reasonCode, text: text.trim(), owner: owner.trim(), expiresInMinutes: Number(minutes),
      // Empty leaves the current note as it is; notes are changed or removed under "Vis forløp".
      ...(note ? { publicNote: note } : {}),
    }), onDone);
  }

  return (
    <form id={id} className="form ack-form" onSubmit={submit} aria-label={t('formLabel', { name: alert.name })}>
      {error ? <p role="alert" className="form__error">{error}</p> : null}
      <div className="field">
        <label htmlFor={`${id}-reason`}>{t('reason')}</label>
        {/* The options are the reason codes, so the value is one of them. */}
        <select id={`${id}-reason`} value={reasonCode} onChange={(e) => setReasonCode(e.target.value as typeof reasonCode)}>
          {ACK_REASON_CODES.map((code) => <option key={code} value={code}>{t(`ackReasons.${code}`)}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>{t('comment')}</label>
        <textarea id={`${id}-text`} value={text} onChange={(e) => setText(e.target.value)} maxLength={500} rows={2} />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-owner`}>{t('owner')}</label>
          <input id={`${id}-owner`} value={owner} onChange={(e) => setOwner(e.target.value)} required maxLength={80} autoComplete="off" />
        </div>
        <div className="field field--narrow">
          <label htmlFor={`${id}-minutes`}>{t('minutes')}</label>
          <input id={`${id}-minutes`} type="number" inputMode="numeric" min={1} max={1440} step={1} value={minutes} onChange={(e) => setMinutes(e.target.value)} required />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>{t('publicNote')}</label>
        <textarea id={`${id}-note`} value={publicNote} onChange={(e) => setPublicNote(e.target.value)} maxLength={280} rows={2} aria-describedby={`${id}-note-hint`} />
        <span id={`${id}-note-hint`} className="field__hint">{t('publicNoteHint', { left: formatInteger(280 - publicNote.length, locale) })}</span>
      </div>
      <button type="submit" className="button button--primary" disabled={pending}>{pending ? t('submitting') : t('submit')}</button>
    </form>
  );
}
