import type { SimulatorHandle } from '../../simulator';
import { at, legacyQuery, legacyRecords, simulatorForFile } from '../lib/simulator';
import { legacyCall } from './write-helpers';

let sim: SimulatorHandle;
let key: string;
const NOW = at(3_600_000);
const NOW_LOCAL = '2026-11-27 13:00:00';

const env = simulatorForFile({ frozenAt: NOW, login: 'apiKey' });
beforeEach(() => ({ sim, credential: key } = env.current()));

type Ids = Array<[string, string | number]>;
const call = (object: string, action: string, ids: Ids = [], params: Record<string, string | number> = {}, options: Parameters<typeof legacyCall>[6] = {}) =>
	legacyCall(sim, key, object, action, ids, params, options);
/** [HTTP status, err_code] of a v3/v4 answer (0: no error). */
const failure = (res: { status: number; json: any }) => [res.status, res.json?.['@attributes']?.err_code ?? 0];
const records = (type: 'prospect' | 'opportunity' | 'listMembership' | 'list', deleted?: boolean) => sim.control.records({ type, deleted });

/** A v3 account: every call uses /version/3 (the api_key of the login before stays valid). */
function useVersion3() {
	sim.control.configure({ accountVersion: 3 });
}

describe('prospects, version 4 (an AMPSEA account)', () => {
	it('create by email: the read envelope, a record created now, the oldest campaign by default', async () => {
		sim.control.seed({ campaigns: 2, at: at(0), spreadMs: 1_000 });
		const [oldest] = sim.control.records({ type: 'campaign' }).map((c) => c.id);
		const res = await call('prospect', 'create', [['email', 'ada+test@example.com']], { first_name: 'Ada', score: 5 });
		expect(failure(res)).toEqual([200, 0]);
		expect(res.json['@attributes']).toEqual({ stat: 'ok', version: 1 });
		expect(res.json.prospect).toMatchObject({
			id: expect.any(Number),
			email: 'ada+test@example.com',
			first_name: 'Ada',
			score: 5,
			campaign_id: oldest,
			campaign: { id: oldest, name: expect.any(String) },
			created_at: NOW_LOCAL,
			updated_at: NOW_LOCAL,
		});
		expect(records('prospect')).toEqual([expect.objectContaining({ id: res.json.prospect.id, createdAt: NOW, updatedAt: NOW })]);
		const query = await legacyQuery(sim, key, 'prospect', { created_after: '2026-11-27 12:59:59' });
		expect(legacyRecords(query.json, 'prospect').map((p: any) => p.id)).toEqual([res.json.prospect.id]);
		// A form body works the same; XML without format=json.
		const posted = await call('prospect', 'create', [], { email: 'form@example.com', campaign_id: 77 }, { method: 'POST', format: 'xml' });
		expect(posted.text).toMatch(/^<\?xml[^]*<rsp stat="ok" version="1.0"><prospect><id>\d+<\/id><campaign_id>77<\/campaign_id>/);
	});

	it('the same email twice makes two prospects; invalid or missing email, bad numbers', async () => {
		const a = await call('prospect', 'create', [['email', 'twin@example.com']]);
		const b = await call('prospect', 'create', [['email', 'twin@example.com']]);
		expect(a.json.prospect.id).not.toBe(b.json.prospect.id);
		expect(failure(await call('prospect', 'create', [['email', 'not-an-email']]))).toEqual([200, 4]);
		expect(failure(await call('prospect', 'create'))).toEqual([200, 13]);
		expect(failure(await call('prospect', 'create', [['email', 'n@example.com']], { score: 'high' }))).toEqual([200, 56]);
		expect(records('prospect')).toHaveLength(2);
	});

	it('read by id (3 unknown, 132 in the recycle bin), by email (every prospect with it), by fid', async () => {
		const one = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'r@example.com', salesforceLeadId: '00Q1' } });
		const two = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'R@example.com' } });
		expect((await call('prospect', 'read', [['id', one.id]])).json.prospect).toMatchObject({ id: one.id, email: 'r@example.com' });
		expect(failure(await call('prospect', 'read', [['id', 999]]))).toEqual([200, 3]);
		expect((await call('prospect', 'read', [['email', 'r@example.com']])).json.prospect.map((p: any) => p.id)).toEqual([one.id, two.id]);
		expect(failure(await call('prospect', 'read', [['email', 'none@example.com']]))).toEqual([200, 4]);
		expect((await call('prospect', 'read', [['fid', '00Q1']])).json.prospect.id).toBe(one.id);
		expect(failure(await call('prospect', 'read', [['fid', '00Qx']]))).toEqual([200, 77]);
		sim.control.delete({ type: 'prospect', id: two.id });
		expect(failure(await call('prospect', 'read', [['id', two.id]]))).toEqual([200, 132]);
		expect((await call('prospect', 'read', [['email', 'r@example.com']])).json.prospect.id).toBe(one.id);
	});

	it('update by id or fid changes the given fields and bumps updated_at; by email is refused (22); list_<id> adds and removes', async () => {
		const [list] = sim.control.seed({ lists: 1, at: at(0) }).listIds;
		const p = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'u@example.com', firstName: 'U', company: 'Acme' } });
		const res = await call('prospect', 'update', [['id', p.id]], { company: 'Globex', phone: '', [`list_${list}`]: 1 });
		expect(res.json.prospect).toMatchObject({ first_name: 'U', company: 'Globex', phone: null, updated_at: NOW_LOCAL });
		expect(records('listMembership')).toEqual([expect.objectContaining({ listId: list, prospectId: p.id, deleted: false, createdAt: NOW })]);
		await call('prospect', 'update', [['id', p.id]], { [`list_${list}`]: 0 });
		expect(records('listMembership')[0].deleted).toBe(true);
		expect(failure(await call('prospect', 'update', [['id', p.id]], { list_999: 1 }))).toEqual([200, 55]);
		expect(failure(await call('prospect', 'update', [['email', 'u@example.com']], { company: 'x' }))).toEqual([200, 22]);
		expect(failure(await call('prospect', 'update', [['id', 12]], { company: 'x' }))).toEqual([200, 3]);
		expect(failure(await call('prospect', 'update', [['id', p.id]], { email: 'bad' }))).toEqual([200, 4]);
		const email = await call('prospect', 'update', [['id', p.id]], { email: 'new@example.com' });
		expect(email.json.prospect.email).toBe('new@example.com');
	});

	it('upsert: by email always creates (documented for v4); by id updates, restores from the bin, or creates with an email (else 14)', async () => {
		const first = await call('prospect', 'upsert', [['email', 'up@example.com']], { first_name: 'One' });
		const second = await call('prospect', 'upsert', [['email', 'up@example.com']], { first_name: 'Two' });
		expect(second.json.prospect.id).not.toBe(first.json.prospect.id);
		const id = first.json.prospect.id;
		const updated = await call('prospect', 'upsert', [['id', id]], { last_name: 'Last' });
		expect([updated.json.prospect.id, updated.json.prospect.last_name]).toEqual([id, 'Last']);
		sim.control.delete({ type: 'prospect', id });
		expect((await call('prospect', 'upsert', [['id', id]], { city: 'Oslo' })).json.prospect.id).toBe(id);
		expect(records('prospect').find((r) => r.id === id)).toMatchObject({ deleted: false, city: 'Oslo' });
		const created = await call('prospect', 'upsert', [['id', 5]], { email: 'made@example.com' });
		expect(created.json.prospect).toMatchObject({ email: 'made@example.com', id: expect.any(Number) });
		expect(failure(await call('prospect', 'upsert', [['id', 5]]))).toEqual([200, 14]);
	});

	it('delete by id with POST or DELETE (204, to the recycle bin); GET is refused (60); by email is 22', async () => {
		const p = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'd@example.com' } });
		expect(failure(await call('prospect', 'delete', [['id', p.id]]))).toEqual([200, 60]);
		expect(failure(await call('prospect', 'delete', [['email', 'd@example.com']], {}, { method: 'POST' }))).toEqual([200, 22]);
		const res = await call('prospect', 'delete', [['id', p.id]], {}, { method: 'DELETE' });
		expect([res.status, res.text]).toEqual([204, '']);
		expect(records('prospect', true)).toEqual([expect.objectContaining({ id: p.id, updatedAt: NOW })]);
		const bin = await legacyQuery(sim, key, 'prospect', { deleted: 'true' });
		expect(legacyRecords(bin.json, 'prospect').map((r: any) => r.id)).toEqual([p.id]);
		expect(failure(await call('prospect', 'delete', [['id', p.id]], {}, { method: 'POST' }))).toEqual([200, 132]);
	});

	it('the account version: /version/3 on a v4 account is 88; an expired key is 1', async () => {
		expect(failure(await call('prospect', 'create', [['email', 'v@example.com']], {}, { version: 3 }))).toEqual([200, 88]);
		sim.control.tokens({ expire: true });
		expect(failure(await call('prospect', 'create', [['email', 'v@example.com']]))).toEqual([401, 1]);
		expect(records('prospect')).toEqual([]);
	});
});

