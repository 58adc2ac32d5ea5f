'use client';
// The watchlist is the operators': add a municipality or take one off, always with a reason. The change is
// in the revision log and reaches the public overview and the watchlist embed live.
import { useTranslations } from 'next-intl';
import { useId, useState, type FormEvent } from 'react';
import type { WatchlistAnswer, WatchlistEntry } from '../../../../../lib/contracts/ops.ts';
import { formatInteger } from '../../../../../lib/format.ts';
import { usePageLocale } from '../../../../_i18n/use-page-locale.ts';
import { goToSignIn } from '../_lib/navigation.ts';
import { setWatchAction } from '../actions.ts';

type Message = { ok: boolean; text: string } | null;

function useWatchChange(onSaved: (answer: WatchlistAnswer) => void) {
  const t = useTranslations('opsWatchlist');
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  async function send(number: string, watch: boolean, reason: string): Promise<boolean> {
    setPending(true);
    setMessage(null);
    try {
      const answer = await setWatchAction(number, watch, { reason });
      if (answer.ok) {
        onSaved(answer.value);
        const v = answer.value;
        const text = t(!v.changed ? (v.watch ? 'alreadyOn' : 'alreadyOff') : v.watch ? 'added' : 'removed', { name: v.name });
        setMessage({ ok: true, text });
        return true;
      }
      if (answer.error === 'unauthenticated') goToSignIn();
      else setMessage({ ok: false, text: answer.error === 'not_found' ? t('notFound', { number }) : t('saveFailed', { message: answer.message }) });
    } catch {
      setMessage({ ok: false, text: t('saveOffline') });
    } finally {
      setPending(false);
    }
    return false;
  }
  return { pending, message, send };
}

export function WatchlistPanel({ watchlist, candidates, onSaved }: {
  watchlist: WatchlistEntry[];
  /** Suggestions for the number field: municipalities not complete and not watched (any number is accepted). */
  candidates: ReadonlyArray<{ number: string; name: string }>;
  onSaved: (answer: WatchlistAnswer) => void;
}) {
  const t = useTranslations('opsWatchlist');
  const locale = usePageLocale();
  const id = useId();
  const [number, setNumber] = useState('');
  const [addReason, setAddReason] = useState('');
  const [removeNumber, setRemoveNumber] = useState('');
  const [removeReason, setRemoveReason] = useState('');
  const add = useWatchChange(onSaved);
  const remove = useWatchChange(onSaved);

  async function submitAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (await add.send(number.trim(), true, addReason.trim())) {
      setNumber('');
      setAddReason('');
    }
  }
  async function submitRemove(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (await remove.send(removeNumber, false, removeReason.trim())) {
      setRemoveNumber('');
      setRemoveReason('');
    }
  }

  return (
    <section className="panel ops-watchlist" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('heading', { count: formatInteger(watchlist.length, locale) })}</h2>
      <p className="muted">{t('lead')}</p>
      <div className="ops-watchlist__forms">
        <form className="form" onSubmit={submitAdd} aria-labelledby={`${id}-add`}>
          <h3 id={`${id}-add`}>{t('addHeading')}</h3>
          <div className="field">
            <label htmlFor={`${id}-number`}>{t('number')}</label>
            <input id={`${id}-number`} value={number} onChange={(e) => setNumber(e.target.value)} inputMode="numeric" pattern="\d{4}" maxLength={4} required autoComplete="off" list={`${id}-candidates`} />
            <datalist id={`${id}-candidates`}>
              {candidates.map((c) => <option key={c.number} value={c.number}>{c.name}</option>)}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor={`${id}-add-reason`}>{t('addReason')}</label>
            <input id={`${id}-add-reason`} value={addReason} onChange={(e) => setAddReason(e.target.value)} maxLength={280} required />
          </div>
          {add.message ? <p role={add.message.ok ? 'status' : 'alert'} className={add.message.ok ? 'form__ok' : 'form__error'}>{add.message.text}</p> : null}
          <button type="submit" className="button button--primary" disabled={add.pending}>{add.pending ? t('saving') : t('add')}</button>
        </form>
        <form className="form" onSubmit={submitRemove} aria-labelledby={`${id}-remove`}>
          <h3 id={`${id}-remove`}>{t('removeHeading')}</h3>
          <div className="field">
            <label htmlFor={`${id}-remove-number`}>{t('removeNumber')}</label>
            <select id={`${id}-remove-number`} value={removeNumber} onChange={(e) => setRemoveNumber(e.target.value)} required>
              <option value="">{t('choose')}</option>
              {watchlist.map((w) => <option key={w.number} value={w.number}>{w.name} ({w.number})</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-remove-reason`}>{t('removeReason')}</label>
            <input id={`${id}-remove-reason`} value={removeReason} onChange={(e) => setRemoveReason(e.target.value)} maxLength={280} required />
          </div>
          {remove.message ? <p role={remove.message.ok ? 'status' : 'alert'} className={remove.message.ok ? 'form__ok' : 'form__error'}>{remove.message.text}</p> : null}
          <button type="submit" className="button" disabled={remove.pending}>{remove.pending ? t('saving') : t('remove')}</button>
        </form>
      </div>
      <details>
        <summary>{t('showList')}</summary>
        <ul className="ops-watchlist__list">
          {watchlist.map((w) => (
            <li key={w.number} data-municipality={w.number}>
              {w.name} <span className="muted">{w.number} · {w.countyName}</span>
              {/* The reason is the operator's, shown as written. */}
              {w.reason ? <span className="sub"> — {w.reason}</span> : null}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
