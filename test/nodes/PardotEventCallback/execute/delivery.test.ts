/**
 * How a run delivers (execute.ts, real HTTP to a local sink): retries and their waits, Success Status
 * Codes, order per resource and concurrency, cancellation.
 */
import type { IDataObject } from 'n8n-workflow';

import { bodyJson, FAST, idOf, makeEvents, outputJson, runNode } from '../../../lib/callback';
import { OK, startSink, type Sink } from '../../../lib/sink';

let sink: Sink;
beforeEach(async () => {
	sink = await startSink();
});
afterEach(async () => {
	await sink.close();
});

describe('retries', () => {
	/** One notification whose first `failures` attempts get `reply`. */
	async function retried(failing: Parameters<Sink['respond']>[0], options: IDataObject = {}) {
		sink.respond(failing);
		const result = await runNode({
			items: makeEvents(3),
			parameters: { callbackUrl: sink.url, options: { ...FAST, ...options } },
			signingKey: 'retry-key-0123456789',
		});
		const ids = new Set(sink.requests.map(idOf));
		const bodies = new Set(sink.requests.map((request) => request.body.toString('base64')));
		const signatures = new Set(sink.requests.map((request) => request.headers['elements-webhook-signature']));
		// The same notification each time: same id, same bytes, same signature.
		expect(ids.size).toBe(1);
		expect(bodies.size).toBe(1);
		expect(signatures.size).toBe(1);
		return result;
	}

	test.each([500, 503, 502, 408])('HTTP %s is retried', async (status) => {
		const result = await retried((_request, nth) => (nth < 2 ? { status, body: 'busy' } : OK));
		expect(outputJson(result)).toEqual([expect.objectContaining({ status: 200, attempts: 3 })]);
		expect(sink.requests).toHaveLength(3);
		expect(result.logs.filter((line) => line.level === 'debug' && /retrying in/.test(line.message))).toHaveLength(2);
	});

	test('429 waits as long as Retry-After (seconds) says', async () => {
		const result = await retried((_request, nth) => (nth === 0 ? { status: 429, headers: { 'retry-after': '1' } } : OK), {
			retryMaxDelay: 5000,
		});
		expect(outputJson(result)).toEqual([expect.objectContaining({ status: 200, attempts: 2 })]);
		const gap = sink.requests[1].receivedAt - sink.requests[0].receivedAt;
		expect(gap).toBeGreaterThanOrEqual(950);
		expect(gap).toBeLessThan(3000);
	});

	test('Retry-After as an HTTP date is honoured, capped by Retry Max Delay', async () => {
		const inAMinute = new Date(Date.now() + 60_000).toUTCString();
		const result = await retried((_request, nth) => (nth === 0 ? { status: 429, headers: { 'retry-after': inAMinute } } : OK), {
			retryMaxDelay: 300,
		});
		expect(outputJson(result)).toEqual([expect.objectContaining({ status: 200, attempts: 2 })]);
		const gap = sink.requests[1].receivedAt - sink.requests[0].receivedAt;
		expect(gap).toBeGreaterThanOrEqual(280);
		expect(gap).toBeLessThan(2000);
	});

	test('a dropped connection is retried', async () => {
		const result = await retried((_request, nth) => (nth === 0 ? { drop: true } : OK));
		expect(outputJson(result)).toEqual([expect.objectContaining({ status: 200, attempts: 2 })]);
	});

	test('a timeout is retried', async () => {
		const result = await retried((_request, nth) => (nth === 0 ? { hang: true } : OK), { timeout: 150 });
		expect(outputJson(result)).toEqual([expect.objectContaining({ status: 200, attempts: 2 })]);
		expect(result.durationMs).toBeGreaterThanOrEqual(150);
	});

	test('when retries run out the node fails naming URL, status and attempts', async () => {
		const result = await retried(() => ({ status: 500, body: 'still down' }), { retries: 2 });
		expect(sink.requests).toHaveLength(3);
		expect(result.error?.message).toBe(
			`The callback URL ${sink.url} answered HTTP 500 to notification ${idOf(sink.requests[0])} on all 3 attempts`,
		);
		expect(result.error?.description).toMatch(/allow more Retries.*Its answer began: still down/);
		expect(result.error?.description).toMatch(/0 of 1 notifications were delivered/);
	});

	test('Max Retry Time ends retries early', async () => {
		const result = await retried(() => ({ status: 503 }), { retries: 10, retryBaseDelay: 200, retryMaxDelay: 200, maxRetryTime: 250 });
		// Waits are 100-200 ms: a second attempt always fits in 250 ms, a fourth never does.
		expect(sink.requests.length).toBeGreaterThanOrEqual(2);
		expect(sink.requests.length).toBeLessThanOrEqual(3);
		const last = sink.requests[sink.requests.length - 1];
		expect(last.receivedAt - sink.requests[0].receivedAt).toBeLessThanOrEqual(250 + 40);
		expect(result.error?.message).toMatch(/gave up after \d attempts because the next retry would pass Max Retry Time \(250 ms\)/);
	});

	test.each([400, 404, 401, 422])('HTTP %s is not retried', async (status) => {
		sink.respond(() => ({ status, body: 'no such hook' }));
		const result = await runNode({ items: makeEvents(2), parameters: { callbackUrl: sink.url, options: FAST } });
		expect(sink.requests).toHaveLength(1);
		expect(result.error?.message).toContain(`with HTTP ${status} (1 attempt, not retried`);
		expect(result.error?.message).toContain(sink.url);
		expect(result.error?.httpCode).toBe(String(status));
		expect(result.error?.description).toContain('Its answer began: no such hook');
	});

	test('a redirect is not followed', async () => {
		sink.respond(() => ({ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } }));
		const result = await runNode({ items: makeEvents(1), parameters: { callbackUrl: sink.url, options: FAST } });
		expect(sink.requests).toHaveLength(1);
		expect(result.error?.message).toMatch(/redirected notification .* \(HTTP 302\); redirects are not followed/);
	});

	test('an unreachable receiver is retried, then reported in words', async () => {
		const closed = await startSink();
		const url = closed.url;
		await closed.close();
		const result = await runNode({ items: makeEvents(1), parameters: { callbackUrl: url, options: { ...FAST, retries: 2 } } });
		expect(result.requestsMade).toBe(3);
		expect(result.error?.message).toMatch(/^Could not deliver notification .* to the callback URL .*: the connection was refused, on all 3 attempts$/);
		expect(result.error?.description).toContain('ECONNREFUSED');
	});
});

