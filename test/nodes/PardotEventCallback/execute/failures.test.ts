/**
 * What a run does when something is wrong (execute.ts, real HTTP to a local sink): items that are no
 * events, Continue On Fail, secrets kept out of every error, output and log line, refused settings.
 */
import type { IDataObject } from 'n8n-workflow';

import { bodyJson, FAST, makeEvent, makeEvents, outputJson, runNode, UUID_V8 } from '../../../lib/callback';
import { OK, startSink, type ReceivedRequest, type Sink } from '../../../lib/sink';

let sink: Sink;
beforeEach(async () => {
	sink = await startSink();
});
afterEach(async () => {
	await sink.close();
});

describe('continueOnFail', () => {
	test('failures become items with error; later notifications of the failed resource are held back', async () => {
		const input = [
			makeEvent(0, { objectType: 'contacts' }), // notification 0: contacts, rejected
			makeEvent(1, { objectType: 'leads' }), // notification 1: leads, delivered
			{ not: 'an event' }, // item 2: passes through untouched
			makeEvent(3, { objectType: 'contacts' }), // notification 2: contacts, held back
			makeEvent(4, { objectType: 'leads' }), // notification 3: leads, delivered
		];
		const longAnswer = `bad request: ${'x'.repeat(5000)}`;
		sink.respond((request) => (bodyJson(request).message.events as IDataObject[])[0].objectType === 'contacts' ? { status: 400, body: longAnswer } : OK);
		const result = await runNode({
			items: input,
			parameters: { callbackUrl: sink.url, batchSize: 1, options: FAST },
			continueOnFail: true,
		});
		const items = result.output?.[0] ?? [];
		expect(result.error).toBeUndefined();
		expect(items).toHaveLength(5);

		expect(items[0].json).toEqual({
			notificationId: expect.stringMatching(UUID_V8),
			url: sink.url,
			status: 400,
			attempts: 1,
			eventIds: [input[0].eventId],
			durationMs: expect.any(Number),
			responseBody: longAnswer.slice(0, 1000),
			error: expect.stringContaining('with HTTP 400 (1 attempt, not retried'),
		});
		expect(items[0].error?.message).toBe(items[0].json.error);
		expect(items[1].json).toEqual(expect.objectContaining({ status: 200, attempts: 1, eventIds: [input[1].eventId] }));
		expect(items[1].json.error).toBeUndefined();
		expect(items[2].json).toEqual({ not: 'an event' });
		expect(items[2].error?.message).toBe('Item 2 is not a standardized event: its field "eventId" is missing');
		expect(items[2].pairedItem).toEqual({ item: 2 });
		expect(items[3].json).toEqual(
			expect.objectContaining({
				status: null,
				attempts: 0,
				eventIds: [input[3].eventId],
				error: expect.stringMatching(/was not sent .*: notification .*, with earlier contacts events, was not delivered/),
			}),
		);
		expect(items[4].json).toEqual(expect.objectContaining({ status: 200, eventIds: [input[4].eventId] }));
		expect(items.map((item) => item.pairedItem)).toEqual([[{ item: 0 }], [{ item: 1 }], { item: 2 }, [{ item: 3 }], [{ item: 4 }]]);
		// The held-back notification was never sent.
		expect(sink.requests).toHaveLength(3);
	});

	test('without continueOnFail, an item that is not an event fails the node before anything is sent', async () => {
		const input = [makeEvent(0), makeEvent(1, { raw: 'not an object' }), makeEvent(2)];
		const result = await runNode({ items: input, parameters: { callbackUrl: sink.url } });
		expect(result.error?.message).toBe('Item 1 is not a standardized event: its field "raw" must be an object (the Pardot record), got a string');
		expect(result.error?.context?.itemIndex).toBe(1);
		expect(sink.requests).toHaveLength(0);
	});

	test('without continueOnFail, the first failure stops what has not started', async () => {
		sink.respond((_request) => ({ status: 404 }));
		const result = await runNode({ items: makeEvents(50), parameters: { callbackUrl: sink.url, batchSize: 1 } });
		expect(result.error?.message).toMatch(/with HTTP 404/);
		expect(sink.requests).toHaveLength(1);
	});
});

