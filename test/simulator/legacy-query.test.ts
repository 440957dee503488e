import type { SimulatorHandle } from '../../simulator';
import { at, http, legacyAuth, legacyQuery, legacyRecords, login, simulatorForFile } from '../lib/simulator';

let sim: SimulatorHandle;
let key: string;

const env = simulatorForFile({ frozenAt: at(3_600_000), login: 'apiKey' });
beforeEach(() => ({ sim, credential: key } = env.current()));

const q = (type: 'prospect' | 'opportunity', params: Record<string, string | number> = {}) => legacyQuery(sim, key, type, params);
const ids = (json: any, type: 'prospect' | 'opportunity' = 'prospect') => legacyRecords(json, type).map((r) => r.id);
const errCode = (json: any) => json?.['@attributes']?.err_code;

describe('result shape quirks', () => {
	it('no match omits the key, one match is an object, several an array', async () => {
		const none = await q('prospect');
		expect(none.json).toEqual({ '@attributes': { stat: 'ok', version: 1 }, result: { total_results: 0 } });
		const p = sim.control.create({ type: 'prospect', fields: { email: 'one@example.com' }, at: at(0) });
		const one = await q('prospect');
		expect(one.json.result.total_results).toBe(1);
		expect(Array.isArray(one.json.result.prospect)).toBe(false);
		expect(one.json.result.prospect).toEqual(
			expect.objectContaining({ id: p.id, email: 'one@example.com', created_at: '2026-11-27 12:00:00', updated_at: '2026-11-27 12:00:00' }),
		);
		sim.control.create({ type: 'prospect', fields: { email: 'two@example.com' }, at: at(0) });
		const two = await q('prospect');
		expect(Array.isArray(two.json.result.prospect)).toBe(true);
		expect(two.json.result.prospect).toHaveLength(2);
	});

	it('emptyResult=null answers "result": null', async () => {
		sim.control.configure({ emptyResult: 'null' });
		expect((await q('prospect')).json).toEqual({ '@attributes': { stat: 'ok', version: 1 }, result: null });
	});

	it('renders every documented prospect field, and campaign nested outside bulk', async () => {
		sim.control.create({
			type: 'prospect',
			at: at(0),
			fields: {
				email: 'ada@example.com',
				first_name: 'Ada',
				lastName: 'Lovelace',
				company: 'Analytical',
				score: 42,
				grade: 'A',
				crm_lead_fid: '00Q000000000001AAA',
				salesforceContactId: '003000000000001AAA',
				crm_owner_fid: '005000000000001AAA',
				campaignId: 7,
				lastActivityAt: at(60_000),
			},
		});
		const full = (await q('prospect')).json.result.prospect;
		expect(full).toEqual(
			expect.objectContaining({
				email: 'ada@example.com',
				first_name: 'Ada',
				last_name: 'Lovelace',
				company: 'Analytical',
				score: 42,
				grade: 'A',
				crm_lead_fid: '00Q000000000001AAA',
				crm_contact_fid: '003000000000001AAA',
				crm_owner_fid: '005000000000001AAA',
				campaign_id: 7,
				last_activity_at: '2026-11-27 12:01:00',
				campaign: { id: 7, name: 'Campaign 7' },
			}),
		);
		const bulk = (await q('prospect', { output: 'bulk' })).json.result;
		expect(bulk.total_results).toBeUndefined();
		expect(bulk.prospect.campaign).toBeUndefined();
		expect(bulk.prospect.crm_lead_fid).toBe('00Q000000000001AAA');
		const mobile = (await q('prospect', { output: 'mobile' })).json.result.prospect;
		expect(Object.keys(mobile).sort()).toEqual(['company', 'email', 'first_name', 'id', 'last_name']);
	});

	it('opportunities nest their prospects with the same single-object quirk', async () => {
		const a = sim.control.create({ type: 'prospect', fields: { email: 'a@example.com' }, at: at(0) });
		const b = sim.control.create({ type: 'prospect', fields: { email: 'b@example.com' }, at: at(0) });
		sim.control.create({ type: 'opportunity', at: at(0), fields: { name: 'Solo', value: 10, probability: 50, status: 'open', prospectIds: [a.id] } });
		sim.control.create({ type: 'opportunity', at: at(1000), fields: { name: 'Duo', value: 20, probability: 60, prospect_ids: [a.id, b.id] } });
		const opps = legacyRecords((await q('opportunity', { sort_by: 'id' })).json, 'opportunity');
		expect(opps[0]).toEqual(expect.objectContaining({ name: 'Solo', value: 10, probability: 50, status: 'open', closed_at: null }));
		expect(opps[0].prospects.prospect).toEqual(expect.objectContaining({ id: a.id, email: 'a@example.com' }));
		expect(opps[1].prospects.prospect).toHaveLength(2);
	});

	it('answers XML unless format=json', async () => {
		sim.control.create({ type: 'prospect', fields: { email: 'x&y@example.com' }, at: at(0) });
		const res = await http(`${sim.baseUrl}/api/prospect/version/4/do/query`, { headers: legacyAuth(key) });
		expect(res.headers.get('content-type')).toMatch(/xml/);
		expect(res.text).toContain('<rsp stat="ok" version="1.0"><result><total_results>1</total_results><prospect><id>');
		expect(res.text).toContain('<email>x&amp;y@example.com</email>');
		const err = await http(`${sim.baseUrl}/api/prospect/version/4/do/query?limit=500`, { headers: legacyAuth(key) });
		expect(err.text).toContain('<err code="23">Invalid value specified for limit</err>');
	});

	it('accepts POST form bodies like GET query strings', async () => {
		sim.control.seed({ prospects: 3, at: at(0) });
		const res = await http(`${sim.baseUrl}/api/prospect/version/4/do/query`, {
			method: 'POST',
			headers: { ...legacyAuth(key), 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'format=json&limit=2&sort_by=id',
		});
		expect(res.json.result.total_results).toBe(3);
		expect(res.json.result.prospect).toHaveLength(2);
	});
});

describe('limit, offset, sorting', () => {
	it('limit defaults to 200 and may not exceed it (23); offset must be an integer (21)', async () => {
		sim.control.seed({ prospects: 205, at: at(0) });
		const page = await q('prospect');
		expect(page.json.result.total_results).toBe(205);
		expect(page.json.result.prospect).toHaveLength(200);
		expect(errCode((await q('prospect', { limit: 201 })).json)).toBe(23);
		expect(errCode((await q('prospect', { limit: 'ten' })).json)).toBe(23);
		expect(errCode((await q('prospect', { offset: 'x' })).json)).toBe(21);
		expect(errCode((await q('prospect', { offset: -1 })).json)).toBe(21);
		const tail = await q('prospect', { offset: 200, sort_by: 'id' });
		expect(tail.json.result.total_results).toBe(205);
		expect(tail.json.result.prospect).toHaveLength(5);
	});

	it('sort_by must be documented (19), sort_order ascending|descending (20)', async () => {
		expect(errCode((await q('prospect', { sort_by: 'email' })).json)).toBe(19);
		expect(errCode((await q('opportunity', { sort_by: 'updated_at' })).json)).toBe(19);
		expect(errCode((await q('prospect', { sort_by: 'id', sort_order: 'asc' })).json)).toBe(20);
	});

	it('date sorts default to descending; ties break by id ascending', async () => {
		const a = sim.control.create({ type: 'prospect', at: at(0) });
		const b = sim.control.create({ type: 'prospect', at: at(0) });
		const c = sim.control.create({ type: 'prospect', at: at(0) });
		sim.control.update({ type: 'prospect', id: a.id, at: at(5_000), fields: { score: 1 } });
		// b and c share updated_at once truncated to the second.
		sim.control.update({ type: 'prospect', id: c.id, at: at(2_100), fields: { score: 1 } });
		sim.control.update({ type: 'prospect', id: b.id, at: at(2_900), fields: { score: 1 } });
		expect(ids((await q('prospect', { sort_by: 'updated_at' })).json)).toEqual([a.id, b.id, c.id]);
		expect(ids((await q('prospect', { sort_by: 'updated_at', sort_order: 'ascending' })).json)).toEqual([b.id, c.id, a.id]);
		expect(ids((await q('prospect', { sort_by: 'id', sort_order: 'descending' })).json)).toEqual([c.id, b.id, a.id]);
		expect(ids((await q('prospect', { sort_by: 'created_at', sort_order: 'ascending' })).json)).toEqual([a.id, b.id, c.id]);
		expect(ids((await q('prospect'))
			.json)).toEqual([a.id, b.id, c.id]); // default: id ascending
	});

	it('opportunities sort by value and probability', async () => {
		const o1 = sim.control.create({ type: 'opportunity', at: at(0), fields: { value: 100, probability: 90 } });
		const o2 = sim.control.create({ type: 'opportunity', at: at(0), fields: { value: 300, probability: 10 } });
		const o3 = sim.control.create({ type: 'opportunity', at: at(0), fields: { value: 200, probability: 50 } });
		expect(ids((await q('opportunity', { sort_by: 'value' })).json, 'opportunity')).toEqual([o2.id, o3.id, o1.id]);
		expect(ids((await q('opportunity', { sort_by: 'probability', sort_order: 'ascending' })).json, 'opportunity')).toEqual([
			o2.id,
			o3.id,
			o1.id,
		]);
	});
});

describe('filters', () => {
	it('updated_after is strict by default, inclusive when configured, at second precision', async () => {
		const p = sim.control.create({ type: 'prospect', at: at(0) });
		sim.control.update({ type: 'prospect', id: p.id, at: at(500), fields: { score: 5 } }); // 12:00:00.500
		expect(ids((await q('prospect', { updated_after: '2026-11-27 12:00:00' })).json)).toEqual([]);
		expect(ids((await q('prospect', { updated_after: '2026-11-27 11:59:59' })).json)).toEqual([p.id]);
		expect(ids((await q('prospect', { updated_before: '2026-11-27 12:00:00' })).json)).toEqual([]);
		sim.control.configure({ updatedAfter: 'inclusive' });
		expect(ids((await q('prospect', { updated_after: '2026-11-27 12:00:00' })).json)).toEqual([p.id]);
		expect(ids((await q('prospect', { updated_before: '2026-11-27 12:00:00' })).json)).toEqual([p.id]);
		expect(ids((await q('prospect', { created_after: '2026-11-27 12:00:00' })).json)).toEqual([p.id]);
		expect(ids((await q('prospect', { created_before: '2026-11-27 12:00:00' })).json)).toEqual([p.id]);
	});

	it('created_* and updated_* filters combine; opportunities do not know updated_after', async () => {
		const old = sim.control.create({ type: 'prospect', at: at(-86_400_000) });
		const recent = sim.control.create({ type: 'prospect', at: at(0) });
		sim.control.update({ type: 'prospect', id: old.id, at: at(1000) });
		expect(ids((await q('prospect', { created_after: '2026-11-27 00:00:00' })).json)).toEqual([recent.id]);
		expect(ids((await q('prospect', { created_before: '2026-11-27 00:00:00' })).json)).toEqual([old.id]);
		expect(ids((await q('prospect', { updated_after: '2026-11-27 12:00:00', sort_by: 'id' })).json)).toEqual([old.id]);
		const o = sim.control.create({ type: 'opportunity', at: at(-86_400_000) });
		// Not a documented opportunity criterion: alone it is error 5 ("did not recognize any ... parameters");
		// beside a known parameter it is refused too by default, or ignored (the old opportunity still
		// comes back) with legacyUnknownParams 'ignore'.
		expect(errCode((await q('opportunity', { updated_after: '2026-11-27 12:00:00' })).json)).toBe(5);
		expect(errCode((await q('opportunity', { updated_after: '2026-11-27 12:00:00', sort_by: 'id' })).json)).toBe(5);
		sim.control.configure({ legacyUnknownParams: 'ignore' });
		expect(ids((await q('opportunity', { updated_after: '2026-11-27 12:00:00', sort_by: 'id' })).json, 'opportunity')).toEqual([o.id]);
		expect(ids((await q('opportunity', { created_after: '2026-11-27 00:00:00' })).json, 'opportunity')).toEqual([]);
	});

	it('date values: ISO, offsets, relative words; bad ones -> 7, inverted range -> 8', async () => {
		const p = sim.control.create({ type: 'prospect', at: at(0) });
		expect(ids((await q('prospect', { created_after: '2026-11-27T11:59:59' })).json)).toEqual([p.id]);
		expect(ids((await q('prospect', { created_after: '2026-11-27T06:59:59-05:00' })).json)).toEqual([p.id]);
		expect(ids((await q('prospect', { created_after: '2026-11-27T07:00:00-05:00' })).json)).toEqual([]);
		expect(ids((await q('prospect', { created_after: 'today' })).json)).toEqual([p.id]);
		expect(ids((await q('prospect', { created_after: 'yesterday', created_before: 'today' })).json)).toEqual([]);
		expect(ids((await q('prospect', { created_after: '2 hours ago' })).json)).toEqual([p.id]);
		expect(ids((await q('prospect', { created_after: 'last_7_days' })).json)).toEqual([p.id]);
		expect(errCode((await q('prospect', { created_after: 'next tuesday-ish' })).json)).toBe(7);
		expect(errCode((await q('prospect', { created_after: '2026-13-01' })).json)).toBe(7);
		expect(errCode((await q('prospect', { created_after: '2026-11-28', created_before: '2026-11-27' })).json)).toBe(8);
	});

	it('id_greater_than / id_less_than; invalid -> 16', async () => {
		const [a, b, c] = sim.control.seed({ prospects: 3, at: at(0) }).prospectIds;
		expect(ids((await q('prospect', { id_greater_than: a })).json)).toEqual([b, c]);
		expect(ids((await q('prospect', { id_greater_than: a, id_less_than: c })).json)).toEqual([b]);
		expect(errCode((await q('prospect', { id_greater_than: 'abc' })).json)).toBe(16);
	});

	it('deleted=true reads the recycle bin only; deleting bumps updated_at unless configured off', async () => {
		const [a, b] = sim.control.seed({ prospects: 2, at: at(0) }).prospectIds;
		const gone = sim.control.delete({ type: 'prospect', id: a, at: at(10_000) });
		expect(gone.updatedAt).toBe(at(10_000));
		expect(ids((await q('prospect')).json)).toEqual([b]);
		const bin = await q('prospect', { deleted: 'true' });
		expect(ids(bin.json)).toEqual([a]);
		expect(bin.json.result.prospect.updated_at).toBe('2026-11-27 12:00:10');
		expect(errCode((await q('prospect', { deleted: 'yes' })).json)).toBe(27);
		sim.control.configure({ deleteBumpsUpdatedAt: false });
		const quiet = sim.control.delete({ type: 'prospect', id: b, at: at(20_000) });
		expect(quiet.updatedAt).toBe(at(0));
		const back = sim.control.undelete({ type: 'prospect', id: a, at: at(30_000) });
		expect(back.deleted).toBe(false);
		expect(ids((await q('prospect')).json)).toEqual([a]);
		expect(sim.control.records({ type: 'prospect', deleted: true }).map((r) => r.id)).toEqual([b]);
	});

	it('prospect_id / prospect_email select opportunities; unknown -> 3 / 4; mismatch -> 44', async () => {
		const a = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'a@example.com' } });
		const b = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'b@example.com' } });
		const oa = sim.control.create({ type: 'opportunity', at: at(0), fields: { prospectIds: [a.id] } });
		const ob = sim.control.create({ type: 'opportunity', at: at(0), fields: { prospectIds: [b.id] } });
		expect(ids((await q('opportunity', { prospect_id: a.id })).json, 'opportunity')).toEqual([oa.id]);
		expect(ids((await q('opportunity', { prospect_email: 'B@example.com' })).json, 'opportunity')).toEqual([ob.id]);
		expect(errCode((await q('opportunity', { prospect_id: 1 })).json)).toBe(3);
		expect(errCode((await q('opportunity', { prospect_email: 'zz@example.com' })).json)).toBe(4);
		expect(errCode((await q('opportunity', { prospect_id: a.id, prospect_email: 'b@example.com' })).json)).toBe(44);
	});

	it('score_*, grade_*, last_activity_never on prospects; probability_*, value_* on opportunities', async () => {
		const low = sim.control.create({ type: 'prospect', at: at(0), fields: { score: 10, grade: 'C' } });
		const high = sim.control.create({ type: 'prospect', at: at(0), fields: { score: 90, grade: 'A-', lastActivityAt: at(0) } });
		expect(ids((await q('prospect', { score_greater_than: 10 })).json)).toEqual([high.id]);
		expect(ids((await q('prospect', { score_equal_to: 10 })).json)).toEqual([low.id]);
		expect(ids((await q('prospect', { grade_greater_than: 'B+' })).json)).toEqual([high.id]);
		expect(ids((await q('prospect', { grade_less_than: 'A' })).json)).toEqual([low.id, high.id]);
		expect(ids((await q('prospect', { last_activity_never: 'true' })).json)).toEqual([low.id]);
		expect(errCode((await q('prospect', { score_greater_than: 'lots' })).json)).toBe(29);
		expect(errCode((await q('prospect', { score_greater_than: 50, score_less_than: 10 })).json)).toBe(30);
		expect(errCode((await q('prospect', { score_equal_to: 5, score_less_than: 10 })).json)).toBe(31);
		expect(errCode((await q('prospect', { grade_equal_to: 'Z' })).json)).toBe(32);
		const cheap = sim.control.create({ type: 'opportunity', at: at(0), fields: { value: 100, probability: 10 } });
		const rich = sim.control.create({ type: 'opportunity', at: at(0), fields: { value: 9000, probability: 80 } });
		expect(ids((await q('opportunity', { value_greater_than: 100 })).json, 'opportunity')).toEqual([rich.id]);
		expect(ids((await q('opportunity', { probability_less_than: 50 })).json, 'opportunity')).toEqual([cheap.id]);
		expect(errCode((await q('opportunity', { probability_greater_than: 101 })).json)).toBe(40);
		expect(errCode((await q('opportunity', { value_greater_than: 10, value_less_than: 5 })).json)).toBe(43);
	});

	it('documented criteria the simulator cannot model are refused loudly (HTTP 501), never silently ignored', async () => {
		for (const name of ['assigned', 'assigned_to_user', 'is_starred', 'list_id', 'new']) {
			const res = await q('prospect', { [name]: 'true' });
			expect(res.status).toBe(501);
			expect(res.text).toContain(name);
		}
	});
});

