/**
 * Users: read-only, seeded at start and after reset (the default API user first). v5 `objects/users`
 * with the generic fields / orderBy / limit / page tokens, v3/v4 `user/do/query`, and the prospect's
 * assigned user: v5 `assignedToId`, v3/v4 `do/assign` and the nested `assigned_to`.
 */
import { DEFAULT_USER, type SimulatorHandle } from '../../simulator';
import { accessToken, at, legacyQuery, legacyRecords, simulatorForFile, v5, v5All } from '../lib/simulator';
import { legacyCall, v5Call } from './write-helpers';

let sim: SimulatorHandle;
let key: string;
let token: string;

const env = simulatorForFile({ frozenAt: at(3_600_000), login: 'apiKey' });
beforeEach(async () => {
	({ sim, credential: key } = env.current());
	token = await accessToken(sim);
});

const failure = (res: { status: number; json: any }) => [res.status, res.json?.['@attributes']?.err_code ?? 0];

describe('the seeded users', () => {
	it('are there from the start and after reset, the default API user first, read-only', () => {
		const users = sim.control.records({ type: 'user' });
		expect(users.map((u) => u.id)).toEqual([1001, 1002, 1003]);
		expect(users[0]).toMatchObject({ email: DEFAULT_USER.email, firstName: 'Demo', lastName: 'Api' });
		expect(users.every((u) => u.createdAt === '2020-01-01T00:00:00.000Z')).toBe(true);
	});

	it('v5 objects/users: fields, orderBy, limit and page tokens like other objects', async () => {
		const res = await v5(sim, token, 'users', 'fields=id,email,firstName,lastName,username,isDeleted&orderBy=id%20desc&limit=2');
		expect(res.status).toBe(200);
		expect(res.json.values).toEqual([
			{ id: 1003, email: 'sam.ortiz@example.com', firstName: 'Sam', lastName: 'Ortiz', username: 'sam.ortiz@example.com', isDeleted: false },
			{ id: 1002, email: 'avery.lee@example.com', firstName: 'Avery', lastName: 'Lee', username: 'avery.lee@example.com', isDeleted: false },
		]);
		expect(res.json.nextPageToken).toEqual(expect.any(String));
		const all = await v5All(sim, token, 'users', 'fields=id&limit=1');
		expect(all.values.map((u) => u.id)).toEqual([1001, 1002, 1003]);
		expect((await v5(sim, token, 'users', 'fields=id,password')).status).toBe(400);
	});

	it('v3/v4 user/do/query: id, email, first_name, last_name; id paging', async () => {
		const res = await legacyQuery(sim, key, 'user', { sort_by: 'id', sort_order: 'ascending', id_greater_than: 1001, limit: 200 });
		expect(failure(res)).toEqual([200, 0]);
		expect(res.json.result.total_results).toBe(2);
		expect(legacyRecords(res.json, 'user')[0]).toMatchObject({ id: 1002, email: 'avery.lee@example.com', first_name: 'Avery', last_name: 'Lee' });
		expect(failure(await legacyQuery(sim, key, 'user', { name: 'x' }))).toEqual([200, 5]);
	});
});

describe("a prospect's assigned user", () => {
	it('v5: assignedToId on create, update and upsert; an unknown user is 400', async () => {
		const created = await v5Call(sim, token, 'POST', 'objects/prospects?fields=id,assignedToId', { email: 'a@example.com', assignedToId: 1002 });
		expect(created.status).toBe(201);
		expect(created.json).toEqual({ id: expect.any(Number), assignedToId: 1002 });
		const updated = await v5Call(sim, token, 'PATCH', `objects/prospects/${created.json.id}?fields=assignedToId`, { assignedToId: 1003 });
		expect(updated.json.assignedToId).toBe(1003);
		const upserted = await v5Call(sim, token, 'POST', 'objects/prospects/do/upsertLatestByEmail', {
			matchEmail: 'a@example.com',
			prospect: { email: 'a@example.com', assignedToId: 1001 },
			fields: ['id', 'assignedToId'],
		});
		expect(upserted.json).toEqual({ id: created.json.id, assignedToId: 1001 });
		const unknown = await v5Call(sim, token, 'POST', 'objects/prospects?fields=id', { email: 'b@example.com', assignedToId: 999 });
		expect([unknown.status, unknown.json.code]).toEqual([400, 10]);
	});

	it('v3/v4: do/assign by user_id or user_email, rendered as a nested assigned_to; unknown users are 10 and 11', async () => {
		const created = await legacyCall(sim, key, 'prospect', 'create', [['email', 'c@example.com']]);
		const id = created.json.prospect.id;
		expect(created.json.prospect.assigned_to).toBeUndefined();
		const assigned = await legacyCall(sim, key, 'prospect', 'assign', [['id', id]], { user_id: 1002 }, { method: 'POST' });
		expect(failure(assigned)).toEqual([200, 0]);
		expect(assigned.json.prospect.assigned_to).toEqual({
			user: { id: 1002, email: 'avery.lee@example.com', first_name: 'Avery', last_name: 'Lee', job_title: 'Sales Rep', role: 'Sales' },
		});
		const byEmail = await legacyCall(sim, key, 'prospect', 'assign', [['id', id]], { user_email: 'SAM.ORTIZ@example.com' });
		expect(byEmail.json.prospect.assigned_to.user.id).toBe(1003);
		expect(sim.control.records({ type: 'prospect' })[0].assignedToId).toBe(1003);
		expect(failure(await legacyCall(sim, key, 'prospect', 'assign', [['id', id]], { user_id: 999 }))).toEqual([200, 10]);
		expect(failure(await legacyCall(sim, key, 'prospect', 'assign', [['id', id]], { user_email: 'nobody@example.com' }))).toEqual([200, 11]);
		expect(failure(await legacyCall(sim, key, 'prospect', 'assign', [['id', id]]))).toEqual([200, 13]);
	});
});
