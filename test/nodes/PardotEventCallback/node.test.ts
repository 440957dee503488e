import { createHmac, timingSafeEqual } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { FAST, makeEvent, runNode, type RunResult } from '../../lib/callback';
import { OK, startSink, type ReceivedRequest, type Sink } from '../../lib/sink';

/**
 * The node end to end: execute() with real HTTP to a local sink. Expected bodies are written
 * here from docs/event-format.md, never taken from the code under test.
 */

let sink: Sink;
beforeEach(async () => {
	sink = await startSink();
});
afterEach(async () => {
	await sink.close();
});

const q = (value: unknown) => JSON.stringify(value);

function summaries(events: IDataObject[]): string {
	return events
		.map(
			(e) =>
				`{"date":${q(e.date)},"elementKey":${q(e.elementKey)},"pollDate":${q(e.pollDate)},"eventType":${q(e.eventType)},` +
				`"hubKey":${q(e.hubKey)},"objectId":${q(e.objectId)},"objectType":${q(e.objectType)}}`,
		)
		.join(',');
}

/**
 * Open Connectors' notification as the README shows it, key order included, compact: events of
 * one object type, raw.objectType, the records under the resource's name.
 */
function expectedEnvelope(eventId: string | number, instanceName: string, events: IDataObject[], instanceJson = ''): string {
	const type = events[0].objectType as string;
	return (
		`{"message":{"elementKey":"pardot","eventId":${q(eventId)},"instanceName":${q(instanceName)}${instanceJson},` +
		`"events":[${summaries(events)}],"raw":{"objectType":${q(type)},${q(type)}:[${events.map((e) => q(e.raw)).join(',')}]}}}`
	);
}

/** The envelope as the pre-release builds sent it: object types mixed, raw grouped by objectType, no raw.objectType. */
function expectedMixedEnvelope(eventId: string, instanceName: string, events: IDataObject[]): string {
	const types = [...new Set(events.map((e) => e.objectType as string))];
	const raw = types.map(
		(type) =>
			`${q(type)}:[${events
				.filter((e) => e.objectType === type)
				.map((e) => q(e.raw))
				.join(',')}]`,
	);
	return (
		`{"message":{"elementKey":"pardot","eventId":${q(eventId)},"instanceName":${q(instanceName)},` +
		`"events":[${summaries(events)}],"raw":{${raw.join(',')}}}}`
	);
}

/** What a receiver does: HMAC the raw bytes it got, compare in constant time. */
function signatureValid(body: Buffer, header: unknown, key: string): boolean {
	if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
	const expected = createHmac('sha256', key).update(body).digest();
	const given = Buffer.from(header.slice('sha256='.length), 'base64');
	return given.length === expected.length && timingSafeEqual(given, expected);
}

const idOf = (request: ReceivedRequest) => String(request.headers['elements-webhook-id']);
const bodyJson = (request: ReceivedRequest) => JSON.parse(request.body.toString('utf8')) as { message: IDataObject };
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function events(count: number, typeOf: (n: number) => string = () => 'contacts'): IDataObject[] {
	return Array.from({ length: count }, (_, n) => makeEvent(n, { objectType: typeOf(n) }));
}

function outputJson(result: RunResult): IDataObject[] {
	if (result.error) throw result.error;
	return (result.output?.[0] ?? []).map((item) => item.json);
}

