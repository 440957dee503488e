/**
 * Start here. The Pardot Event Callback of the example workflow a user imports
 * (examples/contacts-to-callback-url.json), run the way n8n runs a node: n8n-core's ExecuteContext,
 * the node's own execute(), real HTTP to a local receiver (test/lib/sink.ts).
 *
 * Two events from the Pardot Trigger go out as one signed POST in the Open Connectors envelope
 * (docs/event-format.md). The suites next to this file go into each part.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { runNode } from '../../lib/callback';
import { startSink, type Sink } from '../../lib/sink';

const example = JSON.parse(readFileSync(path.join(__dirname, '../../../examples/contacts-to-callback-url.json'), 'utf8')) as {
	name: string;
	nodes: INode[];
};
const stored = example.nodes.find((node) => node.type === 'n8n-nodes-pardot.pardotEventCallback')!;

/** Two items as the Pardot Trigger emits them (docs/event-format.md). */
const events: IDataObject[] = [
	{
		eventId: '5b0c6f0e-9a51-2c7d-8e44-0f3b1c9a7d21',
		eventType: 'UPDATED',
		objectType: 'contacts',
		objectId: '1234',
		elementKey: 'pardot',
		hubKey: 'marketing',
		date: '2026-11-27T14:03:11Z',
		pollDate: '2026-11-27T14:05:00Z',
		raw: { id: 1234, email: 'ada@example.com', updated_at: '2026-11-27 06:03:11' },
	},
	{
		eventId: '0d7e8a44-1f2b-4c3d-9e5f-6a7b8c9d0e1f',
		eventType: 'CREATED',
		objectType: 'contacts',
		objectId: '1240',
		elementKey: 'pardot',
		hubKey: 'marketing',
		date: '2026-11-27T14:04:02Z',
		pollDate: '2026-11-27T14:05:00Z',
		raw: { id: 1240, email: 'grace@example.com', created_at: '2026-11-27 06:04:02', updated_at: '2026-11-27 06:04:02' },
	},
];

let sink: Sink;
beforeEach(async () => {
	sink = await startSink();
});
afterEach(async () => {
	await sink.close();
});

test('the example workflow: two events are one signed POST in the Open Connectors envelope', async () => {
	const signingKey = 'example-signing-key';
	const result = await runNode({
		items: events,
		// The receiver's address is the only change to the example: it listens on a free local port here.
		parameters: { ...stored.parameters, callbackUrl: sink.url },
		signingKey,
		workflowName: example.name,
	});
	expect(result.error).toBeUndefined();

	expect(sink.requests).toHaveLength(1);
	const [request] = sink.requests;
	const id = String(request.headers['elements-webhook-id']);
	expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	// The format, written out here: compact JSON, keys in the documented order.
	const summary = (e: IDataObject) =>
		`{"date":"${e.date}","elementKey":"pardot","pollDate":"${e.pollDate}","eventType":"${e.eventType}","hubKey":"marketing","objectId":"${e.objectId}","objectType":"contacts"}`;
	expect(request.body.toString('utf8')).toBe(
		`{"message":{"elementKey":"pardot","eventId":"${id}","instanceName":"${example.name}",` +
			`"events":[${events.map(summary).join(',')}],` +
			`"raw":{"objectType":"contacts","contacts":[${events.map((e) => JSON.stringify(e.raw)).join(',')}]}}}`,
	);
	expect(request.headers['content-type']).toBe('application/json');
	expect(request.headers['elements-webhook-signature']).toBe(`sha256=${createHmac('sha256', signingKey).update(request.body).digest('base64')}`);

	// One output item per notification, paired with the input items it carried.
	expect(result.output?.[0].map((item) => item.json)).toEqual([
		{ notificationId: id, url: sink.url, status: 200, attempts: 1, eventIds: events.map((e) => e.eventId), durationMs: expect.any(Number) },
	]);
	expect(result.output?.[0][0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
});
