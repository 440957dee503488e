/**
 * When to try a notification again, and how long to wait first. Pure: the clock and the random
 * source are arguments, so the schedule is table-tested.
 */

export interface RetryPolicy {
	/** Retries after the first attempt (so attempts = retries + 1 at most). */
	retries: number;
	/** First backoff ceiling; each retry doubles it. */
	baseDelayMs: number;
	/** No single wait is longer, Retry-After included. */
	maxDelayMs: number;
	/** No retry starts later than this after the first attempt started. */
	maxRetryTimeMs: number;
}

/**
 * 408 and 429 say "not now", 5xx says the receiver failed: worth another try. Any other status
 * (other 4xx, 3xx since redirects are not followed, and a 2xx that Success Status Codes does not
 * count) says the request itself is wrong, so sending it again would get the same answer.
 */
export function isRetryableStatus(status: number): boolean {
	return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns milliseconds from
 * `nowMs`, 0 for a date in the past, undefined when absent or unreadable.
 */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
	const text = (Array.isArray(value) ? value[0] : value) as unknown;
	if (typeof text !== 'string' && typeof text !== 'number') return undefined;
	const trimmed = String(text).trim();
	if (trimmed === '') return undefined;
	if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
	// An HTTP-date always names its month; this keeps numbers with signs or fractions (which
	// Date.parse would happily read as years) out.
	if (!/[a-z]/i.test(trimmed)) return undefined;
	const at = Date.parse(trimmed);
	if (Number.isNaN(at)) return undefined;
	return Math.max(0, at - nowMs);
}

/**
 * Exponential backoff with "equal jitter": retry k waits between half and all of
 * min(cap, base * 2^(k-1)). Never zero (no hammering), yet spread so that receivers that
 * failed for many senders at once are not hit again in lockstep.
 */
export function backoffDelay(retryNumber: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
	const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
	const jitter = Math.min(1, Math.max(0, random()));
	return Math.round(ceiling / 2 + (ceiling / 2) * jitter);
}

/** The wait before retry `retryNumber` (1 = the first retry): the server's Retry-After when given, capped. */
export function retryDelay(
	retryNumber: number,
	policy: RetryPolicy,
	retryAfterMs: number | undefined,
	random: () => number,
): number {
	if (retryAfterMs !== undefined) return Math.min(policy.maxDelayMs, retryAfterMs);
	return backoffDelay(retryNumber, policy.baseDelayMs, policy.maxDelayMs, random);
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: 'retries' | 'timeLimit' };

/**
 * After a retryable failure on attempt `attempt` (1-based), `elapsedMs` after the first attempt
 * started: wait and try again, or give up because retries or time ran out.
 */
export function decideRetry(
	attempt: number,
	elapsedMs: number,
	policy: RetryPolicy,
	retryAfterMs: number | undefined,
	random: () => number,
): RetryDecision {
	if (attempt > policy.retries) return { retry: false, reason: 'retries' };
	const delayMs = retryDelay(attempt, policy, retryAfterMs, random);
	if (elapsedMs + delayMs > policy.maxRetryTimeMs) return { retry: false, reason: 'timeLimit' };
	return { retry: true, delayMs };
}