describe('body shape', () => {
	const mixedInput = () => [
		makeEvent(1, { objectType: 'contacts' }),
		makeEvent(2, { objectType: 'leads', raw: { id: 77, name: 'Déjà vu “quoted” \u2028 <tag>', amount: 12.5, nested: { a: [1, null] } } }),
		makeEvent(3, { objectType: 'contacts', eventType: 'DELETED' }),
		// Fields beyond the format are not sent.
		{ ...makeEvent(4, { objectType: 'leads' }), extra: 'not sent' },
	];

	test('the envelope matches the format byte for byte: one object type per notification, raw.objectType', async () => {
		const input = mixedInput();
		const result = await runNode({ items: input, parameters: { callbackUrl: sink.url, options: { concurrency: 1 } }, workflowName: 'Sync "EU" ✓' });

		expect(sink.requests).toHaveLength(2);
		const [contacts, leads] = sink.requests;
		for (const request of sink.requests) {
			expect(request.method).toBe('POST');
			expect(request.url).toBe('/hook');
			expect(request.headers['content-type']).toBe('application/json');
			expect(idOf(request)).toMatch(uuid);
			expect(Number(request.headers['content-length'])).toBe(request.body.length);
			expect(bodyJson(request).message.eventId).toBe(idOf(request));
			expect(request.headers['elements-webhook-signature']).toBeUndefined();
		}
		const withoutExtra = input.map(({ extra: _extra, ...event }) => event);
		expect(contacts.body.toString('utf8')).toBe(expectedEnvelope(idOf(contacts), 'Sync "EU" ✓', [withoutExtra[0], withoutExtra[2]]));
		expect(leads.body.toString('utf8')).toBe(expectedEnvelope(idOf(leads), 'Sync "EU" ✓', [withoutExtra[1], withoutExtra[3]]));
		expect(idOf(contacts)).not.toBe(idOf(leads));

		expect(outputJson(result)).toEqual([
			{
				notificationId: idOf(contacts),
				url: sink.url,
				status: 200,
				attempts: 1,
				eventIds: [input[0].eventId, input[2].eventId],
				durationMs: expect.any(Number),
			},
			{
				notificationId: idOf(leads),
				url: sink.url,
				status: 200,
				attempts: 1,
				eventIds: [input[1].eventId, input[3].eventId],
				durationMs: expect.any(Number),
			},
		]);
		expect(result.output?.[0].map((item) => item.pairedItem)).toEqual([
			[{ item: 0 }, { item: 2 }],
			[{ item: 1 }, { item: 3 }],
		]);
	});

	test('Payload "Envelope, Object Types Mixed" sends what the pre-release builds sent', async () => {
		const input = mixedInput();
		const result = await runNode({
			items: input,
			parameters: { callbackUrl: sink.url, options: { payload: 'envelopeMixed' } },
			workflowName: 'Sync "EU" ✓',
		});
		expect(sink.requests).toHaveLength(1);
		const [request] = sink.requests;
		const withoutExtra = input.map(({ extra: _extra, ...event }) => event);
		expect(request.body.toString('utf8')).toBe(expectedMixedEnvelope(idOf(request), 'Sync "EU" ✓', withoutExtra));
		expect(outputJson(result)).toEqual([expect.objectContaining({ notificationId: idOf(request), eventIds: input.map((e) => e.eventId) })]);
	});

	test('instance fields and a numeric id, as the options set them', async () => {
		const input = [makeEvent(1), makeEvent(2)];
		const result = await runNode({
			items: input,
			parameters: {
				callbackUrl: sink.url,
				options: {
					instanceName: 'pardot-prod',
					instanceId: 4711,
					instanceIdField: 'both',
					accountId: 12,
					companyId: 34,
					userId: 56,
					instanceTags: 'prod, marketing',
					notificationIdFormat: 'number',
				},
			},
		});
		const [request] = sink.requests;
		const header = idOf(request);
		expect(header).toMatch(/^[1-9]\d{0,15}$/);
		const number = Number(header);
		expect(Number.isSafeInteger(number)).toBe(true);
		expect(request.body.toString('utf8')).toBe(
			expectedEnvelope(number, 'pardot-prod', input, ',"instanceId":4711,"instance_id":4711,"accountId":12,"companyId":34,"userId":56,"instanceTags":["prod","marketing"]'),
		);
		expect(outputJson(result)[0].notificationId).toBe(header);

		const again = await runNode({ items: input, parameters: { callbackUrl: sink.url, options: { instanceName: 'pardot-prod', notificationIdFormat: 'number' } } });
		expect(outputJson(again)[0].notificationId).toBe(header);
	});

	test('Instance Name overrides the workflow name', async () => {
		await runNode({
			items: [makeEvent(1)],
			parameters: { callbackUrl: sink.url, options: { instanceName: 'pardot-prod' } },
		});
		expect(bodyJson(sink.requests[0]).message.instanceName).toBe('pardot-prod');
	});

	test('the events-array payload is the events whole, in the format\'s key order', async () => {
		const input = [makeEvent(1), makeEvent(2, { objectType: 'leads' })];
		await runNode({ items: input, parameters: { callbackUrl: sink.url, options: { payload: 'events' } } });
		const expected = `[${input
			.map(
				(e) =>
					`{"eventId":${q(e.eventId)},"eventType":${q(e.eventType)},"objectType":${q(e.objectType)},"objectId":${q(e.objectId)},` +
					`"elementKey":"pardot","hubKey":"marketing","date":${q(e.date)},"pollDate":${q(e.pollDate)},"raw":${q(e.raw)}}`,
			)
			.join(',')}]`;
		expect(sink.requests[0].body.toString('utf8')).toBe(expected);
		expect(idOf(sink.requests[0])).toMatch(uuid);
	});

	test('extra headers are sent; the format\'s own headers cannot be replaced', async () => {
		await runNode({
			items: [makeEvent(1)],
			parameters: { callbackUrl: sink.url, options: { headers: { header: [{ name: 'X-Api-Key', value: 'k-123' }] } } },
		});
		expect(sink.requests[0].headers['x-api-key']).toBe('k-123');

		const refused = await runNode({
			items: [makeEvent(1)],
			parameters: {
				callbackUrl: sink.url,
				options: { headers: { header: [{ name: 'elements-webhook-id', value: 'mine' }] } },
			},
		});
		expect(refused.error?.message).toMatch(/"elements-webhook-id" is set by the node itself/);
		expect(sink.requests).toHaveLength(1);
	});
});

