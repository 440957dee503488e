/**
 * What the HTTP pipeline does around each request for model tests: the Date header's jitter
 * (dateHeaderJitterMs) and the clock moving on per request (clockStepPerRequestMs).
 */
import type { SimulatorHandle } from '../../simulator';
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