describe('parameters the object does not document (error 5)', () => {
	it.each([3, 4] as const)('v%i: none recognised -> error 5 for either object, whatever the mode', async (version) => {
		sim.control.configure({ accountVersion: version });
		const versionKey = (await login(sim, {}, version)).json.api_key as string;
		sim.control.seed({ prospects: 2, opportunities: 1, at: at(0) });
		for (const mode of ['ignore', 'reject'] as const) {
			sim.control.configure({ legacyUnknownParams: mode });
			const none = await legacyQuery(sim, versionKey, 'prospect', { no_such_filter: 'x' }, version);
			expect(none.status).toBe(200);
			expect(none.json).toEqual({ '@attributes': { stat: 'fail', version: 1, err_code: 5 }, err: 'Invalid query parameters' });
			// updated_after and fields are prospect parameters, not opportunity ones.
			expect(errCode((await legacyQuery(sim, versionKey, 'opportunity', { updated_after: 'today' }, version)).json)).toBe(5);
			expect(errCode((await legacyQuery(sim, versionKey, 'opportunity', { fields: 'name' }, version)).json)).toBe(5);
			// No parameter at all (format aside) is a plain query, not error 5.
			expect((await legacyQuery(sim, versionKey, 'prospect', {}, version)).json.result.total_results).toBe(2);
		}
	});

	it('beside recognised ones: error 5 by default, dropped with legacyUnknownParams ignore', async () => {
		sim.control.seed({ prospects: 2, opportunities: 1, at: at(0) });
		expect(errCode((await q('prospect', { no_such_filter: 'x', sort_by: 'id' })).json)).toBe(5);
		expect(errCode((await q('opportunity', { updated_after: 'today', limit: 200 })).json)).toBe(5);
		sim.control.configure({ legacyUnknownParams: 'ignore' });
		expect((await q('prospect', { no_such_filter: 'x', sort_by: 'id' })).json.result.total_results).toBe(2);
		expect((await q('opportunity', { updated_after: 'today', limit: 200 })).json.result.total_results).toBe(1);
		sim.control.configure({ legacyUnknownParams: 'reject' });
		// Every documented parameter of each object passes, alone or together.
		expect((await q('prospect', { updated_after: 'yesterday', updated_before: 'tomorrow', id_greater_than: 1, fields: 'email', output: 'bulk', limit: 5, offset: 0, sort_by: 'updated_at', sort_order: 'ascending', deleted: 'false' })).json['@attributes'].stat).toBe('ok');
		expect((await q('opportunity', { created_after: 'yesterday', created_before: 'tomorrow', id_greater_than: 1, id_less_than: 99_999_999, probability_greater_than: 0, value_greater_than: 0, output: 'simple', limit: 5, offset: 0, sort_by: 'created_at', sort_order: 'ascending' })).json['@attributes'].stat).toBe('ok');
		// Parameters in a POST body count like the query string.
		const posted = await http(`${sim.baseUrl}/api/prospect/version/4/do/query`, {
			method: 'POST',
			headers: { ...legacyAuth(key), 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'format=json&sort_by=id&bogus=1',
		});
		expect(errCode(posted.json)).toBe(5);
	});
});

describe('deleted on the opportunity query (undocumented)', () => {
	it('legacyOpportunityDeleted honour (default): deleted=true reads the recycle bin, like prospects', async () => {
		const [live, gone] = sim.control.seed({ opportunities: 2, at: at(0) }).opportunityIds;
		sim.control.delete({ type: 'opportunity', id: gone, at: at(1_000) });
		expect(ids((await q('opportunity', { deleted: 'true', sort_by: 'id' })).json, 'opportunity')).toEqual([gone]);
		expect(ids((await q('opportunity', { deleted: 'false', sort_by: 'id' })).json, 'opportunity')).toEqual([live]);
		expect(errCode((await q('opportunity', { deleted: 'maybe' })).json)).toBe(27);
	});

	it('ignore: an unknown parameter, so error 5 by default, and live opportunities under deleted=true (the trap) when unknown ones are dropped', async () => {
		const [live, gone] = sim.control.seed({ opportunities: 2, at: at(0) }).opportunityIds;
		sim.control.delete({ type: 'opportunity', id: gone, at: at(1_000) });
		sim.control.configure({ legacyOpportunityDeleted: 'ignore' });
		expect(errCode((await q('opportunity', { deleted: 'true', sort_by: 'id' })).json)).toBe(5);
		expect(errCode((await q('opportunity', { deleted: 'true' })).json)).toBe(5);
		sim.control.configure({ legacyUnknownParams: 'ignore' });
		const scan = await q('opportunity', { deleted: 'true', sort_by: 'id', sort_order: 'ascending' });
		expect(ids(scan.json, 'opportunity')).toEqual([live]);
		// Even an unreadable value passes: the parameter is not read at all.
		expect(ids((await q('opportunity', { deleted: 'maybe', sort_by: 'id' })).json, 'opportunity')).toEqual([live]);
		expect(errCode((await q('opportunity', { deleted: 'true' })).json)).toBe(5);
		// Prospects keep their documented deleted criterion.
		expect((await q('prospect', { deleted: 'true', sort_by: 'id' })).json['@attributes'].stat).toBe('ok');
		expect(() => sim.control.configure({ legacyOpportunityDeleted: 'maybe' as never })).toThrow(/legacyOpportunityDeleted/);
	});
});

describe('fields and output (prospect query)', () => {
	it('fields returns the id and the listed fields only; unknown names are left out', async () => {
		sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'f@example.com', firstName: 'F', score: 3, campaignId: 2 } });
		const res = await q('prospect', { fields: 'email,updated_at,score,no_such_field' });
		expect(res.json.result).toEqual({
			total_results: 1,
			prospect: { id: expect.any(Number), email: 'f@example.com', updated_at: '2026-11-27 12:00:00', score: 3 },
		});
		expect((await q('prospect', { fields: 'campaign' })).json.result.prospect).toEqual({ id: expect.any(Number), campaign: { id: 2, name: 'Campaign 2' } });
		const xml = await http(`${sim.baseUrl}/api/prospect/version/4/do/query?fields=email`, { headers: legacyAuth(key) });
		expect(xml.text).toMatch(/<prospect><id>\d+<\/id><email>f@example.com<\/email><\/prospect>/);
		// The page is smaller than the full one.
		const full = await q('prospect');
		expect(res.text.length).toBeLessThan(full.text.length / 2);
	});

	it('output=bulk: no total_results, no nested objects; combined with fields', async () => {
		sim.control.seed({ prospects: 3, at: at(0) });
		const bulk = await q('prospect', { output: 'bulk', fields: 'email', sort_by: 'id' });
		expect(bulk.json.result.total_results).toBeUndefined();
		expect(legacyRecords(bulk.json, 'prospect').map((r) => Object.keys(r).sort())).toEqual([
			['email', 'id'],
			['email', 'id'],
			['email', 'id'],
		]);
	});

	it('output=mobile is not capped at 200 records (documented)', async () => {
		sim.control.seed({ prospects: 230, at: at(0) });
		expect(legacyRecords((await q('prospect')).json, 'prospect')).toHaveLength(200);
		const mobile = await q('prospect', { output: 'mobile' });
		expect(legacyRecords(mobile.json, 'prospect')).toHaveLength(230);
		expect(errCode((await q('prospect', { limit: 201 })).json)).toBe(23);
		expect(legacyRecords((await q('prospect', { output: 'mobile', limit: 210 })).json, 'prospect')).toHaveLength(210);
	});
});