describe('prospects, version 3 (one prospect per email)', () => {
	beforeEach(useVersion3);
	const v3 = { version: 3 as const };

	it('create with a used email is 9; read, update and delete by email', async () => {
		const made = await call('prospect', 'create', [['email', 'one@example.com']], { first_name: 'One' }, v3);
		expect(failure(made)).toEqual([200, 0]);
		expect(failure(await call('prospect', 'create', [['email', 'ONE@example.com']], {}, v3))).toEqual([200, 9]);
		expect((await call('prospect', 'read', [['email', 'one@example.com']], {}, v3)).json.prospect.id).toBe(made.json.prospect.id);
		// update by email cannot change the address: the email parameter is ignored.
		const upd = await call('prospect', 'update', [['email', 'one@example.com']], { first_name: 'Uno', email: 'other@example.com' }, v3);
		expect(upd.json.prospect).toMatchObject({ first_name: 'Uno', email: 'one@example.com' });
		// update by id can, but not to an address another prospect has (54).
		sim.control.create({ type: 'prospect', fields: { email: 'taken@example.com' } });
		expect(failure(await call('prospect', 'update', [['id', made.json.prospect.id]], { email: 'taken@example.com' }, v3))).toEqual([200, 54]);
		expect((await call('prospect', 'delete', [['email', 'one@example.com']], {}, { ...v3, method: 'POST' })).status).toBe(204);
	});

	it('upsert by email updates the prospect with it, or creates one; by id falls back to the email parameter', async () => {
		const a = await call('prospect', 'upsert', [['email', 'a@example.com']], { first_name: 'A' }, v3);
		const again = await call('prospect', 'upsert', [['email', 'a@example.com']], { last_name: 'Z' }, v3);
		expect(again.json.prospect).toMatchObject({ id: a.json.prospect.id, first_name: 'A', last_name: 'Z' });
		const viaId = await call('prospect', 'upsert', [['id', 999]], { email: 'a@example.com', city: 'Rome' }, v3);
		expect(viaId.json.prospect).toMatchObject({ id: a.json.prospect.id, city: 'Rome' });
		const fresh = await call('prospect', 'upsert', [['id', 999]], { email: 'b@example.com' }, v3);
		expect(fresh.json.prospect.id).not.toBe(a.json.prospect.id);
		expect(records('prospect')).toHaveLength(2);
		// From the recycle bin: the prospect with that email comes back.
		sim.control.delete({ type: 'prospect', id: fresh.json.prospect.id });
		expect((await call('prospect', 'upsert', [['email', 'b@example.com']], {}, v3)).json.prospect.id).toBe(fresh.json.prospect.id);
		expect(records('prospect', true)).toEqual([]);
	});
});

