'use client';
import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { signInAction, type SignInState } from '../actions.ts';

const INITIAL: SignInState = { error: null, name: '' };

export function SignInForm() {
  const [state, action, pending] = useActionState(signInAction, INITIAL);
  const t = useTranslations('signIn');
  return (
    <form action={action} className="panel form sign-in__form">
      {state.error ? <p role="alert" className="form__error">{state.error}</p> : null}
      <div className="field">
        <label htmlFor="sign-in-name">{t('name')}</label>
        <input id="sign-in-name" name="name" autoComplete="username" required defaultValue={state.name} autoCapitalize="none" spellCheck={false} />
      </div>
      <div className="field">
        <label htmlFor="sign-in-password">{t('password')}</label>
        <input id="sign-in-password" name="password" type="password" autoComplete="current-password" required />
      </div>
      <button type="submit" className="button button--primary" disabled={pending}>{pending ? t('pending') : t('submit')}</button>
    </form>
  );
}
