/**
 * API v3/v4 queries of visitor activities, list memberships, lists, campaigns and visitors over real
 * HTTP: documented criteria and sorts, Pardot's error codes, the result wrappers and their
 * one-record quirk, each object's limit rule, and the records as v3/v4 render them.
 */
import type { SimulatorHandle } from '../../simulator';
import { accessToken, at, bearer, http, legacyAuth, type LegacyObject, legacyQuery, legacyRecords, login, simulatorForFile } from '../lib/simulator';

let sim: SimulatorHandle;
let key: string;

const env = simulatorForFile({ frozenAt: at(3_600_000), login: 'apiKey' });
beforeEach(() => ({ sim, credential: key } = env.current()));

const WRAPPER: Record<string, string> = {
	visitorActivity: 'visitor_activity',
	listMembership: 'list_membership',
	list: 'list',
	campaign: 'campaign',
	visitor: 'visitor',
};
const q = (object: LegacyObject, params: Record<string, string | number> = {}, version: 3 | 4 = 4) => legacyQuery(sim, key, object, params, version);
const records = (object: LegacyObject, json: any) => legacyRecords(json, WRAPPER[object]);
const ids = (object: LegacyObject, json: any) => records(object, json).map((r) => r.id);
const errCode = (json: any) => json?.['@attributes']?.err_code;

/** Records made at the current simulated time. */
let member = 0;
describe.each([
	['visitorActivity', () => sim.control.activity({ type: 4, formId: 1001 })],
	['listMembership', () => sim.control.addToList({ listId: 1, prospectId: ++member })],
	['list', () => sim.control.create({ type: 'list', fields: { name: 'L' } })],
	['campaign', () => sim.control.create({ type: 'campaign', fields: { name: 'C' } })],
	['visitor', () => sim.control.create({ type: 'visitor', fields: { isIdentified: true } })],
] as Array<[LegacyObject, () => { id: number }]>)('%s: the result wrapper', (object, make) => {
	it(`result.${WRAPPER[object]}: omitted with no match, an object for one, an array for several; the same on v3`, async () => {
		expect((await q(object, { sort_by: 'id' })).json).toEqual({ '@attributes': { stat: 'ok', version: 1 }, result: { total_results: 0 } });
		const a = make();
		const one = (await q(object, { sort_by: 'id' })).json.result;
		expect(one.total_results).toBe(1);
		expect(one[WRAPPER[object]]).toEqual(expect.objectContaining({ id: a.id }));
		const b = make();
		const two = (await q(object, { sort_by: 'id' })).json.result;
		expect(two[WRAPPER[object]].map((r: any) => r.id)).toEqual([a.id, b.id]);
		sim.control.configure({ emptyResult: 'null' });
		expect((await q(object, { id_greater_than: b.id })).json).toEqual({ '@attributes': { stat: 'ok', version: 1 }, result: null });
		sim.control.configure({ accountVersion: 3 });
		const v3Key = (await login(sim, {}, 3)).json.api_key as string;
		const v3 = await legacyQuery(sim, v3Key, object, { id_greater_than: a.id }, 3);
		expect(ids(object, v3.json)).toEqual([b.id]);
	});

	it('created/updated/id criteria; a parameter the object does not document is error 5 (or dropped)', async () => {
		const a = make();
		sim.control.clock({ advanceMs: 10_000 });
		const b = make();
		expect(ids(object, (await q(object, { created_after: '2026-11-27 13:00:00' })).json)).toEqual([b.id]);
		expect(ids(object, (await q(object, { updated_before: '2026-11-27 13:00:05' })).json)).toEqual([a.id]);
		expect(ids(object, (await q(object, { id_less_than: b.id, sort_by: 'id' })).json)).toEqual([a.id]);
		expect(errCode((await q(object, { created_after: 'not a date' })).json)).toBe(7);
		expect(errCode((await q(object, { id_greater_than: 5, id_less_than: 2 })).json)).toBe(17);
		expect(errCode((await q(object, { sort_by: 'id', bogus: 1 })).json)).toBe(5);
		expect(errCode((await q(object, { bogus: 1 })).json)).toBe(5);
		sim.control.configure({ legacyUnknownParams: 'ignore' });
		expect(ids(object, (await q(object, { sort_by: 'id', bogus: 1 })).json)).toEqual([a.id, b.id]);
	});
});

