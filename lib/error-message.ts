// What went wrong, as text, from anything a `catch` can catch: JavaScript lets code throw any value, so the
// caught value is `unknown` and need not have a message.
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The `code` a Node system error carries ('ENOENT', 'EADDRINUSE'); undefined when the caught value has none. */
export function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}
