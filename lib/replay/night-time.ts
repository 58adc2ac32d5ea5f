// Times on election night. Scenario files may write "23:20" or "01:00" (Norwegian time on the night of
// the election: hours before noon are the next morning) or a full ISO 8601 instant.
const OSLO_SUMMER_OFFSET = '+02:00';

export function parseNightTime(value: string, electionDay: string): Date {
  const short = value.match(/^(\d{2}):(\d{2})$/);
  if (!short) {
    // Only an instant: without an offset, Date would read the time in the machine's own zone and the same
    // scenario would give a different plan elsewhere.
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) throw new RangeError(`not a time: ${value} (an ISO 8601 instant needs an offset, e.g. +02:00)`);
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) throw new RangeError(`not a time: ${value}`);
    return at;
  }
  const [hours, minutes] = [Number(short[1]), Number(short[2])];
  if (hours > 23 || minutes > 59) throw new RangeError(`not a time: ${value}`);
  const day = new Date(`${electionDay}T00:00:00${OSLO_SUMMER_OFFSET}`);
  if (hours < 12) day.setUTCDate(day.getUTCDate() + 1);
  return new Date(day.getTime() + (hours * 60 + minutes) * 60_000);
}

/** Minutes after 21:00 on election day → the instant. */
export function afterPollsClose(minutes: number, electionDay: string): Date {
  return new Date(new Date(`${electionDay}T21:00:00${OSLO_SUMMER_OFFSET}`).getTime() + minutes * 60_000);
}

export function addMinutes(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * 60_000);
}