describe('opportunities', () => {
	let prospectId: number;
	beforeEach(() => {
		prospectId = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'buyer@example.com', lastActivityAt: at(0) } }).id;
	});
	const deal = { name: 'Deal', value: 1200.5, probability: 40 };

	it('create by prospect_id or prospect_email (several: the latest activity); read, update, delete, undelete', async () => {
		const byId = await call('opportunity', 'create', [['prospect_id', prospectId]], { ...deal, status: 'Open', stage: 'Qualify' });
		expect(failure(byId)).toEqual([200, 0]);
		expect(byId.json.opportunity).toMatchObject({ name: 'Deal', value: 1200.5, probability: 40, status: 'open', stage: 'Qualify', created_at: NOW_LOCAL });
		expect(byId.json.opportunity.prospects.prospect.id).toBe(prospectId);
		const later = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'buyer@example.com', lastActivityAt: at(9_000) } });
		const byEmail = await call('opportunity', 'create', [['prospect_email', 'buyer@example.com']], deal);
		expect(byEmail.json.opportunity.prospects.prospect.id).toBe(later.id);
		const id = byId.json.opportunity.id;
		expect((await call('opportunity', 'read', [['id', id]])).json.opportunity.id).toBe(id);
		expect((await call('opportunity', 'update', [['id', id]], { probability: 90, status: 'won' })).json.opportunity).toMatchObject({ probability: 90, status: 'won' });
		expect((await call('opportunity', 'delete', [['id', id]], {}, { method: 'POST' })).status).toBe(204);
		expect(failure(await call('opportunity', 'read', [['id', id]]))).toEqual([200, 35]);
		expect(records('opportunity', true).map((r) => r.id)).toEqual([id]);
		expect((await call('opportunity', 'undelete', [['id', id]])).status).toBe(204);
		expect(records('opportunity', true)).toEqual([]);
		expect(failure(await call('opportunity', 'read', [['id', 4242]]))).toEqual([200, 35]);
	});

	it('validations: required fields (13, 36), probability (40), value (42), status (51), prospects (3, 4, 44)', async () => {
		expect(failure(await call('opportunity', 'create', [], deal))).toEqual([200, 13]);
		expect(failure(await call('opportunity', 'create', [['prospect_id', prospectId]], { name: 'x', value: 1 }))).toEqual([200, 13]);
		expect(failure(await call('opportunity', 'create', [['prospect_id', prospectId]], { ...deal, name: '' }))).toEqual([200, 36]);
		expect(failure(await call('opportunity', 'create', [['prospect_id', prospectId]], { ...deal, probability: 101 }))).toEqual([200, 40]);
		expect(failure(await call('opportunity', 'create', [['prospect_id', prospectId]], { ...deal, probability: 'likely' }))).toEqual([200, 40]);
		expect(failure(await call('opportunity', 'create', [['prospect_id', prospectId]], { ...deal, value: -3 }))).toEqual([200, 42]);
		expect(failure(await call('opportunity', 'create', [['prospect_id', prospectId]], { ...deal, status: 'maybe' }))).toEqual([200, 51]);
		expect(failure(await call('opportunity', 'create', [['prospect_id', 999]], deal))).toEqual([200, 3]);
		expect(failure(await call('opportunity', 'create', [['prospect_email', 'nobody@example.com']], deal))).toEqual([200, 4]);
		const other = sim.control.create({ type: 'prospect', fields: { email: 'other@example.com' } });
		expect(failure(await call('opportunity', 'create', [['prospect_id', other.id]], { ...deal, prospect_email: 'buyer@example.com' }))).toEqual([200, 44]);
		sim.control.configure({ legacyOpportunityRequiresCampaign: true });
		expect(failure(await call('opportunity', 'create', [['prospect_id', prospectId]], deal))).toEqual([200, 13]);
		expect(failure(await call('opportunity', 'create', [['prospect_id', prospectId]], { ...deal, campaign_id: 3 }))).toEqual([200, 0]);
		expect(records('opportunity')).toHaveLength(1);
	});

	it('with a Salesforce connector opportunities are read-only (37)', async () => {
		const made = await call('opportunity', 'create', [['prospect_id', prospectId]], deal);
		sim.control.configure({ salesforceConnector: true });
		expect(failure(await call('opportunity', 'create', [['prospect_id', prospectId]], deal))).toEqual([200, 37]);
		expect(failure(await call('opportunity', 'update', [['id', made.json.opportunity.id]], { name: 'x' }))).toEqual([200, 37]);
		expect(failure(await call('opportunity', 'delete', [['id', made.json.opportunity.id]], {}, { method: 'POST' }))).toEqual([200, 37]);
		expect(failure(await call('opportunity', 'read', [['id', made.json.opportunity.id]]))).toEqual([200, 0]);
	});
});

