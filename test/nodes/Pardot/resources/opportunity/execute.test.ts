/** Opportunities over real HTTP: v3/v4 create, update, get, get many; v5 reads only, and says so. */
import { jsonOf, runAction } from '../../../../lib/action';
import { simulatorPerTest } from '../../../../lib/pardot';

describe('Opportunity', () => {
	const { sim } = simulatorPerTest();
	const make = (fields: Record<string, unknown>) => Number((sim().control.create({ type: 'prospect', fields }) as { id: number }).id);

	it('v4: creates for a prospect by email, updates, gets one and many', async () => {
		make({ email: 'ann@example.com' });
		const [created] = await jsonOf(sim(), {
			flavor: 'legacy-v4',
			parameters: { resource: 'opportunity', operation: 'create', prospect: { mode: 'email', value: 'ann@example.com' }, name: 'Deal', value: 1000, probability: 40, additionalFields: { status: 'open' } },
		});
		const id = String(created.id);
		await jsonOf(sim(), { flavor: 'legacy-v4', parameters: { resource: 'opportunity', operation: 'update', opportunityId: id, updateFields: { status: 'won', probability: 100 } } });
		const [read] = await jsonOf(sim(), { flavor: 'legacy-v4', parameters: { resource: 'opportunity', operation: 'get', opportunityId: id } });
		expect([read.status, Number(read.probability)]).toEqual(['won', 100]);
		expect(await jsonOf(sim(), { flavor: 'legacy-v4', parameters: { resource: 'opportunity', operation: 'getMany', returnAll: true } })).toHaveLength(1);
		const [v5] = await jsonOf(sim(), { flavor: 'oauth-v5', parameters: { resource: 'opportunity', operation: 'get', opportunityId: id } });
		expect([v5.name, v5.status]).toEqual(['Deal', 'won']);
		expect(await jsonOf(sim(), { flavor: 'oauth-v5', parameters: { resource: 'opportunity', operation: 'getMany', limit: 5 } })).toHaveLength(1);
	});

	it('v5: create is refused before anything is sent, with what to do', async () => {
		make({ email: 'ann@example.com' });
		const result = await runAction(sim(), { flavor: 'oauth-v5', parameters: { resource: 'opportunity', operation: 'create', prospect: { mode: 'id', value: '1' }, name: 'Deal', value: 1, probability: 1 } });
		expect(result.error?.message).toBe('Pardot API v5 cannot create or update opportunities');
		expect(result.error?.description).toMatch(/API version 4/);
		expect(sim().control.records({ type: 'opportunity' })).toHaveLength(0);
	});

	it('v4 with a Salesforce connector: opportunities are read-only, and the item says so', async () => {
		sim().control.configure({ salesforceConnector: true });
		const ann = make({ email: 'ann@example.com' });
		const result = await runAction(sim(), { flavor: 'legacy-v4', parameters: { resource: 'opportunity', operation: 'create', prospect: { mode: 'id', value: String(ann) }, name: 'Deal', value: 1, probability: 1 } });
		expect(result.error?.message).toBe('Item 0: opportunities are read-only with a Salesforce connector (Pardot error 37)');
	});
});