describe('visitor activities', () => {
	it('render each *_id only when set, type and type_name, the campaign nested (id, name), dates in the account zone', async () => {
		sim.control.configure({ timezone: 'America/New_York' });
		sim.control.create({ type: 'campaign', id: 54, fields: { name: 'Website Tracking', cost: 100 } });
		sim.control.activity({ type: 1, emailId: 8677658, emailTemplateId: 2, prospectId: 10, campaignId: 54, details: 'Newsletter', at: at(0) });
		sim.control.activity({ type: 8, opportunityId: 500_001, prospectId: 10, at: at(1_000) });
		const [click, opportunity] = records('visitorActivity', (await q('visitorActivity', { sort_by: 'id' })).json);
		expect(click).toEqual({
			id: expect.any(Number),
			prospect_id: 10,
			type: 1,
			type_name: 'Email Tracker',
			details: 'Newsletter',
			email_id: 8677658,
			email_template_id: 2,
			campaign: { id: 54, name: 'Website Tracking' },
			created_at: '2026-11-27 07:00:00',
			updated_at: '2026-11-27 07:00:00',
		});
		// An opportunity activity: opportunity_id, no details, no visitor.
		expect(opportunity).toEqual({
			id: expect.any(Number),
			prospect_id: 10,
			type: 8,
			type_name: 'Opportunity',
			opportunity_id: 500_001,
			created_at: '2026-11-27 07:00:01',
			updated_at: '2026-11-27 07:00:01',
		});
		expect('campaign_id' in click).toBe(false);
	});

	it('type (codes), prospect_only, one object-type flag, relationship ids', async () => {
		const form = sim.control.activity({ type: 4, formId: 1001, prospectId: 10, visitorId: 20, at: at(0) });
		const handler = sim.control.activity({ type: 4, formHandlerId: 2001, prospectId: 11, at: at(0) });
		const open = sim.control.activity({ type: 11, emailId: 5, prospectId: 10, at: at(0) });
		const visit = sim.control.activity({ type: 20, visitorId: 21, at: at(0) });
		const formView = sim.control.activity({ type: 2, formId: 1002, visitorId: 21, at: at(0) });
		const get = async (params: Record<string, string | number>) => ids('visitorActivity', (await q('visitorActivity', { sort_by: 'id', ...params })).json);
		expect(await get({ type: 4 })).toEqual([form.id, handler.id]);
		expect(await get({ type: '4,11' })).toEqual([form.id, handler.id, open.id]);
		expect(await get({ type: 4, form_only: 'true' })).toEqual([form.id]);
		expect(await get({ form_handler_only: 'true' })).toEqual([handler.id]);
		expect(await get({ form_only: 'true' })).toEqual([form.id, formView.id]);
		expect(await get({ email_only: 'true', form_only: 'false' })).toEqual([open.id]);
		expect(await get({ prospect_only: 'true' })).toEqual([form.id, handler.id, open.id]);
		expect(await get({ prospect_id: '10' })).toEqual([form.id, open.id]);
		expect(await get({ visitor_id: '20,21' })).toEqual([form.id, visit.id, formView.id]);
		expect(await get({ form_id: '1001,1002' })).toEqual([form.id, formView.id]);
		expect(await get({ form_handler_id: 2001 })).toEqual([handler.id]);
		const both = await q('visitorActivity', { form_only: 'true', form_handler_only: 'true' });
		expect(errCode(both.json)).toBe(51);
		expect(both.json.err).toMatch(/only one object type filter/);
		expect(errCode((await q('visitorActivity', { form_only: 'yes' })).json)).toBe(50);
		expect(errCode((await q('visitorActivity', { type: 'form' })).json)).toBe(51);
		expect(errCode((await q('visitorActivity', { prospect_id: '1,two' })).json)).toBe(16);
	});

	it('sorts by created_at, id, updated_at, prospect_id, visitor_id (dates and relations descending by default); limit at most 200; no deleted', async () => {
		const a = sim.control.activity({ type: 11, emailId: 1, prospectId: 30, visitorId: 1, at: at(0) });
		const b = sim.control.activity({ type: 11, emailId: 1, prospectId: 10, visitorId: 3, at: at(1_000) });
		const c = sim.control.activity({ type: 11, emailId: 1, prospectId: 20, visitorId: 2, at: at(2_000) });
		const get = async (params: Record<string, string | number>) => ids('visitorActivity', (await q('visitorActivity', params)).json);
		expect(await get({ sort_by: 'created_at' })).toEqual([c.id, b.id, a.id]);
		expect(await get({ sort_by: 'prospect_id' })).toEqual([a.id, c.id, b.id]);
		expect(await get({ sort_by: 'visitor_id', sort_order: 'ascending' })).toEqual([a.id, c.id, b.id]);
		expect(await get({ sort_by: 'updated_at', sort_order: 'ascending' })).toEqual([a.id, b.id, c.id]);
		expect(errCode((await q('visitorActivity', { sort_by: 'type' })).json)).toBe(19);
		expect(errCode((await q('visitorActivity', { limit: 201 })).json)).toBe(23);
		expect(errCode((await q('visitorActivity', { limit: 201, output: 'mobile' })).json)).toBe(23);
		expect(errCode((await q('visitorActivity', { deleted: 'true', sort_by: 'id' })).json)).toBe(5);
		sim.control.update({ type: 'visitorActivity', id: a.id, fields: { prospectId: 31 }, at: at(9_000) });
		expect(await get({ updated_after: '2026-11-27 12:00:05', sort_by: 'id' })).toEqual([a.id]);
	});

	it('never returns type 5 (Session), on v3/v4 or v5', async () => {
		const session = sim.control.activity({ type: 5, visitorId: 1, at: at(0) });
		const visit = sim.control.activity({ type: 20, visitorId: 1, at: at(0) });
		expect(ids('visitorActivity', (await q('visitorActivity', { sort_by: 'id' })).json)).toEqual([visit.id]);
		expect(ids('visitorActivity', (await q('visitorActivity', { type: '5,20' })).json)).toEqual([visit.id]);
		const v5 = await http(`${sim.baseUrl}/api/v5/objects/visitor-activities?fields=id`, { headers: bearer(await accessToken(sim)) });
		expect(v5.json.values).toEqual([{ id: visit.id }]);
		expect(sim.control.records({ type: 'visitorActivity' }).map((r) => r.id)).toEqual([session.id, visit.id]);
	});

	it('answers XML by default with <visitor_activity> elements', async () => {
		sim.control.activity({ type: 4, formId: 1001, at: at(0) });
		const res = await http(`${sim.baseUrl}/api/visitorActivity/version/4/do/query?sort_by=id`, { headers: legacyAuth(key) });
		expect(res.text).toMatch(/<result><total_results>1<\/total_results><visitor_activity><id>\d+<\/id><type>4<\/type><type_name>Form<\/type_name><form_id>1001<\/form_id>/);
	});
});

