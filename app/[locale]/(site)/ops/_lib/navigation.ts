/** The session is gone (expired or signed out elsewhere): sign in again. */
export function goToSignIn(): void {
  window.location.assign('/ops/logg-inn');
}
