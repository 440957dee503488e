/**
 * API v5 queries of visitor activities, list memberships, lists, campaigns and visitors over real
 * HTTP: each object's field list, filters, orderBy, recycle bin, page tokens, read lag, the cut-off
 * warning, and the switches for what Pardot's documentation leaves unconfirmed.
 */
import type { RecordType, SimulatorHandle } from '../../simulator';
import { at, bearer, enc, http, simulatorForFile, v5, v5All, type V5Object } from '../lib/simulator';

let sim: SimulatorHandle;
let token: string;

const env = simulatorForFile({ frozenAt: at(3_600_000), login: 'accessToken' });
beforeEach(() => ({ sim, credential: token } = env.current()));

const get = (object: V5Object, query: string) => v5(sim, token, object, query);
const idsOf = (res: { json: any; text: string }) => {
	if (!res.json?.values) throw new Error(`no values: ${res.text}`);
	return res.json.values.map((v: any) => v.id);
};

/** Each object with a record maker (distinct records for a list membership). */
const OBJECTS: Array<{ object: V5Object; type: RecordType; bin: boolean; make: (i: number) => Record<string, unknown> }> = [
	{ object: 'visitor-activities', type: 'visitorActivity', bin: false, make: () => ({ type: 4, formId: 1001 }) },
	{ object: 'list-memberships', type: 'listMembership', bin: true, make: (i) => ({ listId: 1, prospectId: 100 + i }) },
	{ object: 'lists', type: 'list', bin: true, make: (i) => ({ name: `List ${i}` }) },
	{ object: 'campaigns', type: 'campaign', bin: true, make: (i) => ({ name: `Campaign ${i}`, cost: i }) },
	{ object: 'visitors', type: 'visitor', bin: false, make: (i) => ({ pageViewCount: i }) },
];

let counter = 0;
const create = (type: RecordType, make: (i: number) => Record<string, unknown>, offsetMs: number) =>
	sim.control.create({ type, fields: make(++counter), at: at(offsetMs) });

describe.each(OBJECTS)('$object: the same conventions as prospects', ({ object, type, bin, make }) => {
	it('filters on id, createdAt and updatedAt; orderBy with id as tie-breaker', async () => {
		const a = create(type, make, 0);
		const b = create(type, make, 1_000);
		const c = create(type, make, 1_000);
		sim.control.update({ type, id: a.id, fields: {}, at: at(5_000) });
		expect(idsOf(await get(object, `fields=id&idGreaterThan=${a.id}`))).toEqual([b.id, c.id]);
		expect(idsOf(await get(object, `fields=id&idLessThanOrEqualTo=${b.id}`))).toEqual([a.id, b.id]);
		expect(idsOf(await get(object, `fields=id&createdAtAfter=${enc('2026-11-27T12:00:00Z')}`))).toEqual([b.id, c.id]);
		expect(idsOf(await get(object, `fields=id&updatedAtAfterOrEqualTo=${enc('2026-11-27T13:00:05+01:00')}`))).toEqual([a.id]);
		expect(idsOf(await get(object, `fields=id&orderBy=${enc('updatedAt asc')}`))).toEqual([b.id, c.id, a.id]);
		expect(idsOf(await get(object, `fields=id&orderBy=${enc('createdAt desc')}`))).toEqual([b.id, c.id, a.id]);
		expect(idsOf(await get(object, `fields=id&orderBy=${enc('id desc')}`))).toEqual([c.id, b.id, a.id]);
		expect((await get(object, `fields=id&orderBy=${enc('name asc')}`)).status).toBe(400);
		expect((await get(object, 'fields=id&updated_after=2026-11-27')).status).toBe(400);
	});

	it('fields is required and checked; limit at most 1000', async () => {
		create(type, make, 0);
		expect((await get(object, 'limit=5')).json).toEqual({ code: 13, message: expect.stringContaining('fields') });
		const unknown = await get(object, 'fields=id,nope');
		expect(unknown.status).toBe(400);
		expect(unknown.json.message).toContain('nope');
		expect((await get(object, 'fields=id&limit=1001')).status).toBe(400);
		const res = await get(object, 'fields=id,createdAt,updatedAt');
		expect(res.json.values).toEqual([{ id: expect.any(Number), createdAt: '2026-11-27T12:00:00+00:00', updatedAt: '2026-11-27T12:00:00+00:00' }]);
	});

	it(bin ? 'has a recycle bin: deleted=false|true|all and isDeleted' : 'has no recycle bin: deleted and isDeleted are 400', async () => {
		const a = create(type, make, 0);
		const b = create(type, make, 0);
		if (!bin) {
			const deleted = await get(object, 'fields=id&deleted=all');
			expect(deleted.status).toBe(400);
			expect(deleted.json.message).toMatch(/deleted.*no recycle bin/);
			expect((await get(object, 'fields=id,isDeleted')).status).toBe(400);
			return;
		}
		sim.control.delete({ type, id: a.id, at: at(1_000) });
		expect(idsOf(await get(object, 'fields=id'))).toEqual([b.id]);
		expect((await get(object, 'fields=id,isDeleted&deleted=true')).json.values).toEqual([{ id: a.id, isDeleted: true }]);
		expect((await get(object, 'fields=id,isDeleted&deleted=all')).json.values).toEqual([
			{ id: a.id, isDeleted: true },
			{ id: b.id, isDeleted: false },
		]);
		expect((await get(object, 'fields=id&deleted=maybe')).status).toBe(400);
	});

	it('pages with tokens; nextPageUrl points at the object', async () => {
		for (let i = 0; i < 25; i++) create(type, make, i * 1_000);
		const first = await get(object, 'fields=id&limit=10');
		expect(first.json.nextPageUrl).toBe(`${sim.baseUrl}/api/v5/objects/${object}?nextPageToken=${encodeURIComponent(first.json.nextPageToken)}`);
		const all = await v5All(sim, token, object, 'fields=id&limit=10');
		expect(all.pages).toBe(3);
		expect(all.values).toHaveLength(25);
		expect(new Set(all.values.map((v) => v.id)).size).toBe(25);
		const foreign = await http(`${sim.baseUrl}/api/v5/objects/prospects?nextPageToken=${encodeURIComponent(first.json.nextPageToken)}`, {
			headers: bearer(token),
		});
		expect(foreign.status).toBe(400);
	});
});