describe('list memberships', () => {
	it('list_id and prospect_id; deleted=true lists removed memberships, there is no deleted=all', async () => {
		const a = sim.control.addToList({ listId: 1, prospectId: 10, at: at(0) });
		const b = sim.control.addToList({ listId: 2, prospectId: 10, at: at(0) });
		const c = sim.control.addToList({ listId: 1, prospectId: 11, at: at(0) });
		sim.control.removeFromList({ listId: 1, prospectId: 11, at: at(5_000) });
		const get = async (params: Record<string, string | number>) => ids('listMembership', (await q('listMembership', { sort_by: 'id', ...params })).json);
		expect(await get({ list_id: 1 })).toEqual([a.id]);
		expect(await get({ prospect_id: 10 })).toEqual([a.id, b.id]);
		expect(await get({ deleted: 'true' })).toEqual([c.id]);
		expect(await get({ deleted: 'false', list_id: 1 })).toEqual([a.id]);
		expect(await get({ deleted: 'true', updated_after: '2026-11-27 12:00:04' })).toEqual([c.id]);
		expect(errCode((await q('listMembership', { deleted: 'all' })).json)).toBe(27);
		expect(errCode((await q('listMembership', { list_id: 'x' })).json)).toBe(55);
	});

	it('sorts on created_at and id only: updated_at is error 19', async () => {
		const a = sim.control.addToList({ listId: 1, prospectId: 10, at: at(0) });
		const b = sim.control.addToList({ listId: 1, prospectId: 11, at: at(1_000) });
		expect(ids('listMembership', (await q('listMembership', { sort_by: 'created_at' })).json)).toEqual([b.id, a.id]);
		expect(errCode((await q('listMembership', { sort_by: 'updated_at' })).json)).toBe(19);
	});

	it('a limit above 200 silently becomes 200; output=mobile returns every match', async () => {
		sim.control.seed({ lists: 4, prospects: 150, listMemberships: 250, at: at(0) });
		const capped = await q('listMembership', { limit: 500, sort_by: 'id' });
		expect(capped.json.result.total_results).toBe(250);
		expect(records('listMembership', capped.json)).toHaveLength(200);
		expect(records('listMembership', (await q('listMembership', { output: 'mobile', sort_by: 'id' })).json)).toHaveLength(250);
		expect(records('listMembership', (await q('listMembership', { output: 'mobile', limit: 230, sort_by: 'id' })).json)).toHaveLength(230);
		expect(records('listMembership', (await q('listMembership', { limit: 20, sort_by: 'id' })).json)).toHaveLength(20);
	});

	it('renders id, list_id, prospect_id, opted_out (true/false, or 1/0 with legacyBooleans) and the dates', async () => {
		sim.control.addToList({ listId: 8, prospectId: 622, optedOut: true, at: at(0) });
		expect((await q('listMembership')).json.result.list_membership).toEqual({
			id: expect.any(Number),
			list_id: 8,
			prospect_id: 622,
			opted_out: true,
			created_at: '2026-11-27 12:00:00',
			updated_at: '2026-11-27 12:00:00',
		});
		sim.control.configure({ legacyBooleans: 'integer' });
		expect((await q('listMembership')).json.result.list_membership.opted_out).toBe(1);
	});
});

