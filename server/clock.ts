// The sidecar's notion of "now", injected so tests and the replay of an election night control it.
// Production uses the wall clock. A replay faster than real time starts the sidecar with a simulated
// clock (CLOCK_MODE=simulated) that runs at `speed` × real time from `start`, and that the replay may set
// forward or re-pace through PUT /api/v1/clock; it never goes backwards.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface SimulatedClock extends Clock {
  readonly mode: 'simulated';
  speed(): number;
  /** Moves to `at` (not before now) and/or changes the pace; 0 pauses it. */
  set(change: { at?: Date; speed?: number }): void;
}

export function createSimulatedClock(start: Date, speed: number, wallNow: () => number = () => performance.now()): SimulatedClock {
  let anchorSim = start.getTime();
  let anchorWall = wallNow();
  let pace = speed;
  const current = () => anchorSim + (wallNow() - anchorWall) * pace;
  return {
    mode: 'simulated',
    now: () => new Date(Math.floor(current())),
    speed: () => pace,
    set(change) {
      const now = current();
      if (change.at && change.at.getTime() < now) throw new RangeError(`the clock does not go backwards (now ${new Date(now).toISOString()})`);
      // Whole milliseconds: now() reports floored time, and setting the clock to a reported now must work.
      anchorSim = change.at ? change.at.getTime() : Math.floor(now);
      anchorWall = wallNow();
      if (change.speed !== undefined) pace = change.speed;
    },
  };
}

export function isSimulatedClock(clock: Clock): clock is SimulatedClock {
  return 'mode' in clock && clock.mode === 'simulated';
}

/** A clock tests move by hand. */
export function createFixedClock(start: Date): Clock & { set(at: Date): void; advance(ms: number): void } {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (at) => { current = at.getTime(); },
    advance: (ms) => { current += ms; },
  };
}

/**
 * Where a simulated clock starts: CLOCK_START, or — after a restart — the time of the newest recorded
 * change if that is later, so the revision log's times never go backwards.
 */
export function resumeSimulatedClockAt(configuredStart: Date, latestRecorded: Date | null): Date {
  return latestRecorded && latestRecorded.getTime() > configuredStart.getTime() ? latestRecorded : configuredStart;
}
