'use client';
import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { ALERT_CHANNEL_KINDS } from '../../../../../lib/contracts/alert-channels.ts';
import { ALERT_KINDS } from '../../../../../lib/contracts/ops.ts';
import { stateNames } from '../../../../../lib/domain/revision.ts';
import { usePageLocale } from '../../../../_i18n/use-page-locale.ts';
import { createAlertChannelAction, type ChannelFormState } from '../actions.ts';

const INITIAL: ChannelFormState = { error: null, secret: null, created: null };
/** The scopes offered; "county" takes its number from the county field (the action makes it "county:NN"). */
const SCOPE_CHOICES = ['all', 'watchlist', 'county'] as const;

/** A labelled select of the form (`channel-<name>`), one option per choice. */
function SelectField<T extends string>({ name, label, options, defaultValue, optionLabel }: {
  name: string;
  label: string;
  options: readonly T[];
  defaultValue: T;
  optionLabel: (option: T) => string;
}) {
  return (
    <div className="field">
      <label htmlFor={`channel-${name}`}>{label}</label>
      <select id={`channel-${name}`} name={name} defaultValue={defaultValue}>
        {options.map((option) => <option key={option} value={option}>{optionLabel(option)}</option>)}
      </select>
    </div>
  );
}

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
        <SelectField name="kind" label={t('kind')} options={ALERT_CHANNEL_KINDS} defaultValue="webhook" optionLabel={(kind) => t(`kinds.${kind}`)} />
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
        <SelectField name="scope" label={t('scope')} options={SCOPE_CHOICES} defaultValue="all" optionLabel={(scope) => t(`scopes.${scope}`)} />
        <div className="field field--narrow">
          <label htmlFor="channel-county">{t('county')}</label>
          <input id="channel-county" name="county" inputMode="numeric" pattern="\d{1,2}" maxLength={2} />
        </div>
      </div>
      <button type="submit" className="button button--primary" disabled={pending}>{pending ? t('submitting') : t('submit')}</button>
    </form>
  );
}