describe('signature', () => {
	const key = 'whsec_3f9a1c0e7b2d4a6f8e1c3b5d7f9a2c4e';

	test('verifies with an independent HMAC of the received bytes, and fails after tampering', async () => {
		await runNode({
			items: [makeEvent(1), makeEvent(2, { raw: { id: 2, note: 'ünïcødé 🚀' } })],
			parameters: { callbackUrl: sink.url },
			signingKey: key,
		});
		const [request] = sink.requests;
		const header = request.headers['elements-webhook-signature'];
		expect(header).toMatch(/^sha256=[A-Za-z0-9+/]{43}=$/);
		expect(signatureValid(request.body, header, key)).toBe(true);

		const tampered = Buffer.from(request.body);
		tampered[tampered.indexOf('1001')] = '2'.charCodeAt(0);
		expect(signatureValid(tampered, header, key)).toBe(false);
		expect(signatureValid(Buffer.concat([request.body, Buffer.from(' ')]), header, key)).toBe(false);
		expect(signatureValid(request.body, header, `${key}x`)).toBe(false);
	});

	test('every notification and every retry is signed over its own exact bytes', async () => {
		sink.respond((_request, nth) => (nth === 0 ? { status: 503 } : OK));
		const result = await runNode({
			items: events(25),
			parameters: { callbackUrl: sink.url, options: FAST },
			signingKey: key,
		});
		expect(outputJson(result)).toHaveLength(3);
		expect(sink.requests).toHaveLength(6);
		for (const request of sink.requests) {
			expect(signatureValid(request.body, request.headers['elements-webhook-signature'], key)).toBe(true);
		}
	});
});