describe('field lists and rendering', () => {
	it('visitor activities: every documented field; *_id null when unset; no related-object dot notation', async () => {
		sim.control.create({ type: 'campaign', fields: { name: 'Website Tracking' }, id: 54 });
		sim.control.activity({ type: 4, formId: 1001, prospectId: 10, visitorId: 20, campaignId: 54, details: 'Contact Us', at: at(0) });
		const fields =
			'id,type,typeName,details,prospectId,visitorId,visitId,campaignId,customRedirectId,emailId,emailTemplateId,listEmailId,' +
			'fileId,formId,formHandlerId,landingPageId,multivariateTestVariationId,opportunityId,paidSearchAdId,siteSearchQueryId,' +
			'visitorPageViewId,createdAt,updatedAt';
		const res = await get('visitor-activities', `fields=${fields}`);
		expect(res.json.values[0]).toEqual({
			id: expect.any(Number),
			type: 4,
			typeName: 'Form',
			details: 'Contact Us',
			prospectId: 10,
			visitorId: 20,
			visitId: null,
			campaignId: 54,
			customRedirectId: null,
			emailId: null,
			emailTemplateId: null,
			listEmailId: null,
			fileId: null,
			formId: 1001,
			formHandlerId: null,
			landingPageId: null,
			multivariateTestVariationId: null,
			opportunityId: null,
			paidSearchAdId: null,
			siteSearchQueryId: null,
			visitorPageViewId: null,
			createdAt: '2026-11-27T12:00:00+00:00',
			updatedAt: '2026-11-27T12:00:00+00:00',
		});
		expect((await get('visitor-activities', 'fields=id,campaign.name')).status).toBe(400);
	});

	it('list memberships, lists, campaigns, visitors: their v5 fields, booleans as booleans, dates in the account zone', async () => {
		sim.control.configure({ timezone: 'America/Los_Angeles' });
		sim.control.addToList({ listId: 30_001, prospectId: 10_000_001, optedOut: true });
		expect((await get('list-memberships', 'fields=id,listId,prospectId,optedOut,createdAt,updatedAt,createdById,updatedById,isDeleted')).json.values).toEqual([
			{
				id: expect.any(Number),
				listId: 30_001,
				prospectId: 10_000_001,
				optedOut: true,
				createdAt: '2026-11-27T05:00:00-08:00',
				updatedAt: '2026-11-27T05:00:00-08:00',
				createdById: null,
				updatedById: null,
				isDeleted: false,
			},
		]);
		sim.control.create({ type: 'list', fields: { name: 'Newsletter', title: 'News', isPublic: true, isDynamic: false, folderId: 3, campaignId: 7 } });
		expect((await get('lists', 'fields=name,title,description,isPublic,isDynamic,folderId,campaignId,isDeleted')).json.values).toEqual([
			{ name: 'Newsletter', title: 'News', description: null, isPublic: true, isDynamic: false, folderId: 3, campaignId: 7, isDeleted: false },
		]);
		expect((await get('lists', 'fields=isCrmVisible')).status).toBe(400); // v3/v4 only
		sim.control.create({ type: 'campaign', fields: { name: 'Spring', cost: 1500.5, salesforceId: '701000000000001AAA', parentCampaignId: 9 } });
		expect((await get('campaigns', 'fields=name,cost,folderId,parentCampaignId,salesforceId,isDeleted')).json.values).toEqual([
			{ name: 'Spring', cost: 1500.5, folderId: null, parentCampaignId: 9, salesforceId: '701000000000001AAA', isDeleted: false },
		]);
		sim.control.create({
			type: 'visitor',
			fields: { prospectId: 10_000_001, pageViewCount: 7, ipAddress: '203.0.113.9', hostname: 'h.example.net', isIdentified: true, sourceParameter: 'google' },
		});
		const visitorFields =
			'prospectId,campaignId,pageViewCount,ipAddress,hostname,isIdentified,doNotSell,campaignParameter,mediumParameter,sourceParameter,contentParameter,termParameter';
		expect((await get('visitors', `fields=${visitorFields}`)).json.values).toEqual([
			{
				prospectId: 10_000_001,
				campaignId: null,
				pageViewCount: 7,
				ipAddress: '203.0.113.9',
				hostname: 'h.example.net',
				isIdentified: true,
				doNotSell: null,
				campaignParameter: null,
				mediumParameter: null,
				sourceParameter: 'google',
				contentParameter: null,
				termParameter: null,
			},
		]);
	});
});