describe('list memberships', () => {
	let list: number;
	let prospectId: number;
	beforeEach(() => {
		const seeded = sim.control.seed({ lists: 1, prospects: 1, at: at(0) });
		[list] = seeded.listIds;
		[prospectId] = seeded.prospectIds;
	});
	const pair = (): Ids => [
		['list_id', list],
		['prospect_id', prospectId],
	];

	it('create (opted_out), again 58; read and update by id or pair; delete to the bin; a re-create restores it', async () => {
		const made = await call('listMembership', 'create', pair(), { opted_out: 1 });
		expect(made.json.list_membership).toEqual({
			id: expect.any(Number),
			list_id: list,
			prospect_id: prospectId,
			opted_out: true,
			created_at: NOW_LOCAL,
			updated_at: NOW_LOCAL,
		});
		const id = made.json.list_membership.id;
		expect(failure(await call('listMembership', 'create', pair()))).toEqual([200, 58]);
		expect((await call('listMembership', 'read', [['id', id]])).json.list_membership.id).toBe(id);
		expect((await call('listMembership', 'read', pair())).json.list_membership.id).toBe(id);
		// Opting back in is ignored (pardot/api-docs#125), unless membershipOptIn says applied.
		expect((await call('listMembership', 'update', pair(), { opted_out: 0 })).json.list_membership.opted_out).toBe(true);
		sim.control.configure({ membershipOptIn: 'applied' });
		expect((await call('listMembership', 'update', [['id', id]], { opted_out: 'false' })).json.list_membership.opted_out).toBe(false);
		expect((await call('listMembership', 'delete', pair(), {}, { method: 'POST' })).status).toBe(204);
		const bin = await legacyQuery(sim, key, 'listMembership', { deleted: 'true' });
		expect(legacyRecords(bin.json, 'list_membership').map((m: any) => m.id)).toEqual([id]);
		expect(failure(await call('listMembership', 'read', [['id', id]]))).toEqual([200, 16]);
		sim.control.clock({ advanceMs: 1_000 });
		const back = await call('listMembership', 'create', pair());
		expect(back.json.list_membership).toMatchObject({ id, updated_at: '2026-11-27 13:00:01' });
	});

	it('validations: list (55), prospect (3), pair required (13), membership (16), opted_out (50)', async () => {
		expect(failure(await call('listMembership', 'create', [['list_id', 999], ['prospect_id', prospectId]]))).toEqual([200, 55]);
		expect(failure(await call('listMembership', 'create', [['list_id', list], ['prospect_id', 999]]))).toEqual([200, 3]);
		expect(failure(await call('listMembership', 'create', [['list_id', list]]))).toEqual([200, 13]);
		expect(failure(await call('listMembership', 'create', pair(), { opted_out: 'maybe' }))).toEqual([200, 50]);
		expect(failure(await call('listMembership', 'update', [['id', 123]], { opted_out: 1 }))).toEqual([200, 16]);
		expect(failure(await call('listMembership', 'read', pair()))).toEqual([200, 16]);
	});
});