describe('batching', () => {
	// Every 7th event is a lead: 1 of 1, 2 of 10 and 11, 143 of 1000. Each object type is
	// batched on its own, so the sizes are per type.
	test.each([
		{ count: 1, batchSize: undefined, sizes: [1] },
		{ count: 10, batchSize: undefined, sizes: [8, 2] },
		{ count: 11, batchSize: undefined, sizes: [9, 2] },
		{ count: 1000, batchSize: undefined, sizes: [...Array(99).fill(10), 3, 7] },
		{ count: 1000, batchSize: 100, sizes: [...Array(9).fill(100), 43, 57] },
		{ count: 11, batchSize: 1, sizes: Array(11).fill(1) },
	])('$count events, batch size $batchSize', async ({ count, batchSize, sizes }) => {
		const input = events(count, (n) => (n % 7 === 0 ? 'leads' : 'contacts'));
		const parameters: IDataObject = { callbackUrl: sink.url };
		if (batchSize !== undefined) parameters.batchSize = batchSize;
		const result = await runNode({ items: input, parameters });
		const output = outputJson(result);

		const bySize = (a: number, b: number) => a - b;
		expect(sink.requests.map((request) => (bodyJson(request).message.events as unknown[]).length).sort(bySize)).toEqual(
			[...sizes].sort(bySize),
		);
		// Each event exactly once; each object type in input order; one object type per notification.
		const ids = output.flatMap((item) => item.eventIds as string[]);
		expect([...ids].sort()).toEqual(input.map((e) => e.eventId as string).sort());
		for (const type of ['contacts', 'leads']) {
			expect(ids.filter((id) => id.startsWith(`evt-${type}-`))).toEqual(input.filter((e) => e.objectType === type).map((e) => e.eventId));
		}
		expect(new Set(output.map((item) => item.notificationId)).size).toBe(sizes.length);
		for (const request of sink.requests) {
			const message = bodyJson(request).message;
			const listed = message.events as IDataObject[];
			const raw = message.raw as IDataObject;
			expect(new Set(listed.map((e) => e.objectType))).toEqual(new Set([raw.objectType]));
			expect(Object.keys(raw)).toEqual(['objectType', raw.objectType]);
			expect((raw[raw.objectType as string] as IDataObject[]).map((record) => String(record.id))).toEqual(listed.map((e) => e.objectId));
		}
		expect(output.every((item) => item.status === 200 && item.attempts === 1)).toBe(true);
	});

	test('notification ids are unique in a run and the same when the same input runs again', async () => {
		const input = events(30);
		const first = outputJson(await runNode({ items: input, parameters: { callbackUrl: sink.url } }));
		const second = outputJson(await runNode({ items: input, parameters: { callbackUrl: sink.url } }));
		const ids = first.map((item) => item.notificationId);
		expect(new Set(ids).size).toBe(3);
		expect(second.map((item) => item.notificationId)).toEqual(ids);
	});

	test('no input, no request', async () => {
		const result = await runNode({ items: [], parameters: { callbackUrl: sink.url } });
		expect(result.output).toEqual([[]]);
		expect(sink.requests).toHaveLength(0);
	});
});

describe('retries', () => {
	/** One notification whose first `failures` attempts get `reply`. */
	async function retried(failing: Parameters<Sink['respond']>[0], options: IDataObject = {}) {
		sink.respond(failing);
		const result = await runNode({
			items: events(3),
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
		const result = await runNode({ items: events(2), parameters: { callbackUrl: sink.url, options: FAST } });
		expect(sink.requests).toHaveLength(1);
		expect(result.error?.message).toContain(`with HTTP ${status} (1 attempt, not retried`);
		expect(result.error?.message).toContain(sink.url);
		expect(result.error?.httpCode).toBe(String(status));
		expect(result.error?.description).toContain('Its answer began: no such hook');
	});

	test('a redirect is not followed', async () => {
		sink.respond(() => ({ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } }));
		const result = await runNode({ items: events(1), parameters: { callbackUrl: sink.url, options: FAST } });
		expect(sink.requests).toHaveLength(1);
		expect(result.error?.message).toMatch(/redirected notification .* \(HTTP 302\); redirects are not followed/);
	});

	test('an unreachable receiver is retried, then reported in words', async () => {
		const closed = await startSink();
		const url = closed.url;
		await closed.close();
		const result = await runNode({ items: events(1), parameters: { callbackUrl: url, options: { ...FAST, retries: 2 } } });
		expect(result.requestsMade).toBe(3);
		expect(result.error?.message).toMatch(/^Could not deliver notification .* to the callback URL .*: the connection was refused, on all 3 attempts$/);
		expect(result.error?.description).toContain('ECONNREFUSED');
	});
});

