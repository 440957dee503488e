import {
	backoffDelay,
	decideRetry,
	isRetryableStatus,
	parseRetryAfter,
	retryDelay,
	type RetryPolicy,
} from '../../../nodes/PardotEventCallback/retry';
import { ANY_2XX, isAccepted } from '../../../nodes/PardotEventCallback/status';

describe('status classes', () => {
	test.each([
		[200, true, false],
		[202, true, false],
		[204, true, false],
		[203, true, false],
		[299, true, false],
		[301, false, false],
		[302, false, false],
		[400, false, false],
		[401, false, false],
		[403, false, false],
		[404, false, false],
		[408, false, true],
		[409, false, false],
		[422, false, false],
		[429, false, true],
		[500, false, true],
		[501, false, true],
		[502, false, true],
		[503, false, true],
		[504, false, true],
		[599, false, true],
	])('HTTP %i: success %s, retryable %s', (status, success, retryable) => {
		expect(isAccepted(status, ANY_2XX)).toBe(success);
		expect(isRetryableStatus(status)).toBe(retryable);
	});
});

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-11-27T14:00:00Z');
	test.each<[string, unknown, number | undefined]>([
		['seconds', '120', 120_000],
		['seconds with spaces', ' 3 ', 3_000],
		['zero', '0', 0],
		['number value', 7, 7_000],
		['array value', ['5', '9'], 5_000],
		['IMF-fixdate ahead', 'Fri, 27 Nov 2026 14:00:30 GMT', 30_000],
		['RFC 850 date ahead', 'Friday, 27-Nov-26 14:01:00 GMT', 60_000],
		['date in the past', 'Fri, 27 Nov 2026 13:00:00 GMT', 0],
		['negative', '-1', undefined],
		['fraction', '1.5', undefined],
		['words', 'soon', undefined],
		['empty', '', undefined],
		['absent', undefined, undefined],
	])('%s', (_name, value, expected) => {
		expect(parseRetryAfter(value, now)).toBe(expected);
	});
});

describe('backoffDelay (equal jitter)', () => {
	test.each([
		// retry, base, cap, random, expected
		[1, 1000, 30000, 0, 500],
		[1, 1000, 30000, 0.5, 750],
		[1, 1000, 30000, 1, 1000],
		[2, 1000, 30000, 0, 1000],
		[3, 1000, 30000, 1, 4000],
		[5, 1000, 30000, 1, 16000],
		[6, 1000, 30000, 1, 30000],
		[10, 1000, 30000, 0, 15000],
		[1, 10, 50, 1, 10],
		[4, 10, 50, 1, 50],
		[1, 0, 50, 1, 0],
		[1, 1000, 30000, 7, 1000],
	])('retry %i, base %i, cap %i, random %s -> %i ms', (retry, base, cap, random, expected) => {
		expect(backoffDelay(retry, base, cap, () => random)).toBe(expected);
	});
});

describe('retryDelay and decideRetry', () => {
	const policy: RetryPolicy = { retries: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryTimeMs: 5000 };
	const half = () => 0.5;

	test('Retry-After wins over backoff, capped by the cap', () => {
		expect(retryDelay(1, policy, 400, half)).toBe(400);
		expect(retryDelay(1, policy, 60_000, half)).toBe(1000);
		expect(retryDelay(1, policy, 0, half)).toBe(0);
		expect(retryDelay(2, policy, undefined, half)).toBe(150);
	});

	test.each([
		['first retry', 1, 0, undefined, { retry: true, delayMs: 75 }],
		['last retry', 3, 0, undefined, { retry: true, delayMs: 300 }],
		['retries spent', 4, 0, undefined, { retry: false, reason: 'retries' }],
		['time nearly spent', 1, 4950, undefined, { retry: false, reason: 'timeLimit' }],
		['exactly at the limit', 1, 4925, undefined, { retry: true, delayMs: 75 }],
		['Retry-After past the limit', 1, 4500, 900, { retry: false, reason: 'timeLimit' }],
	])('%s', (_name, attempt, elapsed, retryAfter, expected) => {
		expect(decideRetry(attempt, elapsed, policy, retryAfter, half)).toEqual(expected);
	});

	test('no retries configured: the first failure is final', () => {
		expect(decideRetry(1, 0, { ...policy, retries: 0 }, undefined, half)).toEqual({ retry: false, reason: 'retries' });
	});
});

describe('the README\'s long retry window', () => {
	// Retries 10, Retry Base Delay 60,000, Retry Max Delay 3,600,000, Max Retry Time 21,600,000:
	// "keep retrying for about 2½ to 5 hours (waits of about 1, 2, 4, … 60 minutes)".
	const policy: RetryPolicy = { retries: 10, baseDelayMs: 60_000, maxDelayMs: 3_600_000, maxRetryTimeMs: 21_600_000 };
	const minute = 60_000;

	test.each([
		['shortest waits', 0, 151.5],
		['longest waits', 1, 303],
	])('%s', (_name, random, totalMinutes) => {
		const waits: number[] = [];
		let elapsed = 0;
		for (let attempt = 1; ; attempt++) {
			const decision = decideRetry(attempt, elapsed, policy, undefined, () => random);
			if (!decision.retry) {
				expect(decision.reason).toBe('retries');
				break;
			}
			waits.push(decision.delayMs / minute);
			elapsed += decision.delayMs;
		}
		expect(waits).toHaveLength(10);
		expect(waits.map((wait) => wait / (random === 0 ? 0.5 : 1))).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
		expect(elapsed / minute).toBe(totalMinutes);
		expect(elapsed).toBeLessThan(policy.maxRetryTimeMs);
	});
});