describe('lists', () => {
	it('create (name required), read, update, delete (POST or DELETE); a deleted list is gone from v3/v4', async () => {
		expect(failure(await call('list', 'create', [], { title: 'No name' }))).toEqual([200, 13]);
		const made = await call('list', 'create', [], { name: 'Newsletter', title: 'News', is_public: 'true', is_dynamic: 'true' });
		expect(made.json.list).toMatchObject({ name: 'Newsletter', title: 'News', is_public: true, is_dynamic: null, created_at: NOW_LOCAL });
		const id = made.json.list.id;
		expect((await call('list', 'update', [['id', id]], { description: 'Weekly' })).json.list.description).toBe('Weekly');
		expect((await call('list', 'read', [['id', id]])).json.list.description).toBe('Weekly');
		expect(failure(await call('list', 'delete', [['id', id]]))).toEqual([200, 60]);
		expect((await call('list', 'delete', [['id', id]], {}, { method: 'DELETE' })).status).toBe(204);
		expect(failure(await call('list', 'read', [['id', id]]))).toEqual([200, 55]);
		expect(legacyRecords((await legacyQuery(sim, key, 'list')).json, 'list')).toEqual([]);
	});
});

describe('writes are API calls like reads', () => {
	it('stats and the log name them <object>.<action>; the daily limit counts them', async () => {
		sim.control.resetStats();
		const made = await call('prospect', 'create', [['email', 's@example.com']]);
		await call('prospect', 'read', [['id', made.json.prospect.id]]);
		await call('prospect', 'upsert', [['id', made.json.prospect.id]]);
		await call('prospect', 'delete', [['id', made.json.prospect.id]], {}, { method: 'POST' });
		expect(sim.control.stats().byEndpoint).toMatchObject({ 'prospect.create': 1, 'prospect.read': 1, 'prospect.upsert': 1, 'prospect.delete': 1, 'prospect.query': 0 });
		expect(sim.control.requests().map((r) => [r.endpoint, r.status])).toEqual([
			['prospect.create', 200],
			['prospect.read', 200],
			['prospect.upsert', 200],
			['prospect.delete', 204],
		]);
		sim.control.configure({ dailyApiLimit: 1 });
		expect(failure(await call('list', 'create', [], { name: 'L' }))).toEqual([200, 0]);
		expect(failure(await call('list', 'create', [], { name: 'M' }))).toEqual([200, 122]);
		expect(records('list').map((l) => l.name)).toEqual(['L']);
	});

	it('an unknown action is error 2', async () => {
		expect(failure(await call('prospect', 'unassign', [['id', 1]]))).toEqual([200, 2]);
		expect(failure(await call('visitorActivity', 'create'))).toEqual([200, 2]);
	});
});
