'use client';
import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { ALERT_KINDS } from '../../../../../lib/contracts/ops.ts';
import { stateNames } from '../../../../../lib/domain/revision.ts';
import { usePageLocale } from '../../../../_i18n/use-page-locale.ts';
import { createAlertChannelAction, type ChannelFormState } from '../actions.ts';

const INITIAL: ChannelFormState = { error: null, secret: null, created: null };

export function AlertChannelForm() {
  const t = useTranslations('opsChannelForm');
  const names = stateNames(usePageLocale());
  const [state, action, pending] = useActionState(createAlertChannelAction, INITIAL);
  return (
    <form action={action} className="panel form" aria-labelledby="new-channel-heading">
      <h2 id="new-channel-heading">{t('heading')}</h2>
      {state.error ? <p role="alert" className="form__error">{state.error}</p> : null}
      {state.created ? (
        <div role="status" className="form__ok">
          <p>{t('created', { name: state.created })}</p>
          {state.secret ? (
            <p>
              {t('secret')} <code>{state.secret}</code>
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="field-row">
        <div className="field">
          <label htmlFor="channel-name">{t('name')}</label>
          <input id="channel-name" name="name" required maxLength={80} />
        </div>
        <div className="field">
          <label htmlFor="channel-kind">{t('kind')}</label>
          <select id="channel-kind" name="kind" defaultValue="webhook">
            <option value="webhook">{t('kinds.webhook')}</option>
            <option value="slack">{t('kinds.slack')}</option>
            <option value="email">{t('kinds.email')}</option>
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="channel-target">{t('target')}</label>
        <input id="channel-target" name="target" required maxLength={2000} />
        <p className="field__hint">{t('targetHint')}</p>
      </div>
      <fieldset className="field">
        <legend>{t('alertKinds')}</legend>
        {ALERT_KINDS.map((kind) => (
          <label key={kind} className="field--check">
            <input type="checkbox" name="alertKinds" value={kind} /> {names[kind]}
          </label>
        ))}
      </fieldset>
      <div className="field-row">
        <div className="field">
          <label htmlFor="channel-scope">{t('scope')}</label>
          <select id="channel-scope" name="scope" defaultValue="all">
            <option value="all">{t('scopes.all')}</option>
            <option value="watchlist">{t('scopes.watchlist')}</option>
            <option value="county">{t('scopes.county')}</option>
          </select>
        </div>
        <div className="field field--narrow">
          <label htmlFor="channel-county">{t('county')}</label>
          <input id="channel-county" name="county" inputMode="numeric" pattern="\d{1,2}" maxLength={2} />
        </div>
      </div>
      <button type="submit" className="button button--primary" disabled={pending}>{pending ? t('submitting') : t('submit')}</button>
    </form>
  );
}
