import type { SimulatorHandle } from '../../simulator';
import { accessToken, at, bearer, enc, http, simulatorForFile, v5, v5All } from '../lib/simulator';

let sim: SimulatorHandle;
let token: string;
/** Relative to the frozen clock of every test (START + 1 h). */
const nowAt = (offsetMs: number) => at(3_600_000 + offsetMs);

const env = simulatorForFile({ frozenAt: at(3_600_000), login: 'accessToken' });
beforeEach(() => ({ sim, credential: token } = env.current()));

const get = (query: string, object: 'prospects' | 'opportunities' = 'prospects') => v5(sim, token, object, query);
const idsOf = (res: { json: any }) => res.json.values.map((v: any) => v.id);

describe('parameters', () => {
	it('fields is required and checked', async () => {
		const missing = await get('limit=5');
		expect(missing.status).toBe(400);
		expect(missing.json).toEqual({ code: expect.any(Number), message: expect.stringContaining('fields') });
		expect((await get('fields=id,nope')).status).toBe(400);
		sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'a@example.com', salesforceLeadId: '00Q1' } });
		const ok = await get('fields=id,email,salesforceLeadId,isDeleted');
		expect(ok.json.values).toEqual([{ id: expect.any(Number), email: 'a@example.com', salesforceLeadId: '00Q1', isDeleted: false }]);
	});

	it('limit: default 200, at most 1000', async () => {
		sim.control.seed({ prospects: 250, at: at(0) });
		expect((await get('fields=id')).json.values).toHaveLength(200);
		expect((await get('fields=id&limit=1000')).json.values).toHaveLength(250);
		expect((await get('fields=id&limit=1001')).status).toBe(400);
		expect((await get('fields=id&limit=0')).status).toBe(400);
	});

	it('orderBy on id, createdAt, updatedAt with directions; anything else is 400', async () => {
		const a = sim.control.create({ type: 'prospect', at: at(0) });
		const b = sim.control.create({ type: 'prospect', at: at(0) });
		const c = sim.control.create({ type: 'prospect', at: at(0) });
		sim.control.update({ type: 'prospect', id: a.id, at: at(9_000) });
		sim.control.update({ type: 'prospect', id: c.id, at: at(4_000) });
		expect(idsOf(await get(`fields=id&orderBy=${enc('updatedAt asc,id asc')}`))).toEqual([b.id, c.id, a.id]);
		expect(idsOf(await get(`fields=id&orderBy=${enc('updatedAt desc')}`))).toEqual([a.id, c.id, b.id]);
		expect(idsOf(await get(`fields=id&orderBy=${enc('id desc')}`))).toEqual([c.id, b.id, a.id]);
		expect(idsOf(await get('fields=id'))).toEqual([a.id, b.id, c.id]);
		expect((await get(`fields=id&orderBy=${enc('email asc')}`)).status).toBe(400);
		expect((await get(`fields=id&orderBy=${enc('id sideways')}`)).status).toBe(400);
	});

	it('filters on id, createdAt, updatedAt (ISO with offset; "+" must arrive as %2B)', async () => {
		const a = sim.control.create({ type: 'prospect', at: at(0) });
		const b = sim.control.create({ type: 'prospect', at: at(1_000) });
		const c = sim.control.create({ type: 'prospect', at: at(2_000) });
		expect(idsOf(await get(`fields=id&idGreaterThan=${a.id}`))).toEqual([b.id, c.id]);
		expect(idsOf(await get(`fields=id&idGreaterThanOrEqualTo=${b.id}&idLessThan=${c.id}`))).toEqual([b.id]);
		expect(idsOf(await get(`fields=id&idLessThanOrEqualTo=${b.id}`))).toEqual([a.id, b.id]);
		expect(idsOf(await get(`fields=id&updatedAtAfter=${enc('2026-11-27T12:00:01Z')}`))).toEqual([c.id]);
		expect(idsOf(await get(`fields=id&updatedAtAfterOrEqualTo=${enc('2026-11-27T13:00:01+01:00')}`))).toEqual([b.id, c.id]);
		expect(idsOf(await get(`fields=id&createdAtBefore=${enc('2026-11-27T07:00:01-05:00')}`))).toEqual([a.id]);
		expect(idsOf(await get(`fields=id&createdAtBeforeOrEqualTo=${enc('2026-11-27T12:00:01Z')}`))).toEqual([a.id, b.id]);
		expect(idsOf(await get(`fields=id&createdAtAfterOrEqualTo=${enc('2026-11-27T12:00:02Z')}&updatedAtBefore=${enc('2026-11-28T00:00:00Z')}`))).toEqual([c.id]);
		const unescaped = await get('fields=id&updatedAtAfter=2026-11-27T13:00:00+01:00');
		expect(unescaped.status).toBe(400);
		expect(unescaped.json.message).toContain('%2B');
		expect((await get('fields=id&updatedAtAfter=2026-11-27T12:00:00')).status).toBe(400); // no offset
		expect((await get('fields=id&idGreaterThan=abc')).status).toBe(400);
		expect((await get('fields=id&updated_after=2026-11-27')).status).toBe(400);
	});

	it('deleted=false (default) | true | all', async () => {
		const [a, b] = sim.control.seed({ prospects: 2, at: at(0) }).prospectIds;
		sim.control.delete({ type: 'prospect', id: a, at: at(5_000) });
		expect(idsOf(await get('fields=id'))).toEqual([b]);
		expect(idsOf(await get('fields=id,isDeleted&deleted=true'))).toEqual([a]);
		expect((await get('fields=id,isDeleted&deleted=true')).json.values[0].isDeleted).toBe(true);
		expect(idsOf(await get('fields=id&deleted=all'))).toEqual([a, b]);
		expect((await get('fields=id&deleted=maybe')).status).toBe(400);
	});

	it('renders ISO 8601 with the account zone offset, DST included', async () => {
		sim.control.configure({ timezone: 'America/New_York' });
		sim.control.create({ type: 'prospect', at: '2026-11-01T05:30:00.700Z' });
		sim.control.create({ type: 'prospect', at: '2026-11-01T06:30:00Z' });
		const res = await get('fields=id,createdAt,updatedAt&deleted=all');
		expect(res.json.values.map((v: any) => v.createdAt)).toEqual(['2026-11-01T01:30:00-04:00', '2026-11-01T01:30:00-05:00']);
		sim.control.configure({ timezone: 'UTC' });
		expect((await get('fields=createdAt')).json.values[0]).toEqual({ createdAt: '2026-11-01T05:30:00+00:00' });
	});

	it('opportunities use camelCase fields', async () => {
		sim.control.create({
			type: 'opportunity',
			at: at(0),
			fields: { name: 'Deal', value: 1200, probability: 40, stage: 'Qualification', status: 'open', campaign_id: 3 },
		});
		const res = await get('fields=id,name,value,probability,stage,status,closedAt,campaignId,createdAt', 'opportunities');
		expect(res.json.values[0]).toEqual({
			id: expect.any(Number),
			name: 'Deal',
			value: 1200,
			probability: 40,
			stage: 'Qualification',
			status: 'open',
			closedAt: null,
			campaignId: 3,
			createdAt: '2026-11-27T12:00:00+00:00',
		});
	});
});