describe('Success Status Codes', () => {
	const unknownInstance = { status: 203, body: 'unknown instance' };

	test('by default any 2xx is delivered, and the output shows which', async () => {
		sink.respond(() => unknownInstance);
		const result = await runNode({ items: makeEvents(2), parameters: { callbackUrl: sink.url } });
		expect(outputJson(result)).toEqual([expect.objectContaining({ status: 203, attempts: 1 })]);
		expect(outputJson(result)[0].error).toBeUndefined();
	});

	test('a 2xx outside the list fails at once, not retried, naming the status', async () => {
		sink.respond(() => unknownInstance);
		const result = await runNode({ items: makeEvents(2), parameters: { callbackUrl: sink.url, options: { ...FAST, successStatusCodes: '200' } } });
		expect(sink.requests).toHaveLength(1);
		expect(result.error?.message).toBe(
			`The callback URL ${sink.url} answered HTTP 203 to notification ${idOf(sink.requests[0])}, which Success Status Codes (200) does not count as delivered (1 attempt, not retried)`,
		);
		expect(result.error?.httpCode).toBe('203');
		expect(result.error?.description).toMatch(/check Instance Name.*Its answer began: unknown instance/);
	});

	test('with Continue On Fail the status is in the output item', async () => {
		sink.respond(() => unknownInstance);
		const result = await runNode({
			items: makeEvents(2),
			parameters: { callbackUrl: sink.url, options: { successStatusCodes: '200' } },
			continueOnFail: true,
		});
		expect(outputJson(result)).toEqual([
			expect.objectContaining({ status: 203, attempts: 1, responseBody: 'unknown instance', error: expect.stringContaining('does not count as delivered') }),
		]);
	});

	test('a listed code is delivered', async () => {
		sink.respond(() => ({ status: 204 }));
		const result = await runNode({ items: makeEvents(1), parameters: { callbackUrl: sink.url, options: { successStatusCodes: '200, 204' } } });
		expect(outputJson(result)).toEqual([expect.objectContaining({ status: 204 })]);
	});

	test('a malformed list is refused before any request', async () => {
		const result = await runNode({ items: makeEvents(1), parameters: { callbackUrl: sink.url, options: { successStatusCodes: '2xx' } } });
		expect(result.error?.message).toBe('Success Status Codes has "2xx", which is not a status code or a range such as 200-204.');
		expect(sink.requests).toHaveLength(0);
	});
});

