/**
 * What a run sends (execute.ts through n8n-core's ExecuteContext, real HTTP to a local sink): the
 * bodies byte for byte, written here from docs/event-format.md and never taken from the code under
 * test; the signature a receiver verifies; how events are batched.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { bodyJson, FAST, idOf, makeEvent, makeEvents, outputJson, runNode, UUID_V8 } from '../../../lib/callback';
import { OK, startSink, type Sink } from '../../../lib/sink';

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
			expect(idOf(request)).toMatch(UUID_V8);
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
		expect(idOf(sink.requests[0])).toMatch(UUID_V8);
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
			items: makeEvents(25),
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
		const input = makeEvents(count, (n) => (n % 7 === 0 ? 'leads' : 'contacts'));
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
		const input = makeEvents(30);
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
