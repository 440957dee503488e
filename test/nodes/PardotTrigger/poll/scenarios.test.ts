/**
 * One scenario per promise of the Pardot Trigger, on API v4 (legacy login) and v5 (OAuth2),
 * driven through n8n's poll loop (the harness) against the simulator over real HTTP.
 */
import type { INodeExecutionData, IDataObject } from 'n8n-workflow';

import type { SimulatorHandle } from '../../../../simulator';
import type { PollRunner } from '../../../lib/n8n';
import { createHttpHelpers } from '../../../lib/n8n';
import type { Flavor } from '../../../lib/pardot';
import { credentialsFor, MINUTE, simulator, triggerRunner, FAST_RETRIES } from '../../../lib/pardot';
import { truthProblems } from '../../../lib/truth';

const flavors: Flavor[] = ['legacy-v4', 'oauth-v5'];

const START = '2026-11-27T12:00:00Z';

/** Runs `hook(url)` before every request the runner sends. */
function onRequest(runner: PollRunner, hook: (url: string) => void): () => void {
	runner.http.recorder.beforeSend = hook;
	return () => {
		runner.http.recorder.beforeSend = undefined;
	};
}
const json = (items: INodeExecutionData[]) => items.map((i) => i.json as IDataObject);

describe.each(flavors)('Pardot Trigger on %s', (flavor) => {
	const pageSize = flavor === 'oauth-v5' ? 1000 : 200;
	let sim: SimulatorHandle;
	const runners: PollRunner[] = [];

	beforeEach(async () => {
		sim = await simulator({ clock: START });
		sim.control.clock({ freeze: true });
	});
	afterEach(async () => {
		for (const r of runners.splice(0)) r.close();
		await sim.close();
	});

	const advance = (ms: number) => sim.control.clock({ advanceMs: ms });
	const now = () => Date.parse(sim.control.clock().now);
	/** Activates a trigger and returns it with the instant from which changes count. */
	async function activate(parameters: IDataObject = {}, extra: Parameters<typeof triggerRunner>[1] = { flavor }) {
		const runner = triggerRunner(sim, { transport: FAST_RETRIES, ...extra, flavor, parameters: { ...(extra.parameters ?? {}), ...parameters } as never });
		runners.push(runner);
		const since = Math.floor(now() / 1000) * 1000;
		const first = await runner.poll();
		expect(first.error).toBeUndefined();
		expect(first.items).toBeNull();
		expect(first.saved).toBe(true);
		return { runner, since };
	}
	/** Polls after letting changes settle (v5 reads lag up to 60 s). */
	async function settledPoll(runner: PollRunner) {
		advance(2 * MINUTE);
		const outcome = await runner.poll();
		expect(outcome.error).toBeUndefined();
		return outcome;
	}
	function expectExact(runner: PollRunner, since: number, options: Partial<Parameters<typeof truthProblems>[2]> = {}) {
		expect(truthProblems(sim, runner.emitted, { since, ...options })).toEqual([]);
	}

	test('activation fixes the start from Pardot\'s clock and emits nothing; the next change comes once', async () => {
		const { prospectIds } = sim.control.seed({ prospects: 30, opportunities: 10 });
		advance(MINUTE);
		const { runner, since } = await activate();
		advance(10_000);
		const p = sim.control.create({ type: 'prospect', fields: { email: 'ada@example.com' } });
		const o = sim.control.create({ type: 'opportunity', fields: { name: 'Big deal' } });
		advance(10_000);
		sim.control.update({ type: 'prospect', id: prospectIds[3], fields: { score: 99 } });
		await settledPoll(runner);
		expect(json(runner.emitted).map((e) => [e.eventType, e.objectType, e.objectId])).toEqual([
			['CREATED', 'contacts', String(p.id)],
			['CREATED', 'leads', String(o.id)],
			['UPDATED', 'contacts', String(prospectIds[3])],
		]);
		const event = json(runner.emitted)[0];
		expect(event).toMatchObject({ elementKey: 'pardot', hubKey: 'marketing', date: p.updatedAt.replace(/\.\d{3}Z$/, 'Z') });
		expect((event.raw as IDataObject).id).toBe(p.id);
		await settledPoll(runner);
		expect(runner.emitted).toHaveLength(3);
		expectExact(runner, since);
	});

	test(`more than a page (${pageSize}) of records sharing one updated_at second`, async () => {
		const { runner, since } = await activate({ options: { maxEventsPerPoll: 10_000 } });
		advance(5_000);
		const at = new Date(now()).toISOString();
		for (let i = 0; i < pageSize + 250; i++) sim.control.create({ type: 'prospect', at, fields: { email: `burst${i}@example.com` } });
		sim.control.resetStats();
		await settledPoll(runner);
		expect(runner.emitted).toHaveLength(pageSize + 250);
		expectExact(runner, since);
		await settledPoll(runner);
		expect(runner.emitted).toHaveLength(pageSize + 250);
	});

	test('records updated while the trigger is paging are emitted, none lost, none twice', async () => {
		const n = pageSize * 2 + 50;
		const { runner, since } = await activate({ options: { maxEventsPerPoll: 10_000 } });
		advance(5_000);
		const ids = Array.from({ length: n }, (_, i) => sim.control.create({ type: 'prospect', fields: { email: `p${i}@example.com` } }).id);
		advance(2 * MINUTE);
		// Before the second page request: the first record (already read) and a later one jump past the page.
		let pages = 0;
		onRequest(runner, (url) => {
			if (!/prospect/.test(url) || /login|token/.test(url)) return;
			pages++;
			if (pages === 2) {
				advance(1000);
				sim.control.update({ type: 'prospect', id: ids[0], fields: { score: 1 } });
				sim.control.update({ type: 'prospect', id: ids[n - 1], fields: { score: 2 } });
			}
		});
		await settledPoll(runner);
		await settledPoll(runner);
		expect(pages).toBeGreaterThan(1);
		expectExact(runner, since);
		const firstEvents = json(runner.emitted).filter((e) => e.objectId === String(ids[0]));
		expect(firstEvents.map((e) => e.eventType)).toEqual(['CREATED', 'UPDATED']);
	});

	test.each(['strict', 'inclusive'] as const)('updated_after %s, v5 read lag 60 s: exactly once', async (mode) => {
		sim.control.configure({ updatedAfter: mode, v5ReadLagMs: 60_000 });
		const { prospectIds } = sim.control.seed({ prospects: 8 });
		advance(MINUTE);
		const { runner, since } = await activate();
		for (let round = 0; round < 6; round++) {
			for (let i = 0; i < 5; i++) {
				advance(7_000);
				sim.control.create({ type: 'prospect', fields: { email: `r${round}-${i}@example.com` } });
				if (round > 0) sim.control.update({ type: 'prospect', id: prospectIds[(round * 5 + i) % 8], fields: { score: round } });
				sim.control.create({ type: 'opportunity', fields: { name: `deal ${round}-${i}` } });
			}
			advance(20_000);
			const outcome = await runner.poll();
			expect(outcome.error).toBeUndefined();
		}
		await settledPoll(runner);
		await settledPoll(runner);
		expectExact(runner, since);
	});

	test('an account time zone that is not UTC, through the hour that repeats when DST ends', async () => {
		const zone = 'America/New_York';
		sim.control.configure({ timezone: zone, clock: '2026-11-01T04:20:00Z' }); // 00:20 EDT
		sim.control.clock({ freeze: true });
		const { prospectIds } = sim.control.seed({ prospects: 3 });
		advance(MINUTE);
		const { runner, since } = await activate({}, { flavor, credentials: { timezone: zone } });
		// Every 7 minutes for 3 hours: through 01:00-01:59 EDT and again 01:00-01:59 EST.
		for (let step = 0; step < 26; step++) {
			advance(7 * MINUTE);
			sim.control.create({ type: 'prospect', fields: { email: `dst${step}@example.com` } });
			sim.control.update({ type: 'prospect', id: prospectIds[step % 3], fields: { score: step } });
			const outcome = await runner.poll();
			expect(outcome.error).toBeUndefined();
		}
		await settledPoll(runner);
		expectExact(runner, since, { resources: ['contacts'] });
		const dates = json(runner.emitted).map((e) => String(e.date));
		expect(dates.some((d) => d.startsWith('2026-11-01T05:'))).toBe(true); // 01:xx EDT
		expect(dates.some((d) => d.startsWith('2026-11-01T06:'))).toBe(true); // 01:xx EST
	});

	test.each([-10, 10])('Pardot\'s clock %i minutes off the n8n host\'s clock', async (skewMinutes) => {
		sim.control.configure({ clock: new Date(Date.now() + skewMinutes * MINUTE).toISOString() });
		sim.control.clock({ freeze: true });
		const { runner, since } = await activate();
		for (let i = 0; i < 5; i++) {
			advance(20_000);
			sim.control.create({ type: 'prospect', fields: { email: `skew${i}@example.com` } });
			sim.control.create({ type: 'opportunity', fields: { name: `skew ${i}` } });
			await runner.poll();
		}
		await settledPoll(runner);
		expect(runner.errors).toEqual([]);
		expectExact(runner, since);
		expect(runner.emitted).toHaveLength(10);
	});

	test.each([
		// count: the transport retries 5xx, resets and error 66 three times (4 attempts).
		['HTTP 503', { kind: 'http', status: 503, count: 4 }],
		['a dropped connection', { kind: 'reset', count: 4 }],
		['error 66 past its retries', { kind: 'pardotError', code: 66, count: 4 }],
		['error 122 (daily limit)', { kind: 'pardotError', code: 122, count: 1 }],
		['an HTML error page', { kind: 'html', status: 502, count: 4 }],
		['truncated JSON', { kind: 'truncated', count: 1 }],
	] as const)('a request failing halfway through paging (%s) loses nothing', async (_name, fault) => {
		const n = pageSize * 2 + 30;
		const { runner, since } = await activate({ options: { maxEventsPerPoll: 10_000 } });
		advance(5_000);
		for (let i = 0; i < n; i++) sim.control.create({ type: 'prospect', fields: { email: `f${i}@example.com` } });
		advance(2 * MINUTE);
		const path = flavor === 'oauth-v5' ? '/objects/prospects' : '/prospect/';
		let requests = 0;
		const stop = onRequest(runner, (url) => {
			// The fault lasts through every retry of the second page request.
			if (url.includes(path) && ++requests === 2) sim.control.fault({ ...fault, path });
		});
		const failed = await runner.poll();
		expect(failed.error).toBeDefined();
		expect(failed.error!.message).toMatch(/Pardot|connection/);
		expect(runner.emitted).toHaveLength(0);
		stop();
		const retry = runner;
		if (fault.kind === 'pardotError' && fault.code === 122) {
			expect(failed.error!.message).toMatch(/daily API call limit/);
			expect(String((failed.error as { description?: string }).description)).toMatch(/one small request at each poll/);
			// No retry storm and no guessed reset time: while Pardot still answers 122, a poll makes one
			// request and fails with the same clear message.
			sim.control.fault({ kind: 'pardotError', code: 122, count: 1 });
			sim.control.resetStats();
			const still = await runner.poll();
			expect(still.error?.message).toMatch(/daily API call limit/);
			expect(sim.control.stats().total).toBe(1);
			// As soon as Pardot accepts calls again (a reset, or a raised limit), the same trigger goes on.
		}
		for (let poll = 0; poll < 6 && retry.emitted.length < n; poll++) await retry.poll();
		expect(retry.emitted).toHaveLength(n);
		expectExact(retry, since);
	});

	test('n8n restarting between polls: nothing lost, nothing repeated', async () => {
		const { runner, since } = await activate();
		for (let round = 0; round < 4; round++) {
			advance(30_000);
			sim.control.create({ type: 'prospect', fields: { email: `rs${round}@example.com` } });
			sim.control.create({ type: 'opportunity', fields: { name: `rs ${round}` } });
			await settledPoll(runner);
			advance(10_000);
			await runner.poll(); // idle: advances the cursor in memory only (n8n saves nothing)
			runner.restart();
		}
		await settledPoll(runner);
		expect(runner.errors).toEqual([]);
		expect(runner.emitted).toHaveLength(8);
		expectExact(runner, since);
		const stored = runner.persistedNodeState() as IDataObject;
		expect(JSON.parse(JSON.stringify(stored))).toEqual(stored);
	});

	test('two polls of the same workflow overlapping emit each change once', async () => {
		sim.control.configure({ latencyMs: 30 });
		const { runner, since } = await activate();
		advance(5_000);
		for (let i = 0; i < 40; i++) sim.control.create({ type: 'prospect', fields: { email: `o${i}@example.com` } });
		advance(2 * MINUTE);
		const [a, b] = await Promise.all([runner.poll(), runner.poll()]);
		expect(a.error ?? b.error).toBeUndefined();
		await settledPoll(runner);
		expect(runner.emitted).toHaveLength(40);
		expectExact(runner, since);
	});

	test('maxEventsPerPoll cuts a poll short; the rest follow in order, none lost', async () => {
		const { runner, since } = await activate({ options: { maxEventsPerPoll: 100 } });
		for (let i = 0; i < 430; i++) {
			if (i % 50 === 0) advance(1000);
			sim.control.create({ type: 'prospect', fields: { email: `m${i}@example.com` } });
		}
		advance(2 * MINUTE);
		const sizes: number[] = [];
		for (let poll = 0; poll < 8; poll++) {
			const before = runner.emitted.length;
			const outcome = await runner.poll();
			expect(outcome.error).toBeUndefined();
			sizes.push(runner.emitted.length - before);
		}
		expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
		expect(runner.emitted).toHaveLength(430);
		expectExact(runner, since);
	});

	test.each([
		['Created and Updated', ['CREATED', 'UPDATED'], 1],
		['Updated only', ['UPDATED'], 0],
	] as const)('a backlog drains with few calls per poll: one window, no repeated reads (%s)', async (_name, events, creationQuery) => {
		const limit = 500;
		const total = 2300;
		// With Updated only, the backlog is updates of records that existed before activation.
		if (events.length === 1) sim.control.seed({ prospects: total, spreadMs: 10 * MINUTE });
		advance(MINUTE);
		const { runner, since } = await activate({ resources: ['contacts'], events: [...events], options: { maxEventsPerPoll: limit } });
		const existing = sim.control.records({ type: 'prospect' });
		for (let i = 0; i < total; i++) {
			if (i % 40 === 0) advance(1000);
			if (events.length === 1) sim.control.update({ type: 'prospect', id: existing[i].id, fields: { score: i } });
			else sim.control.create({ type: 'prospect', fields: { email: `bk${i}@example.com` } });
		}
		advance(2 * MINUTE);
		const callsPerPoll: number[] = [];
		for (let poll = 0; poll < 8 && runner.emitted.length < total; poll++) {
			sim.control.resetStats();
			expect((await runner.poll()).error).toBeUndefined();
			const s = sim.control.stats().byEndpoint;
			callsPerPoll.push((s['prospect.query'] ?? 0) + (s['v5.prospects'] ?? 0));
		}
		expect(runner.emitted).toHaveLength(total);
		expectExact(runner, since, { resources: ['contacts'], created: events.length > 1 });
		// The window is read in pages sorted by change time, the pages its changes take (no query for where
		// it ends). With Created selected, one more query finds records created in the window and changed after it.
		const steady = Math.ceil(limit / pageSize) + creationQuery;
		expect({ callsPerPoll, steady }).toEqual({ callsPerPoll: callsPerPoll.map((n, i) => (i === 0 || i === callsPerPoll.length - 1 ? n : steady)), steady });
	});

	test('n8n\'s poll time budget cuts a poll short without losing anything', async () => {
		sim.control.configure({ latencyMs: 20 });
		const { runner, since } = await activate({ options: { maxEventsPerPoll: 10_000 } });
		for (let i = 0; i < pageSize * 3; i++) {
			if (i % 100 === 0) advance(1000);
			sim.control.create({ type: 'prospect', fields: { email: `b${i}@example.com` } });
		}
		advance(2 * MINUTE);
		(runner.context as unknown as { getPollBudgetMs: () => number }).getPollBudgetMs = () => 1;
		for (let poll = 0; poll < 12 && runner.emitted.length < pageSize * 3; poll++) {
			const outcome = await runner.poll();
			expect(outcome.error).toBeUndefined();
		}
		expect(runner.emitted).toHaveLength(pageSize * 3);
		expectExact(runner, since);
	});

	test('deletions: DELETED for records moved to the recycle bin', async () => {
		sim.control.seed({ prospects: 10, opportunities: 4 });
		advance(MINUTE);
		const { runner, since } = await activate({ events: ['CREATED', 'UPDATED', 'DELETED'] });
		advance(5_000);
		const p = sim.control.records({ type: 'prospect' })[2];
		const o = sim.control.records({ type: 'opportunity' })[1];
		sim.control.delete({ type: 'prospect', id: p.id });
		sim.control.delete({ type: 'opportunity', id: o.id });
		await settledPoll(runner);
		expect(json(runner.emitted).map((e) => [e.eventType, e.objectType, e.objectId])).toEqual([
			['DELETED', 'contacts', String(p.id)],
			['DELETED', 'leads', String(o.id)],
		]);
		expectExact(runner, since, { deletions: true });
	});

	test('Start From catches up on older changes first; Fetch Test Event never moves the cursor', async () => {
		sim.control.seed({ prospects: 12, opportunities: 3, spreadMs: 60_000 });
		advance(MINUTE);
		const since = Date.parse(START) - 3600_000;
		const runner = triggerRunner(sim, { transport: FAST_RETRIES, flavor, parameters: { options: { startFrom: new Date(since).toISOString() } } });
		runners.push(runner);
		const sample = triggerRunner(sim, { transport: FAST_RETRIES, flavor, runner: { mode: 'manual' } });
		runners.push(sample);
		const test = await sample.poll();
		expect(test.error).toBeUndefined();
		expect(json(sample.emitted).map((e) => e.objectType).sort()).toEqual(['contacts', 'leads']);
		expect(sample.persistedState()).toBe('{}');
		advance(2 * MINUTE);
		await runner.poll();
		expect(runner.emitted).toHaveLength(15);
		expectExact(runner, since);
	});

	test('leads as Salesforce leads: prospects with a lead id and no contact id', async () => {
		const { runner } = await activate({ resources: ['leads'], options: { leadsAre: 'salesforceLeads' } });
		advance(5_000);
		const leadFields = flavor === 'oauth-v5' ? { salesforceLeadId: '00Q000000000001' } : { salesforceLeadId: '00Q000000000001' };
		const lead = sim.control.create({ type: 'prospect', fields: leadFields });
		sim.control.create({ type: 'prospect', fields: { salesforceLeadId: '00Q000000000002', salesforceContactId: '003000000000002' } });
		sim.control.create({ type: 'prospect', fields: { email: 'plain@example.com' } });
		await settledPoll(runner);
		expect(json(runner.emitted).map((e) => [e.objectType, e.objectId])).toEqual([['leads', String(lead.id)]]);
	});
});

