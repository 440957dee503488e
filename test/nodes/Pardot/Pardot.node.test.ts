/**
 * Start here. The Pardot action node writes, and the Pardot Trigger sees it: an upsert of a new email is the
 * trigger's CREATED event, an update of that prospect its UPDATED event. Both nodes run in n8n-core's own
 * contexts over real HTTP to the simulator, through the one shared transport.
 */
import { jsonOf } from '../../lib/action';
import { MINUTE, simulatorPerTest, triggerRunner } from '../../lib/pardot';

describe('the action node and the trigger', () => {
	const { sim, advance, track } = simulatorPerTest();

	it('an upsert is CREATED, an update UPDATED', async () => {
		const trigger = track(triggerRunner(sim(), { flavor: 'oauth-v5', parameters: { resources: ['contacts'] } }));
		expect((await trigger.poll()).error).toBeUndefined();
		advance(MINUTE);
		const [created] = await jsonOf(sim(), {
			flavor: 'oauth-v5',
			parameters: { resource: 'prospect', operation: 'upsert', email: 'ada@example.com', additionalFields: { firstName: 'Ada' } },
		});
		advance(2 * MINUTE);
		await trigger.poll();
		advance(MINUTE);
		await jsonOf(sim(), {
			flavor: 'legacy-v4',
			parameters: { resource: 'prospect', operation: 'update', prospect: { mode: 'email', value: 'ada@example.com' }, updateFields: { lastName: 'Lovelace' } },
		});
		advance(2 * MINUTE);
		await trigger.poll();
		expect(trigger.emitted.map((item) => [item.json.eventType, item.json.objectId])).toEqual([
			['CREATED', String(created.id)],
			['UPDATED', String(created.id)],
		]);
		expect((trigger.emitted[1].json.raw as Record<string, unknown>).lastName).toBe('Lovelace');
	});
});