describe('paging', () => {
	it('pages 1,050 records; a token only while records remain', async () => {
		sim.control.seed({ prospects: 1050, at: at(0), spreadMs: 600_000 });
		const big = await v5All(sim, token, 'prospects', 'fields=id,updatedAt&limit=1000&orderBy=' + enc('updatedAt asc,id asc'));
		expect(big.pages).toBe(2);
		expect(new Set(big.values.map((v) => v.id)).size).toBe(1050);
		const small = await v5All(sim, token, 'prospects', 'fields=id');
		expect(small.pages).toBe(6);
		expect(small.values).toHaveLength(1050);
	});

	it('no token when the page exactly exhausts the matches', async () => {
		sim.control.seed({ prospects: 4, at: at(0) });
		const first = await get('fields=id&limit=2');
		expect(first.json.nextPageToken).toEqual(expect.any(String));
		expect(first.json.nextPageUrl).toContain(`nextPageToken=${first.json.nextPageToken}`);
		const second = await http(first.json.nextPageUrl, { headers: bearer(token) });
		expect(second.json.values).toHaveLength(2);
		expect(second.json.nextPageToken).toBeNull();
		expect(second.json.nextPageUrl).toBeNull();
	});

	it('with a token only fields may be sent; tokens expire after 4 hours', async () => {
		sim.control.seed({ prospects: 5, at: at(0) });
		const first = await get('fields=id&limit=2');
		const t = first.json.nextPageToken;
		expect((await get(`nextPageToken=${t}&limit=2`)).status).toBe(400);
		expect((await get(`nextPageToken=${t}&fields=id&orderBy=id`)).status).toBe(400);
		const withFields = await get(`nextPageToken=${t}&fields=id,email`);
		expect(withFields.status).toBe(200);
		expect(Object.keys(withFields.json.values[0])).toEqual(['id', 'email']);
		// The same token can be replayed (a client retry after a network error).
		expect((await get(`nextPageToken=${t}`)).json.values).toHaveLength(2);
		expect((await get('nextPageToken=made-up')).status).toBe(400);
		sim.control.clock({ advanceMs: 4 * 3_600_000 });
		token = await accessToken(sim);
		const expired = await get(`nextPageToken=${t}`);
		expect(expired.status).toBe(400);
		expect(expired.json.message).toMatch(/expired/);
	});

	it('a token sequence stops at v5MaxRecordsPerQuery (100,000 in Pardot) with a Pardot-Warning header', async () => {
		sim.control.configure({ v5MaxRecordsPerQuery: 250 });
		sim.control.seed({ prospects: 300, at: at(0) });
		const first = await get('fields=id&limit=100');
		expect(first.headers.get('pardot-warning')).toBeNull();
		const second = await http(first.json.nextPageUrl, { headers: bearer(token) });
		expect(second.headers.get('pardot-warning')).toBeNull();
		const third = await http(second.json.nextPageUrl, { headers: bearer(token) });
		expect(third.json.values).toHaveLength(50);
		expect(third.json.nextPageToken).toBeNull();
		// Records remain, but the sequence is over: Pardot says so in a header (v5 overview).
		expect(third.headers.get('pardot-warning')).toBe(
			'203;Record count for nextPageToken sequence has been exceeded. No page token returned.',
		);
		const last = third.json.values[third.json.values.length - 1].id;
		const rest = await v5All(sim, token, 'prospects', `fields=id&limit=100&idGreaterThan=${last}`);
		expect(rest.values).toHaveLength(50);
		// A sequence that ends exactly at its last record carries no warning; the code is a switch.
		sim.control.configure({ v5MaxRecordsPerQuery: 300, v5PageLimitWarningCode: 101 });
		const exact = await get('fields=id&limit=1000');
		expect(exact.json.values).toHaveLength(300);
		expect(exact.headers.get('pardot-warning')).toBeNull();
		sim.control.configure({ v5MaxRecordsPerQuery: 299 });
		expect((await get('fields=id&limit=1000')).headers.get('pardot-warning')).toMatch(/^101;Record count for nextPageToken/);
	});

	it('keyset paging: writes between pages neither shift nor duplicate records', async () => {
		const ids = sim.control.seed({ prospects: 6, at: at(0), spreadMs: 5_000 }).prospectIds;
		const order = `fields=id&limit=3&orderBy=${enc('updatedAt asc,id asc')}`;
		const first = await get(order);
		expect(idsOf(first)).toEqual(ids.slice(0, 3));
		// Move a record of page 1 to the end, delete one of page 2, create a new one.
		sim.control.update({ type: 'prospect', id: ids[0], at: at(60_000) });
		sim.control.delete({ type: 'prospect', id: ids[3], at: at(60_000) });
		const fresh = sim.control.create({ type: 'prospect', at: at(61_000) });
		const second = await http(first.json.nextPageUrl, { headers: bearer(token) });
		expect(idsOf(second)).toEqual([ids[4], ids[5], ids[0]]);
		const third = await http(second.json.nextPageUrl, { headers: bearer(token) });
		expect(idsOf(third)).toEqual([fresh.id]);
		expect(third.json.nextPageToken).toBeNull();
	});
});

