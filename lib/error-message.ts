// What went wrong, as text, from anything a `catch` can catch: JavaScript lets code throw any value, so the
// caught value is `unknown` and need not have a message.
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