describe('tie order (undocumented; legacyTieOrder)', () => {
	const seedTies = () => {
		const made = Array.from({ length: 8 }, () => sim.control.create({ type: 'prospect', at: at(0) }).id);
		return made;
	};

	it('idAscending (default): ties in id order whatever the direction', async () => {
		const made = seedTies();
		expect(ids((await q('prospect', { sort_by: 'updated_at', sort_order: 'descending' })).json)).toEqual(made);
		expect(ids((await q('prospect', { sort_by: 'updated_at', sort_order: 'ascending' })).json)).toEqual(made);
	});

	it('sortDirection: ties follow the sort direction', async () => {
		const made = seedTies();
		sim.control.configure({ legacyTieOrder: 'sortDirection' });
		expect(ids((await q('prospect', { sort_by: 'updated_at', sort_order: 'descending' })).json)).toEqual([...made].reverse());
		expect(ids((await q('prospect', { sort_by: 'updated_at', sort_order: 'ascending' })).json)).toEqual(made);
	});

	it('arbitrary: ties come in an order that changes between requests, so offset paging can skip or repeat', async () => {
		const made = seedTies();
		sim.control.configure({ legacyTieOrder: 'arbitrary' });
		const orders = new Set<string>();
		for (let i = 0; i < 6; i++) {
			const order = ids((await q('prospect', { sort_by: 'updated_at' })).json);
			expect([...order].sort((a, b) => a - b)).toEqual(made);
			orders.add(order.join(','));
		}
		expect(orders.size).toBeGreaterThan(1);
		// Distinct keys still sort by the key.
		sim.control.update({ type: 'prospect', id: made[3], at: at(5_000) });
		expect(ids((await q('prospect', { sort_by: 'updated_at', sort_order: 'descending' })).json)[0]).toBe(made[3]);
	});
});