describe('secrets', () => {
	const signingKey = 'sk_live_9c1d7e3a5b2f4c6e8a0b1d3f5e7a9c2b';
	const user = 'hook-user';
	const password = 'p4ss-w0rd-S3cret';

	function leakCheck(text: string) {
		for (const secret of [signingKey, password, `${user}:${password}`, Buffer.from(`${user}:${password}`).toString('base64'), 'token=qs-secret-123']) {
			expect(text).not.toContain(secret);
		}
	}

	/** A receiver that echoes everything it got, credentials included, in its error answer. */
	function echoing(request: ReceivedRequest) {
		const authorization = String(request.headers.authorization ?? '');
		const decoded = Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString('utf8');
		return {
			status: 400,
			body: JSON.stringify({ got: request.headers, decoded, body: request.body.toString('utf8'), echo: signingKey }),
		};
	}

	test('user:pass@ is sent as HTTP Basic, never shown; the query string is sent, never shown', async () => {
		const callbackUrl = sink.url.replace('http://', `http://${user}:${password}@`) + '?token=qs-secret-123';
		const result = await runNode({ items: makeEvents(2), parameters: { callbackUrl }, signingKey });
		const [request] = sink.requests;
		expect(request.url).toBe('/hook?token=qs-secret-123');
		expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`);
		const output = outputJson(result);
		expect(output[0].url).toBe(sink.url);
		leakCheck(JSON.stringify(result.output));
		leakCheck(JSON.stringify(result.logs));
	});

	test.each([false, true])('neither key nor URL credentials leak into errors, output or logs (continueOnFail %s)', async (continueOnFail) => {
		sink.respond(echoing);
		const callbackUrl = sink.url.replace('http://', `http://${user}:${password}@`) + '?token=qs-secret-123';
		const result = await runNode({
			items: makeEvents(12, (n) => (n < 10 ? 'contacts' : 'leads')),
			parameters: { callbackUrl, options: FAST },
			signingKey,
			continueOnFail,
		});
		// The receiver did see them: the scrubbing is what keeps them out.
		expect(sink.requests[0].headers.authorization).toBeDefined();
		if (continueOnFail) {
			expect(result.output?.[0]).toHaveLength(2);
			const text = JSON.stringify(
				result.output?.[0].map((item) => ({
					json: item.json,
					message: item.error?.message,
					description: item.error?.description,
					node: item.error?.node,
				})),
			);
			expect(text).toContain('***');
			leakCheck(text);
		} else {
			expect(result.error).toBeDefined();
			leakCheck(`${result.error?.message} ${result.error?.description} ${JSON.stringify(result.error?.context)}`);
			// n8n hands the error's node on to error workflows.
			leakCheck(JSON.stringify((result.error as unknown as { node: unknown }).node));
			expect(result.error?.description).toContain('***');
		}
		leakCheck(JSON.stringify(result.logs));
	});

	test('a failing connection with credentials in the URL does not leak them', async () => {
		const closed = await startSink();
		await closed.close();
		const callbackUrl = closed.url.replace('http://', `http://${user}:${password}@`) + '?token=qs-secret-123';
		const result = await runNode({ items: makeEvents(1), parameters: { callbackUrl, options: { ...FAST, retries: 1 } }, signingKey });
		expect(result.error).toBeDefined();
		leakCheck(`${result.error?.message} ${result.error?.description}`);
		leakCheck(JSON.stringify(result.logs));
	});
});

describe('callback URL', () => {
	test.each([
		['ftp', 'ftp://user:hunter2-secret@127.0.0.1/hook', /must use http or https, not "ftp"/],
		['file', 'file:///etc/passwd', /must use http or https, not "file"/],
		['javascript', 'javascript:alert(1)', /must use http or https, not "javascript"/],
		['ws', 'ws://127.0.0.1/hook', /must use http or https, not "ws"/],
		['relative', '/hook', /not a valid absolute URL/],
		['garbage', 'not a url hunter2-secret', /not a valid absolute URL/],
		['empty', '', /Callback URL is empty/],
	])('%s is rejected before any request', async (_name, callbackUrl, message) => {
		const result = await runNode({ items: makeEvents(3), parameters: { callbackUrl }, signingKey: 'key-abcdefghijkl' });
		expect(result.error?.message).toMatch(message);
		expect(result.error?.message).not.toContain('hunter2-secret');
		expect(JSON.stringify((result.error as unknown as { node: unknown }).node)).not.toContain('hunter2-secret');
		expect(result.requestsMade).toBe(0);
		expect(sink.requests).toHaveLength(0);
	});

	test('Batch Size outside 1-100 is rejected before any request', async () => {
		const result = await runNode({ items: makeEvents(3), parameters: { callbackUrl: sink.url, batchSize: 101 } });
		expect(result.error?.message).toBe('Batch Size must be a whole number from 1 to 100, got 101.');
		expect(result.requestsMade).toBe(0);
	});
});
