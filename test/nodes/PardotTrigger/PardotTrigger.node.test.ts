/**
 * Start here. The Pardot Trigger of the example workflow a user imports
 * (examples/contacts-to-callback-url.json), run the way n8n runs a polling trigger: n8n-core's
 * PollContext, the node's own poll(), real HTTP to the Pardot simulator (test/lib).
 *
 * The first poll is the activation: it notes Pardot's clock and emits nothing. A contact created
 * afterwards comes out of a later poll as one CREATED event in the standardized format
 * (docs/event-format.md), and only once. The suites next to this file go into each part.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { INode } from 'n8n-workflow';

import { PardotTrigger } from '../../../nodes/PardotTrigger/PardotTrigger.node';
import { PollRunner } from '../../lib/n8n';
import { credentialsFor, MINUTE, simulator } from '../../lib/pardot';

const example = JSON.parse(readFileSync(path.join(__dirname, '../../../examples/contacts-to-callback-url.json'), 'utf8')) as {
	name: string;
	nodes: INode[];
};
const stored = example.nodes.find((node) => node.type === 'n8n-nodes-pardot.pardotTrigger')!;

test('the example workflow: activation emits nothing, then a new contact is one CREATED event', async () => {
	const sim = await simulator({ clock: '2026-11-27T12:00:00Z' });
	sim.control.clock({ freeze: true });
	const runner = new PollRunner({
		nodeType: new PardotTrigger(),
		// The credential the user picks in the editor; here an OAuth2 one pointing at the simulator.
		storedNode: { ...stored, credentials: { pardotOAuth2Api: { id: '1', name: 'Pardot OAuth2' } } },
		credentials: credentialsFor('oauth-v5', sim.baseUrl),
		workflow: { id: 'example', name: example.name, active: true },
	});
	try {
		const activation = await runner.poll();
		expect(activation.error).toBeUndefined();
		expect(activation.items).toBeNull();

		sim.control.clock({ advanceMs: MINUTE });
		const ada = sim.control.create({ type: 'prospect', fields: { email: 'ada@example.com', firstName: 'Ada' } });
		// API v5 reads may lag writes by up to a minute: the trigger emits a change once it has settled.
		sim.control.clock({ advanceMs: 2 * MINUTE });
		const next = await runner.poll();
		expect(next.error).toBeUndefined();

		expect(runner.emitted.map((item) => item.json)).toEqual([
			{
				eventId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
				eventType: 'CREATED',
				objectType: 'contacts',
				objectId: String(ada.id),
				elementKey: 'pardot',
				hubKey: 'marketing',
				date: '2026-11-27T12:01:00Z',
				pollDate: expect.stringMatching(/^2026-11-27T12:0[23]:/),
				raw: expect.objectContaining({ id: ada.id, email: 'ada@example.com' }),
			},
		]);
		// n8n saved the trigger's position with the emitted item: the next poll starts after it.
		expect(next.saved).toBe(true);
		expect((await runner.poll()).items).toBeNull();
	} finally {
		runner.close();
		await sim.close();
	}
});
