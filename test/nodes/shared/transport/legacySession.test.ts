/**
 * Legacy user-key authentication (API v3/v4) over real HTTP: one login whose api_key is reused
 * for its life, sent only in the Authorization header, and exactly one fresh login when Pardot
 * says the key expired (error 1 with HTTP 200, 400 or 401), without any error reaching the caller.
 */
import { pardotRequest } from '../../../../nodes/shared/transport';
import { clearLegacySessions } from '../../../lib/pardot';
import { createLegacySource } from '../../../../nodes/PardotTrigger/transport/legacy';
import { DEFAULT_USER } from '../../../../simulator';
import type { SimulatorHandle } from '../../../../simulator';
import { MINUTE } from '../../../lib/pardot';
import { fast, caught, prospectPath, prospectQuery, rig, simulatorPerSuite } from '../../../lib/transport';
import type { Recorder } from '../../../lib/transport';

const suite = simulatorPerSuite({ recorded: true });
let sim: SimulatorHandle;
let recorder: Recorder;
beforeEach(() => ({ sim, recorder } = suite.current()));

beforeEach(() => {
	sim.control.reset();
	clearLegacySessions();
});

const logins = () => sim.control.stats().byEndpoint.login;
const queries = () => sim.control.stats().byEndpoint['prospect.query'];

describe('login', () => {
	test.each([
		['4', 4],
		['3', 3],
	] as const)('API v%s: one form POST, then the api_key in the Authorization header only', async (version, accountVersion) => {
		sim.control.configure({ accountVersion });
		sim.control.seed({ prospects: 2 });
		const r = rig(version === '4' ? 'legacy-v4' : 'legacy-v3', recorder.baseUrl);
		const conn = await r.connect();
		const response = await pardotRequest(r.ctx, conn, { path: prospectPath(version), query: prospectQuery(version) }, fast());
		expect(response.status).toBe(200);
		expect(response.body['@attributes']).toEqual({ stat: 'ok', version: 1 });
		expect(response.serverTime).toBeGreaterThan(Date.parse('2026-11-27T11:59:00Z'));

		const [login, query] = recorder.requests;
		expect(recorder.requests).toHaveLength(2);
		expect(login.method).toBe('POST');
		expect(login.url).toBe(`/api/login/version/${version}`);
		expect(login.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/);
		expect(Object.fromEntries(new URLSearchParams(login.body))).toEqual({
			email: DEFAULT_USER.email,
			password: DEFAULT_USER.password,
			user_key: DEFAULT_USER.userKey,
			format: 'json',
		});
		const apiKey = JSON.parse(login.answer!).api_key as string;
		expect(apiKey).toMatch(/^[0-9a-f]{32}$/);

		expect(query.url.startsWith(`/api/prospect/version/${version}/do/query?`)).toBe(true);
		expect(query.headers.authorization).toBe(`Pardot api_key=${apiKey}, user_key=${DEFAULT_USER.userKey}`);
		// Pardot refuses credentials in the query string; they must not be there.
		for (const secret of [apiKey, DEFAULT_USER.userKey, DEFAULT_USER.password]) expect(query.url).not.toContain(secret);
		r.close();
	});

	test('a failed login is not cached: fixing the credential works on the next call', async () => {
		const r = rig('legacy-v4', sim.baseUrl, { password: 'wrong-password-1' });
		const conn = await r.connect();
		expect((await caught(pardotRequest(r.ctx, conn, { path: prospectPath('4'), query: prospectQuery('4') }, fast()))).message).toMatch(
			/error 15/,
		);
		r.store.set('pardotApi', { ...r.store.raw('pardotApi')!, password: DEFAULT_USER.password });
		const fixed = await r.connect();
		await expect(pardotRequest(r.ctx, fixed, { path: prospectPath('4'), query: prospectQuery('4') }, fast())).resolves.toMatchObject({
			status: 200,
		});
		expect(logins()).toBe(2);
		r.close();
	});
});

describe('api_key reuse', () => {
	test('40 requests from 4 polls (4 connections), some concurrent, log in once', async () => {
		sim.control.seed({ prospects: 5 });
		for (let poll = 0; poll < 4; poll++) {
			const r = rig('legacy-v4', sim.baseUrl);
			const conn = await r.connect();
			const call = () => pardotRequest(r.ctx, conn, { path: prospectPath('4'), query: prospectQuery('4') }, fast());
			// The first poll starts with 4 requests at once: they share one login in flight.
			await Promise.all([call(), call(), call(), call()]);
			for (let i = 0; i < 6; i++) await call();
			r.close();
		}
		expect(queries()).toBe(40);
		expect(logins()).toBe(1);
	});

	test('different users or versions do not share a key', async () => {
		sim.control.configure({ users: [DEFAULT_USER, { email: 'second@example.com', password: 'second-password', userKey: 'aaaabbbbccccddddeeeeffff00001111' }] });
		const first = rig('legacy-v4', sim.baseUrl);
		const second = rig('legacy-v4', sim.baseUrl, { username: 'second@example.com', password: 'second-password', userKey: 'aaaabbbbccccddddeeeeffff00001111' });
		for (const r of [first, second, first, second]) {
			await pardotRequest(r.ctx, await r.connect(), { path: prospectPath('4'), query: prospectQuery('4') }, fast());
		}
		expect(logins()).toBe(2);
		first.close();
		second.close();
	});
});

