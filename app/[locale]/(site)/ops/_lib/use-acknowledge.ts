import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import type { ActionResult } from '../actions.ts';
import { goToSignIn } from './navigation.ts';

/**
 * Sending an acknowledge form (an alert's, the feed incident's): pending while the action runs, and the
 * refusal in the words of `namespace` (its `ackConflict`, `ackFailed`, `ackOffline`); a lost session goes
 * to the sign-in page.
 */
export function useAcknowledge(namespace: 'opsAlerts' | 'opsFeed') {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const t = useTranslations(namespace);

  async function submit<T>(event: FormEvent<HTMLFormElement>, send: () => Promise<ActionResult<T>>, onDone: (value: T) => void): Promise<void> {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const answer = await send();
      if (answer.ok) onDone(answer.value);
      else if (answer.error === 'unauthenticated') goToSignIn();
      else if (answer.error === 'conflict') setError(t('ackConflict'));
      else setError(t('ackFailed', { message: answer.message }));
    } catch {
      setError(t('ackOffline'));
    } finally {
      setPending(false);
    }
  }

  return { pending, error, clearError: () => setError(null), submit };
}