describe('object-specific filters and their switches', () => {
	it('visitor-activities: type and prospectId are unknown parameters by default; with the switches they filter', async () => {
		const form = sim.control.activity({ type: 4, formId: 1, prospectId: 10, at: at(0) });
		const open = sim.control.activity({ type: 11, emailId: 2, prospectId: 11, at: at(0) });
		const visit = sim.control.activity({ type: 20, prospectId: 10, at: at(0) });
		for (const query of ['fields=id&type=4', `fields=id&prospectId=10`]) {
			const refused = await get('visitor-activities', query);
			expect(refused.status).toBe(400);
			expect(refused.json.message).toMatch(/Unknown parameter/);
		}
		sim.control.configure({ v5ActivityTypeFilter: true });
		expect(idsOf(await get('visitor-activities', 'fields=id&type=4'))).toEqual([form.id]);
		expect(idsOf(await get('visitor-activities', 'fields=id&type=4,20'))).toEqual([form.id, visit.id]);
		expect((await get('visitor-activities', 'fields=id&type=form')).status).toBe(400);
		expect((await get('visitor-activities', 'fields=id&prospectId=10')).status).toBe(400);
		sim.control.configure({ v5ActivityProspectFilter: true });
		expect(idsOf(await get('visitor-activities', 'fields=id&prospectId=10'))).toEqual([form.id, visit.id]);
		expect(idsOf(await get('visitor-activities', 'fields=id&prospectId=11&type=11'))).toEqual([open.id]);
		// A page token keeps the filters of its query.
		const first = await get('visitor-activities', 'fields=id&type=4,20&limit=1');
		const next = await http(first.json.nextPageUrl, { headers: bearer(token) });
		expect(idsOf(next)).toEqual([visit.id]);
	});

	it('list-memberships: listId and prospectId filters (v5MembershipFilters, on by default)', async () => {
		const a = sim.control.addToList({ listId: 1, prospectId: 10 });
		const b = sim.control.addToList({ listId: 2, prospectId: 10 });
		const c = sim.control.addToList({ listId: 1, prospectId: 11 });
		expect(idsOf(await get('list-memberships', 'fields=id&listId=1'))).toEqual([a.id, c.id]);
		expect(idsOf(await get('list-memberships', 'fields=id&prospectId=10'))).toEqual([a.id, b.id]);
		expect(idsOf(await get('list-memberships', 'fields=id&listId=1&prospectId=11'))).toEqual([c.id]);
		expect((await get('list-memberships', 'fields=id&listId=1,2')).status).toBe(400);
		sim.control.configure({ v5MembershipFilters: false });
		expect((await get('list-memberships', 'fields=id&listId=1')).status).toBe(400);
	});

	it.each([
		['campaigns', 'campaign', 'v5CampaignDateQueries'],
		['visitors', 'visitor', 'v5VisitorDateQueries'],
	] as const)('%s: createdAt/updatedAt filters and orderBy by default; off = id only', async (object, type, option) => {
		const a = sim.control.create({ type, at: at(0) });
		const b = sim.control.create({ type, at: at(0) });
		sim.control.update({ type, id: a.id, fields: {}, at: at(9_000) });
		expect(idsOf(await get(object, `fields=id&updatedAtAfter=${enc(at(1_000))}`))).toEqual([a.id]);
		expect(idsOf(await get(object, `fields=id&orderBy=${enc('updatedAt desc')}`))).toEqual([a.id, b.id]);
		sim.control.configure({ [option]: false });
		expect((await get(object, `fields=id&updatedAtAfter=${enc(at(1_000))}`)).status).toBe(400);
		expect((await get(object, `fields=id&createdAtBefore=${enc(at(1_000))}`)).status).toBe(400);
		const order = await get(object, `fields=id&orderBy=${enc('updatedAt asc')}`);
		expect(order.status).toBe(400);
		expect(order.json.message).toContain('allowed fields are id');
		expect(idsOf(await get(object, `fields=id,updatedAt&idGreaterThan=${a.id}&orderBy=${enc('id asc')}`))).toEqual([b.id]);
	});
});

