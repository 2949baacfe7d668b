// Retry schedule: exponential-ish backoff with ±20 % jitter over about three days (≈ 70 h in 10 attempts).
/** Delay after the n-th failed attempt (1-based), before jitter. */
export const RETRY_DELAYS_S = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600, 14 * 3600, 14 * 3600] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_S.length + 1;
/** A Retry-After longer than this is capped. */
export const MAX_RETRY_AFTER_S = 24 * 3600;

/** When the next attempt is due after `attempts` failed attempts, or null when there is none left. */
export function nextAttemptAt(attempts: number, now: Date, retryAfterS: number | null, random = Math.random): Date | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  if (retryAfterS !== null) return new Date(now.getTime() + Math.min(retryAfterS, MAX_RETRY_AFTER_S) * 1000);
  const base = RETRY_DELAYS_S[attempts - 1]!;
  const jitter = 1 + (random() * 0.4 - 0.2);
  return new Date(now.getTime() + Math.round(base * jitter * 1000));
}
