export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export type RetryOutcome<T> = { ok: true; value: T; attempts: number } | { ok: false; error: unknown; attempts: number };

/**
 * Runs `operation` until it succeeds or the attempts run out, waiting between tries with
 * exponential backoff and full jitter (a random delay up to the capped exponential), so that many
 * deliveries failing together do not retry in lockstep. It never throws: the caller gets an outcome
 * per delivery, and one failing delivery never keeps the others from being sent.
 */
export async function withRetries<T>(operation: (attempt: number) => Promise<T>, policy: RetryPolicy): Promise<RetryOutcome<T>> {
  const attempts = Math.max(1, policy.attempts);
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await operation(attempt), attempts: attempt };
    } catch (error) {
      if (attempt >= attempts) return { ok: false, error, attempts: attempt };
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}