describe('read lag', () => {
	it('hides a record created less than v5ReadLagMs ago and shows the previous version of an update', async () => {
		sim.control.configure({ v5ReadLagMs: 60_000 });
		const p = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'old@example.com' } });
		sim.control.clock({ set: at(120_000) });
		sim.control.update({ type: 'prospect', id: p.id, fields: { email: 'new@example.com' } });
		const fresh = sim.control.create({ type: 'prospect', fields: { email: 'fresh@example.com' } });
		const lagging = await get('fields=id,email,updatedAt');
		expect(lagging.json.values).toEqual([{ id: p.id, email: 'old@example.com', updatedAt: '2026-11-27T12:00:00+00:00' }]);
		sim.control.clock({ advanceMs: 59_000 });
		expect(idsOf(await get('fields=id'))).toEqual([p.id]);
		sim.control.clock({ advanceMs: 1_000 });
		const settled = await get('fields=id,email');
		expect(settled.json.values).toEqual([
			{ id: p.id, email: 'new@example.com' },
			{ id: fresh.id, email: 'fresh@example.com' },
		]);
		// v3/v4 and the control API see writes at once.
		expect(sim.control.records({ type: 'prospect' })).toHaveLength(2);
	});

	it('cache model: reads come from the primary or a cache up to 60 s behind, so a later read can be older', async () => {
		sim.control.configure({ v5ReadLagMs: 60_000, v5LagModel: 'cache', v5LagSequenceMs: [0, 45_000, 60_000, 0] });
		const p = sim.control.create({ type: 'prospect', at: nowAt(-120_000), fields: { email: 'v1@example.com' } });
		sim.control.update({ type: 'prospect', id: p.id, at: nowAt(-30_000), fields: { email: 'v2@example.com' } });
		const fresh = sim.control.create({ type: 'prospect', at: nowAt(-10_000), fields: { email: 'new@example.com' } });
		const read = async () => (await get('fields=id,email&orderBy=id')).json.values;
		// 1: the primary sees everything; 2: a cache 45 s behind has v1 and no new record; 3: 60 s behind; 4: the primary again.
		expect(await read()).toEqual([
			{ id: p.id, email: 'v2@example.com' },
			{ id: fresh.id, email: 'new@example.com' },
		]);
		expect(await read()).toEqual([{ id: p.id, email: 'v1@example.com' }]);
		expect(await read()).toEqual([{ id: p.id, email: 'v1@example.com' }]);
		expect(await read()).toHaveLength(2);
		// The sequence repeats.
		expect(await read()).toHaveLength(2);
		expect(await read()).toHaveLength(1);
	});

	it('cache model without a sequence: seeded draws, never more than v5ReadLagMs behind, primary and cache both occur', async () => {
		sim.control.configure({ v5ReadLagMs: 60_000, v5LagModel: 'cache' });
		const p = sim.control.create({ type: 'prospect', at: nowAt(-61_000), fields: { email: 'old@example.com' } });
		sim.control.update({ type: 'prospect', id: p.id, at: nowAt(-1), fields: { email: 'new@example.com' } });
		const seen: string[] = [];
		for (let i = 0; i < 30; i++) seen.push((await get('fields=email')).json.values[0].email);
		// Everything is at most 61 s old, so every read sees the record; both versions show up, interleaved.
		expect(new Set(seen)).toEqual(new Set(['old@example.com', 'new@example.com']));
		const flips = seen.filter((email, i) => i > 0 && email === 'old@example.com' && seen[i - 1] === 'new@example.com');
		expect(flips.length).toBeGreaterThan(0);
		// Deterministic after reset: the same draws again.
		sim.control.reset();
		sim.control.clock({ set: at(3_600_000), freeze: true });
		token = await accessToken(sim);
		sim.control.configure({ v5ReadLagMs: 60_000, v5LagModel: 'cache' });
		const q = sim.control.create({ type: 'prospect', at: nowAt(-61_000), fields: { email: 'old@example.com' } });
		sim.control.update({ type: 'prospect', id: q.id, at: nowAt(-1), fields: { email: 'new@example.com' } });
		const again: string[] = [];
		for (let i = 0; i < 30; i++) again.push((await get('fields=email')).json.values[0].email);
		expect(again).toEqual(seen);
		expect(() => sim.control.configure({ v5LagSequenceMs: [-1] })).toThrow(/v5LagSequenceMs/);
	});
});

