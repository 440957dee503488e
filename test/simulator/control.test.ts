import { DEFAULT_USER, realAccount } from '../../simulator';
import type { SimulatorHandle } from '../../simulator';
import { accessToken, apiKey, at, bearer, http, legacyQuery, login, simulatorForFile, start, START, v5 } from '../lib/simulator';

let sim: SimulatorHandle;
const T0 = Date.parse(START);

const env = simulatorForFile();
beforeEach(() => ({ sim } = env.current()));

describe('clock', () => {
	it('starts at the clock option, runs at real speed, freezes, advances; Date header follows it', async () => {
		const running = Date.parse(sim.control.clock().now);
		expect(running).toBeGreaterThanOrEqual(T0);
		expect(running - T0).toBeLessThan(5_000);
		const frozen = sim.control.clock({ set: '2027-03-14T01:59:58Z', freeze: true });
		expect(frozen).toEqual({ now: '2027-03-14T01:59:58.000Z', frozen: true });
		expect(sim.control.clock({ advanceMs: 2_000 }).now).toBe('2027-03-14T02:00:00.000Z');
		const res = await http(`${sim.baseUrl}/api/prospect/version/4/do/query?format=json`);
		expect(res.headers.get('date')).toBe('Sun, 14 Mar 2027 02:00:00 GMT');
		const control = await http(`${sim.baseUrl}/__sim/stats`, { method: 'POST' });
		expect(control.headers.get('date')).toBe('Sun, 14 Mar 2027 02:00:00 GMT');
		sim.control.configure({ clock: '2027-01-01T00:00:00Z' });
		expect(sim.control.clock().now).toBe('2027-01-01T00:00:00.000Z');
	});
});

describe('records and writes', () => {
	it('create / update / delete / undelete / records give UTC ground truth', () => {
		sim.control.clock({ set: at(0), freeze: true });
		const p = sim.control.create({ type: 'prospect', fields: { email: 'a@example.com', first_name: 'Ada', score: '7' } });
		expect(p).toEqual(
			expect.objectContaining({
				type: 'prospect',
				id: expect.any(Number),
				createdAt: '2026-11-27T12:00:00.000Z',
				updatedAt: '2026-11-27T12:00:00.000Z',
				deleted: false,
				email: 'a@example.com',
				firstName: 'Ada',
				score: 7,
			}),
		);
		const u = sim.control.update({ type: 'prospect', id: p.id, fields: { lastName: 'L' }, at: '2026-11-27T12:00:01.250Z' });
		expect(u.updatedAt).toBe('2026-11-27T12:00:01.250Z');
		expect(u.firstName).toBe('Ada');
		sim.control.delete({ type: 'prospect', id: p.id });
		expect(sim.control.records({ type: 'prospect', deleted: false })).toEqual([]);
		expect(sim.control.records({ type: 'prospect' })[0].deleted).toBe(true);
		sim.control.undelete({ type: 'prospect', id: p.id });
		expect(sim.control.records({ type: 'prospect', deleted: false })).toHaveLength(1);
		expect(() => sim.control.update({ type: 'prospect', id: 1, fields: {} })).toThrow(/No prospect/);
		expect(() => sim.control.create({ type: 'prospect', fields: { nope: 1 } })).toThrow(/Unknown prospect field/);
	});

	it('seed spreads records over [at - spreadMs, at] with ids growing with createdAt', () => {
		const { prospectIds, opportunityIds } = sim.control.seed({ prospects: 5, opportunities: 2, at: at(0), spreadMs: 4_000 });
		expect(prospectIds).toHaveLength(5);
		expect(opportunityIds).toHaveLength(2);
		const created = sim.control.records({ type: 'prospect' }).map((r) => r.createdAt);
		expect(created).toEqual([at(-4_000), at(-3_000), at(-2_000), at(-1_000), at(0)]);
		const opp = sim.control.records({ type: 'opportunity' })[0];
		expect(opp.prospectIds).toEqual(expect.arrayContaining([expect.any(Number)]));
		expect(prospectIds).toEqual(expect.arrayContaining(opp.prospectIds as number[]));
	});

	it('reset restores the start options and clears everything', async () => {
		sim.control.configure({ timezone: 'Europe/Paris', latencyMs: 5 });
		sim.control.seed({ prospects: 2 });
		sim.control.reset();
		expect(sim.control.records({ type: 'prospect' })).toEqual([]);
		expect(sim.control.configure({}).timezone).toBe('UTC');
		expect(sim.control.configure({}).latencyMs).toBe(0);
		expect(() => sim.control.configure({ timezone: 'Mars/Olympus' })).toThrow(/time zone/);
	});
});

