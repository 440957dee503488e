import type { SimulatorHandle } from '../../simulator';
import { at, enc, simulatorForFile, v5 } from '../lib/simulator';
import { v5Call } from './write-helpers';

let sim: SimulatorHandle;
let token: string;
/** Every test starts with the clock frozen at START + 1 h. */
const NOW = at(3_600_000);
const later = (ms: number) => at(3_600_000 + ms);

const env = simulatorForFile({ frozenAt: NOW, login: 'accessToken' });
beforeEach(() => ({ sim, credential: token } = env.current()));

const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => v5Call(sim, token, method, path, body, headers);
const error = (res: { status: number; json: any }) => [res.status, res.json?.code];
const prospect = (id: number) => sim.control.records({ type: 'prospect' }).find((r) => r.id === id)!;

describe('prospects: create', () => {
	it('201 with the id, a Location to read it, and a record created now that the query sees', async () => {
		const res = await call('POST', 'objects/prospects', { email: 'ada@example.com', firstName: 'Ada', score: 12 });
		expect(res.status).toBe(201);
		expect(res.json).toEqual({ id: expect.any(Number) });
		const id = res.json.id as number;
		expect(res.headers.get('location')).toBe(`${sim.baseUrl}/api/v5/objects/prospects/${id}?fields=id`);
		expect(prospect(id)).toMatchObject({ email: 'ada@example.com', firstName: 'Ada', score: 12, createdAt: NOW, updatedAt: NOW, deleted: false });
		expect(sim.control.history({ type: 'prospect', id })).toEqual([{ writtenAt: NOW, record: expect.objectContaining({ id }) }]);
		const query = await v5(sim, token, 'prospects', 'fields=id,email,createdAt');
		expect(query.json.values).toEqual([{ id, email: 'ada@example.com', createdAt: '2026-11-27T13:00:00+00:00' }]);
		// The Location answers the same fields.
		expect((await call('GET', `objects/prospects/${id}?fields=id`)).json).toEqual({ id });
	});

	it('fields= chooses the answer', async () => {
		const res = await call('POST', `objects/prospects?fields=${enc('id,email,createdAt,isDeleted')}`, { email: 'b@example.com' });
		expect(res.json).toEqual({ id: expect.any(Number), email: 'b@example.com', createdAt: '2026-11-27T13:00:00+00:00', isDeleted: false });
		expect(error(await call('POST', 'objects/prospects?fields=nope', { email: 'c@example.com' }))).toEqual([400, 51]);
		expect(error(await call('POST', 'objects/prospects?limit=3', { email: 'c@example.com' }))).toEqual([400, 51]);
	});

	it('validations: email required and valid, v5 names of editable fields only, typed values', async () => {
		expect(error(await call('POST', 'objects/prospects', { firstName: 'No email' }))).toEqual([400, 153]);
		expect(error(await call('POST', 'objects/prospects', { email: 'not-an-address' }))).toEqual([400, 4]);
		expect(error(await call('POST', 'objects/prospects', { email: 'a b@example.com' }))).toEqual([400, 4]);
		for (const readOnly of ['id', 'createdAt', 'updatedAt', 'isDeleted', 'grade', 'lastActivityAt', 'salesforceLeadId']) {
			const res = await call('POST', 'objects/prospects', { email: 'x@example.com', [readOnly]: readOnly === 'id' ? 5 : 'x' });
			expect([readOnly, ...error(res)]).toEqual([readOnly, 400, 180]);
			expect(res.json.message).toContain(`${readOnly} is read-only`);
		}
		const unknown = await call('POST', 'objects/prospects', { email: 'x@example.com', first_name: 'v3 name' });
		expect(error(unknown)).toEqual([400, 180]);
		expect(unknown.json.message).toContain('first_name is not a field of prospects');
		expect(error(await call('POST', 'objects/prospects', { email: 'x@example.com', score: '12' }))).toEqual([400, 154]);
		expect(error(await call('POST', 'objects/prospects', { email: 'x@example.com', firstName: 3 }))).toEqual([400, 154]);
		expect(sim.control.records({ type: 'prospect' })).toEqual([]);
	});

	it('the body must be a JSON object sent as application/json (150, 151, 152)', async () => {
		expect(error(await call('POST', 'objects/prospects', '{"email":', { 'Content-Type': 'application/json' }))).toEqual([400, 150]);
		expect(error(await call('POST', 'objects/prospects', '[1]'))).toEqual([400, 150]);
		expect(error(await call('POST', 'objects/prospects', 'email=a@example.com', { 'Content-Type': 'application/x-www-form-urlencoded' }))).toEqual([400, 151]);
		expect(error(await call('POST', 'objects/prospects'))).toEqual([400, 152]);
	});

	it('the same email twice: allowed with AMPSEA (a v4 account), 9 without', async () => {
		expect((await call('POST', 'objects/prospects', { email: 'twin@example.com' })).status).toBe(201);
		expect((await call('POST', 'objects/prospects', { email: 'TWIN@example.com' })).status).toBe(201);
		sim.control.configure({ ampsea: false });
		expect(error(await call('POST', 'objects/prospects', { email: 'twin@example.com' }))).toEqual([400, 9]);
		// A v3 account is not AMPSEA unless ampsea says so.
		sim.control.configure({ ampsea: null, accountVersion: 3 });
		expect(error(await call('POST', 'objects/prospects', { email: 'twin@example.com' }))).toEqual([400, 9]);
		sim.control.configure({ ampsea: true });
		expect((await call('POST', 'objects/prospects', { email: 'twin@example.com' })).status).toBe(201);
		// Only live prospects hold an email.
		sim.control.configure({ ampsea: false });
		const [a] = sim.control.seed({ prospects: 1 }).prospectIds;
		const email = prospect(a).email as string;
		sim.control.delete({ type: 'prospect', id: a });
		expect((await call('POST', 'objects/prospects', { email })).status).toBe(201);
	});
});

