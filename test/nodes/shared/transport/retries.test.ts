/**
 * Transient failures the transport absorbs (error 66, 5xx pages, a dropped connection, one slow
 * answer), Pardot's real concurrency limit, and the daily limit (error 122).
 * The failures past their retries are in scenarios.ts (errors.test.ts).
 */
import { pardotErrorCode, pardotRequest } from '../../../../nodes/shared/transport';
import type { FaultSpec, SimulatorHandle } from '../../../../simulator';
import type { Flavor } from '../../../lib/pardot';
import { fast, caught, prospectPath, prospectQuery, rig, simulatorPerSuite } from '../../../lib/transport';
import { queryEndpoint, queryFault, versionOf } from './scenarios';

const suite = simulatorPerSuite();
let sim: SimulatorHandle;
beforeEach(() => ({ sim } = suite.current()));

beforeEach(() => {
	sim.control.reset();
	sim.control.seed({ prospects: 3 });
});

const FLAVORS: Flavor[] = ['legacy-v4', 'oauth-v4', 'oauth-v5'];

async function connected(flavor: Flavor, credentials = {}) {
	const r = rig(flavor, sim.baseUrl, credentials);
	const conn = await r.connect();
	const version = versionOf(flavor);
	const call = (options = fast()) => pardotRequest(r.ctx, conn, { path: prospectPath(version), query: prospectQuery(version) }, options);
	await call(); // log in / fetch the token first
	sim.control.resetStats();
	return { r, conn, call };
}

describe.each(FLAVORS)('%s', (flavor) => {
	const faults: Array<[string, Omit<FaultSpec, 'path'>, number]> = [
		['error 66 twice', { kind: 'pardotError', code: 66, count: 2 }, 3],
		['an HTML 503 page once', { kind: 'html', status: 503 }, 2],
		['a plain 502 twice', { kind: 'http', status: 502, count: 2 }, 3],
		['a 503 carrying a Pardot error code this package does not know, twice', { kind: 'pardotError', code: 10_000, status: 503, count: 2 }, 3],
		['a dropped connection once', { kind: 'reset' }, 2],
		['one answer slower than the timeout', { kind: 'delay', delayMs: 300 }, 2],
	];

	test.each(faults)('%s: retried, then the call succeeds', async (_name, fault, requests) => {
		const { r, call } = await connected(flavor);
		sim.control.fault({ ...fault, path: queryFault(flavor) });
		const response = await call({ ...fast(), timeoutMs: 150 });
		expect(response.status).toBe(200);
		expect(sim.control.stats().byEndpoint[queryEndpoint(flavor)]).toBe(requests);
		expect(sim.control.stats().byEndpoint.login).toBe(0);
		r.close();
	});

	test('a 5xx carrying a Pardot error code that names the problem is not retried: the code says what to do', async () => {
		const { r, call } = await connected(flavor);
		sim.control.fault({ kind: 'pardotError', code: 181, status: 503, count: 4, path: queryFault(flavor) });
		const error = await caught(call());
		expect(pardotErrorCode(error)).toBe(181);
		expect(error.message).toBe('Pardot needs a Business Unit ID (error 181)');
		expect(sim.control.stats().byEndpoint[queryEndpoint(flavor)]).toBe(1);
		r.close();
	});

	test('a 5xx carrying an unknown Pardot error code that stays: the error after the retries names the code and Pardot\'s message', async () => {
		const { r, call } = await connected(flavor);
		sim.control.fault({ kind: 'pardotError', code: 10_000, status: 503, count: 4, message: 'Internal error', path: queryFault(flavor) });
		const error = await caught(call());
		expect(pardotErrorCode(error)).toBe(10_000);
		expect(error.message).toBe('Pardot returned error 10000');
		expect(error.description).toMatch(/^Internal error\./);
		expect(sim.control.stats().byEndpoint[queryEndpoint(flavor)]).toBe(4);
		r.close();
	});

	test('more parallel calls than Pardot allows: every one succeeds after backing off', async () => {
		const { r, call } = await connected(flavor);
		sim.control.configure({ maxConcurrentRequests: 2, latencyMs: 40 });
		const answers = await Promise.all(Array.from({ length: 6 }, () => call({ retryBaseMs: 10, retries: 6 })));
		expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
		// Some were refused with error 66 and sent again.
		expect(sim.control.stats().byEndpoint[queryEndpoint(flavor)]).toBeGreaterThan(6);
		r.close();
	});

	test('the daily limit (122) stops at once and says what happens next, without guessing when', async () => {
		sim.control.configure({ timezone: 'America/New_York' });
		const { r, call } = await connected(flavor, { timezone: 'America/New_York' });
		sim.control.configure({ dailyApiLimit: 2 });
		await call();
		await call();
		sim.control.resetStats();
		const error = await caught(call());
		expect(pardotErrorCode(error)).toBe(122);
		expect(error.message).toBe("Pardot's daily API call limit is reached (error 122)");
		// The reset time is the account's business (and an administrator may raise the limit): no guess.
		expect(error.description).toMatch(/tries one small request at each poll/);
		expect(error.description).not.toMatch(/resets at \d/);
		expect(sim.control.stats().byEndpoint[queryEndpoint(flavor)]).toBe(1);
		// After local midnight Pardot answers again.
		sim.control.clock({ set: '2026-11-28T05:00:01Z' });
		await expect(call()).resolves.toMatchObject({ status: 200 });
		r.close();
	});
});
