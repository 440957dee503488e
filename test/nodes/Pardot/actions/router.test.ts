/**
 * The execute router over real HTTP: bounded concurrency (measured against a simulator that refuses a 4th
 * concurrent request), Continue On Fail, error 66 retried, error 122 stopping every later item without a
 * request, creates never repeated after a lost answer (Pardot has no idempotency key), no secret in messages.
 */
import { DEFAULT_USER } from '../../../../simulator';
import { jsonOf, runAction } from '../../../lib/action';
import type { Flavor } from '../../../lib/pardot';
import { simulatorPerTest } from '../../../lib/pardot';

const emails = (n: number) => Array.from({ length: n }, (_, i) => ({ email: `user${i}@example.com` }));
const upsert = { resource: 'prospect', operation: 'upsert', email: '={{ $json.email }}' };
const create = { resource: 'prospect', operation: 'create', email: '={{ $json.email }}' };

describe('concurrency', () => {
	const { sim } = simulatorPerTest({ maxConcurrentRequests: 3, latencyMs: 150 });

	it.each(['oauth-v5', 'legacy-v4'] as Flavor[])('%s: at most 3 requests at once, and never one after another', async (flavor) => {
		// When each create reaches Pardot's handler (after the simulator's 150 ms latency), on the real clock.
		const reached: number[] = [];
		sim().control.onRequest((r) => {
			if (/\/objects\/prospects$|\/do\/create\//.test(r.path)) reached.push(Date.now());
		});
		// Without retries, a 4th concurrent request would be refused (error 66) and fail its item.
		const result = await runAction(sim(), { flavor, parameters: create, items: emails(9), options: { transport: { retries: 0 } } });
		expect(result.error).toBeUndefined();
		expect(sim().control.records({ type: 'prospect' })).toHaveLength(9);
		// 9 creates at 150 ms each, at most 3 at once: at least 3 rounds.
		expect(result.durationMs).toBeGreaterThanOrEqual(440);
		// Concurrent: each of the first requests reached Pardot while others were in flight (well within 150 ms).
		expect(reached).toHaveLength(9);
		const gaps = reached.slice(1).map((t, n) => t - reached[n]);
		expect(gaps.filter((g) => g < 75).length).toBeGreaterThanOrEqual(3);
	});
});

describe.each(['oauth-v5', 'legacy-v4'] as Flavor[])('failures (%s)', (flavor) => {
	const { sim } = simulatorPerTest();
	const prospects = () => sim().control.records({ type: 'prospect' }) as Array<Record<string, unknown>>;
	const writes = (action: string) => sim().control.requests().filter((r) => r.path.includes(action)).length;

	it('retries error 66 (too many concurrent requests) and succeeds', async () => {
		sim().control.fault({ count: 2, path: 'prospect', kind: 'pardotError', code: 66 });
		const out = await jsonOf(sim(), { flavor, parameters: create, items: emails(1) });
		expect(out[0].email).toBe('user0@example.com');
		expect(prospects()).toHaveLength(1);
	});

	it('stops at error 122: the later items fail with the daily-limit message without a request', async () => {
		sim().control.fault({ count: 100, path: 'prospect', kind: 'pardotError', code: 122 });
		const result = await runAction(sim(), { flavor, parameters: upsert, items: emails(6), continueOnFail: true, options: { concurrency: 1 } });
		expect(result.output!.map((o) => o.json.error)).toEqual(Array(6).fill(expect.stringMatching(/daily API call limit is reached \(error 122\)/)));
		expect(result.output!.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3, 4, 5].map((item) => ({ item })));
		expect(sim().control.requests().filter((r) => r.status !== 0 && r.path.includes('prospect')).length).toBeLessThanOrEqual(2);
	});

	it('without Continue On Fail, the first failed item stops the node with its error', async () => {
		const result = await runAction(sim(), { flavor, parameters: create, items: [{ email: 'a@example.com' }, { email: 'bad' }] });
		expect(result.error?.message).toBe('Item 1: Email "bad" is not a valid email address');
		expect(result.error?.description).toMatch(/Nothing was sent to Pardot for this item/);
	});

	it('does not repeat a create whose answer was lost: the item says what to check, and there is one prospect', async () => {
		sim().control.fault({ count: 1, path: 'prospect', kind: 'resetAfter' });
		const result = await runAction(sim(), { flavor, parameters: create, items: [{ email: 'once@example.com' }], continueOnFail: true });
		expect(result.output![0].json.error).toMatch(/^Item 0: The connection to Pardot at .* was dropped \(ECONNRESET\)$/);
		expect(result.output![0].json.description).toMatch(/may have created a prospect with the email once@example.com.*not retried.*Upsert by Email/s);
		expect(prospects().map((p) => p.email)).toEqual(['once@example.com']);
		expect(writes(flavor === 'oauth-v5' ? '/objects/prospects' : '/do/create')).toBe(1);
	});

	it('an HTTP 503 to a create is not retried (Pardot may have acted); to an upsert it is', async () => {
		sim().control.fault({ count: 1, path: flavor === 'oauth-v5' ? '/objects/prospects' : '/do/create', kind: 'http', status: 503 });
		const created = await runAction(sim(), { flavor, parameters: create, items: [{ email: 'five@example.com' }], continueOnFail: true });
		expect(created.output![0].json.description).toMatch(/may have created/);
		expect(writes(flavor === 'oauth-v5' ? '/objects/prospects' : '/do/create')).toBe(1);
		sim().control.fault({ count: 1, path: flavor === 'oauth-v5' ? 'upsertLatestByEmail' : '/do/read', kind: 'http', status: 503 });
		const upserted = await jsonOf(sim(), { flavor, parameters: upsert, items: [{ email: 'six@example.com' }] });
		expect(upserted[0].email).toBe('six@example.com');
	});

	it('repeats an upsert whose answer was lost, which is safe: one prospect', async () => {
		sim().control.fault({ count: 1, path: flavor === 'oauth-v5' ? 'upsertLatestByEmail' : '/do/create', kind: 'resetAfter' });
		const out = await jsonOf(sim(), { flavor, parameters: upsert, items: [{ email: 'safe@example.com' }] });
		expect(out[0].email).toBe('safe@example.com');
		expect(prospects().map((p) => p.email)).toEqual(['safe@example.com']);
	});

	it('never shows a secret, even when Pardot echoes one', async () => {
		const secret = flavor === 'oauth-v5' ? 'demo-client-secret' : DEFAULT_USER.password;
		sim().control.fault({ count: 10, path: 'prospect', kind: 'pardotError', code: 4, message: `bad email ${secret} ${DEFAULT_USER.userKey}` });
		const result = await runAction(sim(), { flavor, parameters: create, items: emails(1) });
		const shown = `${result.error?.message} ${result.error?.description}`;
		expect(shown).not.toContain(secret);
		expect(shown).not.toContain(DEFAULT_USER.userKey);
	});
});
