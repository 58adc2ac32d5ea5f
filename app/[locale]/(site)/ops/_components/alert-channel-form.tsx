'use client';
import { useActionState } from 'react';
import { ALERT_KINDS } from '../../../../../lib/contracts/ops.ts';
import { STATE_NAMES } from '../../../../../lib/domain/revision.ts';
import { createAlertChannelAction, type ChannelFormState } from '../actions.ts';

const INITIAL: ChannelFormState = { error: null, secret: null, created: null };

export function AlertChannelForm() {
  const [state, action, pending] = useActionState(createAlertChannelAction, INITIAL);
  return (
    <form action={action} className="panel form" aria-labelledby="new-channel-heading">
      <h2 id="new-channel-heading">Ny kanal</h2>
      {state.error ? <p role="alert" className="form__error">{state.error}</p> : null}
      {state.created ? (
        <div role="status" className="form__ok">
          <p>Kanalen «{state.created}» er lagt til.</p>
          {state.secret ? (
            <p>
              Hemmelig nøkkel for signaturen (vises bare nå): <code>{state.secret}</code>
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="field-row">
        <div className="field">
          <label htmlFor="channel-name">Navn</label>
          <input id="channel-name" name="name" required maxLength={80} />
        </div>
        <div className="field">
          <label htmlFor="channel-kind">Type</label>
          <select id="channel-kind" name="kind" defaultValue="webhook">
            <option value="webhook">Webhook (signert JSON)</option>
            <option value="slack">Slack (innkommende webhook)</option>
            <option value="email">E-post</option>
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="channel-target">Adresse</label>
        <input id="channel-target" name="target" required maxLength={2000} />
        <p className="field__hint">URL for webhook og Slack; e-postadresser skilt med komma for e-post.</p>
      </div>
      <fieldset className="field">
        <legend>Varseltyper (ingen valgt: alle)</legend>
        {ALERT_KINDS.map((kind) => (
          <label key={kind} className="field--check">
            <input type="checkbox" name="alertKinds" value={kind} /> {STATE_NAMES[kind]}
          </label>
        ))}
      </fieldset>
      <div className="field-row">
        <div className="field">
          <label htmlFor="channel-scope">Kommuner</label>
          <select id="channel-scope" name="scope" defaultValue="all">
            <option value="all">Alle</option>
            <option value="watchlist">Overvåkningslisten</option>
            <option value="county">Ett fylke</option>
          </select>
        </div>
        <div className="field field--narrow">
          <label htmlFor="channel-county">Fylkesnummer</label>
          <input id="channel-county" name="county" inputMode="numeric" pattern="\d{1,2}" maxLength={2} />
        </div>
      </div>
      <button type="submit" className="button button--primary" disabled={pending}>{pending ? 'Legger til …' : 'Legg til kanal'}</button>
    </form>
  );
}