describe('prospects: read one', () => {
	it('fields required; 404 (192) when unknown; a deleted one is 404 with Pardot-Warning 201 unless deleted=true', async () => {
		const { id } = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'r@example.com', firstName: 'R' } });
		expect((await call('GET', `objects/prospects/${id}?fields=id,email,firstName,updatedAt`)).json).toEqual({
			id,
			email: 'r@example.com',
			firstName: 'R',
			updatedAt: '2026-11-27T12:00:00+00:00',
		});
		expect(error(await call('GET', `objects/prospects/${id}`))).toEqual([400, 13]);
		expect(error(await call('GET', `objects/prospects/${id}?fields=id&limit=2`))).toEqual([400, 51]);
		const unknown = await call('GET', 'objects/prospects/999?fields=id');
		expect(error(unknown)).toEqual([404, 192]);
		expect(unknown.headers.get('pardot-warning')).toBeNull();
		sim.control.delete({ type: 'prospect', id });
		const deleted = await call('GET', `objects/prospects/${id}?fields=id`);
		expect(error(deleted)).toEqual([404, 192]);
		expect(deleted.headers.get('pardot-warning')).toBe('201;Record In Recycle Bin');
		expect((await call('GET', `objects/prospects/${id}?fields=id,isDeleted&deleted=true`)).json).toEqual({ id, isDeleted: true });
		expect(error(await call('GET', `objects/prospects/${id}?fields=id&deleted=all`))).toEqual([400, 51]);
	});

	it('Last-Modified is updatedAt; If-Modified-Since at or after it is 304', async () => {
		const { id } = sim.control.create({ type: 'prospect', at: '2026-11-27T12:00:00.700Z', fields: { email: 'm@example.com' } });
		const res = await call('GET', `objects/prospects/${id}?fields=id`);
		expect(res.headers.get('last-modified')).toBe('Fri, 27 Nov 2026 12:00:00 GMT');
		const same = await call('GET', `objects/prospects/${id}?fields=id`, undefined, { 'If-Modified-Since': 'Fri, 27 Nov 2026 12:00:00 GMT' });
		expect(same.status).toBe(304);
		expect(same.text).toBe('');
		sim.control.update({ type: 'prospect', id, at: at(1_000), fields: { firstName: 'Moved' } });
		const changed = await call('GET', `objects/prospects/${id}?fields=firstName`, undefined, { 'If-Modified-Since': 'Fri, 27 Nov 2026 12:00:00 GMT' });
		expect([changed.status, changed.json]).toEqual([200, { firstName: 'Moved' }]);
	});

	it('reads lag writes as queries do (v5ReadLagMs): a record just created is 404 for a while', async () => {
		sim.control.configure({ v5ReadLagMs: 60_000 });
		const created = await call('POST', 'objects/prospects', { email: 'lag@example.com' });
		expect(created.status).toBe(201);
		expect(error(await call('GET', `objects/prospects/${created.json.id}?fields=id`))).toEqual([404, 192]);
		sim.control.clock({ advanceMs: 60_000 });
		expect((await call('GET', `objects/prospects/${created.json.id}?fields=id`)).status).toBe(200);
	});

	it('every object can be read by id; visitor activities have no recycle bin (deleted is 400)', async () => {
		const seeded = sim.control.seed({ campaigns: 1, lists: 1, prospects: 1, opportunities: 1, visitors: 1, listMemberships: 1, visitorActivities: 1, at: at(0) });
		const reads: Array<[string, number]> = [
			['opportunities', seeded.opportunityIds[0]],
			['visitor-activities', seeded.visitorActivityIds[0]],
			['list-memberships', seeded.listMembershipIds[0]],
			['lists', seeded.listIds[0]],
			['campaigns', seeded.campaignIds[0]],
			['visitors', seeded.visitorIds[0]],
		];
		for (const [object, id] of reads) {
			const res = await call('GET', `objects/${object}/${id}?fields=id,createdAt`);
			expect([object, res.status, res.json]).toEqual([object, 200, { id, createdAt: '2026-11-27T12:00:00+00:00' }]);
		}
		expect(error(await call('GET', `objects/visitor-activities/${seeded.visitorActivityIds[0]}?fields=id&deleted=true`))).toEqual([400, 51]);
	});
});

