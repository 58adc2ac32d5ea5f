import { localizePath, splitLocalePath } from '../../../../../lib/locale-routing.ts';

/** The session is gone (expired or signed out elsewhere): sign in again, in the console's language. */
export function goToSignIn(): void {
  window.location.assign(localizePath('/ops/logg-inn', splitLocalePath(window.location.pathname).locale));
}
