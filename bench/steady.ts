/**
 * Static data in steady state: 1,000 consecutive one-minute polls of contacts and leads, with a few
 * changes (updates and creates, at random instants) written between polls.
 */
import type { RemoteSim } from './remote';
import type { Resource } from './lib';
import { countCalls, forgetSessions, itemsOf, liveStateBytes, makeRunner, MINUTE, stateBytes } from './lib';
import type { Flavor } from '../test/lib/pardot';

export interface SteadyRun {
	flavor: Flavor;
	resources: Resource[];
	polls: number;
	changes: number;
	events: number;
	dataCalls: number;
	/** The API floor summed over the polls: 1 query per resource, except v3/v4 opportunities: all pages. */
	floorCalls: number;
	logins: number;
	/** Persisted (what n8n stores) after the last poll, and the largest seen after any poll. */
	finalBytes: number;
	maxBytes: number;
	/** The largest in-memory state (saved only when a poll emits). */
	maxLiveBytes: number;
	/** Bytes after poll 10, 100 and 1,000: flat means it does not grow with history. */
	bytesAt: Record<number, number>;
	ms: number;
}

/** mulberry32: the same changes on every run. */
export function prng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export async function runSteady(sim: RemoteSim, flavor: Flavor, polls: number, latencyMs: number, seed = 7): Promise<SteadyRun> {
	await sim.reset();
	forgetSessions();
	// The simulated clock runs a minute per poll, thousands of times faster than real time, while the
	// trigger renews its api_key after a real hour (as it should): keep the key valid in simulated
	// time so the run does not count expiries that real time would never produce.
	await sim.configure({ latencyMs, apiKeyLifetimeMs: 365 * 24 * 60 * MINUTE });
	let now = await sim.clock({ freeze: true });
	// Opportunities kept under one v3/v4 page: that API reads them all on every poll.
	const pool = {
		prospect: await sim.bulkCreate({ type: 'prospect', n: 1000, fromMs: now - 24 * 60 * MINUTE, toMs: now - 60 * MINUTE }),
		opportunity: await sim.bulkCreate({ type: 'opportunity', n: 150, fromMs: now - 24 * 60 * MINUTE, toMs: now - 60 * MINUTE }),
	};
	now = await sim.clock({ advanceMs: MINUTE });
	const resources: Resource[] = ['contacts', 'leads'];
	const runner = makeRunner(sim.baseUrl, { flavor, resources });
	const random = prng(seed);
	let changes = 0;
	let events = 0;
	let maxBytes = 0;
	let maxLiveBytes = 0;
	let floorCalls = 0;
	const bytesAt: Record<number, number> = {};
	try {
		const activation = await runner.poll();
		if (activation.error) throw activation.error;
		await sim.resetStats();
		const started = performance.now();
		for (let i = 1; i <= polls; i++) {
			now = await sim.clock({ advanceMs: MINUTE });
			for (const type of ['prospect', 'opportunity'] as const) {
				// 0 to 4 changes per resource and minute: mostly updates, one in five a new record.
				const count = Math.floor(random() * 5);
				const ids: number[] = [];
				let creates = 0;
				for (let k = 0; k < count; k++) {
					if (random() < 0.2) creates++;
					else ids.push(pool[type].first + Math.floor(random() * (pool[type].last - pool[type].first + 1)));
				}
				const fromMs = now - 59_000 + Math.floor(random() * 30_000);
				const toMs = now - Math.floor(random() * 20_000);
				if (ids.length) await sim.bulkUpdate({ type, ids, fromMs, toMs, tag: i });
				if (creates) {
					const created = await sim.bulkCreate({ type, n: creates, fromMs, toMs, tag: 10_000 + i * 10 });
					pool[type].last = created.last;
				}
				changes += count;
			}
			const opportunities = pool.opportunity.last - pool.opportunity.first + 1;
			floorCalls += 1 + (flavor.startsWith('legacy') ? Math.ceil(opportunities / 200) : 1);
			const outcome = await runner.poll();
			if (outcome.error) throw outcome.error;
			events += itemsOf(outcome.items).length;
			const bytes = stateBytes(runner);
			maxBytes = Math.max(maxBytes, bytes);
			maxLiveBytes = Math.max(maxLiveBytes, liveStateBytes(runner));
			if (i === 10 || i === 100 || i === polls) bytesAt[i] = bytes;
		}
		const ms = performance.now() - started;
		const calls = countCalls(await sim.stats());
		return {
			flavor,
			resources,
			polls,
			changes,
			events,
			dataCalls: calls.data,
			floorCalls,
			logins: calls.logins,
			finalBytes: stateBytes(runner),
			maxBytes,
			maxLiveBytes,
			bytesAt,
			ms,
		};
	} finally {
		runner.close();
	}
}
