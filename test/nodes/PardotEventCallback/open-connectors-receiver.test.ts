import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { SimulatorHandle } from '../../../simulator';
import { MINUTE, simulator, triggerRunner, type Flavor } from '../../lib/pardot';
import { runNode } from '../../lib/callback';

/**
 * The proof that a receiver written for Open Connectors accepts our notifications: a receiver
 * that checks them the way Cloud Elements' own platform tests ("churros") checked theirs, fed by
 * real workflows (Pardot Trigger on the simulator, then the Pardot Event Callback), over real
 * HTTP on 127.0.0.1.
 *
 * What churros checked (read in its source, not copied):
 * - src/core/server.js: a plain HTTP listener that keeps each request's headers and body and
 *   answers `{}`;
 * - src/test/platform/events/events.js: headers and body not empty, an `elements-webhook-id`
 *   header, `elements-webhook-signature` equal to "sha256=" + base64 HMAC-SHA256 of the body with
 *   the instance's signature key, and message.eventId never seen twice;
 * - src/core/suite.js (`itPolling`, used by src/test/elements/pardot/polling.js for contacts and
 *   for leads): at least one received notification with message.raw.objectType equal to the
 *   polled resource.
 * Beyond those, a typed receiver reads message.instanceName and the seven keys of each event.
 */

interface Received {
	headers: http.IncomingHttpHeaders;
	/** The bytes as they arrived: what the signature covers. */
	raw: Buffer;
	body: string;
}

