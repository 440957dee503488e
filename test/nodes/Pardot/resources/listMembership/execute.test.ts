/** List memberships over real HTTP, both API families: add (opted in or out), update, remove, get many, errors. */
import { jsonOf, runAction } from '../../../../lib/action';
import type { Flavor } from '../../../../lib/pardot';
import { simulatorPerTest } from '../../../../lib/pardot';

describe.each(['oauth-v5', 'legacy-v4'] as Flavor[])('List Membership (%s)', (flavor) => {
	const { sim } = simulatorPerTest({ membershipOptIn: 'applied' });
	const make = (type: 'prospect' | 'list', fields: Record<string, unknown>) => Number((sim().control.create({ type, fields }) as { id: number }).id);
	const memberships = () => sim().control.records({ type: 'listMembership', deleted: false }) as Array<Record<string, unknown>>;
	const at = (listId: number, prospect: { mode: string; value: string }) => ({ list: { mode: 'id', value: String(listId) }, prospect });

	it('adds prospects (by ID and by email) opted in or out, updates, lists and removes them', async () => {
		const listId = make('list', { name: 'Newsletter' });
		const ann = make('prospect', { email: 'ann@example.com' });
		make('prospect', { email: 'bob@example.com' });
		const added = await jsonOf(sim(), {
			flavor,
			parameters: { resource: 'listMembership', operation: 'add', list: { mode: 'id', value: String(listId) }, prospect: { mode: '={{ $json.mode }}', value: '={{ $json.value }}' }, optedOut: '={{ $json.out }}' },
			items: [
				{ mode: 'id', value: String(ann), out: false },
				{ mode: 'email', value: 'bob@example.com', out: true },
			],
		});
		expect(added).toHaveLength(2);
		expect(memberships().map((m) => [m.prospectId, m.optedOut])).toEqual([
			[ann, false],
			[expect.any(Number), true],
		]);
		await jsonOf(sim(), { flavor, parameters: { resource: 'listMembership', operation: 'update', ...at(listId, { mode: 'id', value: String(ann) }), optedOut: true } });
		expect(memberships()[0].optedOut).toBe(true);
		const listed = await jsonOf(sim(), { flavor, parameters: { resource: 'listMembership', operation: 'getMany', returnAll: true, filters: { listId: String(listId) } } });
		expect(listed).toHaveLength(2);
		const removed = await jsonOf(sim(), { flavor, parameters: { resource: 'listMembership', operation: 'remove', ...at(listId, { mode: 'id', value: String(ann) }) } });
		expect(removed).toEqual([{ listId, prospectId: ann, removed: true }]);
		expect(memberships()).toHaveLength(1);
	});

	it('names a list that does not exist; adding a prospect already on the list again is safe', async () => {
		const listId = make('list', { name: 'Real' });
		const ann = make('prospect', { email: 'ann@example.com' });
		const parameters = { resource: 'listMembership', operation: 'add', list: { mode: 'id', value: '={{ $json.list }}' }, prospect: { mode: 'id', value: String(ann) } };
		const result = await runAction(sim(), { flavor, parameters, items: [{ list: '999999' }, { list: String(listId) }, { list: String(listId) }], continueOnFail: true, options: { concurrency: 1 } });
		expect(result.output!.map((o) => o.json.error)).toEqual(['Item 0: the list does not exist (or is deleted) (Pardot error 55)', undefined, undefined]);
		expect(String(result.output![2].json.id)).toBe(String(result.output![1].json.id));
		expect(memberships()).toHaveLength(1);
	});

	it('an add whose answer was lost is checked, not repeated: the membership is there once', async () => {
		const listId = make('list', { name: 'Real' });
		const ann = make('prospect', { email: 'ann@example.com' });
		sim().control.fault({ count: 1, path: flavor === 'oauth-v5' ? 'list-memberships' : 'listMembership', kind: 'resetAfter' });
		const out = await jsonOf(sim(), { flavor, parameters: { resource: 'listMembership', operation: 'add', ...at(listId, { mode: 'id', value: String(ann) }) } });
		expect(Number(out[0].prospectId ?? out[0].prospect_id)).toBe(ann);
		expect(memberships()).toHaveLength(1);
	});
});