describe('api_key renewal, with Pardot giving the same key back while it is valid', () => {
	test('three hours of polls a minute apart: a new login only when the key ends, no request refused', async () => {
		// Pardot's documented behaviour (the simulator's default): a login within the key's 60 minutes
		// returns that same key, whose end does not move.
		expect(sim.control.configure({}).legacyLoginReusesKey).toBe(true);
		sim.control.seed({ prospects: 3 });
		sim.control.clock({ freeze: true });
		const simNow = () => Date.parse(sim.control.clock().now);
		const r = rig('legacy-v4', recorder.baseUrl);
		const conn = await r.connect();
		const options = { ...fast(), now: simNow };
		for (let minute = 0; minute < 180; minute++) {
			await pardotRequest(r.ctx, conn, { path: prospectPath('4'), query: prospectQuery('4') }, options);
			sim.control.clock({ advanceMs: MINUTE });
		}
		const refused = recorder.requests.filter((q) => /"err_code":1\b/.test(q.answer ?? ''));
		expect(refused).toEqual([]);
		const keys = new Set(recorder.requests.filter((q) => q.url.includes('/login/')).map((q) => JSON.parse(q.answer!).api_key));
		// One key per hour of its life: 180 minutes need three.
		expect({ logins: logins(), keys: keys.size }).toEqual({ logins: 3, keys: 3 });
		expect(r.logger.entries.filter((e) => e.level === 'warn' || e.level === 'error')).toEqual([]);
		r.close();
	});
});

describe('api_key expiry', () => {
	test.each([200, 400, 401])('expired key answered with HTTP %i: one re-login, the call succeeds', async (status) => {
		sim.control.configure({ expiredKeyStatus: status });
		sim.control.seed({ prospects: 3 });
		const r = rig('legacy-v4', recorder.baseUrl);
		const conn = await r.connect();
		const call = () => pardotRequest(r.ctx, conn, { path: prospectPath('4'), query: prospectQuery('4') }, fast());
		await call();
		await call();
		sim.control.tokens({ expire: true });
		const after = await call();
		expect(after.status).toBe(200);
		await call();
		expect({ logins: logins(), queries: queries() }).toEqual({ logins: 2, queries: 5 });
		// The refused request really carried the old key and got error 1 with that status.
		const refused = recorder.requests.find((q) => q.status === status && /"err_code":1\b/.test(q.answer ?? ''));
		expect(refused).toBeDefined();
		expect(r.logger.entries.filter((e) => e.level === 'warn' || e.level === 'error')).toEqual([]);
		r.close();
	});

	test.each([200, 400, 401])(
		'key lifetime runs out in the middle of a paged scan (HTTP %i): every record once, one re-login',
		async (status) => {
			sim.control.configure({ expiredKeyStatus: status, apiKeyLifetimeMs: 10 * MINUTE });
			sim.control.clock({ freeze: true });
			sim.control.seed({ prospects: 260, spreadMs: 60 * MINUTE });
			const r = rig('legacy-v4', sim.baseUrl);
			const source = createLegacySource(r.ctx, await r.connect(), {}, fast());
			const seen: string[] = [];
			let pages = 0;
			for await (const page of source.scan({ stream: 'prospects', scope: 'live', from: Date.parse('2026-01-01T00:00:00Z') })) {
				seen.push(...page.records.map((x) => x.id));
				// Simulated time passes between pages: the key dies after the first page.
				if (++pages === 1) sim.control.clock({ advanceMs: 11 * MINUTE });
			}
			expect(seen).toHaveLength(260);
			expect(new Set(seen).size).toBe(260);
			// 2 pages (200, 60) + the one refused page.
			expect({ logins: logins(), queries: queries() }).toEqual({ logins: 2, queries: 3 });
			r.close();
		},
	);

	test('keys expiring again later lead to one login each time, never an error', async () => {
		sim.control.configure({ apiKeyLifetimeMs: 5 * MINUTE });
		sim.control.clock({ freeze: true });
		sim.control.seed({ prospects: 3 });
		const r = rig('legacy-v4', sim.baseUrl);
		const conn = await r.connect();
		for (let round = 0; round < 3; round++) {
			for (let i = 0; i < 3; i++) {
				await pardotRequest(r.ctx, conn, { path: prospectPath('4'), query: prospectQuery('4') }, fast());
				sim.control.clock({ advanceMs: MINUTE });
			}
			sim.control.clock({ advanceMs: 3 * MINUTE });
		}
		// 9 answered calls; rounds 2 and 3 start with one refused request each.
		expect({ logins: logins(), queries: queries() }).toEqual({ logins: 3, queries: 11 });
		r.close();
	});
});