describe('prospects: update', () => {
	it('PATCH changes the given fields only and bumps updatedAt; 204 without fields, 200 with them', async () => {
		const { id } = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'u@example.com', firstName: 'U', company: 'Acme' } });
		const quiet = await call('PATCH', `objects/prospects/${id}`, { company: 'Globex' });
		expect([quiet.status, quiet.text]).toEqual([204, '']);
		expect(prospect(id)).toMatchObject({ firstName: 'U', company: 'Globex', createdAt: at(0), updatedAt: NOW });
		sim.control.clock({ advanceMs: 5_000 });
		const loud = await call('PATCH', `objects/prospects/${id}?fields=id,company,jobTitle,updatedAt`, { jobTitle: 'CTO', company: null });
		expect([loud.status, loud.json]).toEqual([200, { id, company: null, jobTitle: 'CTO', updatedAt: '2026-11-27T13:00:05+00:00' }]);
		// The trigger's query sees the change at its new updatedAt.
		const changed = await v5(sim, token, 'prospects', `fields=id&updatedAtAfter=${enc('2026-11-27T13:00:00+00:00')}`);
		expect(changed.json.values).toEqual([{ id }]);
		expect(sim.control.history({ type: 'prospect', id }).map((v) => v.writtenAt)).toEqual([at(0), NOW, later(5_000)]);
	});

	it('404 (192) when unknown; 404 (219, Pardot-Warning) in the recycle bin; read-only fields 180; a used email 54 without AMPSEA', async () => {
		expect(error(await call('PATCH', 'objects/prospects/42', { firstName: 'x' }))).toEqual([404, 192]);
		const [a, b] = sim.control.seed({ prospects: 2, at: at(0) }).prospectIds;
		expect(error(await call('PATCH', `objects/prospects/${a}`, { updatedAt: NOW }))).toEqual([400, 180]);
		expect(error(await call('PATCH', `objects/prospects/${a}`, { email: 'broken' }))).toEqual([400, 4]);
		expect(error(await call('PATCH', `objects/prospects/${a}`))).toEqual([400, 152]);
		sim.control.configure({ ampsea: false });
		expect(error(await call('PATCH', `objects/prospects/${a}`, { email: prospect(b).email }))).toEqual([400, 54]);
		// Its own address, another case: not a change of owner.
		expect((await call('PATCH', `objects/prospects/${a}`, { email: String(prospect(a).email).toUpperCase() })).status).toBe(204);
		sim.control.delete({ type: 'prospect', id: b });
		const deleted = await call('PATCH', `objects/prospects/${b}`, { firstName: 'x' });
		expect(error(deleted)).toEqual([404, 219]);
		expect(deleted.headers.get('pardot-warning')).toBe('201;Record In Recycle Bin');
	});
});