describe('Success Status Codes', () => {
	const unknownInstance = { status: 203, body: 'unknown instance' };

	test('by default any 2xx is delivered, and the output shows which', async () => {
		sink.respond(() => unknownInstance);
		const result = await runNode({ items: events(2), parameters: { callbackUrl: sink.url } });
		expect(outputJson(result)).toEqual([expect.objectContaining({ status: 203, attempts: 1 })]);
		expect(outputJson(result)[0].error).toBeUndefined();
	});

	test('a 2xx outside the list fails at once, not retried, naming the status', async () => {
		sink.respond(() => unknownInstance);
		const result = await runNode({ items: events(2), parameters: { callbackUrl: sink.url, options: { ...FAST, successStatusCodes: '200' } } });
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
			items: events(2),
			parameters: { callbackUrl: sink.url, options: { successStatusCodes: '200' } },
			continueOnFail: true,
		});
		expect(outputJson(result)).toEqual([
			expect.objectContaining({ status: 203, attempts: 1, responseBody: 'unknown instance', error: expect.stringContaining('does not count as delivered') }),
		]);
	});

	test('a listed code is delivered', async () => {
		sink.respond(() => ({ status: 204 }));
		const result = await runNode({ items: events(1), parameters: { callbackUrl: sink.url, options: { successStatusCodes: '200, 204' } } });
		expect(outputJson(result)).toEqual([expect.objectContaining({ status: 204 })]);
	});

	test('a malformed list is refused before any request', async () => {
		const result = await runNode({ items: events(1), parameters: { callbackUrl: sink.url, options: { successStatusCodes: '2xx' } } });
		expect(result.error?.message).toBe('Success Status Codes has "2xx", which is not a status code or a range such as 200-204.');
		expect(sink.requests).toHaveLength(0);
	});
});

describe('order and concurrency', () => {
	test('notifications sharing an objectType are delivered one after the other, in order; others overlap', async () => {
		// 40 notifications of one event each, over four resources.
		const types = ['contacts', 'leads', 'accounts', 'opportunities'];
		const input = events(40, (n) => types[n % 4]);
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
		await runNode({ items: events(10, (n) => types[n % 2]), parameters: { callbackUrl: sink.url, batchSize: 1, options: { concurrency: 1 } } });
		expect(sink.maxInFlight).toBe(1);
		expect(sink.requests.map((request) => (bodyJson(request).message.events as IDataObject[])[0].objectId)).toEqual(
			Array.from({ length: 10 }, (_, n) => String(1000 + n)),
		);
	});
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
			notificationId: expect.stringMatching(uuid),
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
		const result = await runNode({ items: events(50), parameters: { callbackUrl: sink.url, batchSize: 1 } });
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
		const result = await runNode({ items: events(2), parameters: { callbackUrl }, signingKey });
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
			items: events(12, (n) => (n < 10 ? 'contacts' : 'leads')),
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
		const result = await runNode({ items: events(1), parameters: { callbackUrl, options: { ...FAST, retries: 1 } }, signingKey });
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
		const result = await runNode({ items: events(3), parameters: { callbackUrl }, signingKey: 'key-abcdefghijkl' });
		expect(result.error?.message).toMatch(message);
		expect(result.error?.message).not.toContain('hunter2-secret');
		expect(JSON.stringify((result.error as unknown as { node: unknown }).node)).not.toContain('hunter2-secret');
		expect(result.requestsMade).toBe(0);
		expect(sink.requests).toHaveLength(0);
	});

	test('Batch Size outside 1-100 is rejected before any request', async () => {
		const result = await runNode({ items: events(3), parameters: { callbackUrl: sink.url, batchSize: 101 } });
		expect(result.error?.message).toBe('Batch Size must be a whole number from 1 to 100, got 101.');
		expect(result.requestsMade).toBe(0);
	});
});

describe('cancellation', () => {
	test('cancelling the execution stops retrying', async () => {
		sink.respond(() => ({ status: 503 }));
		const abortController = new AbortController();
		setTimeout(() => abortController.abort(), 150);
		const result = await runNode({
			items: events(1),
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
			items: events(1),
			parameters: { callbackUrl: sink.url, options: { retries: 10, retryBaseDelay: 1000, retryMaxDelay: 1000, maxRetryTime: 3_600_000 } },
			workflowSettings: { executionTimeout: 300 },
			abortController,
		});
		expect(result.error?.description).toMatch(
			/This workflow times out after 300 s, before Max Retry Time \(3600000 ms\) ends: raise the workflow's timeout or lower Max Retry Time\.$/,
		);
	});
});
