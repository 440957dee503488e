/**
 * The control API for the objects beyond prospects and opportunities: visitor activities, list
 * memberships, lists, campaigns, visitors (ground truth, the membership calls, seeding, the CLI's
 * change stream). Everything over the in-process control or POST /__sim/<name>.
 */
import { ACTIVITY_TYPES, Simulator } from '../../simulator';
import type { SimulatorHandle } from '../../simulator';
import { at, http, simulatorForFile, START } from '../lib/simulator';

let sim: SimulatorHandle;

const env = simulatorForFile({ frozenAt: at(0) });
beforeEach(() => ({ sim } = env.current()));

const call = (name: string, body: unknown) =>
	http(`${sim.baseUrl}/__sim/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('records of every object', () => {
	it('create / records: UTC ISO dates, every field (unset ones null), v5 or v3/v4 names accepted', () => {
		const campaign = sim.control.create({ type: 'campaign', fields: { name: 'Spring', cost: '1500', parent_campaign_id: 7 } });
		expect(campaign).toEqual({
			type: 'campaign',
			recordType: 'campaign',
			id: expect.any(Number),
			createdAt: '2026-11-27T12:00:00.000Z',
			updatedAt: '2026-11-27T12:00:00.000Z',
			deleted: false,
			name: 'Spring',
			cost: 1500,
			folderId: null,
			parentCampaignId: 7,
			salesforceId: null,
			createdById: null,
			updatedById: null,
		});
		const list = sim.control.create({ type: 'list', fields: { name: 'Newsletter', is_public: 'true', isDynamic: 0 } });
		expect(list).toEqual(expect.objectContaining({ type: 'list', name: 'Newsletter', isPublic: true, isDynamic: false, title: null }));
		const visitor = sim.control.create({ type: 'visitor', fields: { prospect_id: 5, pageViewCount: 3, isIdentified: true } });
		expect(visitor).toEqual(expect.objectContaining({ type: 'visitor', prospectId: 5, pageViewCount: 3, isIdentified: true, hostname: null }));
		expect(sim.control.records({ type: 'campaign' })).toEqual([campaign]);
		expect(sim.control.records({ type: 'visitor', deleted: false })).toEqual([visitor]);
		expect(() => sim.control.create({ type: 'list', fields: { colour: 'red' } })).toThrow(/Unknown list field: colour/);
		expect(() => sim.control.create({ type: 'list', fields: { isPublic: 'maybe' } })).toThrow(/isPublic must be true or false/);
		expect(() => sim.control.create({ type: 'lead' as never })).toThrow(/type must be one of 'prospect', 'opportunity', 'visitorActivity'/);
	});

	it('visitor activities need a type code; typeName follows from the ids; no recycle bin; the control may still update one', () => {
		expect(() => sim.control.create({ type: 'visitorActivity', fields: { formId: 1 } })).toThrow(/needs its type/);
		const form = sim.control.create({ type: 'visitorActivity', fields: { type: 4, form_id: 1001, prospectId: 10 } });
		// The activity's own `type` field (its code) wins over the record type, which is in recordType.
		expect(form).toEqual(expect.objectContaining({ recordType: 'visitorActivity', type: 4, typeName: 'Form', formId: 1001, prospectId: 10, emailId: null }));
		const click = sim.control.activity({ type: 1, emailId: 99, prospectId: 10, at: at(5_000) });
		expect(click).toEqual(expect.objectContaining({ typeName: 'Email Tracker', emailId: 99, createdAt: at(5_000) }));
		expect(sim.control.activity({ type: 11, emailId: 99 }).typeName).toBe('Email');
		expect(sim.control.activity({ type: 20, details: '3 page views' }).typeName).toBe('Visit');
		expect(sim.control.activity({ type: 4, formHandlerId: 2001 }).typeName).toBe('Form Handler');
		expect(sim.control.activity({ type: 4, formId: 1, typeName: 'Custom' }).typeName).toBe('Custom');
		expect(() => sim.control.delete({ type: 'visitorActivity', id: form.id })).toThrow(/visitor activities have no recycle bin/);
		expect(() => sim.control.delete({ type: 'visitor', id: 1 })).toThrow(/visitors have no recycle bin/);
		const changed = sim.control.update({ type: 'visitorActivity', id: form.id, fields: { prospectId: 11 }, at: at(9_000) });
		expect(changed).toEqual(expect.objectContaining({ prospectId: 11, typeName: 'Form', updatedAt: at(9_000), createdAt: at(0) }));
		expect(ACTIVITY_TYPES[4]).toBe('Success');
		expect(ACTIVITY_TYPES[38]).toBe('Opportunity Unlinked');
	});

	it('lists and campaigns go to the recycle bin and back', () => {
		const list = sim.control.create({ type: 'list', fields: { name: 'A' } });
		const deleted = sim.control.delete({ type: 'list', id: list.id, at: at(1_000) });
		expect(deleted).toEqual(expect.objectContaining({ deleted: true, updatedAt: at(1_000) }));
		expect(sim.control.records({ type: 'list', deleted: false })).toEqual([]);
		sim.control.undelete({ type: 'list', id: list.id, at: at(2_000) });
		expect(sim.control.records({ type: 'list', deleted: false })).toHaveLength(1);
		const campaign = sim.control.create({ type: 'campaign', fields: { name: 'C' } });
		expect(sim.control.delete({ type: 'campaign', id: campaign.id }).deleted).toBe(true);
	});
});

describe('list memberships', () => {
	it('addToList creates; removeFromList sends it to the bin; adding again restores the same record with a new updatedAt', () => {
		const added = sim.control.addToList({ listId: 30_001, prospectId: 10_000_001 });
		expect(added).toEqual(
			expect.objectContaining({
				type: 'listMembership',
				listId: 30_001,
				prospectId: 10_000_001,
				optedOut: false,
				deleted: false,
				createdAt: at(0),
				updatedAt: at(0),
			}),
		);
		expect(() => sim.control.addToList({ listId: 30_001, prospectId: 10_000_001 })).toThrow(/already a member.*error 58/);
		const removed = sim.control.removeFromList({ listId: 30_001, prospectId: 10_000_001, at: at(60_000) });
		expect(removed).toEqual(expect.objectContaining({ id: added.id, deleted: true, updatedAt: at(60_000) }));
		expect(() => sim.control.removeFromList({ listId: 30_001, prospectId: 10_000_001 })).toThrow(/not a member/);
		const back = sim.control.addToList({ listId: 30_001, prospectId: 10_000_001, at: at(120_000) });
		expect(back).toEqual(expect.objectContaining({ id: added.id, deleted: false, createdAt: at(0), updatedAt: at(120_000) }));
		expect(sim.control.records({ type: 'listMembership' })).toHaveLength(1);
	});

	it('a re-add sets updatedAt even when deletions do not (deleteBumpsUpdatedAt false)', () => {
		sim.control.configure({ deleteBumpsUpdatedAt: false });
		const added = sim.control.addToList({ listId: 1, prospectId: 2 });
		expect(sim.control.removeFromList({ listId: 1, prospectId: 2, at: at(1_000) }).updatedAt).toBe(at(0));
		expect(sim.control.addToList({ listId: 1, prospectId: 2, at: at(2_000) })).toEqual(
			expect.objectContaining({ id: added.id, deleted: false, updatedAt: at(2_000) }),
		);
	});

	it('optOut sets optedOut (and back), only for a member', () => {
		sim.control.addToList({ listId: 1, prospectId: 2 });
		expect(sim.control.optOut({ listId: 1, prospectId: 2, at: at(1_000) })).toEqual(expect.objectContaining({ optedOut: true, updatedAt: at(1_000) }));
		expect(sim.control.optOut({ listId: 1, prospectId: 2, optedOut: false, at: at(2_000) }).optedOut).toBe(false);
		expect(() => sim.control.optOut({ listId: 1, prospectId: 3 })).toThrow(/not a member/);
		expect(sim.control.addToList({ listId: 1, prospectId: 4, optedOut: true }).optedOut).toBe(true);
	});

	it('create refuses a second membership of the same pair and memberships without list or prospect', () => {
		sim.control.create({ type: 'listMembership', fields: { listId: 1, prospectId: 2 } });
		expect(() => sim.control.create({ type: 'listMembership', fields: { list_id: 1, prospect_id: 2 } })).toThrow(/already a member/);
		expect(() => sim.control.create({ type: 'listMembership', fields: { listId: 1 } })).toThrow(/needs listId and prospectId/);
		const other = sim.control.create({ type: 'listMembership', fields: { listId: 1, prospectId: 3 } });
		expect(() => sim.control.update({ type: 'listMembership', id: other.id, fields: { prospectId: 2 } })).toThrow(/already a member/);
	});

	it('works over HTTP: POST /__sim/addToList, removeFromList, optOut, activity', async () => {
		const added = await call('addToList', { listId: 5, prospectId: 6 });
		expect(added.status).toBe(200);
		expect(added.json).toEqual(expect.objectContaining({ type: 'listMembership', listId: 5, prospectId: 6 }));
		expect((await call('optOut', { listId: 5, prospectId: 6 })).json.optedOut).toBe(true);
		expect((await call('removeFromList', { listId: 5, prospectId: 6 })).json.deleted).toBe(true);
		const duplicate = await call('create', { type: 'listMembership', fields: { listId: 5, prospectId: 6 } });
		expect(duplicate.status).toBe(400);
		expect(duplicate.json.error).toMatch(/already a member/);
		const activity = await call('activity', { type: 4, formId: 1002, prospectId: 6, at: at(3_000) });
		expect(activity.json).toEqual(expect.objectContaining({ recordType: 'visitorActivity', type: 4, typeName: 'Form', formId: 1002, createdAt: at(3_000) }));
		expect((await call('records', { type: 'visitorActivity' })).json).toHaveLength(1);
	});
});

describe('seed', () => {
	it('seeds every object, spread over time, pointing at each other; the same data after every reset', () => {
		const seed = () =>
			sim.control.seed({
				campaigns: 4,
				lists: 3,
				prospects: 40,
				opportunities: 5,
				visitors: 30,
				listMemberships: 50,
				visitorActivities: 200,
				at: at(0),
				spreadMs: 3_600_000,
			});
		const ids = seed();
		expect(Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, v.length]))).toEqual({
			prospectIds: 40,
			opportunityIds: 5,
			campaignIds: 4,
			listIds: 3,
			visitorIds: 30,
			listMembershipIds: 50,
			visitorActivityIds: 200,
		});
		const activities = sim.control.records({ type: 'visitorActivity' });
		// Ids grow with createdAt, from an hour back to now.
		expect(activities[0].createdAt).toBe(at(-3_600_000));
		expect(activities[199].createdAt).toBe(at(0));
		for (let i = 1; i < activities.length; i++) expect(activities[i].createdAt >= activities[i - 1].createdAt).toBe(true);
		// Form submissions (4 + form), email opens (11), clicks (1), visits (20) are all there.
		const kinds = new Set(activities.map((a) => `${a.type as number}:${a.typeName as string}`));
		for (const kind of ['4:Form', '11:Email', '1:Email Tracker', '20:Visit']) expect(kinds).toContain(kind);
		for (const a of activities.filter((x) => x.typeName === 'Form')) expect(a.formId).toEqual(expect.any(Number));
		// Email activities always have a prospect; references point at seeded records.
		for (const a of activities.filter((x) => x.emailId !== null)) expect(ids.prospectIds).toContain(a.prospectId);
		for (const a of activities) expect(ids.campaignIds).toContain(a.campaignId);
		const memberships = sim.control.records({ type: 'listMembership' });
		const pairs = new Set(memberships.map((m) => `${m.listId as number}:${m.prospectId as number}`));
		expect(pairs.size).toBe(50);
		for (const m of memberships) {
			expect(ids.listIds).toContain(m.listId);
			expect(ids.prospectIds).toContain(m.prospectId);
		}
		expect(memberships.some((m) => m.optedOut === true)).toBe(true);
		expect(memberships.filter((m) => m.optedOut === true).length).toBeLessThan(15);
		const visitors = sim.control.records({ type: 'visitor' });
		expect(visitors.some((v) => v.isIdentified === true)).toBe(true);
		expect(visitors.some((v) => v.isIdentified === false)).toBe(true);
		for (const p of sim.control.records({ type: 'prospect' })) expect(ids.campaignIds).toContain(p.campaignId);

		const first = JSON.stringify([activities, memberships, visitors]);
		sim.control.reset();
		sim.control.clock({ set: at(0), freeze: true });
		seed();
		const again = JSON.stringify([
			sim.control.records({ type: 'visitorActivity' }),
			sim.control.records({ type: 'listMembership' }),
			sim.control.records({ type: 'visitor' }),
		]);
		expect(again).toBe(first);
	});

	it('list memberships need lists and prospects', () => {
		expect(() => sim.control.seed({ listMemberships: 3 })).toThrow(/need live lists and prospects/);
		expect(sim.control.seed({ lists: 1, prospects: 2, listMemberships: 5 }).listMembershipIds).toHaveLength(2);
	});

	it('prospects without campaigns in the account keep their plain campaign numbers', () => {
		const { prospectIds } = sim.control.seed({ prospects: 20 });
		expect(prospectIds).toHaveLength(20);
		for (const p of sim.control.records({ type: 'prospect' })) expect(p.campaignId as number).toBeLessThanOrEqual(12);
	});
});

describe('the change stream (npm run simulator --changes-per-minute)', () => {
	it('produces form submissions, other activities, list adds/removals/opt-outs, list and campaign edits', async () => {
		const local = new Simulator({ clock: START });
		local.seedRecords({ campaigns: 12, lists: 8, prospects: 100, opportunities: 20, visitors: 150, listMemberships: 120, visitorActivities: 600 });
		const seen = new Map<string, number>();
		for (let i = 0; i < 1_000; i++) {
			const change = local.randomChange();
			expect(change.op).toMatch(/^\w+$/);
			expect(local.store.find(change.type, change.id)).toBeDefined();
			const key = `${change.op} ${change.type}`;
			seen.set(key, (seen.get(key) ?? 0) + 1);
		}
		for (const key of [
			'formSubmission visitorActivity',
			'emailOpen visitorActivity',
			'add listMembership',
			'remove listMembership',
			'optOut listMembership',
			'update list',
			'update campaign',
			'create visitor',
			'create prospect',
			'update opportunity',
		]) {
			expect([key, seen.get(key) ?? 0]).toEqual([key, expect.any(Number)]);
			expect(seen.get(key)).toBeGreaterThan(0);
		}
		// Form submissions are a good share of the stream, so that the demo shows them soon.
		expect(seen.get('formSubmission visitorActivity')!).toBeGreaterThan(50);
		await local.close();
	});
});
