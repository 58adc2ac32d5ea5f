// The sidecar's notion of "now", injected so tests (and later the replay's simulated night) control it.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export function createFixedClock(start: Date): Clock & { set(at: Date): void; advance(ms: number): void } {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (at) => { current = at.getTime(); },
    advance: (ms) => { current += ms; },
  };
}
