/**
 * Latency: how long after a change the trigger emits it, when reads lag writes as v5 documents (up to
 * 60 s). One resource (contacts), a poll every simulated minute on the frozen clock, changes at random
 * instants between polls, a tenth of them visible late (the simulator's lateWriteShare, applied to v3/v4
 * too). Each event is matched to its change through the simulator's history (true write instant, and
 * the instant it became visible).
 */
import type { RemoteSim } from './remote';
import { countCalls, forgetSessions, itemsOf, makeRunner, MINUTE, stateBytes } from './lib';
import { prng } from './steady';
import type { Flavor } from '../test/lib/pardot';

export type Variant = 'settled' | 'visible';

/** p50, p95 and max of a set of durations (ms; nearest rank), and how many. */
export interface Spread {
	n: number;
	p50: number;
	p95: number;
	max: number;
}

export interface LatencyRun {
	flavor: Flavor;
	/** 'settled': the trigger as it is ("before"); 'visible': passed on as emitWhenVisible ("after"). */
	variant: Variant;
	/** Polls measured: one a minute while changes are made, then QUIET_POLLS with none. */
	polls: number;
	changes: number;
	/** Changes visible late (lateWriteShare). */
	late: number;
	events: number;
	/** Changes no poll of the run emitted (late ones among them apart). */
	neverEmitted: number;
	lateNeverEmitted: number;
	/** Changes emitted by more than one poll. */
	emittedTwice: number;
	/** Events that match no change of the run. */
	unmatched: number;
	/** Changes hidden by a later version of the same record visible before them (the run avoids them: 0). */
	superseded: number;
	/** emitted − made and emitted − visible, for the changes visible at once and the late ones apart. */
	sinceMade: { onTime: Spread; late: Spread };
	sinceVisible: { onTime: Spread; late: Spread; all: Spread };
	/** emitted − the first poll at or after the change was visible: 0 when the trigger is at the limit. */
	beyondLimit: Spread;
	dataCalls: number;
	/** Polls that emitted nothing and renewed no credential, and the most data calls one of them made. */
	idlePolls: number;
	idleCallsMax: number;
	idleCalls: number;
	logins: number;
	maxStateBytes: number;
	ms: number;
}

/** Polls after the last change: 3 quiet minutes, then two more. */
export const QUIET_POLLS = 5;

export const LATE_WRITES = { lateWriteShare: 0.1, lateWriteMaxMs: 60_000, lateWriteApis: 'all' as const };

/** Nearest-rank percentiles. */
export function spread(values: number[]): Spread {
	const sorted = [...values].sort((a, b) => a - b);
	const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
	if (sorted.length === 0) return { n: 0, p50: NaN, p95: NaN, max: NaN };
	return { n: sorted.length, p50: rank(0.5), p95: rank(0.95), max: sorted[sorted.length - 1] };
}

interface Change {
	id: number;
	at: number;
	visibleAt: number;
	/** Poll instants that emitted it. */
	emitted: number[];
}

const keyOf = (id: number | string, ms: number) => `${id}|${Math.floor(ms / 1000)}`;

