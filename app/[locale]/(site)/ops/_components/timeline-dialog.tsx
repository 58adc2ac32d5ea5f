'use client';
import { useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { BoardRow, MunicipalityState, MunicipalityTimeline } from '../../../../../lib/contracts/ops.ts';
import { formatAge, formatClockShort, formatInteger } from '../../../../../lib/format.ts';
import { renderStateReason } from '../../../../../lib/domain/state-reason.ts';
import { StateBadge, useStateLabels } from '../../../../_components/status-badge.tsx';
import { usePageLocale } from '../../../../_i18n/use-page-locale.ts';
import { goToSignIn } from '../_lib/navigation.ts';
import { setOversightAction, timelineAction } from '../actions.ts';
import { LazyTimelineChart } from './lazy-ops-charts.tsx';
import { formatMinutes } from './ops-format.ts';

export interface OversightSaved {
  municipality: string;
  underReview: boolean;
  publicNote: string | null;
  state: MunicipalityState;
}

const REFRESH_MS = 5000;

/** One municipality's course through the night, and what operators say about it. A modal dialog. */
export function TimelineDialog({ row, seq, now, onClose, onSaved }: {
  row: BoardRow;
  /** The board's seq: the timeline is fetched again (at most every few seconds) when it moves. */
  seq: number;
  now: Date;
  onClose: () => void;
  onSaved: (saved: OversightSaved) => void;
}) {
  const t = useTranslations('opsTimeline');
  const locale = usePageLocale();
  const dialog = useRef<HTMLDialogElement>(null);
  const [timeline, setTimeline] = useState<MunicipalityTimeline | null>(null);
  // null for no contact: the words are the render's, in the page's language; a refusal carries the sidecar's.
  const [error, setError] = useState<{ message: string | null } | null>(null);
  const seqRef = useRef(seq);
  seqRef.current = seq;
  const headingId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  useEffect(() => {
    let cancelled = false;
    let loadedSeq = -1;
    const load = async () => {
      const wanted = seqRef.current;
      try {
        const answer = await timelineAction(row.number);
        if (cancelled) return;
        if (answer.ok) {
          loadedSeq = wanted;
          setTimeline(answer.value);
          setError(null);
        } else if (answer.error === 'unauthenticated') goToSignIn();
        else setError({ message: answer.message });
      } catch {
        if (!cancelled) setError({ message: null });
      }
    };
    void load();
    const timer = setInterval(() => {
      if (seqRef.current !== loadedSeq) void load();
    }, REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [row.number]);

  const info = row.stateInfo;
  return (
    <dialog ref={dialog} className="ops-dialog" aria-labelledby={headingId} onClose={onClose}>
      <div className="ops-dialog__head">
        <h2 id={headingId}>{t('heading', { name: row.name })} <span className="muted">{row.number}</span></h2>
        <button type="button" className="button button--quiet" onClick={() => dialog.current?.close()}>{t('close')}</button>
      </div>
      <p className="ops-dialog__state">
        <StateBadge state={info.state} /> {renderStateReason(info.reasonFacts, locale)}
        {info.since ? <> · {t('since', { clock: formatClockShort(info.since, locale), age: formatAge(info.since, now, locale) })}</> : null}
      </p>
      {error ? <p role="alert" className="form__error">{t('loadFailed', { message: error.message ?? t('offline') })}</p> : null}
      {timeline ? (
        <>
          <LazyTimelineChart timeline={timeline} now={now.toISOString()} districtsTotal={row.districtsTotal} name={row.name} />
          <SpanList timeline={timeline} now={now} />
        </>
      ) : error ? null : <div className="chart chart--loading" aria-hidden="true" />}
      <OversightForm row={row} onSaved={onSaved} />
    </dialog>
  );
}

/** The state history as text: the chart's bands in words, and its text alternative. */
function SpanList({ timeline, now }: { timeline: MunicipalityTimeline; now: Date }) {
  const t = useTranslations('opsTimeline');
  const locale = usePageLocale();
  const last = timeline.progress.at(-1);
  return (
    <div className="span-list">
      <h3>{t('spansHeading')}</h3>
      {timeline.spans.length === 0 ? <p className="muted">{t('noSpans')}</p> : (
        <ol>
          {timeline.spans.map((span) => {
            const to = span.to ?? now.toISOString();
            return (
              <li key={span.from} data-state={span.state}>
                <StateBadge state={span.state} />{' '}
                {t('span', { from: formatClockShort(span.from, locale), to: span.to ? formatClockShort(span.to, locale) : t('now') })}
                <span className="muted"> ({formatMinutes((Date.parse(to) - Date.parse(span.from)) / 60_000, locale)})</span>
              </li>
            );
          })}
        </ol>
      )}
      <p className="muted">
        {last
          ? t('lastReceived', {
            clock: formatClockShort(last.at, locale),
            count: last.districtsReported,
            districts: formatInteger(last.districtsReported, locale),
            ballots: formatInteger(last.ballotsCounted, locale),
          })
          : t('noResults')}
      </p>
    </div>
  );
}

function OversightForm({ row, onSaved }: { row: BoardRow; onSaved: (saved: OversightSaved) => void }) {
  const STATE_LABELS = useStateLabels();
  const t = useTranslations('opsTimeline');
  const locale = usePageLocale();
  const id = useId();
  const [underReview, setUnderReview] = useState(row.stateInfo.state === 'under_review');
  const [note, setNote] = useState(row.stateInfo.publicNote ?? '');
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setMessage(null);
    try {
      const trimmed = note.trim();
      const answer = await setOversightAction(row.number, { underReview, publicNote: trimmed === '' ? null : trimmed });
      if (answer.ok) {
        onSaved(answer.value);
        setMessage({ ok: true, text: t('saved', { state: STATE_LABELS[answer.value.state].toLocaleLowerCase(locale) }) });
      } else if (answer.error === 'unauthenticated') goToSignIn();
      else setMessage({ ok: false, text: t('saveFailed', { message: answer.message }) });
    } catch {
      setMessage({ ok: false, text: t('saveOffline') });
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="form oversight-form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('oversightHeading')}</h3>
      <label className="field field--check">
        <input type="checkbox" checked={underReview} onChange={(e) => setUnderReview(e.target.checked)} />
        {t('underReview')}
      </label>
      <div className="field">
        <label htmlFor={`${id}-note`}>{t('publicNote')}</label>
        <textarea id={`${id}-note`} value={note} onChange={(e) => setNote(e.target.value)} maxLength={280} rows={3} aria-describedby={`${id}-hint`} />
        <span id={`${id}-hint`} className="field__hint">{t('publicNoteHint', { left: formatInteger(280 - note.length, locale) })}</span>
      </div>
      {message ? <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'form__ok' : 'form__error'}>{message.text}</p> : null}
      <button type="submit" className="button button--primary" disabled={pending}>{pending ? t('saving') : t('save')}</button>
    </form>
  );
}