describe('prospects: delete', () => {
	it('DELETE moves it to the recycle bin (204); again is 404 with the warning', async () => {
		const { id } = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'd@example.com' } });
		const res = await call('DELETE', `objects/prospects/${id}`);
		expect([res.status, res.text]).toEqual([204, '']);
		expect(prospect(id)).toMatchObject({ deleted: true, updatedAt: NOW });
		expect((await v5(sim, token, 'prospects', 'fields=id,isDeleted&deleted=true')).json.values).toEqual([{ id, isDeleted: true }]);
		const again = await call('DELETE', `objects/prospects/${id}`);
		expect(error(again)).toEqual([404, 192]);
		expect(again.headers.get('pardot-warning')).toBe('201;Record In Recycle Bin');
		expect(error(await call('DELETE', 'objects/prospects/77'))).toEqual([404, 192]);
	});

	it('deleteBumpsUpdatedAt false: the delete keeps updatedAt', async () => {
		sim.control.configure({ deleteBumpsUpdatedAt: false });
		const { id } = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'd@example.com' } });
		await call('DELETE', `objects/prospects/${id}`);
		expect(prospect(id)).toMatchObject({ deleted: true, updatedAt: at(0) });
	});
});

describe('prospects: upsertLatestByEmail', () => {
	const upsert = (body: unknown, query = '') => call('POST', `objects/prospects/do/upsertLatestByEmail${query}`, body);

	it('creates when no prospect has the email (201, Location; email from matchEmail)', async () => {
		const res = await upsert({ matchEmail: 'new@example.com', prospect: { firstName: 'New' }, fields: ['id', 'email', 'firstName', 'createdAt'] });
		expect(res.status).toBe(201);
		expect(res.json).toEqual({ id: expect.any(Number), email: 'new@example.com', firstName: 'New', createdAt: '2026-11-27T13:00:00+00:00' });
		expect(res.headers.get('location')).toContain(`/api/v5/objects/prospects/${res.json.id}?fields=`);
		expect(prospect(res.json.id)).toMatchObject({ createdAt: NOW, updatedAt: NOW });
	});

	it('updates the live prospect with that email (200), the latest activity first when several share it', async () => {
		const a = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'shared@example.com', lastActivityAt: at(5_000) } });
		const b = sim.control.create({ type: 'prospect', at: at(1_000), fields: { email: 'Shared@example.com', lastActivityAt: at(1_000) } });
		const res = await upsert({ matchEmail: 'shared@example.com', prospect: { jobTitle: 'Boss' }, fields: 'id,jobTitle' });
		expect([res.status, res.json]).toEqual([200, { id: a.id, jobTitle: 'Boss' }]);
		expect(prospect(a.id)).toMatchObject({ jobTitle: 'Boss', updatedAt: NOW });
		expect(prospect(b.id).jobTitle).toBeNull();
		// v5UpsertMatch latestUpdated: the one saved last (a, just now).
		sim.control.update({ type: 'prospect', id: b.id, at: later(1), fields: { city: 'Oslo' } });
		sim.control.configure({ v5UpsertMatch: 'latestUpdated' });
		expect((await upsert({ matchEmail: 'shared@example.com', prospect: { city: 'Rome' } })).json).toEqual({ id: b.id });
		// The query's fields when the body has none; the status always 201 with v5UpsertStatus.
		sim.control.configure({ v5UpsertStatus: 'always201' });
		const answer = await upsert({ matchEmail: 'shared@example.com', prospect: {} }, '?fields=id,city');
		expect([answer.status, answer.json]).toEqual([201, { id: b.id, city: 'Rome' }]);
	});

	it('a prospect in the recycle bin: restored without AMPSEA or with secondaryDeletedSearch, else a new one', async () => {
		const gone = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'gone@example.com' } });
		sim.control.delete({ type: 'prospect', id: gone.id, at: at(1_000) });
		const fresh = await upsert({ matchEmail: 'gone@example.com', prospect: {}, secondaryDeletedSearch: false });
		expect(fresh.status).toBe(201);
		expect(fresh.json.id).not.toBe(gone.id);
		sim.control.delete({ type: 'prospect', id: fresh.json.id });
		const back = await upsert({ matchEmail: 'gone@example.com', prospect: { firstName: 'Back' }, secondaryDeletedSearch: true, fields: ['id', 'isDeleted'] });
		expect([back.status, back.json.isDeleted]).toEqual([200, false]);
		// The one of the two with the latest activity (neither was active: the one saved last).
		expect(back.json.id).toBe(fresh.json.id);
		sim.control.configure({ ampsea: false });
		sim.control.delete({ type: 'prospect', id: fresh.json.id });
		sim.control.clock({ advanceMs: 1_000 });
		const restored = await upsert({ matchEmail: 'gone@example.com', prospect: {} });
		expect([restored.status, restored.json]).toEqual([200, { id: fresh.json.id }]);
		expect(prospect(fresh.json.id)).toMatchObject({ deleted: false, firstName: 'Back' });
	});

	it('validations', async () => {
		expect(error(await upsert({ prospect: {} }))).toEqual([400, 153]);
		expect(error(await upsert({ matchEmail: 'x@example.com' }))).toEqual([400, 153]);
		expect(error(await upsert({ matchEmail: 'nope', prospect: {} }))).toEqual([400, 4]);
		expect(error(await upsert({ matchEmail: 'x@example.com', prospect: { email: 'nope' } }))).toEqual([400, 4]);
		expect(error(await upsert({ matchEmail: 'x@example.com', prospect: [] }))).toEqual([400, 154]);
		expect(error(await upsert({ matchEmail: 'x@example.com', prospect: {}, extra: 1 }))).toEqual([400, 154]);
		expect(error(await upsert({ matchEmail: 'x@example.com', prospect: { id: 3 } }))).toEqual([400, 180]);
		expect(error(await upsert({ matchEmail: 'x@example.com', prospect: {}, secondaryDeletedSearch: 'yes' }))).toEqual([400, 154]);
		expect(error(await upsert({ matchEmail: 'x@example.com', prospect: {}, fields: ['id', 'nope'] }))).toEqual([400, 51]);
		expect(error(await call('GET', 'objects/prospects/do/upsertLatestByEmail'))).toEqual([405, 60]);
		// Without AMPSEA, changing the matched prospect's email to one in use is 54.
		sim.control.configure({ ampsea: false });
		sim.control.create({ type: 'prospect', fields: { email: 'one@example.com' } });
		sim.control.create({ type: 'prospect', fields: { email: 'two@example.com' } });
		expect(error(await upsert({ matchEmail: 'one@example.com', prospect: { email: 'two@example.com' } }))).toEqual([400, 54]);
		expect(error(await upsert({ matchEmail: 'three@example.com', prospect: { email: 'two@example.com' } }))).toEqual([400, 9]);
		expect(sim.control.records({ type: 'prospect' })).toHaveLength(2);
	});
});

