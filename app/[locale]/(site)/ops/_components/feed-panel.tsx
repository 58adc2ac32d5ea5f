'use client';
// The official feed's watchdog on the operators' board: the feed's health, the last good poll, errors, lag
// and unreadable paths, and the one feed_down incident an outage raises (acknowledgeable like an alert).
import { useTranslations } from 'next-intl';
import { useId, useState, type FormEvent } from 'react';
import type { FeedIncident, FeedPanel as FeedPanelData } from '../../../../../lib/contracts/feed-status.ts';
import { computeFeedHealth, computeFeedSource, describeFeedOutage } from '../../../../../lib/domain/feed-status.ts';
import { formatAge, formatClock, formatClockShort, formatInteger } from '../../../../../lib/format.ts';
import type { Locale } from '../../../../../lib/i18n/locale.ts';
import { usePageLocale } from '../../../../_i18n/use-page-locale.ts';
import { useAcknowledge } from '../_lib/use-acknowledge.ts';
import { acknowledgeFeedIncidentAction } from '../actions.ts';

type Translate = ReturnType<typeof useTranslations>;

function formatLag(seconds: number | null, t: Translate, locale: Locale): string {
  if (seconds === null) return '–';
  if (Math.abs(seconds) < 120) return t('lagSeconds', { n: formatInteger(Math.round(seconds), locale) });
  return t('lagMinutes', { n: formatInteger(Math.round(seconds / 60), locale) });
}