describe('lists', () => {
	it('render the documented fields; name (exact) criterion; sort by name; a deleted list disappears (no deleted criterion)', async () => {
		const b = sim.control.create({ type: 'list', fields: { name: 'Webinar', isPublic: false, isDynamic: true, folderId: 3 }, at: at(0) });
		const a = sim.control.create({ type: 'list', fields: { name: 'Newsletter', title: 'News', isPublic: true, isCrmVisible: true }, at: at(1_000) });
		expect(records('list', (await q('list', { name: 'Newsletter' })).json)).toEqual([
			{
				id: a.id,
				name: 'Newsletter',
				is_public: true,
				is_dynamic: null,
				title: 'News',
				description: null,
				is_crm_visible: true,
				created_at: '2026-11-27 12:00:01',
				updated_at: '2026-11-27 12:00:01',
			},
		]);
		expect(ids('list', (await q('list', { name: 'newsletter' })).json)).toEqual([]);
		expect(ids('list', (await q('list', { sort_by: 'name' })).json)).toEqual([a.id, b.id]);
		expect(ids('list', (await q('list', { sort_by: 'updated_at' })).json)).toEqual([a.id, b.id]);
		sim.control.delete({ type: 'list', id: b.id });
		expect(ids('list', (await q('list', { sort_by: 'id' })).json)).toEqual([a.id]);
		expect(errCode((await q('list', { deleted: 'true' })).json)).toBe(5);
	});

	it('a limit above 200 silently becomes 200', async () => {
		sim.control.seed({ lists: 205, at: at(0) });
		const res = await q('list', { limit: 1000 });
		expect(res.json.result.total_results).toBe(205);
		expect(records('list', res.json)).toHaveLength(200);
	});
});