interface Receiver {
	url: string;
	received: Received[];
	close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
	const received: Received[] = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const raw = Buffer.concat(chunks);
			received.push({ headers: request.headers, raw, body: raw.toString('utf8') });
			response.end('{}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/callback`,
		received,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

const EVENT_KEYS = ['date', 'elementKey', 'eventType', 'hubKey', 'objectId', 'objectType', 'pollDate'];

/** churros' events.js checks, for every notification; returns the parsed bodies. */
function checkLikeChurrosEvents(received: Received[], signatureKey: string): IDataObject[] {
	const eventMap = new Map<unknown, IDataObject>();
	for (const event of received) {
		expect(Object.keys(event.headers)).not.toHaveLength(0);
		expect(event.body).not.toBe('');
		expect(event.headers['elements-webhook-id']).toEqual(expect.any(String));
		expect(event.headers['elements-webhook-id']).not.toBe('');
		expect(event.headers['elements-webhook-signature']).toEqual(expect.any(String));
		const hash = 'sha256=' + createHmac('sha256', signatureKey).update(event.raw).digest('base64');
		expect(event.headers['elements-webhook-signature']).toBe(hash);
		const eventJson = JSON.parse(event.body) as { message: IDataObject };
		const eventId = eventJson.message.eventId;
		expect(eventMap.has(eventId)).toBe(false);
		eventMap.set(eventId, eventJson);
	}
	return [...eventMap.values()];
}

/** churros' itPolling check: some notification carries message.raw.objectType === resource. */
function notificationsForResource(received: Received[], resource: string): Received[] {
	expect(received.length).toBeGreaterThan(0);
	const objCalls = received.filter((call) => {
		const datas = JSON.parse(call.body) as { message: { raw: { objectType?: unknown } } };
		return datas.message.raw.objectType === resource;
	});
	expect(objCalls.length).toBeGreaterThan(0);
	return objCalls;
}

/** What a typed receiver reads: instanceName, the seven keys of each event, the records of raw. */
function checkTypedReading(bodies: IDataObject[], instanceName: string): void {
	for (const body of bodies) {
		const message = body.message as IDataObject;
		expect(message.elementKey).toBe('pardot');
		expect(message.instanceName).toBe(instanceName);
		const events = message.events as IDataObject[];
		const raw = message.raw as IDataObject;
		const resource = raw.objectType as string;
		expect(['contacts', 'leads']).toContain(resource);
		expect(Object.keys(raw).sort()).toEqual(['objectType', resource].sort());
		const records = raw[resource] as IDataObject[];
		expect(records).toHaveLength(events.length);
		events.forEach((event, index) => {
			expect(Object.keys(event).sort()).toEqual(EVENT_KEYS);
			for (const key of EVENT_KEYS) expect(event[key]).toEqual(expect.any(String));
			expect(event.objectType).toBe(resource);
			expect(String(records[index].id)).toBe(event.objectId);
		});
	}
}

interface Scenario {
	name: string;
	flavor: Flavor;
	resources: string[];
	/** Letters in change order: p = a new prospect (a contact), o = a new opportunity (a lead). */
	changes: string;
}

async function runWorkflow(sim: SimulatorHandle, scenario: Scenario, receiver: Receiver, signingKey: string, instanceName: string) {
	sim.control.clock({ freeze: true });
	const trigger = triggerRunner(sim, {
		flavor: scenario.flavor,
		parameters: { resources: scenario.resources, events: ['CREATED', 'UPDATED'] },
	});
	try {
		const activation = await trigger.poll();
		expect(activation.error).toBeUndefined();
		for (const [n, letter] of [...scenario.changes].entries()) {
			sim.control.clock({ advanceMs: 1000 });
			if (letter === 'p') sim.control.create({ type: 'prospect', fields: { email: `person${n}@example.com`, first_name: `Ada ${n}` } });
			else sim.control.create({ type: 'opportunity', fields: { name: `Deal ${n}`, value: 100 + n, probability: 50 } });
		}
		sim.control.clock({ advanceMs: 3 * MINUTE });
		const poll = await trigger.poll();
		expect(poll.error).toBeUndefined();
		const items: INodeExecutionData[] = (poll.items ?? []).flat();
		expect(items).toHaveLength(scenario.changes.length);
		const result = await runNode({
			items: items.map((item) => item.json),
			parameters: { callbackUrl: receiver.url, options: { instanceName } },
			signingKey,
			workflowName: 'not the instance name',
		});
		expect(result.error).toBeUndefined();
		return { items, output: (result.output?.[0] ?? []).map((item) => item.json) };
	} finally {
		trigger.close();
	}
}

describe('a receiver that checks notifications as Cloud Elements\' own tests did', () => {
	const signingKey = 'abcd1234efgh5678';
	const instanceName = 'pardot-production';
	let sim: SimulatorHandle;
	let receiver: Receiver;

	beforeEach(async () => {
		sim = await simulator();
		receiver = await startReceiver();
	});
	afterEach(async () => {
		await receiver.close();
		await sim.close();
	});

	test.each<Scenario & { expected: Record<string, number[]> }>([
		// Twelve new contacts: two notifications, ten and two.
		{ name: 'contacts only', flavor: 'legacy-v4', resources: ['contacts'], changes: 'pppppppppppp', expected: { contacts: [10, 2] } },
		{ name: 'leads only', flavor: 'oauth-v5', resources: ['leads'], changes: 'ooo', expected: { leads: [3] } },
		{ name: 'contacts and leads', flavor: 'oauth-v5', resources: ['contacts', 'leads'], changes: 'popopoppppppppop', expected: { contacts: [10, 2], leads: [4] } },
		{ name: 'contacts and leads, API v4', flavor: 'legacy-v4', resources: ['contacts', 'leads'], changes: 'oppo', expected: { contacts: [2], leads: [2] } },
	])('$name', async (scenario) => {
		const { items, output } = await runWorkflow(sim, scenario, receiver, signingKey, instanceName);

		const bodies = checkLikeChurrosEvents(receiver.received, signingKey);
		for (const resource of Object.keys(scenario.expected)) notificationsForResource(receiver.received, resource);
		checkTypedReading(bodies, instanceName);

		// Each notification holds one resource; batch sizes per resource; nothing of an unpolled resource.
		const sizes: Record<string, number[]> = {};
		for (const body of bodies) {
			const message = body.message as IDataObject;
			const resource = (message.raw as IDataObject).objectType as string;
			(sizes[resource] ??= []).push((message.events as unknown[]).length);
		}
		expect(sizes).toEqual(scenario.expected);

		// Every change arrived once, each resource in change order.
		for (const resource of Object.keys(scenario.expected)) {
			const sent = bodies
				.filter((body) => ((body.message as IDataObject).raw as IDataObject).objectType === resource)
				.flatMap((body) => ((body.message as IDataObject).events as IDataObject[]).map((event) => event.objectId));
			expect(sent).toEqual(items.filter((item) => item.json.objectType === resource).map((item) => item.json.objectId));
		}
		expect(output.map((item) => item.status)).toEqual(bodies.map(() => 200));
	});
});
