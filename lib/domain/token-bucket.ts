// A token bucket: `burst` requests at once, refilled at `perSecond`. Pure: the caller keeps the state and
// passes the time, so the sidecar limits each socket's events without a timer per socket.

export interface TokenBucket {
  tokens: number;
  /** When `tokens` was last computed, in ms. */
  at: number;
}

export interface BucketRate {
  perSecond: number;
  burst: number;
}

/** Takes one token if there is one; returns whether it was allowed and the new state. */
export function takeToken(bucket: TokenBucket | undefined, now: number, rate: BucketRate): { allowed: boolean; bucket: TokenBucket } {
  const previous = bucket ?? { tokens: rate.burst, at: now };
  // A clock that steps back refills nothing rather than draining.
  const elapsed = Math.max(0, now - previous.at);
  const tokens = Math.min(rate.burst, previous.tokens + (elapsed / 1000) * rate.perSecond);
  if (tokens < 1) return { allowed: false, bucket: { tokens, at: now } };
  return { allowed: true, bucket: { tokens: tokens - 1, at: now } };
}
