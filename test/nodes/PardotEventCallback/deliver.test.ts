import { deliver, type Runtime, type TransportResponse } from '../../../nodes/PardotEventCallback/deliver';
import type { RetryPolicy } from '../../../nodes/PardotEventCallback/retry';

/** A scripted transport on a fake clock: each step is an answer or an error to throw. */
type Step = Partial<TransportResponse> | { throw: { code?: string; name?: string; message?: string } };

function scripted(steps: Step[], { latencyMs = 10 } = {}) {
	let clock = 0;
	const sleeps: number[] = [];
	const requests: string[] = [];
	const runtime: Runtime = {
		now: () => clock,
		sleep: async (ms) => {
			sleeps.push(ms);
			clock += ms;
		},
		random: () => 0.5,
	};
	const transport = async (request: { body: string }) => {
		requests.push(request.body);
		clock += latencyMs;
		const step = steps[Math.min(requests.length - 1, steps.length - 1)];
		if ('throw' in step) throw Object.assign(new Error(step.throw.message ?? 'failed'), step.throw);
		return { statusCode: 200, headers: {}, body: '', ...step };
	};
	return { runtime, transport, sleeps, requests };
}

const policy: RetryPolicy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000, maxRetryTimeMs: 60_000 };
const request = { url: 'http://x/h', headers: {}, body: '{"n":1}' };

describe('deliver', () => {
	test('2xx on the first attempt', async () => {
		const { runtime, transport } = scripted([{ statusCode: 202 }]);
		expect(await deliver('n1', request, policy, transport, runtime)).toEqual({
			delivered: true,
			cancelled: false,
			status: 202,
			attempts: 1,
			durationMs: 10,
		});
	});

	test('retryable answers are retried with growing waits, the same body each time', async () => {
		const { runtime, transport, sleeps, requests } = scripted([
			{ statusCode: 500 },
			{ throw: { code: 'ECONNRESET' } },
			{ throw: { code: 'ECONNABORTED' } },
			{ statusCode: 503 },
			{ statusCode: 200 },
		]);
		const result = await deliver('n1', request, policy, transport, runtime);
		expect(result).toEqual(expect.objectContaining({ delivered: true, status: 200, attempts: 5 }));
		expect(sleeps).toEqual([75, 150, 300, 600]);
		expect(new Set(requests)).toEqual(new Set([request.body]));
	});

	test('Retry-After replaces the backoff, capped', async () => {
		const { runtime, transport, sleeps } = scripted([
			{ statusCode: 429, headers: { 'Retry-After': '0' } },
			{ statusCode: 503, headers: { 'retry-after': '120' } },
			{ statusCode: 200 },
		]);
		await deliver('n1', request, policy, transport, runtime);
		expect(sleeps).toEqual([0, 1000]);
	});

	test.each([400, 404, 410, 302])('HTTP %i is final at once', async (status) => {
		const { runtime, transport, sleeps } = scripted([{ statusCode: status, body: 'nope' }]);
		const result = await deliver('n1', request, policy, transport, runtime);
		expect(result).toEqual(
			expect.objectContaining({
				delivered: false,
				status,
				attempts: 1,
				gaveUp: 'notRetryable',
				problem: { kind: 'status', status, body: 'nope' },
			}),
		);
		expect(sleeps).toEqual([]);
	});

	test('retries run out', async () => {
		const { runtime, transport } = scripted([{ statusCode: 502, body: 'x'.repeat(10_000) }]);
		const result = await deliver('n1', request, { ...policy, retries: 2 }, transport, runtime);
		expect(result).toEqual(expect.objectContaining({ delivered: false, status: 502, attempts: 3, gaveUp: 'retries' }));
		expect(result.problem?.kind === 'status' && result.problem.body.length).toBe(4000);
	});

	test('time runs out before retries do', async () => {
		const { runtime, transport } = scripted([{ throw: { code: 'ETIMEDOUT' } }], { latencyMs: 1000 });
		const result = await deliver('n1', request, { ...policy, retries: 10, maxRetryTimeMs: 3000 }, transport, runtime);
		expect(result).toEqual(
			expect.objectContaining({ delivered: false, status: null, gaveUp: 'timeLimit', problem: { kind: 'network', failure: { kind: 'timeout', code: 'ETIMEDOUT' } } }),
		);
		expect(result.attempts).toBe(3);
	});

	test('an error that is not a network failure is final at once', async () => {
		const { runtime, transport } = scripted([{ throw: { code: 'ERR_INVALID_CHAR', message: 'Invalid character in header' } }]);
		const result = await deliver('n1', request, policy, transport, runtime);
		expect(result).toEqual(expect.objectContaining({ delivered: false, attempts: 1, gaveUp: 'notRetryable' }));
	});

	test('cancellation during a request or a wait ends it without failure noise', async () => {
		const during = scripted([{ throw: { code: 'ERR_CANCELED' } }]);
		expect(await deliver('n1', request, policy, during.transport, during.runtime)).toEqual(
			expect.objectContaining({ delivered: false, cancelled: true, attempts: 1 }),
		);

		const waiting = scripted([{ statusCode: 503 }]);
		waiting.runtime.sleep = async () => {
			throw new Error('cancelled');
		};
		expect(await deliver('n1', request, policy, waiting.transport, waiting.runtime)).toEqual(
			expect.objectContaining({ delivered: false, cancelled: true, attempts: 1, status: 503 }),
		);
	});

	test('each retry is announced', async () => {
		const { runtime, transport } = scripted([{ statusCode: 503 }, { throw: { code: 'ECONNRESET' } }, { statusCode: 200 }]);
		const notices: string[] = [];
		runtime.onRetry = ({ attempt, delayMs, what }) => notices.push(`${attempt}:${delayMs}:${what}`);
		await deliver('n1', request, policy, transport, runtime);
		expect(notices).toEqual(['1:75:HTTP 503', '2:150:connection ECONNRESET']);
	});
});
