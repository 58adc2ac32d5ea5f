'use client';
import { useEffect, useState } from 'react';
import { estimateServerNow, type ClockAnchor } from './use-live-state.ts';

/**
 * The sidecar's "now" (simulated during a replay), re-estimated every `everyMs`. Starts from the rendered
 * reading, so the server's HTML and the browser's first render agree; ticks once mounted.
 */
export function useServerNow(anchor: ClockAnchor, everyMs: number): Date {
  const [now, setNow] = useState(() => new Date(anchor.clock.now));
  useEffect(() => {
    const tick = () => setNow(estimateServerNow(anchor));
    tick();
    const timer = setInterval(tick, everyMs);
    return () => clearInterval(timer);
  }, [anchor, everyMs]);
  return now;
}
