/**
 * Prospect operations over real HTTP against the simulator, in n8n-core's ExecuteContext, for each API family:
 * what Pardot holds afterwards (the simulator's records), what the node outputs, and each bad input's error.
 */
import { jsonOf, runAction } from '../../../../lib/action';
import type { Flavor } from '../../../../lib/pardot';
import { simulatorPerTest } from '../../../../lib/pardot';

const FLAVORS: Flavor[] = ['oauth-v5', 'legacy-v4', 'legacy-v3'];

describe.each(FLAVORS)('Prospect (%s)', (flavor) => {
	const { sim } = simulatorPerTest({ accountVersion: flavor === 'legacy-v3' ? 3 : 4 });
	const live = () => sim().control.records({ type: 'prospect', deleted: false }) as Array<Record<string, unknown>>;
	const create = (type: 'prospect' | 'list', fields: Record<string, unknown>) => Number((sim().control.create({ type, fields }) as { id: number }).id);

	it('creates prospects, one output item per input item with pairedItem', async () => {
		const result = await runAction(sim(), {
			flavor,
			parameters: { resource: 'prospect', operation: 'create', email: '={{ $json.email }}', additionalFields: { firstName: '={{ $json.first }}', score: 7 } },
			items: [
				{ email: 'ann@example.com', first: 'Ann' },
				{ email: 'bob@example.com', first: 'Bob' },
			],
		});
		expect(result.error).toBeUndefined();
		expect(result.output!.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const records = live();
		expect(records.map((r) => [r.email, r.firstName, r.score])).toEqual([
			['ann@example.com', 'Ann', 7],
			['bob@example.com', 'Bob', 7],
		]);
		expect(result.output!.map((o) => String(o.json.id))).toEqual(records.map((r) => String(r.id)));
	});

	it('sets the Assigned User on create, update and upsert (v5 assignedToId, v3/v4 do/assign after the write)', async () => {
		const [created] = await jsonOf(sim(), {
			flavor,
			parameters: { resource: 'prospect', operation: 'create', email: 'owner@example.com', additionalFields: { firstName: 'Olga', assignedToId: '1002' } },
		});
		expect(live().map((r) => [r.email, r.firstName, r.assignedToId])).toEqual([['owner@example.com', 'Olga', 1002]]);
		expect(String(created.id)).toBe(String(live()[0].id));
		const id = String(created.id);
		await jsonOf(sim(), { flavor, parameters: { resource: 'prospect', operation: 'update', prospect: { mode: 'id', value: id }, updateFields: { assignedToId: 1003 } } });
		expect(live()[0].assignedToId).toBe(1003);
		await jsonOf(sim(), { flavor, parameters: { resource: 'prospect', operation: 'upsert', email: 'owner@example.com', additionalFields: { assignedToId: '1001', city: 'Oslo' } } });
		expect(live().map((r) => [r.city, r.assignedToId])).toEqual([['Oslo', 1001]]);
		const bad = await runAction(sim(), { flavor, parameters: { resource: 'prospect', operation: 'create', email: 'x@example.com', additionalFields: { assignedToId: 'someone' } } });
		expect(bad.error?.message).toBe('Item 0: Assigned User "someone" is not a user ID');
		expect(bad.requests).toBe(0);
	});

	it('upserts by email: the first run creates, the second updates the same prospect', async () => {
		const parameters = { resource: 'prospect', operation: 'upsert', email: 'cat@example.com', additionalFields: { company: '={{ $json.company }}' } };
		await jsonOf(sim(), { flavor, parameters, items: [{ company: 'Acme' }] });
		await jsonOf(sim(), { flavor, parameters, items: [{ company: 'Beta' }] });
		expect(live().map((r) => [r.email, r.company])).toEqual([['cat@example.com', 'Beta']]);
	});

	it('upserts two items with one email in one run into one prospect', async () => {
		await jsonOf(sim(), {
			flavor,
			parameters: { resource: 'prospect', operation: 'upsert', email: 'dup@example.com', additionalFields: { city: '={{ $json.city }}' } },
			items: [{ city: 'Oslo' }, { city: 'Rome' }],
		});
		expect(live().map((r) => [r.email, r.city])).toEqual([['dup@example.com', 'Rome']]);
	});

	it('gets by ID and by email, updates and deletes', async () => {
		const id = String(create('prospect', { email: 'eve@example.com', firstName: 'Eve' }));
		const byId = await jsonOf(sim(), { flavor, parameters: { resource: 'prospect', operation: 'get', prospect: { mode: 'id', value: id } } });
		const byEmail = await jsonOf(sim(), { flavor, parameters: { resource: 'prospect', operation: 'get', prospect: { mode: 'email', value: 'eve@example.com' } } });
		expect(String(byId[0].id)).toBe(id);
		expect(String(byEmail[0].id)).toBe(id);
		await jsonOf(sim(), { flavor, parameters: { resource: 'prospect', operation: 'update', prospect: { mode: 'email', value: 'eve@example.com' }, updateFields: { lastName: 'Stone' } } });
		expect(live()[0].lastName).toBe('Stone');
		const deleted = await jsonOf(sim(), { flavor, parameters: { resource: 'prospect', operation: 'delete', prospect: { mode: 'id', value: id } } });
		expect(deleted).toEqual([{ id: Number(id), deleted: true }]);
		expect(live()).toHaveLength(0);
	});

	it('gets many: limit, return all across pages, updated after, list and email filters', async () => {
		const seeded = {
			prospectIds: Array.from({ length: 230 }, (_, n) => create('prospect', { email: `p${n}@example.com` })),
			listIds: [create('list', { name: 'Newsletter' })],
		};
		sim().control.addToList({ listId: seeded.listIds[0], prospectId: seeded.prospectIds[5] });
		const base = { resource: 'prospect', operation: 'getMany' };
		expect(await jsonOf(sim(), { flavor, parameters: { ...base, limit: 3 } })).toHaveLength(3);
		const all = await jsonOf(sim(), { flavor, parameters: { ...base, returnAll: true } });
		expect(new Set(all.map((p) => String(p.id))).size).toBe(230);
		const inList = await jsonOf(sim(), { flavor, parameters: { ...base, returnAll: true, filters: { listId: String(seeded.listIds[0]) } } });
		expect(inList.map((p) => String(p.id))).toEqual([String(seeded.prospectIds[5])]);
		const byEmail = await jsonOf(sim(), { flavor, parameters: { ...base, filters: { email: 'p7@example.com' } } });
		expect(byEmail.map((p) => String(p.id))).toEqual([String(seeded.prospectIds[7])]);
		sim().control.clock({ advanceMs: 60_000 });
		const since = sim().control.clock().now;
		sim().control.clock({ advanceMs: 60_000 });
		sim().control.update({ type: 'prospect', id: seeded.prospectIds[9], fields: { city: 'Lima' } });
		const updated = await jsonOf(sim(), { flavor, parameters: { ...base, returnAll: true, filters: { updatedAfter: since } } });
		expect(updated.map((p) => String(p.id))).toEqual([String(seeded.prospectIds[9])]);
	});

	it('fails an invalid email naming the item and the field, and sends nothing for it', async () => {
		const result = await runAction(sim(), {
			flavor,
			parameters: { resource: 'prospect', operation: 'create', email: '={{ $json.email }}' },
			items: [{ email: 'ok@example.com' }, { email: 'not-an-email' }],
			continueOnFail: true,
		});
		expect(result.output![1].json.error).toBe('Item 1: Email "not-an-email" is not a valid email address');
		expect(result.output![1].pairedItem).toEqual({ item: 1 });
		expect(live().map((r) => r.email)).toEqual(['ok@example.com']);
	});

	it('names a custom field Pardot does not have (v5 refuses it; v3/v4 ignore it, and the node notices)', async () => {
		const result = await runAction(sim(), {
			flavor,
			parameters: { resource: 'prospect', operation: 'create', email: 'cf@example.com', customFields: { field: [{ name: 'shoe_size__c', value: '42' }] } },
		});
		if (flavor === 'oauth-v5') {
			expect(result.error?.message).toEqual(expect.stringMatching(/^Item 0: Pardot refused a field \(Custom Fields: shoe_size__c\): not a field of this object, or not writable \(Pardot error (180|51)\)$/));
			expect(live()).toHaveLength(0);
		} else {
			expect(result.error?.message).toBe('Item 0: Custom Fields "shoe_size__c" is not a field of this Pardot account');
			expect(result.error?.description).toMatch(/wrote the other fields to prospect \d+/);
		}
	});

	it('says a prospect ID that does not exist was not found, and one in the recycle bin is there', async () => {
		const prospectIds = [create('prospect', { email: 'gone@example.com' })];
		sim().control.delete({ type: 'prospect', id: prospectIds[0] });
		const missing = await runAction(sim(), { flavor, parameters: { resource: 'prospect', operation: 'update', prospect: { mode: 'id', value: '999999' }, updateFields: { city: 'X' } } });
		expect(missing.error?.message).toMatch(/^Item 0: prospect 999999 was not found \(Pardot error (3|192)\)$/);
		const binned = await runAction(sim(), { flavor, parameters: { resource: 'prospect', operation: 'update', prospect: { mode: 'id', value: String(prospectIds[0]) }, updateFields: { city: 'X' } } });
		expect(binned.error?.message).toMatch(/^Item 0: prospect \d+ is in Pardot's recycle bin \(Pardot error (132|219)\)$/);
	});
});

describe('Prospect create on an account with one prospect per email', () => {
	const { sim } = simulatorPerTest({ ampsea: false, accountVersion: 3 });

	it.each(['oauth-v5', 'legacy-v3'] as Flavor[])('%s: a used email is a duplicate, and the message points at Upsert by Email', async (flavor) => {
		sim().control.create({ type: 'prospect', fields: { email: 'taken@example.com' } });
		const result = await runAction(sim(), { flavor, parameters: { resource: 'prospect', operation: 'create', email: 'taken@example.com' } });
		expect(result.error?.message).toBe('Item 0: a prospect with this email already exists (Pardot error 9)');
		expect(result.error?.description).toMatch(/Upsert by Email/);
	});
});
