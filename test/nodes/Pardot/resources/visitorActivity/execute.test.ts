/** Visitor activities over real HTTP, both API families: types and created-after filters. */
import { jsonOf } from '../../../../lib/action';
import type { Flavor } from '../../../../lib/pardot';
import { simulatorPerTest } from '../../../../lib/pardot';

describe.each(['oauth-v5', 'legacy-v4'] as Flavor[])('Visitor Activity (%s)', (flavor) => {
	const { sim } = simulatorPerTest();

	it('gets the chosen types created after a time', async () => {
		const ann = Number((sim().control.create({ type: 'prospect', fields: { email: 'ann@example.com' } }) as { id: number }).id);
		sim().control.activity({ type: 11, prospectId: ann, emailId: 1 });
		sim().control.clock({ advanceMs: 60_000 });
		const since = sim().control.clock().now;
		sim().control.clock({ advanceMs: 60_000 });
		sim().control.activity({ type: 11, prospectId: ann, emailId: 2 });
		sim().control.activity({ type: 12, prospectId: ann });
		const opens = await jsonOf(sim(), { flavor, parameters: { resource: 'visitorActivity', operation: 'getMany', returnAll: true, filters: { types: ['emailOpen'], createdAfter: since } } });
		expect(opens.map((a) => Number(a.type))).toEqual([11]);
		expect(opens.map((a) => Number(a.emailId ?? a.email_id))).toEqual([2]);
		const all = await jsonOf(sim(), { flavor, parameters: { resource: 'visitorActivity', operation: 'getMany', returnAll: true } });
		expect(all).toHaveLength(3);
	});
});
