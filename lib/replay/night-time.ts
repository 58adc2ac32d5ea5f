// Times on election night. Scenario files may write "23:20" or "01:00" (local time in the election's
// time zone on the night of the election: hours before noon are the next morning) or a full ISO 8601
// instant. The night — its day, time zone and poll closing — comes from the election's package.
import { zonedTimeToInstant } from '../election-package/zoned-time.ts';

export interface ElectionNight {
  /** YYYY-MM-DD */
  electionDay: string;
  /** IANA time zone of the election's local times, e.g. Europe/Oslo. */
  timeZone: string;
  /** Local HH:MM at which the polls close. */
  pollsClose: string;
}

function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

export function parseNightTime(value: string, night: ElectionNight): Date {
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
  return zonedTimeToInstant(hours < 12 ? nextDay(night.electionDay) : night.electionDay, value, night.timeZone);
}

/** Minutes after the polls close on election day → the instant. */
export function afterPollsClose(minutes: number, night: ElectionNight): Date {
  return new Date(zonedTimeToInstant(night.electionDay, night.pollsClose, night.timeZone).getTime() + minutes * 60_000);
}

export function addMinutes(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * 60_000);
}