describe('campaigns', () => {
	it('records carry id, name and cost only, although updated_after and date sorts work', async () => {
		const a = sim.control.create({ type: 'campaign', fields: { name: 'Spring', cost: 1000, folderId: 3, salesforceId: '701x' }, at: at(0) });
		const b = sim.control.create({ type: 'campaign', fields: { name: 'Autumn', cost: 3000 }, at: at(0) });
		sim.control.update({ type: 'campaign', id: a.id, fields: { cost: 1200 }, at: at(9_000) });
		expect(records('campaign', (await q('campaign', { sort_by: 'id' })).json)).toEqual([
			{ id: a.id, name: 'Spring', cost: 1200 },
			{ id: b.id, name: 'Autumn', cost: 3000 },
		]);
		expect(ids('campaign', (await q('campaign', { updated_after: '2026-11-27 12:00:05' })).json)).toEqual([a.id]);
		expect(ids('campaign', (await q('campaign', { sort_by: 'cost' })).json)).toEqual([b.id, a.id]);
		expect(ids('campaign', (await q('campaign', { sort_by: 'name' })).json)).toEqual([b.id, a.id]);
		expect(ids('campaign', (await q('campaign', { name: 'Autumn' })).json)).toEqual([b.id]);
		sim.control.delete({ type: 'campaign', id: b.id });
		expect(ids('campaign', (await q('campaign', { sort_by: 'id' })).json)).toEqual([a.id]);
	});

	it('a limit above 200 silently becomes 200', async () => {
		sim.control.seed({ campaigns: 201, at: at(0) });
		expect(records('campaign', (await q('campaign', { limit: 300 })).json)).toHaveLength(200);
	});
});

describe('visitors', () => {
	it('only identified visitors unless only_identified=false; prospect_ids', async () => {
		const anonymous = sim.control.create({ type: 'visitor', fields: { pageViewCount: 3 }, at: at(0) });
		const identified = sim.control.create({ type: 'visitor', fields: { isIdentified: true, prospectId: 10 }, at: at(0) });
		const known = sim.control.create({ type: 'visitor', fields: { isIdentified: false, prospectId: 11 }, at: at(0) });
		const get = async (params: Record<string, string | number>) => ids('visitor', (await q('visitor', { sort_by: 'id', ...params })).json);
		expect(await get({})).toEqual([identified.id]);
		expect(await get({ only_identified: 'false' })).toEqual([anonymous.id, identified.id, known.id]);
		expect(await get({ only_identified: 'false', prospect_ids: '11,12' })).toEqual([known.id]);
		expect(errCode((await q('visitor', { only_identified: 'no' })).json)).toBe(50);
		expect(errCode((await q('visitor', { deleted: 'true', sort_by: 'id' })).json)).toBe(5);
		expect(errCode((await q('visitor', { limit: 201 })).json)).toBe(23);
	});

	it('full output nests the prospect; simple has prospect_id; mobile is short; fields picks', async () => {
		const p = sim.control.create({ type: 'prospect', fields: { email: 'ada@example.com', firstName: 'Ada' }, at: at(0) });
		sim.control.create({
			type: 'visitor',
			fields: { isIdentified: true, prospectId: p.id, pageViewCount: 4, ipAddress: '203.0.113.7', hostname: 'h.example.net', sourceParameter: 'google' },
			at: at(0),
		});
		const full = (await q('visitor')).json.result.visitor;
		expect(full).toEqual({
			id: expect.any(Number),
			page_view_count: 4,
			ip_address: '203.0.113.7',
			hostname: 'h.example.net',
			campaign_parameter: null,
			medium_parameter: null,
			source_parameter: 'google',
			content_parameter: null,
			term_parameter: null,
			created_at: '2026-11-27 12:00:00',
			updated_at: '2026-11-27 12:00:00',
			prospect: { id: p.id, first_name: 'Ada', last_name: null, email: 'ada@example.com', company: null },
		});
		const simple = (await q('visitor', { output: 'simple' })).json.result.visitor;
		expect(simple.prospect_id).toBe(p.id);
		expect(simple.prospect).toBeUndefined();
		expect((await q('visitor', { output: 'mobile' })).json.result.visitor).toEqual({
			id: full.id,
			prospect_id: p.id,
			page_view_count: 4,
			ip_address: '203.0.113.7',
			hostname: 'h.example.net',
			created_at: '2026-11-27 12:00:00',
			updated_at: '2026-11-27 12:00:00',
		});
		expect((await q('visitor', { fields: 'hostname,prospect_id,nope' })).json.result.visitor).toEqual({ id: full.id, hostname: 'h.example.net', prospect_id: p.id });
	});
});
