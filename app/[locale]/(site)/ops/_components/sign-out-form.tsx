'use client';
import { signOutAction } from '../actions.ts';

/** Told to the console on this page: its socket is about to lose its session on purpose. */
export const SIGNING_OUT_EVENT = 'valgvakt:ops-signing-out';

/**
 * The sign-out button, still a plain form post without script. With script it first tells the console to
 * close its socket: otherwise the sidecar's close of that socket made it ask for a fresh ticket, a server
 * action that Next queued behind the sign-out and then sent to the sign-in page, which does not know it
 * ("Failed to find Server Action" in the web server's log on every sign-out).
 */
export function SignOutForm({ label }: { label: string }) {
  return (
    <form action={signOutAction} onSubmit={() => window.dispatchEvent(new Event(SIGNING_OUT_EVENT))}>
      <button type="submit" className="button button--quiet">{label}</button>
    </form>
  );
}