describe('objects v5 does not write', () => {
	it('opportunities, visitor activities, campaigns, visitors: 405 (60) for POST, PATCH, DELETE', async () => {
		const [opp] = sim.control.seed({ prospects: 1, opportunities: 1 }).opportunityIds;
		expect(error(await call('POST', 'objects/opportunities', { name: 'Deal' }))).toEqual([405, 60]);
		expect(error(await call('PATCH', `objects/opportunities/${opp}`, { name: 'Deal' }))).toEqual([405, 60]);
		expect(error(await call('DELETE', `objects/opportunities/${opp}`))).toEqual([405, 60]);
		expect(error(await call('POST', 'objects/visitor-activities', { type: 4 }))).toEqual([405, 60]);
		expect(error(await call('DELETE', 'objects/campaigns/1'))).toEqual([405, 60]);
		expect(error(await call('PUT', 'objects/prospects/1', { firstName: 'x' }))).toEqual([405, 60]);
		expect(sim.control.stats().byEndpoint).toMatchObject({ 'v5.opportunities': 1, 'v5.opportunities.read': 2, 'v5.visitor-activities': 1 });
	});
});

describe('list memberships', () => {
	let list: number;
	let person: number;
	beforeEach(() => {
		const seeded = sim.control.seed({ lists: 2, prospects: 2, at: at(0) });
		[list] = seeded.listIds;
		[person] = seeded.prospectIds;
	});

	it('create (201), a second time 58; read; update optedOut; delete to the bin; a re-add restores the same membership', async () => {
		const created = await call('POST', 'objects/list-memberships?fields=id,listId,prospectId,optedOut,createdAt', { listId: list, prospectId: person });
		expect(created.status).toBe(201);
		const id = created.json.id as number;
		expect(created.json).toEqual({ id, listId: list, prospectId: person, optedOut: false, createdAt: '2026-11-27T13:00:00+00:00' });
		expect(error(await call('POST', 'objects/list-memberships', { listId: list, prospectId: person }))).toEqual([400, 58]);
		expect((await call('PATCH', `objects/list-memberships/${id}?fields=optedOut`, { optedOut: true })).json).toEqual({ optedOut: true });
		expect((await call('GET', `objects/list-memberships/${id}?fields=id,optedOut`)).json).toEqual({ id, optedOut: true });
		expect((await call('DELETE', `objects/list-memberships/${id}`)).status).toBe(204);
		expect((await v5(sim, token, 'list-memberships', 'fields=id,isDeleted&deleted=true')).json.values).toEqual([{ id, isDeleted: true }]);
		sim.control.clock({ advanceMs: 1_000 });
		const again = await call('POST', 'objects/list-memberships?fields=id,isDeleted,optedOut,updatedAt', { listId: list, prospectId: person, optedOut: true });
		expect([again.status, again.json]).toEqual([201, { id, isDeleted: false, optedOut: true, updatedAt: '2026-11-27T13:00:01+00:00' }]);
	});

	it('validations: listId and prospectId required, of a live list and prospect; both fixed once created', async () => {
		expect(error(await call('POST', 'objects/list-memberships', { listId: list }))).toEqual([400, 153]);
		expect(error(await call('POST', 'objects/list-memberships', { listId: 999, prospectId: person }))).toEqual([400, 55]);
		expect(error(await call('POST', 'objects/list-memberships', { listId: list, prospectId: 999 }))).toEqual([400, 3]);
		expect(error(await call('POST', 'objects/list-memberships', { listId: list, prospectId: person, isDeleted: false }))).toEqual([400, 180]);
		sim.control.delete({ type: 'list', id: list });
		expect(error(await call('POST', 'objects/list-memberships', { listId: list, prospectId: person }))).toEqual([400, 55]);
		const other = sim.control.seed({ lists: 1 }).listIds[0];
		const { json } = await call('POST', 'objects/list-memberships', { listId: other, prospectId: person });
		expect(error(await call('PATCH', `objects/list-memberships/${json.id}`, { listId: list }))).toEqual([400, 180]);
	});

	it('opting a member back in is ignored (pardot/api-docs#125) unless membershipOptIn is applied', async () => {
		const { json } = await call('POST', 'objects/list-memberships', { listId: list, prospectId: person, optedOut: true });
		expect((await call('PATCH', `objects/list-memberships/${json.id}?fields=optedOut`, { optedOut: false })).json).toEqual({ optedOut: true });
		sim.control.configure({ membershipOptIn: 'applied' });
		expect((await call('PATCH', `objects/list-memberships/${json.id}?fields=optedOut`, { optedOut: false })).json).toEqual({ optedOut: false });
	});
});