export function FeedPanel({ feed, operator, now, onAcknowledged }: {
  feed: FeedPanelData | undefined;
  operator: string;
  now: Date;
  onAcknowledged: (incident: FeedIncident) => void;
}) {
  const t = useTranslations('opsFeed');
  const locale = usePageLocale();
  const status = feed?.status ?? null;
  if (!feed || !status) {
    return (
      <section className="panel ops-feed" role="region" aria-labelledby="feed-heading" data-health="none">
        <h2 id="feed-heading">{t('heading')}</h2>
        <p className="lead" data-testid="feed-health">{t('noFeed')}</p>
      </section>
    );
  }
  // Judged again on the board's clock: a silent watchdog turns late between pushes.
  const health = computeFeedHealth(status, now) ?? feed.health ?? status.state;
  return (
    <section className="panel ops-feed" role="region" aria-labelledby="feed-heading" data-health={health}>
      <h2 id="feed-heading">{t('headingSource', { source: status.source })}</h2>
      <p className={`lead feed-health feed-health--${health}`} data-testid="feed-health">{t(`health.${health}`)}</p>
      {feed.incident ? <IncidentItem incident={feed.incident} currentReason={describeFeedOutage(computeFeedSource(status, now), locale)} operator={operator} now={now} onAcknowledged={onAcknowledged} /> : null}
      <dl className="key-figures feed-figures">
        <div>
          <dt>{t('lastGood')}</dt>
          <dd data-testid="feed-last-good">
            {status.lastGoodPollAt ? <><time dateTime={status.lastGoodPollAt}>{formatClock(status.lastGoodPollAt, locale)}</time> <span className="feed-figures__sub">{formatAge(status.lastGoodPollAt, now, locale)}</span></> : t('never')}
          </dd>
        </div>
        <div>
          <dt>{t('errors')}</dt>
          <dd data-testid="feed-errors">{formatInteger(status.errors, locale)}</dd>
        </div>
        <div>
          <dt>{t('failures')}</dt>
          <dd>{formatInteger(status.consecutiveFailures, locale)}</dd>
        </div>
        <div>
          <dt>{t('lag')}</dt>
          <dd data-testid="feed-lag">{formatLag(status.lagSeconds, t, locale)}</dd>
        </div>
        <div>
          <dt>{t('lastReport')}</dt>
          <dd><time dateTime={status.at}>{formatClock(status.at, locale)}</time> <span className="feed-figures__sub">{t('interval', { count: status.intervalSeconds, n: formatInteger(status.intervalSeconds, locale) })}</span></dd>
        </div>
        <div>
          <dt>{t('held')}</dt>
          <dd data-testid="feed-held">{formatInteger(feed.heldStalls, locale)}</dd>
        </div>
      </dl>
      {status.outageSince ? (
        <p className="alert__meta">
          {t.rich('outageSince', {
            clock: formatClockShort(status.outageSince, locale),
            age: formatAge(status.outageSince, now, locale),
            time: (chunks) => <time dateTime={status.outageSince ?? undefined}>{chunks}</time>,
          })}
        </p>
      ) : null}
      {status.unreadable.length > 0 ? (
        <details className="feed-unreadable" open={status.unreadable.length <= 5}>
          <summary>
            {t('unreadable', { count: status.unreadable.length, n: formatInteger(status.unreadable.length, locale) })}
            {status.unreadable.length >= 50 ? t('unreadableFirst', { n: formatInteger(50, locale) }) : ''}
          </summary>
          {/* Each path's reason is what the feed's fetch or parser said, shown as written. */}
          <ul aria-label={t('unreadableLabel')}>
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
  const { pending, error, clearError, submit: send } = useAcknowledge('opsFeed');
  const formId = useId();
  const t = useTranslations('opsFeed');
  const locale = usePageLocale();

  function submit(event: FormEvent<HTMLFormElement>) {
    return send(event, () => acknowledgeFeedIncidentAction(incident.id, { owner: owner.trim(), text: text.trim() }), (acknowledged) => {
      onAcknowledged(acknowledged);
      setFormOpen(false);
    });
  }

  return (
    <div className={`alert alert--${incident.status}`} data-feed-incident={incident.id} data-kind={incident.kind}>
      <div className="alert__head">
        <span className="alert__name">{t('incidentName')}</span>
        <span className={`alert-status alert-status--${incident.status}`}>{t(`status.${incident.status}`)}</span>
      </div>
      {/* Open: the cause now, in the page's language. Resolved: the reason stored at the raise (bokmål text). */}
      <p className="alert__reason" data-testid="feed-incident-reason">{incident.status !== 'resolved' && currentReason ? currentReason : incident.reason}</p>
      <p className="alert__meta">
        {t.rich('raisedAt', {
          clock: formatClockShort(incident.raisedAt, locale),
          age: formatAge(incident.raisedAt, now, locale),
          time: (chunks) => <time dateTime={incident.raisedAt}>{chunks}</time>,
        })}
        {incident.status === 'acknowledged' && incident.acknowledgedAt
          ? <>{' · '}{t('acknowledgedBy', { owner: incident.acknowledgedBy ?? '', clock: formatClockShort(incident.acknowledgedAt, locale) })}{incident.ackText ? `: «${incident.ackText}»` : ''}</>
          : null}
      </p>
      <p className="alert__meta">{t('oneForOutage')}</p>
      <button type="button" className="button button--small" aria-expanded={formOpen} aria-controls={formId} onClick={() => { setFormOpen(!formOpen); clearError(); }}>
        {t.rich(incident.status === 'open' ? 'acknowledge' : 'changeAck', { hidden: (chunks) => <span className="visually-hidden">{chunks}</span> })}
      </button>
      {formOpen ? (
        <form id={formId} className="form ack-form" onSubmit={submit} aria-label={t('formLabel')}>
          {error ? <p role="alert" className="form__error">{error}</p> : null}
          <div className="field">
            <label htmlFor={`${formId}-owner`}>{t('owner')}</label>
            <input id={`${formId}-owner`} value={owner} onChange={(e) => setOwner(e.target.value)} required maxLength={80} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor={`${formId}-text`}>{t('comment')}</label>
            <textarea id={`${formId}-text`} value={text} onChange={(e) => setText(e.target.value)} maxLength={500} rows={2} />
          </div>
          <button type="submit" className="button button--primary" disabled={pending}>{pending ? t('submitting') : t('submit')}</button>
        </form>
      ) : null}
    </div>
  );
}
