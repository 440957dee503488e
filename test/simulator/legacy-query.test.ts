import type { SimulatorHandle } from '../../simulator';
import { apiKey, http, legacyAuth, legacyQuery, legacyRecords, START } from './helpers';
import { start } from './helpers';

let sim: SimulatorHandle;
let key: string;
const T0 = Date.parse(START);
const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();

beforeAll(async () => {
	sim = await start();
});
afterAll(() => sim.close());
beforeEach(async () => {
	sim.control.reset();
	sim.control.clock({ set: at(3_600_000), freeze: true });
	key = await apiKey(sim);
});

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

	it('created_* and updated_* filters combine; opportunities ignore updated_after', async () => {
		const old = sim.control.create({ type: 'prospect', at: at(-86_400_000) });
		const recent = sim.control.create({ type: 'prospect', at: at(0) });
		sim.control.update({ type: 'prospect', id: old.id, at: at(1000) });
		expect(ids((await q('prospect', { created_after: '2026-11-27 00:00:00' })).json)).toEqual([recent.id]);
		expect(ids((await q('prospect', { created_before: '2026-11-27 00:00:00' })).json)).toEqual([old.id]);
		expect(ids((await q('prospect', { updated_after: '2026-11-27 12:00:00', sort_by: 'id' })).json)).toEqual([old.id]);
		const o = sim.control.create({ type: 'opportunity', at: at(-86_400_000) });
		// Not a documented opportunity filter: ignored, so the old opportunity still comes back.
		expect(ids((await q('opportunity', { updated_after: '2026-11-27 12:00:00' })).json, 'opportunity')).toEqual([o.id]);
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

	it('unknown parameters are ignored', async () => {
		sim.control.seed({ prospects: 2, at: at(0) });
		expect((await q('prospect', { no_such_filter: 'x' })).json.result.total_results).toBe(2);
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