describe('HTTP control API', () => {
	it('POST /__sim/<name> with a JSON body', async () => {
		const call = (name: string, body?: unknown) =>
			http(`${sim.baseUrl}/__sim/${name}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		expect((await call('clock', { set: START, freeze: true })).json).toEqual({ now: '2026-11-27T12:00:00.000Z', frozen: true });
		const created = await call('create', { type: 'prospect', fields: { email: 'h@example.com' } });
		expect(created.json).toEqual(expect.objectContaining({ email: 'h@example.com', createdAt: '2026-11-27T12:00:00.000Z' }));
		expect((await call('seed', { prospects: 2 })).json.prospectIds).toHaveLength(2);
		expect((await call('records', { type: 'prospect' })).json).toHaveLength(3);
		expect((await call('fault', { kind: 'html', path: '/nowhere' })).json.ok).toBe(true);
		expect((await call('configure', { updatedAfter: 'inclusive' })).json.updatedAfter).toBe('inclusive');
		expect((await call('tokens', { expire: true })).json).toEqual({ expired: 0 });
		expect((await call('stats')).json).toEqual({ total: 0, byEndpoint: expect.objectContaining({ login: 0 }), maxInFlight: 0 });
		expect((await call('nope')).status).toBe(404);
		expect((await call('create', { type: 'widget' })).status).toBe(400);
		expect((await call('reset')).json).toEqual({ ok: true });
	});
});

describe('faults', () => {
	let key: string;
	let token: string;
	beforeEach(async () => {
		sim.control.seed({ prospects: 3 });
		key = await apiKey(sim);
		token = await accessToken(sim);
	});

	it('pardotError: the envelope of the API family, HTTP 200 for v3/v4 and 400 for v5 by default', async () => {
		sim.control.fault({ kind: 'pardotError', code: 122 });
		const legacy = await legacyQuery(sim, key, 'prospect');
		expect(legacy.status).toBe(200);
		expect(legacy.json).toEqual({ '@attributes': { stat: 'fail', version: 1, err_code: 122 }, err: 'Daily API rate limit met' });
		expect((await legacyQuery(sim, key, 'prospect')).json.result.total_results).toBe(3);
		sim.control.fault({ kind: 'pardotError', code: 66, status: 429, path: '/api/v5/' });
		expect((await legacyQuery(sim, key, 'prospect')).status).toBe(200);
		const modern = await v5(sim, token, 'prospects', 'fields=id');
		expect(modern.status).toBe(429);
		expect(modern.json).toEqual({ code: 66, message: expect.any(String) });
	});

	it('http, html, truncated', async () => {
		sim.control.fault({ kind: 'http', status: 502 });
		const plain = await legacyQuery(sim, key, 'prospect');
		expect(plain.status).toBe(502);
		expect(plain.json).toBeUndefined();
		sim.control.fault({ kind: 'html' });
		const html = await legacyQuery(sim, key, 'prospect');
		expect(html.status).toBe(503);
		expect(html.headers.get('content-type')).toMatch(/text\/html/);
		expect(html.text).toMatch(/^<!DOCTYPE html>/);
		sim.control.fault({ kind: 'truncated' });
		const cut = await legacyQuery(sim, key, 'prospect');
		const whole = await legacyQuery(sim, key, 'prospect');
		expect(cut.status).toBe(200);
		expect(cut.json).toBeUndefined();
		expect(cut.text.length).toBeGreaterThan(10);
		expect(whole.text.startsWith(cut.text)).toBe(true);
	});

	it('reset destroys the socket; delay answers late; count and path select requests', async () => {
		sim.control.fault({ kind: 'reset', count: 2, path: 'prospect/version' });
		await expect(legacyQuery(sim, key, 'prospect')).rejects.toThrow();
		expect((await legacyQuery(sim, key, 'opportunity')).status).toBe(200);
		await expect(legacyQuery(sim, key, 'prospect')).rejects.toThrow();
		expect((await legacyQuery(sim, key, 'prospect')).status).toBe(200);
		sim.control.fault({ kind: 'delay', delayMs: 250 });
		const t = Date.now();
		const late = await legacyQuery(sim, key, 'prospect');
		expect(Date.now() - t).toBeGreaterThanOrEqual(240);
		expect(late.json.result.total_results).toBe(3);
	});

	it('a fault can hit the token endpoint too', async () => {
		sim.control.fault({ kind: 'http', status: 500, path: '/services/oauth2/token' });
		await expect(accessToken(sim)).rejects.toThrow(/token failed/);
		expect(await accessToken(sim)).toEqual(expect.any(String));
	});
});

describe('stats, latency, concurrency, daily limit', () => {
	it('counts requests per endpoint', async () => {
		const key = await apiKey(sim);
		const token = await accessToken(sim);
		await legacyQuery(sim, key, 'prospect');
		await legacyQuery(sim, key, 'opportunity');
		await legacyQuery(sim, key, 'opportunity');
		await v5(sim, token, 'prospects', 'fields=id');
		await v5(sim, token, 'opportunities', 'fields=id');
		for (const object of ['visitorActivity', 'listMembership', 'list', 'campaign', 'visitor'] as const) {
			await legacyQuery(sim, key, object, { sort_by: 'id' });
		}
		await legacyQuery(sim, key, 'visitorActivity', { sort_by: 'id' });
		for (const object of ['visitor-activities', 'list-memberships', 'lists', 'campaigns', 'visitors'] as const) {
			await v5(sim, token, object, 'fields=id');
		}
		await v5(sim, token, 'list-memberships', 'fields=id');
		expect(sim.control.stats()).toEqual({
			total: 19,
			byEndpoint: {
				login: 1,
				'prospect.query': 1,
				'opportunity.query': 2,
				'visitorActivity.query': 2,
				'listMembership.query': 1,
				'list.query': 1,
				'campaign.query': 1,
				'visitor.query': 1,
				'user.query': 0,
				'v5.prospects': 1,
				'v5.opportunities': 1,
				'v5.visitor-activities': 1,
				'v5.list-memberships': 2,
				'v5.lists': 1,
				'v5.campaigns': 1,
				'v5.visitors': 1,
				'v5.users': 0,
				'oauth.token': 1,
			},
			// One request after another: never two in flight.
			maxInFlight: 1,
		});
		expect(sim.control.resetStats().total).toBe(0);
		expect(sim.control.stats().byEndpoint.login).toBe(0);
	});

	it('more than 5 requests in flight -> error 66 for the extra ones', async () => {
		const key = await apiKey(sim);
		const token = await accessToken(sim);
		sim.control.configure({ latencyMs: 400 });
		const results = await Promise.all([
			...Array.from({ length: 5 }, () => legacyQuery(sim, key, 'prospect')),
			new Promise<void>((r) => setTimeout(r, 100)).then(() => legacyQuery(sim, key, 'prospect')),
			new Promise<void>((r) => setTimeout(r, 100)).then(() => v5(sim, token, 'prospects', 'fields=id')),
		]);
		expect(results.slice(0, 5).map((r) => r.json['@attributes'].stat)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
		// The refused one counts too: 6 at once at the peak (a refused request is answered at once, before the 7th came).
		expect(sim.control.stats().maxInFlight).toBe(6);
		expect(results[5].json).toEqual({
			'@attributes': { stat: 'fail', version: 1, err_code: 66 },
			err: 'You have exceeded your concurrent request limit.  Please wait, before trying again',
		});
		expect(results[6].status).toBe(400);
		expect(results[6].json.code).toBe(66);
		sim.control.configure({ latencyMs: 0 });
		expect((await legacyQuery(sim, key, 'prospect')).json['@attributes'].stat).toBe('ok');
	});

	it('latencyMs delays every API answer', async () => {
		const key = await apiKey(sim);
		sim.control.configure({ latencyMs: 150 });
		const t = Date.now();
		await legacyQuery(sim, key, 'prospect');
		expect(Date.now() - t).toBeGreaterThanOrEqual(140);
	});

	it('dailyApiLimit -> 122 until account-local midnight', async () => {
		sim.control.configure({ timezone: 'America/Los_Angeles', dailyApiLimit: 2 });
		sim.control.clock({ set: '2026-11-28T07:59:00Z', freeze: true }); // 23:59 in Los Angeles
		const key = await apiKey(sim);
		expect((await legacyQuery(sim, key, 'prospect')).json['@attributes'].stat).toBe('ok');
		expect((await legacyQuery(sim, key, 'prospect')).json['@attributes'].stat).toBe('ok');
		expect((await legacyQuery(sim, key, 'prospect')).json['@attributes'].err_code).toBe(122);
		sim.control.clock({ advanceMs: 60_000 });
		expect((await legacyQuery(sim, key, 'prospect')).json['@attributes'].stat).toBe('ok');
	});

	it('122 on each API family: the v3/v4 body with HTTP 200 (legacyLimitStatus), the v5 body with HTTP 400 (v5LimitStatus)', async () => {
		const key = await apiKey(sim);
		const token = await accessToken(sim);
		sim.control.configure({ dailyApiLimit: 1 });
		expect((await legacyQuery(sim, key, 'prospect')).json['@attributes'].stat).toBe('ok');
		const legacy = await legacyQuery(sim, key, 'prospect');
		expect(legacy.status).toBe(200);
		expect(legacy.json).toEqual({ '@attributes': { stat: 'fail', version: 1, err_code: 122 }, err: 'Daily API rate limit met' });
		const xml = await http(`${sim.baseUrl}/api/opportunity/version/4/do/query`, { headers: { Authorization: `Pardot api_key=${key}, user_key=${DEFAULT_USER.userKey}` } });
		expect(xml.text).toContain('<err code="122">Daily API rate limit met</err>');
		const modern = await v5(sim, token, 'prospects', 'fields=id');
		expect(modern.status).toBe(400);
		expect(modern.json).toEqual({ code: 122, message: 'Daily API rate limit met' });
		sim.control.configure({ legacyLimitStatus: 429, v5LimitStatus: 429 });
		expect((await legacyQuery(sim, key, 'prospect')).status).toBe(429);
		expect((await v5(sim, token, 'opportunities', 'fields=id')).status).toBe(429);
		expect(() => sim.control.configure({ v5LimitStatus: 42 })).toThrow(/v5LimitStatus/);
	});

	it('the limit resets at midnight in the account time zone (accountTimezone, default the user zone); usage() reports it', async () => {
		sim.control.configure({ timezone: 'America/Los_Angeles', accountTimezone: 'Europe/Paris', dailyApiLimit: 2 });
		sim.control.clock({ set: '2026-11-27T22:59:00Z', freeze: true }); // 23:59 in Paris, 14:59 in Los Angeles
		const key = await apiKey(sim);
		await legacyQuery(sim, key, 'prospect');
		await legacyQuery(sim, key, 'prospect');
		expect(sim.control.usage()).toEqual({ day: '2026-11-27', used: 2, limit: 2, resetsAt: '2026-11-27T23:00:00.000Z' });
		expect((await legacyQuery(sim, key, 'prospect')).json['@attributes'].err_code).toBe(122);
		sim.control.clock({ advanceMs: 60_000 });
		expect((await legacyQuery(sim, key, 'prospect')).json['@attributes'].stat).toBe('ok');
		expect(sim.control.usage()).toEqual({ day: '2026-11-28', used: 1, limit: 2, resetsAt: '2026-11-28T23:00:00.000Z' });
		// Over HTTP too.
		expect((await http(`${sim.baseUrl}/__sim/usage`, { method: 'POST' })).json.used).toBe(1);
	});

	it('logins are free unless dailyLimitCountsLogins; refused and 66 calls are free', async () => {
		sim.control.configure({ dailyApiLimit: 3 });
		const key = await apiKey(sim);
		await apiKey(sim);
		await http(`${sim.baseUrl}/api/prospect/version/4/do/query?format=json`, { headers: { Authorization: 'Pardot api_key=nope, user_key=nope' } });
		expect(sim.control.usage().used).toBe(0);
		await legacyQuery(sim, key, 'prospect');
		sim.control.configure({ dailyLimitCountsLogins: true });
		await apiKey(sim);
		expect(sim.control.usage().used).toBe(2);
		await apiKey(sim);
		expect((await login(sim)).json).toEqual({ '@attributes': { stat: 'fail', version: 1, err_code: 122 }, err: 'Daily API rate limit met' });
	});

	it('realAccount preset: the edition limit, v5 cache lag; explicit options win; usable at start, in configure and over HTTP', async () => {
		expect(realAccount('advanced')).toEqual(expect.objectContaining({ dailyApiLimit: 100_000, v5LagModel: 'cache', v5ReadLagMs: 60_000 }));
		expect(realAccount().dailyApiLimit).toBe(25_000);
		const preset = await start({ realAccount: 'plus', v5ReadLagMs: 30_000 });
		try {
			const config = preset.control.configure({});
			expect(config).toEqual(expect.objectContaining({ dailyApiLimit: 50_000, v5LagModel: 'cache', v5ReadLagMs: 30_000 }));
			// reset() goes back to the start options, preset included.
			preset.control.configure({ dailyApiLimit: 0 });
			preset.control.reset();
			expect(preset.control.usage().limit).toBe(50_000);
		} finally {
			await preset.close();
		}
		expect(sim.control.configure({ realAccount: 'growth' }).dailyApiLimit).toBe(25_000);
		const viaHttp = await http(`${sim.baseUrl}/__sim/configure`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ realAccount: 'premium' }),
		});
		expect(viaHttp.json.dailyApiLimit).toBe(100_000);
		expect(() => sim.control.configure({ realAccount: 'enterprise' as never })).toThrow(/realAccount/);
	});

	it('66 uses the same per-family statuses', async () => {
		const key = await apiKey(sim);
		sim.control.configure({ latencyMs: 300, maxConcurrentRequests: 1, legacyLimitStatus: 503 });
		const [first, second] = await Promise.all([
			legacyQuery(sim, key, 'prospect'),
			new Promise<void>((r) => setTimeout(r, 80)).then(() => legacyQuery(sim, key, 'prospect')),
		]);
		expect(first.status).toBe(200);
		expect(second.status).toBe(503);
		expect(second.json['@attributes'].err_code).toBe(66);
	});

	it('dateHeaderOffsetMs shifts the Date header only', async () => {
		sim.control.clock({ set: '2027-03-14T02:00:00Z', freeze: true });
		sim.control.configure({ dateHeaderOffsetMs: -90_000 });
		const res = await http(`${sim.baseUrl}/api/prospect/version/4/do/query?format=json`);
		expect(res.headers.get('date')).toBe('Sun, 14 Mar 2027 01:58:30 GMT');
		expect(sim.control.clock().now).toBe('2027-03-14T02:00:00.000Z');
	});

	it('unknown paths', async () => {
		expect((await http(`${sim.baseUrl}/api/v5/objects/widgets?fields=id`)).status).toBe(404);
		expect((await http(`${sim.baseUrl}/nowhere`)).status).toBe(404);
		const key = await apiKey(sim);
		const legacy = await http(`${sim.baseUrl}/api/prospect/version/4/do/explode?format=json`, { headers: bearer(key) });
		expect(legacy.json['@attributes'].err_code).toBe(2);
	});
});