describe('lists', () => {
	it('create (name required), read, update, delete', async () => {
		expect(error(await call('POST', 'objects/lists', { title: 'No name' }))).toEqual([400, 153]);
		expect(error(await call('POST', 'objects/lists', { name: ' ' }))).toEqual([400, 154]);
		expect(error(await call('POST', 'objects/lists', { name: 'Dyn', isDynamic: true }))).toEqual([400, 180]);
		expect(error(await call('POST', 'objects/lists', { name: 'Crm', isCrmVisible: true }))).toEqual([400, 180]);
		const created = await call('POST', 'objects/lists?fields=id,name,isPublic,isDynamic', { name: 'Newsletter', isPublic: true, title: 'News' });
		expect([created.status, created.json]).toEqual([201, { id: expect.any(Number), name: 'Newsletter', isPublic: true, isDynamic: null }]);
		const id = created.json.id as number;
		expect((await call('PATCH', `objects/lists/${id}?fields=title`, { title: 'Weekly news' })).json).toEqual({ title: 'Weekly news' });
		expect((await call('GET', `objects/lists/${id}?fields=id,name,title`)).json).toEqual({ id, name: 'Newsletter', title: 'Weekly news' });
		expect((await call('DELETE', `objects/lists/${id}`)).status).toBe(204);
		expect(sim.control.records({ type: 'list', deleted: true }).map((r) => r.id)).toEqual([id]);
	});
});

