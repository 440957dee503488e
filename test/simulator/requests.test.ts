/**
 * What the HTTP pipeline does around each request for model tests: the Date header's jitter
 * (dateHeaderJitterMs), the clock moving on per request (clockStepPerRequestMs), the in-process
 * onRequest hook, and the request log (control.requests()).
 */
import { Simulator, type SimRequest, type SimulatorHandle } from '../../simulator';
import {
	accessToken,
	apiKey,
	at,
	bearer,
	enc,
	http,
	legacyQuery,
	legacyRecords,
	login,
	simulatorForFile,
	v5,
} from '../lib/simulator';

let sim: SimulatorHandle;
const NOW = at(3_600_000); // 2026-11-27T13:00:00Z, the frozen clock of every test

const env = simulatorForFile({ frozenAt: NOW });
beforeEach(() => ({ sim } = env.current()));

const control = (name: string, body?: unknown) =>
	http(`${sim.baseUrl}/__sim/${name}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
const dateOf = (res: { headers: Headers }) => Date.parse(res.headers.get('date')!);
const idsOf = (res: { json: any }) => res.json.values.map((v: any) => v.id);

describe('dateHeaderJitterMs', () => {
	it('off by default: every API answer carries the clock, to the second', async () => {
		expect(sim.control.configure({}).dateHeaderJitterMs).toBe(0);
		for (let i = 0; i < 5; i++) expect(dateOf(await login(sim))).toBe(Date.parse(NOW));
		expect(() => sim.control.configure({ dateHeaderJitterMs: -1 })).toThrow(/dateHeaderJitterMs/);
		expect(() => sim.control.configure({ dateHeaderJitterMs: 1.5 })).toThrow(/dateHeaderJitterMs/);
	});

	it('each API answer is off by a seeded draw within ±jitter (around dateHeaderOffsetMs); control answers are not', async () => {
		sim.control.configure({ dateHeaderJitterMs: 4_000, dateHeaderOffsetMs: 60_000 });
		const center = Date.parse(NOW) + 60_000;
		const read = async () => {
			const seen: number[] = [];
			for (let i = 0; i < 40; i++) seen.push(dateOf(await http(`${sim.baseUrl}/api/prospect/version/4/do/query?format=json`)));
			return seen;
		};
		const seen = await read();
		// toUTCString drops the milliseconds: -4,000 ms..+4,000 ms shows as -4 s..+4 s.
		for (const ms of seen) {
			expect(ms).toBeGreaterThanOrEqual(center - 4_000);
			expect(ms).toBeLessThanOrEqual(center + 4_000);
		}
		expect(new Set(seen).size).toBeGreaterThanOrEqual(5);
		expect(seen.some((ms) => ms < center) && seen.some((ms) => ms > center)).toBe(true);
		// The clock itself does not move, and control answers show it with the offset only.
		expect(dateOf(await control('stats'))).toBe(center);
		expect(sim.control.clock().now).toBe(NOW);

		// Seeded: the same headers again after reset.
		sim.control.reset();
		sim.control.clock({ set: NOW, freeze: true });
		sim.control.configure({ dateHeaderJitterMs: 4_000, dateHeaderOffsetMs: 60_000 });
		expect(await read()).toEqual(seen);
	});

	it('its draws do not shift other random draws (the v5 cache, the v3/v4 arbitrary tie order, sample data)', async () => {
		const setup = async () => {
			sim.control.configure({ v5ReadLagMs: 60_000, v5LagModel: 'cache', legacyTieOrder: 'arbitrary' });
			const p = sim.control.create({ type: 'prospect', at: at(3_600_000 - 61_000), fields: { email: 'old@example.com' } });
			sim.control.update({ type: 'prospect', id: p.id, fields: { email: 'new@example.com' } });
			sim.control.seed({ prospects: 8, at: at(0) });
			return { token: await accessToken(sim), key: await apiKey(sim) };
		};
		const reads = async ({ token, key }: { token: string; key: string }) => {
			const out: string[] = [];
			for (let i = 0; i < 20; i++) {
				out.push((await v5(sim, token, 'prospects', 'fields=email&orderBy=id')).json.values[0].email);
				const tied = await legacyQuery(sim, key, 'prospect', { sort_by: 'created_at', created_before: '2026-11-27 12:00:01' });
				out.push(legacyRecords(tied.json, 'prospect').map((r) => r.id).join(','));
			}
			// And the sample data seeded after them.
			const { prospectIds } = sim.control.seed({ prospects: 3 });
			const seeded = sim.control.records({ type: 'prospect' }).filter((r) => prospectIds.includes(r.id));
			out.push(...seeded.map((r) => String(r.email)));
			return out;
		};
		const plain = await reads(await setup());
		sim.control.reset();
		sim.control.clock({ set: NOW, freeze: true });
		sim.control.configure({ dateHeaderJitterMs: 30_000 });
		expect(await reads(await setup())).toEqual(plain);
	});
});

describe('clockStepPerRequestMs', () => {
	it('moves a frozen clock on as each Pardot API request arrives, before it is answered; not on control or OAuth calls', async () => {
		expect(sim.control.configure({}).clockStepPerRequestMs).toBe(0);
		const token = await accessToken(sim);
		sim.control.configure({ clockStepPerRequestMs: 1_500 });
		await accessToken(sim);
		await control('stats');
		expect(sim.control.clock().now).toBe(NOW);
		const first = await v5(sim, token, 'prospects', 'fields=id');
		const second = await http(`${sim.baseUrl}/api/prospect/version/4/do/query`); // refused (no api_key): time passes all the same
		expect(dateOf(first)).toBe(Date.parse(NOW) + 1_000); // 13:00:01.500, shown to the second
		expect(dateOf(second)).toBe(Date.parse(NOW) + 3_000);
		expect(sim.control.clock()).toEqual({ now: at(3_603_000), frozen: true });
		expect(() => sim.control.configure({ clockStepPerRequestMs: -5 })).toThrow(/clockStepPerRequestMs/);
	});

	it('time moves while a client pages: each page is answered later, and writes are stamped with the stepped clock', async () => {
		const token = await accessToken(sim);
		sim.control.seed({ prospects: 4, at: at(0), spreadMs: 3_000 });
		sim.control.configure({ clockStepPerRequestMs: 10_000 });
		let res = await v5(sim, token, 'prospects', `fields=id,createdAt&limit=2&orderBy=${enc('createdAt desc')}`);
		const dates = [dateOf(res)];
		while (res.json.nextPageToken) {
			res = await http(res.json.nextPageUrl, { headers: bearer(token) });
			dates.push(dateOf(res));
		}
		expect(dates).toEqual([Date.parse(NOW) + 10_000, Date.parse(NOW) + 20_000]);
		// A record written now is stamped with the stepped clock.
		expect(sim.control.create({ type: 'prospect' }).createdAt).toBe(at(3_620_000));
	});
});

describe('onRequest hook (in process only)', () => {
	it('runs before each Pardot API request reaches its handler, with endpoint, method, path and parameters', async () => {
		const seen: SimRequest[] = [];
		sim.control.onRequest((request) => seen.push(request));
		const key = await apiKey(sim);
		const token = await accessToken(sim); // OAuth: no hook
		await legacyQuery(sim, key, 'prospect', { sort_by: 'id', offset: 0 });
		await v5(sim, token, 'prospects', `fields=id&updatedAtAfter=${enc('2026-11-27T12:00:00Z')}`);
		await control('records', { type: 'prospect' }); // control: no hook
		expect(seen).toEqual([
			{
				endpoint: 'login',
				method: 'POST',
				path: '/api/login/version/4',
				query: { email: 'demo@example.com', password: '***', user_key: '***', format: 'json' },
			},
			{
				endpoint: 'prospect.query',
				method: 'GET',
				path: '/api/prospect/version/4/do/query',
				query: { format: 'json', sort_by: 'id', offset: '0' },
			},
			{ endpoint: 'v5.prospects', method: 'GET', path: '/api/v5/objects/prospects', query: { fields: 'id', updatedAtAfter: '2026-11-27T12:00:00Z' } },
		]);
	});

	it('not for a request refused before its handler: a fault answer, error 66; yes for a delayed or truncated one', async () => {
		const key = await apiKey(sim);
		let calls = 0;
		sim.control.onRequest(() => calls++);
		sim.control.fault({ kind: 'pardotError', code: 122 });
		sim.control.fault({ kind: 'http', status: 503 });
		await legacyQuery(sim, key, 'prospect');
		await legacyQuery(sim, key, 'prospect');
		expect(calls).toBe(0);
		sim.control.fault({ kind: 'delay', delayMs: 10 });
		sim.control.fault({ kind: 'truncated' });
		await legacyQuery(sim, key, 'prospect');
		await legacyQuery(sim, key, 'prospect');
		expect(calls).toBe(2);
		sim.control.configure({ maxConcurrentRequests: 1, latencyMs: 150 });
		const answers = await Promise.all([legacyQuery(sim, key, 'prospect'), legacyQuery(sim, key, 'prospect')]);
		expect(answers.map((a) => a.json['@attributes'].err_code ?? 'ok').sort()).toEqual([66, 'ok']);
		expect(calls).toBe(3);
	});

	it('a write the hook makes is in the answer of the same request (v3/v4, v5 without lag)', async () => {
		const key = await apiKey(sim);
		const token = await accessToken(sim);
		sim.control.onRequest((request) => {
			if (request.endpoint.endsWith('.query') || request.endpoint.startsWith('v5.')) sim.control.create({ type: 'prospect' });
		});
		const legacy = await legacyQuery(sim, key, 'prospect');
		expect(legacyRecords(legacy.json, 'prospect')).toHaveLength(1);
		const modern = await v5(sim, token, 'prospects', 'fields=id');
		expect(modern.json.values).toHaveLength(2);
	});

	it('...and not in it while a read lag hides it, consistently, also when the clock steps', async () => {
		const key = await apiKey(sim);
		const token = await accessToken(sim);
		sim.control.configure({ v5ReadLagMs: 5_000, legacyReadLagMs: 5_000, clockStepPerRequestMs: 1_000 });
		const written: string[] = [];
		sim.control.onRequest(() => written.push(sim.control.create({ type: 'prospect' }).createdAt));
		const counts: number[] = [];
		for (let i = 0; i < 8; i++) {
			const res = i % 2 === 0 ? await legacyQuery(sim, key, 'prospect') : await v5(sim, token, 'prospects', 'fields=id');
			counts.push(i % 2 === 0 ? legacyRecords(res.json, 'prospect').length : res.json.values.length);
		}
		// Writes 1 s apart, each at its request's (stepped) time; a read sees those at least 5 s old.
		expect(written[0]).toBe(at(3_600_000 + 1_000));
		expect(written[7]).toBe(at(3_600_000 + 8_000));
		expect(counts).toEqual([0, 0, 0, 0, 0, 1, 2, 3]);
	});

	it('writes between the pages of a v5 read: keyset and offset tokens see the same writes differently', async () => {
		const run = async () => {
			const token = await accessToken(sim);
			const ids = sim.control.seed({ prospects: 6, at: at(0), spreadMs: 5_000 }).prospectIds;
			let request = 0;
			// The second request (the first token) finds the first record moved to the end.
			sim.control.onRequest(() => {
				if (++request === 2) sim.control.update({ type: 'prospect', id: ids[0], fields: { score: 1 } });
			});
			let res = await v5(sim, token, 'prospects', `fields=id&limit=3&orderBy=${enc('updatedAt asc')}`);
			const pages = [idsOf(res)];
			while (res.json.nextPageToken) {
				res = await http(res.json.nextPageUrl, { headers: bearer(token) });
				pages.push(idsOf(res));
			}
			sim.control.onRequest(undefined);
			return { ids, pages };
		};
		const keyset = await run();
		expect(keyset.pages).toEqual([keyset.ids.slice(0, 3), keyset.ids.slice(3), [keyset.ids[0]]]);
		sim.control.reset();
		sim.control.clock({ set: NOW, freeze: true });
		sim.control.configure({ v5PageTokens: 'offset' });
		const offset = await run();
		expect(offset.pages).toEqual([offset.ids.slice(0, 3), [offset.ids[4], offset.ids[5], offset.ids[0]]]);
	});

	it('a hook that throws makes the answer HTTP 500; onRequest(undefined) and reset() remove it; not over HTTP', async () => {
		sim.control.onRequest(() => {
			throw new Error('hook broke');
		});
		const failed = await login(sim);
		expect(failed.status).toBe(500);
		expect(failed.text).toContain('hook broke');
		expect(sim.control.requests().map((r) => r.status)).toEqual([500]);
		sim.control.onRequest(undefined);
		expect((await login(sim)).status).toBe(200);
		let calls = 0;
		sim.control.onRequest(() => calls++);
		sim.control.reset();
		await login(sim);
		expect(calls).toBe(0);
		const overHttp = await control('onRequest', {});
		expect(overHttp.status).toBe(404);
		expect(overHttp.json.error).toMatch(/in process only/);
		expect(() => sim.control.onRequest('nope' as never)).toThrow(/function/);
	});
});

describe('request log', () => {
	it('every request but control calls, with endpoint, method, parameters (secrets masked), status and time', async () => {
		const key = await apiKey(sim);
		const token = await accessToken(sim);
		sim.control.configure({ clockStepPerRequestMs: 1_000 });
		await legacyQuery(sim, key, 'prospect', { offset: 200, sort_by: 'updated_at' }, 3); // this account is v4: error 88
		await http(
			`${sim.baseUrl}/api/opportunity/version/4/do/query?format=json`,
			{ method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Pardot api_key=${key}, user_key=x` }, body: 'sort_by=id&limit=5' },
		);
		await v5(sim, token, 'visitor-activities', `fields=id&createdAtAfterOrEqualTo=${enc('2026-11-27T12:00:00Z')}`);
		await v5(sim, token, 'prospects', 'fields=nope');
		await control('seed', { prospects: 1 });
		const log = sim.control.requests();
		expect(log).toEqual([
			{ endpoint: 'login', method: 'POST', path: '/api/login/version/4', query: expect.objectContaining({ password: '***', user_key: '***' }), status: 200, at: NOW },
			{ endpoint: 'oauth.token', method: 'POST', path: '/services/oauth2/token', query: { grant_type: 'client_credentials', client_id: 'demo-client-id', client_secret: '***' }, status: 200, at: NOW },
			{ endpoint: 'prospect.query', method: 'GET', path: '/api/prospect/version/3/do/query', query: { format: 'json', offset: '200', sort_by: 'updated_at' }, status: 200, at: at(3_601_000) },
			{ endpoint: 'opportunity.query', method: 'POST', path: '/api/opportunity/version/4/do/query', query: { format: 'json', sort_by: 'id', limit: '5' }, status: 401, at: at(3_602_000) },
			{
				endpoint: 'v5.visitor-activities',
				method: 'GET',
				path: '/api/v5/objects/visitor-activities',
				query: { fields: 'id', createdAtAfterOrEqualTo: '2026-11-27T12:00:00Z' },
				status: 200,
				at: at(3_603_000),
			},
			{ endpoint: 'v5.prospects', method: 'GET', path: '/api/v5/objects/prospects', query: { fields: 'nope' }, status: 400, at: at(3_604_000) },
		]);
		// Enough to classify what a client read, e.g. v3/v4 queries with an offset, v5 queries on createdAt.
		expect(log.filter((r) => r.endpoint.endsWith('.query') && r.query.offset !== undefined)).toHaveLength(1);
		expect(log.filter((r) => r.endpoint.startsWith('v5.') && 'createdAtAfterOrEqualTo' in r.query)).toHaveLength(1);
		// Copies: changing them changes nothing.
		log[0].query.email = 'x';
		expect(sim.control.requests()[0].query.email).toBe('demo@example.com');
		// Over HTTP too.
		expect((await control('requests')).json).toEqual(sim.control.requests());
	});

	it('status 0 for a dropped connection; resetStats() and reset() empty it', async () => {
		sim.control.fault({ kind: 'reset' });
		await expect(fetch(`${sim.baseUrl}/api/login/version/4`, { method: 'POST' })).rejects.toThrow();
		await http(`${sim.baseUrl}/nowhere`);
		expect(sim.control.requests().map((r) => [r.endpoint, r.status])).toEqual([
			['login', 0],
			['other', 404],
		]);
		sim.control.resetStats();
		expect(sim.control.requests()).toEqual([]);
		await login(sim);
		expect(sim.control.requests()).toHaveLength(1);
		await control('reset');
		expect(sim.control.requests()).toEqual([]);
	});

	it('keeps the last 50,000 requests', async () => {
		// 50,000 requests over HTTP take half a minute: the first ones go straight into the log of a
		// simulator of its own, the last ones over HTTP.
		const own = new Simulator({ clock: NOW });
		await own.listen();
		own.control.clock({ freeze: true, set: NOW });
		try {
			for (let n = 0; n < 49_995; n++) own.logRequest({ endpoint: 'other', method: 'GET', path: '/nowhere', query: { n: String(n) } });
			for (let n = 49_995; n < 50_010; n++) await http(`${own.baseUrl}/nowhere?n=${n}`);
			const log = own.control.requests();
			expect(log).toHaveLength(50_000);
			expect(log.map((r) => Number(r.query.n))).toEqual(Array.from({ length: 50_000 }, (_, i) => i + 10));
			expect(log[log.length - 1]).toEqual({ endpoint: 'other', method: 'GET', path: '/nowhere', query: { n: '50009' }, status: 404, at: NOW });
			// Long runs keep it bounded (it is trimmed in batches, never past 55,000 entries).
			for (let n = 0; n < 20_000; n++) own.logRequest({ endpoint: 'other', method: 'GET', path: '/', query: {} });
			expect(own.control.requests()).toHaveLength(50_000);
		} finally {
			await own.close();
		}
	});
});