test('credentials helper builds both kinds', () => {
	expect(Object.keys(credentialsFor('legacy-v4', 'http://x'))).toEqual(['pardotApi']);
	expect(createHttpHelpers).toBeDefined();
});

test('a credential time zone behind the Pardot user\'s is reported, and the position kept', async () => {
	// The account shows Los Angeles times (UTC-7 in June); the credential says Honolulu (UTC-10),
	// so every v3/v4 date would read three hours late, after Pardot's own clock.
	const sim = await simulator({ clock: '2026-06-01T12:00:00Z', timezone: 'America/Los_Angeles' });
	try {
		sim.control.clock({ freeze: true });
		const runner = triggerRunner(sim, { transport: FAST_RETRIES, flavor: 'legacy-v4', credentials: { timezone: 'Pacific/Honolulu' } });
		expect((await runner.poll()).error).toBeUndefined();
		const cursorAfterActivation = runner.inMemoryNodeState();
		const stored = JSON.stringify(cursorAfterActivation);
		sim.control.clock({ advanceMs: MINUTE });
		sim.control.create({ type: 'prospect', fields: { email: 'tz@example.com' } });
		sim.control.clock({ advanceMs: MINUTE });
		const failed = await runner.poll();
		expect(failed.error?.message).toMatch(/Time Zone/);
		expect(String((failed.error as { description?: string }).description)).toMatch(/Pardot API user's time zone/);
		expect(runner.emitted).toHaveLength(0);
		expect(JSON.stringify(runner.inMemoryNodeState())).toBe(stored);
		runner.close();
	} finally {
		await sim.close();
	}
});