describe('writes are API calls like reads', () => {
	it('stats and the request log name them; they count against the daily limit (122)', async () => {
		sim.control.resetStats();
		const { json } = await call('POST', 'objects/prospects', { email: 'count@example.com' });
		await call('PATCH', `objects/prospects/${json.id}`, { firstName: 'C' });
		await call('GET', `objects/prospects/${json.id}?fields=id`);
		await call('POST', 'objects/prospects/do/upsertLatestByEmail', { matchEmail: 'count@example.com', prospect: {} });
		await call('DELETE', `objects/prospects/${json.id}`);
		expect(sim.control.stats()).toMatchObject({
			total: 5,
			byEndpoint: {
				'v5.prospects.create': 1,
				'v5.prospects.update': 1,
				'v5.prospects.read': 1,
				'v5.prospects.upsertLatestByEmail': 1,
				'v5.prospects.delete': 1,
				'v5.prospects': 0,
			},
		});
		expect(sim.control.requests().map((r) => [r.endpoint, r.method, r.status])).toEqual([
			['v5.prospects.create', 'POST', 201],
			['v5.prospects.update', 'PATCH', 204],
			['v5.prospects.read', 'GET', 200],
			['v5.prospects.upsertLatestByEmail', 'POST', 200],
			['v5.prospects.delete', 'DELETE', 204],
		]);
		sim.control.configure({ dailyApiLimit: 2 });
		expect((await call('POST', 'objects/prospects', { email: 'l1@example.com' })).status).toBe(201);
		expect((await call('GET', 'objects/prospects/1?fields=id')).status).toBe(404);
		const refused = await call('POST', 'objects/prospects', { email: 'l2@example.com' });
		expect(error(refused)).toEqual([400, 122]);
		expect(sim.control.records({ type: 'prospect' }).map((r) => r.email)).toEqual(['count@example.com', 'l1@example.com']);
	});

	it('the sixth concurrent request is 66, writes included', async () => {
		sim.control.configure({ latencyMs: 300 });
		const writes = Array.from({ length: 6 }, (_, i) => call('POST', 'objects/prospects', { email: `c${i}@example.com` }));
		const answers = await Promise.all(writes);
		expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 201, 201, 400]);
		expect(answers.find((a) => a.status === 400)!.json.code).toBe(66);
		expect(sim.control.records({ type: 'prospect' })).toHaveLength(5);
	});

	it('faults apply to writes: an error before the handler writes nothing', async () => {
		sim.control.fault({ kind: 'pardotError', code: 66, path: '/objects/prospects' });
		expect(error(await call('POST', 'objects/prospects', { email: 'f@example.com' }))).toEqual([400, 66]);
		expect(sim.control.records({ type: 'prospect' })).toEqual([]);
		sim.control.fault({ kind: 'http', status: 503 });
		expect((await call('POST', 'objects/prospects', { email: 'f@example.com' })).status).toBe(503);
		expect(sim.control.records({ type: 'prospect' })).toEqual([]);
	});
});
