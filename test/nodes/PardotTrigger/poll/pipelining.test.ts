/**
 * Reads that ask for the next page while the current one is parsed, over real HTTP against the simulator: never
 * a page the read does not use, the same requests and events as one request at a time; and a poll of every
 * resource at once has two requests in flight at most (Pardot allows 5 per user, shared with every
 * integration), where Pardot would refuse a third with error 66. (That the next page goes out before the
 * current one is parsed: transport/paging.test.ts, on pagesById itself.)
 */
import type { IDataObject } from 'n8n-workflow';

import type { Flavor } from '../../../lib/pardot';
import { FAST_RETRIES, MINUTE, simulator, simulatorPerTest, triggerRunner } from '../../../lib/pardot';
import { truthProblems } from '../../../lib/truth';

const START = '2026-11-27T12:00:00Z';
const PAGE = 50;

describe.each(['oauth-v5', 'legacy-v4'] as Flavor[])('pipelined reads (%s)', (flavor) => {
	const env = simulatorPerTest({ clock: START });
	const sim = () => env.sim();

	/** Activates a contacts trigger, makes `n` new prospects a few a second, and polls once they are settled. */
	async function pollOnce(n: number, parameters: IDataObject, pipelined: boolean) {
		const runner = env.track(
			triggerRunner(sim(), { transport: { ...FAST_RETRIES, pageSize: PAGE, pipelined }, flavor, parameters: { resources: ['contacts'], ...parameters } as never }),
		);
		const since = Math.floor(env.now() / 1000) * 1000;
		expect((await runner.poll()).error).toBeUndefined();
		for (let i = 0; i < n; i++) {
			if (i % 7 === 0) env.advance(1000);
			sim().control.create({ type: 'prospect' });
		}
		env.advance(2 * MINUTE);
		sim().control.configure({ latencyMs: 20 });
		sim().control.resetStats();
		const outcome = await runner.poll();
		expect(outcome.error).toBeUndefined();
		const stats = sim().control.stats();
		const queries = sim().control.requests().filter((r) => r.endpoint !== 'login' && r.endpoint !== 'oauth.token');
		sim().control.configure({ latencyMs: 0 });
		return { runner, since, stats, queries: queries.map((q) => JSON.stringify(q.query)), events: runner.emitted.length };
	}

	test('a poll that reads every page asks for the pages the changes take, no page more', async () => {
		const n = 4 * PAGE + 30;
		const { runner, since, stats, events } = await pollOnce(n, {}, true);
		expect(events).toBe(n);
		expect(truthProblems(sim(), runner.emitted, { since, resources: ['contacts'] })).toEqual([]);
		// The pages the changes take, no more (v3/v4 know from total_results that the fifth is the last).
		expect(stats.total).toBe(Math.ceil(n / PAGE));
		// One stream: the next page goes out once the current one has arrived, while it is parsed.
		expect(stats.maxInFlight).toBe(1);
	});

	test.each([
		['every change fits', {}],
		['Max Events Per Poll stops the read early (a window follows)', { options: { maxEventsPerPoll: 120 } }],
	])('%s: the same requests and events as one request at a time', async (_name, parameters) => {
		const n = 4 * PAGE + 30;
		const pipelined = await pollOnce(n, parameters, true);
		sim().control.reset();
		sim().control.clock({ set: START, freeze: true });
		const oneByOne = await pollOnce(n, parameters, false);
		expect(oneByOne.stats.maxInFlight).toBe(1);
		expect(pipelined.events).toBe(oneByOne.events);
		expect([...pipelined.queries].sort()).toEqual([...oneByOne.queries].sort());
	});
});

test('every resource of a poll at once (v5): never more than two requests in flight, so Pardot never answers 66', async () => {
	const sim = await simulator({ clock: START });
	const runner = triggerRunner(sim, {
		transport: { ...FAST_RETRIES, pageSize: PAGE },
		flavor: 'oauth-v5',
		parameters: { resources: ['contacts', 'leads', 'visitorActivities', 'listMemberships', 'lists', 'campaigns', 'visitors'], options: { maxEventsPerPoll: 5000 } } as never,
	});
	try {
		sim.control.clock({ freeze: true });
		expect((await runner.poll()).error).toBeUndefined();
		sim.control.clock({ advanceMs: 5 * MINUTE });
		// Every kind of record, several pages of each, written over the last three minutes.
		const n = 3 * PAGE;
		sim.control.seed({ campaigns: n, lists: n, prospects: n, opportunities: n, visitors: n, listMemberships: n, visitorActivities: n, spreadMs: 3 * MINUTE });
		sim.control.clock({ advanceMs: 2 * MINUTE });
		// Pardot refuses a third request in flight here: one the trigger sent would be answered 66 and retried.
		sim.control.configure({ latencyMs: 20, maxConcurrentRequests: 2 });
		sim.control.resetStats();
		expect((await runner.poll()).error).toBeUndefined();
		expect(sim.control.stats().maxInFlight).toBe(2);
		expect(runner.emitted.length).toBeGreaterThanOrEqual(7 * n);
	} finally {
		runner.close();
		await sim.close();
	}
});
