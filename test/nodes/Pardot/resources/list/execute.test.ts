/** Lists over real HTTP, both API families. */
import { jsonOf } from '../../../../lib/action';
import type { Flavor } from '../../../../lib/pardot';
import { simulatorPerTest } from '../../../../lib/pardot';

describe.each(['oauth-v5', 'legacy-v4'] as Flavor[])('List (%s)', (flavor) => {
	const { sim } = simulatorPerTest();

	it('creates lists and gets them, with a limit or all', async () => {
		const created = await jsonOf(sim(), {
			flavor,
			parameters: { resource: 'list', operation: 'create', name: '={{ $json.name }}', additionalFields: { title: 'Shown title' } },
			items: [{ name: 'Alpha' }, { name: 'Beta' }, { name: 'Gamma' }],
		});
		expect(created.map((l) => l.name)).toEqual(['Alpha', 'Beta', 'Gamma']);
		const stored = sim().control.records({ type: 'list' }) as Array<Record<string, unknown>>;
		expect(stored.map((l) => [l.name, l.title])).toEqual([
			['Alpha', 'Shown title'],
			['Beta', 'Shown title'],
			['Gamma', 'Shown title'],
		]);
		expect(await jsonOf(sim(), { flavor, parameters: { resource: 'list', operation: 'getMany', limit: 2 } })).toHaveLength(2);
		expect(await jsonOf(sim(), { flavor, parameters: { resource: 'list', operation: 'getMany', returnAll: true } })).toHaveLength(3);
	});
});