export async function runLatency(sim: RemoteSim, flavor: Flavor, variant: Variant, polls: number, seed = 11): Promise<LatencyRun> {
	await sim.reset();
	forgetSessions();
	// As in steady.ts: the legacy api_key must not expire at a simulated minute per poll. Latency 0: the
	// clock is frozen, so a request's own time never counts.
	await sim.configure({ latencyMs: 0, apiKeyLifetimeMs: 365 * 24 * 60 * MINUTE });
	let now = await sim.clock({ freeze: true });
	const pool = await sim.bulkCreate({ type: 'prospect', n: 1000, fromMs: now - 24 * 60 * MINUTE, toMs: now - 60 * MINUTE });
	await sim.configure(LATE_WRITES);
	now = await sim.clock({ advanceMs: MINUTE });
	const runner = makeRunner(sim.baseUrl, { flavor, resources: ['contacts'], variant });
	const random = prng(seed);
	const changes: Change[] = [];
	const byKey = new Map<string, Change>();
	/** When each pool record was last changed: none is changed twice within 3 minutes, so each change is seen on its own. */
	const lastChanged = new Map<number, number>();
	const pollTimes: number[] = [];
	let events = 0;
	let unmatched = 0;
	let dataCalls = 0;
	let logins = 0;
	let idlePolls = 0;
	let idleCalls = 0;
	let idleCallsMax = 0;
	let maxStateBytes = 0;
	const poll = async () => {
		await sim.resetStats();
		const outcome = await runner.poll();
		if (outcome.error) throw outcome.error;
		const calls = countCalls(await sim.stats());
		dataCalls += calls.data;
		logins += calls.logins;
		pollTimes.push(now);
		const items = itemsOf(outcome.items);
		events += items.length;
		// Idle: nothing emitted and no credential renewed (on v5 an expired token costs one rejected request first).
		if (items.length === 0 && calls.logins === 0) {
			idlePolls++;
			idleCalls += calls.data;
			idleCallsMax = Math.max(idleCallsMax, calls.data);
		}
		for (const item of items) {
			const change = byKey.get(keyOf(String(item.json.objectId), Date.parse(String(item.json.date))));
			if (change) change.emitted.push(now);
			else unmatched++;
		}
		maxStateBytes = Math.max(maxStateBytes, stateBytes(runner));
	};
	try {
		const activation = await runner.poll();
		if (activation.error) throw activation.error;
		const started = performance.now();
		for (let i = 1; i <= polls; i++) {
			const previous = now;
			now = await sim.clock({ advanceMs: MINUTE });
			// 0 to 4 changes a minute at random instants strictly between the polls: mostly updates, one in five a new contact.
			const count = Math.floor(random() * 5);
			const instants = Array.from({ length: count }, () => previous + 1 + Math.floor(random() * (MINUTE - 1))).sort((a, b) => a - b);
			for (const [k, at] of instants.entries()) {
				let id: number;
				if (random() < 0.2) {
					id = (await sim.bulkCreate({ type: 'prospect', n: 1, fromMs: at, toMs: at, tag: 100_000 + i * 10 + k })).first;
				} else {
					do id = pool.first + Math.floor(random() * (pool.last - pool.first + 1));
					while ((lastChanged.get(id) ?? -Infinity) > at - 3 * MINUTE);
					lastChanged.set(id, at);
					await sim.bulkUpdate({ type: 'prospect', ids: [id], fromMs: at, toMs: at, tag: i * 10 + k });
				}
				const change: Change = { id, at, visibleAt: at, emitted: [] };
				changes.push(change);
				byKey.set(keyOf(id, at), change);
			}
			// The instant each change becomes visible, from the simulator's history.
			for (const change of changes.slice(changes.length - count)) {
				const version = (await sim.history('prospect', change.id)).find((v) => Date.parse(v.writtenAt) === change.at);
				if (!version) throw new Error(`no version of prospect ${change.id} written at ${new Date(change.at).toISOString()}`);
				change.visibleAt = version.visibleAt === undefined ? change.at : Date.parse(version.visibleAt);
			}
			await poll();
		}
		// Everything settles: 3 quiet minutes, polled as usual (a 3-minute jump would add up to 2 minutes to
		// the changes of the last minute), then two more polls.
		for (let k = 0; k < QUIET_POLLS; k++) {
			now = await sim.clock({ advanceMs: MINUTE });
			await poll();
		}
		const ms = performance.now() - started;

		// A version hidden for good: a later one of the same record visible no later than it.
		const superseded = changes.filter((c) => changes.some((d) => d.id === c.id && d.at > c.at && d.visibleAt <= c.visibleAt));
		const emitted = changes.filter((c) => c.emitted.length > 0);
		const late = (c: Change) => c.visibleAt > c.at;
		const firstPollAfter = (t: number) => pollTimes.find((p) => p >= t) ?? NaN;
		const delays = (list: Change[], from: (c: Change) => number) => spread(list.map((c) => c.emitted[0] - from(c)));
		return {
			flavor,
			variant,
			polls: pollTimes.length,
			changes: changes.length,
			late: changes.filter(late).length,
			events,
			neverEmitted: changes.length - emitted.length,
			lateNeverEmitted: changes.filter((c) => late(c) && c.emitted.length === 0).length,
			emittedTwice: changes.filter((c) => c.emitted.length > 1).length,
			unmatched,
			superseded: superseded.length,
			sinceMade: {
				onTime: delays(emitted.filter((c) => !late(c)), (c) => c.at),
				late: delays(emitted.filter(late), (c) => c.at),
			},
			sinceVisible: {
				onTime: delays(emitted.filter((c) => !late(c)), (c) => c.visibleAt),
				late: delays(emitted.filter(late), (c) => c.visibleAt),
				all: delays(emitted, (c) => c.visibleAt),
			},
			beyondLimit: delays(emitted, (c) => firstPollAfter(c.visibleAt)),
			dataCalls,
			idlePolls,
			idleCalls,
			idleCallsMax,
			logins,
			maxStateBytes,
			ms,
		};
	} finally {
		runner.close();
	}
}