describe('deleted=all and isDeleted; opportunities filter and sort on updatedAt', () => {
	it('deleted=all returns live and recycled records once each, isDeleted telling them apart (both objects)', async () => {
		for (const [type, object] of [
			['prospect', 'prospects'],
			['opportunity', 'opportunities'],
		] as const) {
			const a = sim.control.create({ type, at: at(0) });
			const b = sim.control.create({ type, at: at(0) });
			sim.control.delete({ type, id: b.id, at: at(2_000) });
			const all = await get('fields=id,isDeleted,updatedAt&deleted=all&orderBy=id', object);
			expect(all.json.values).toEqual([
				{ id: a.id, isDeleted: false, updatedAt: '2026-11-27T12:00:00+00:00' },
				{ id: b.id, isDeleted: true, updatedAt: '2026-11-27T12:00:02+00:00' },
			]);
			// One scan instead of two: the recycled one is found by its updatedAt like any change.
			const changed = await get(`fields=id,isDeleted&deleted=all&updatedAtAfter=${enc('2026-11-27T12:00:01Z')}`, object);
			expect(changed.json.values).toEqual([{ id: b.id, isDeleted: true }]);
		}
	});

	it('opportunities take updatedAt filters and orderBy (v5 object reference)', async () => {
		const a = sim.control.create({ type: 'opportunity', at: at(0) });
		const b = sim.control.create({ type: 'opportunity', at: at(1_000) });
		sim.control.update({ type: 'opportunity', id: a.id, at: at(5_000), fields: { stage: 'Closed Won' } });
		expect(idsOf(await get(`fields=id&orderBy=${enc('updatedAt asc,id asc')}`, 'opportunities'))).toEqual([b.id, a.id]);
		expect(idsOf(await get(`fields=id&updatedAtAfterOrEqualTo=${enc('2026-11-27T12:00:05Z')}`, 'opportunities'))).toEqual([a.id]);
		expect(idsOf(await get(`fields=id&updatedAtBefore=${enc('2026-11-27T12:00:05Z')}`, 'opportunities'))).toEqual([b.id]);
		expect(idsOf(await get(`fields=id&createdAtAfter=${enc('2026-11-27T12:00:00Z')}&orderBy=${enc('createdAt desc')}`, 'opportunities'))).toEqual([b.id]);
		expect((await get(`fields=id&orderBy=${enc('name asc')}`, 'opportunities')).status).toBe(400);
		expect((await get('fields=id&valueGreaterThan=3', 'opportunities')).status).toBe(400);
	});
});