describe('order and concurrency', () => {
	test('notifications sharing an objectType are delivered one after the other, in order; others overlap', async () => {
		// 40 notifications of one event each, over four resources.
		const types = ['contacts', 'leads', 'accounts', 'opportunities'];
		const input = makeEvents(40, (n) => types[n % 4]);
		sink.respond(() => ({ ...OK, delayMs: 5 + Math.floor(Math.random() * 20) }));
		const result = await runNode({ items: input, parameters: { callbackUrl: sink.url, batchSize: 1 } });
		expect(outputJson(result)).toHaveLength(40);

		for (const type of types) {
			const ofType = sink.requests.filter((request) => (bodyJson(request).message.events as IDataObject[])[0].objectType === type);
			const order = ofType.map((request) => (bodyJson(request).message.events as IDataObject[])[0].objectId);
			expect(order).toEqual(input.filter((e) => e.objectType === type).map((e) => e.objectId));
			for (let i = 1; i < ofType.length; i++) {
				expect(ofType[i].receivedAt).toBeGreaterThanOrEqual(ofType[i - 1].answeredAt as number);
			}
		}
		expect(sink.maxInFlight).toBeGreaterThan(1);
		expect(sink.maxInFlight).toBeLessThanOrEqual(4);
	});

	test('Concurrency 1 sends strictly one at a time', async () => {
		sink.respond(() => ({ ...OK, delayMs: 3 }));
		const types = ['contacts', 'leads'];
		await runNode({ items: makeEvents(10, (n) => types[n % 2]), parameters: { callbackUrl: sink.url, batchSize: 1, options: { concurrency: 1 } } });
		expect(sink.maxInFlight).toBe(1);
		expect(sink.requests.map((request) => (bodyJson(request).message.events as IDataObject[])[0].objectId)).toEqual(
			Array.from({ length: 10 }, (_, n) => String(1000 + n)),
		);
	});
});

describe('cancellation', () => {
	test('cancelling the execution stops retrying', async () => {
		sink.respond(() => ({ status: 503 }));
		const abortController = new AbortController();
		setTimeout(() => abortController.abort(), 150);
		const result = await runNode({
			items: makeEvents(1),
			parameters: { callbackUrl: sink.url, options: { retries: 10, retryBaseDelay: 1000, retryMaxDelay: 1000 } },
			abortController,
		});
		expect(result.error?.message).toBe('The execution was cancelled while notifications were being delivered');
		expect(result.error?.description).not.toMatch(/times out/);
		expect(result.durationMs).toBeLessThan(1000);
		expect(sink.requests).toHaveLength(1);
	});

	test('a workflow timeout shorter than Max Retry Time is named when it cancels the retries', async () => {
		sink.respond(() => ({ status: 503 }));
		const abortController = new AbortController();
		setTimeout(() => abortController.abort(), 100);
		const result = await runNode({
			items: makeEvents(1),
			parameters: { callbackUrl: sink.url, options: { retries: 10, retryBaseDelay: 1000, retryMaxDelay: 1000, maxRetryTime: 3_600_000 } },
			workflowSettings: { executionTimeout: 300 },
			abortController,
		});
		expect(result.error?.description).toMatch(
			/This workflow times out after 300 s, before Max Retry Time \(3600000 ms\) ends: raise the workflow's timeout or lower Max Retry Time\.$/,
		);
	});
});
