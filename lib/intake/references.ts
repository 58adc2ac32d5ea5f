// The reference data (municipalities, districts, party lists) is checked once, where a report comes in:
// the ingest routes refuse an unknown one against the read model (lib/domain/report-rules.ts), naming the
// field, before the report is queued. The read model and the writer's ids are loaded from the same seeded
// reference data, so by the time a report is decided its references have ids; one without is a bug in the
// caller, not a client's mistake, and is thrown rather than answered as a refusal.

/** A reference that reached the decision without being checked (a programming error). */
export class UncheckedReferenceError extends Error {
  constructor(what: string) {
    super(`${what} has no id: reports reach the ingest decision only after the routes checked their references (lib/domain/report-rules.ts)`);
    this.name = 'UncheckedReferenceError';
  }
}

/** The id of a reference the routes have checked; throws UncheckedReferenceError if there is none. */
export function requireReference<T>(id: T | undefined, what: string): T {
  if (id === undefined) throw new UncheckedReferenceError(what);
  return id;
}