describe('the shared machinery', () => {
	it('read lag: a new activity is visible to v5 only after v5ReadLagMs', async () => {
		sim.control.configure({ v5ReadLagMs: 60_000 });
		sim.control.activity({ type: 4, formId: 1 });
		expect(idsOf(await get('visitor-activities', 'fields=id'))).toEqual([]);
		sim.control.clock({ advanceMs: 60_000 });
		expect(idsOf(await get('visitor-activities', 'fields=id'))).toHaveLength(1);
	});

	it('a membership removed within the lag still reads as live', async () => {
		sim.control.configure({ v5ReadLagMs: 30_000 });
		const m = sim.control.addToList({ listId: 1, prospectId: 2, at: at(3_600_000 - 120_000) });
		sim.control.removeFromList({ listId: 1, prospectId: 2 });
		expect((await get('list-memberships', 'fields=id,isDeleted&deleted=all')).json.values).toEqual([{ id: m.id, isDeleted: false }]);
		sim.control.clock({ advanceMs: 30_000 });
		expect((await get('list-memberships', 'fields=id,isDeleted&deleted=all')).json.values).toEqual([{ id: m.id, isDeleted: true }]);
	});

	it('the token sequence stops at v5MaxRecordsPerQuery with the Pardot-Warning header', async () => {
		sim.control.configure({ v5MaxRecordsPerQuery: 5 });
		for (let i = 0; i < 8; i++) sim.control.activity({ type: 11, emailId: i });
		const first = await get('visitor-activities', 'fields=id&limit=3');
		const second = await http(first.json.nextPageUrl, { headers: bearer(token) });
		expect(second.json.values).toHaveLength(2);
		expect(second.json.nextPageToken).toBeNull();
		expect(second.headers.get('pardot-warning')).toMatch(/^203;Record count for nextPageToken sequence has been exceeded/);
	});

	it('faults, stats and the daily limit apply to the new endpoints', async () => {
		sim.control.resetStats();
		sim.control.fault({ kind: 'pardotError', code: 66, path: 'visitor-activities' });
		const faulted = await get('visitor-activities', 'fields=id');
		expect(faulted.status).toBe(400);
		expect(faulted.json.code).toBe(66);
		expect((await get('lists', 'fields=id')).status).toBe(200);
		expect(sim.control.stats().byEndpoint).toMatchObject({ 'v5.visitor-activities': 1, 'v5.lists': 1 });
		sim.control.configure({ dailyApiLimit: 2 });
		expect((await get('campaigns', 'fields=id')).status).toBe(200);
		expect((await get('visitors', 'fields=id')).status).toBe(200);
		const over = await get('list-memberships', 'fields=id');
		expect(over.status).toBe(400);
		expect(over.json.code).toBe(122);
	});
});
