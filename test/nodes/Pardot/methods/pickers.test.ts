/** The pickers (loadOptions, listSearch) in n8n-core's LoadOptionsContext, over real HTTP, both API families. */
import { runPicker } from '../../../lib/action';
import type { Flavor } from '../../../lib/pardot';
import { simulatorPerTest } from '../../../lib/pardot';

describe.each(['oauth-v5', 'legacy-v4'] as Flavor[])('pickers (%s)', (flavor) => {
	const { sim } = simulatorPerTest();

	it('lists and campaigns by name, and the list search filters by name', async () => {
		const news = sim().control.create({ type: 'list', fields: { name: 'Newsletter' } }) as { id: number };
		const vip = sim().control.create({ type: 'list', fields: { name: 'VIP customers' } }) as { id: number };
		const spring = sim().control.create({ type: 'campaign', fields: { name: 'Spring launch' } }) as { id: number };
		expect(await runPicker(sim(), flavor, 'loadOptions', 'getLists')).toEqual([
			{ name: `Newsletter (${news.id})`, value: String(news.id) },
			{ name: `VIP customers (${vip.id})`, value: String(vip.id) },
		]);
		expect(await runPicker(sim(), flavor, 'loadOptions', 'getCampaigns')).toEqual(expect.arrayContaining([{ name: `Spring launch (${spring.id})`, value: String(spring.id) }]));
		expect(await runPicker(sim(), flavor, 'listSearch', 'searchLists', 'vip')).toEqual({ results: [{ name: `VIP customers (${vip.id})`, value: String(vip.id) }] });
	});

	it('users as "First Last (email)", the value the id, sorted by name; deleted users left out', async () => {
		const gone = sim().control.create({ type: 'user', fields: { email: 'zed@example.com', firstName: 'Zed', lastName: 'Gone' } }) as { id: number };
		sim().control.delete({ type: 'user', id: gone.id });
		const users = await runPicker(sim(), flavor, 'loadOptions', 'getUsers');
		expect(users).toEqual([
			{ name: 'Avery Lee (avery.lee@example.com)', value: '1002' },
			{ name: 'Demo Api (demo@example.com)', value: '1001' },
			{ name: 'Sam Ortiz (sam.ortiz@example.com)', value: '1003' },
		]);
	});
});