describe('account time zone', () => {
	it('renders local time and parses filters as local time', async () => {
		sim.control.configure({ timezone: 'America/Los_Angeles' });
		const p = sim.control.create({ type: 'prospect', at: at(0) });
		const res = await q('prospect');
		expect(res.json.result.prospect.created_at).toBe('2026-11-27 04:00:00');
		expect(ids((await q('prospect', { created_after: '2026-11-27 03:59:59' })).json)).toEqual([p.id]);
		expect(ids((await q('prospect', { created_after: '2026-11-27 04:00:00' })).json)).toEqual([]);
	});

	it('DST fall-back: two instants render the same local string; an ambiguous filter means the earlier one', async () => {
		sim.control.configure({ timezone: 'America/New_York' });
		// 2026-11-01 01:30 happens twice in New York: 05:30Z (EDT) and 06:30Z (EST).
		const first = sim.control.create({ type: 'prospect', at: '2026-11-01T05:30:00Z', fields: { email: 'edt@example.com' } });
		const second = sim.control.create({ type: 'prospect', at: '2026-11-01T06:30:00Z', fields: { email: 'est@example.com' } });
		const both = legacyRecords((await q('prospect', { sort_by: 'id' })).json, 'prospect');
		expect(both.map((r) => r.created_at)).toEqual(['2026-11-01 01:30:00', '2026-11-01 01:30:00']);
		expect(ids((await q('prospect', { created_after: '2026-11-01 01:30:00', sort_by: 'id' })).json)).toEqual([second.id]);
		sim.control.configure({ updatedAfter: 'inclusive' });
		expect(ids((await q('prospect', { created_after: '2026-11-01 01:30:00', sort_by: 'id' })).json)).toEqual([first.id, second.id]);
		expect(ids((await q('prospect', { created_before: '2026-11-01 01:30:00', sort_by: 'id' })).json)).toEqual([first.id]);
	});
});
