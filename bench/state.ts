/**
 * The trigger's saved state and calls where they could grow: a burst of changes sharing one second,
 * larger than Max Events Per Poll, followed by a backlog; and a v3/v4 account through the hour a
 * daylight-saving fall-back repeats, with steady traffic.
 */
import type { RemoteSim } from './remote';
import type { Combo } from './lib';
import { countCalls, forgetSessions, itemsOf, makeRunner, MINUTE, stateBytes } from './lib';

export interface BurstRun {
	combo: Combo;
	burst: number;
	backlog: number;
	limit: number;
	polls: number;
	/** Data calls of each poll, in order. */
	callsPerPoll: number[];
	events: number;
	uniqueEvents: number;
	maxStateBytes: number;
}

/** `burst` records created in one second, then `backlog` more over the next minutes, drained `limit` per poll. */
export async function runBurst(sim: RemoteSim, combo: Combo, burst: number, backlog: number, limit: number): Promise<BurstRun> {
	await sim.reset();
	forgetSessions();
	let now = await sim.clock({ freeze: true });
	const runner = makeRunner(sim.baseUrl, { flavor: combo.flavor, resources: [combo.resource], maxEventsPerPoll: limit });
	try {
		const activation = await runner.poll();
		if (activation.error) throw activation.error;
		now = await sim.clock({ advanceMs: 10_000 });
		await sim.bulkCreate({ type: combo.type, n: burst, fromMs: now, toMs: now, tag: 1 });
		await sim.bulkCreate({ type: combo.type, n: backlog, fromMs: now + 1000, toMs: now + 3 * MINUTE, tag: 2 });
		await sim.clock({ advanceMs: 5 * MINUTE });
		const ids = new Set<string>();
		const callsPerPoll: number[] = [];
		let events = 0;
		let maxStateBytes = 0;
		while (ids.size < burst + backlog && callsPerPoll.length < 1000) {
			await sim.resetStats();
			const outcome = await runner.poll();
			if (outcome.error) throw outcome.error;
			callsPerPoll.push(countCalls(await sim.stats()).data);
			const items = itemsOf(outcome.items);
			events += items.length;
			for (const item of items) ids.add(String(item.json.eventId));
			maxStateBytes = Math.max(maxStateBytes, stateBytes(runner));
			await sim.clock({ advanceMs: MINUTE });
		}
		return { combo, burst, backlog, limit, polls: callsPerPoll.length, callsPerPoll, events, uniqueEvents: ids.size, maxStateBytes };
	} finally {
		runner.close();
	}
}

export interface DstRun {
	combo: Combo;
	zone: string;
	changesPer10Min: number;
	polls: number;
	events: number;
	uniqueEvents: number;
	maxStateBytes: number;
	/** Largest state seen outside the two hours around the fall-back. */
	maxStateBytesElsewhere: number;
}

/**
 * One poll a minute from 00:00 to 04:00 local on the night New York falls back (01:00-02:00 happens
 * twice), `changesPer10Min` updates of a pool of records between polls.
 */
export async function runDst(sim: RemoteSim, combo: Combo, changesPer10Min: number, seed = 11): Promise<DstRun> {
	const zone = 'America/New_York';
	await sim.reset();
	forgetSessions();
	await sim.configure({ timezone: zone, apiKeyLifetimeMs: 365 * 24 * 60 * MINUTE });
	let now = await sim.clock({ set: '2026-11-01T03:50:00Z', freeze: true });
	const pool = await sim.bulkCreate({ type: combo.type, n: 5000, fromMs: now - 24 * 60 * MINUTE, toMs: now - 60 * MINUTE });
	now = await sim.clock({ advanceMs: 10 * MINUTE });
	const runner = makeRunner(sim.baseUrl, { flavor: combo.flavor, resources: [combo.resource], timezone: zone });
	let state = seed >>> 0;
	const random = () => {
		state = (Math.imul(state, 1103515245) + 12345) >>> 0;
		return state / 4294967296;
	};
	const fallBackStart = Date.parse('2026-11-01T05:00:00Z');
	const fallBackEnd = Date.parse('2026-11-01T07:00:00Z');
	try {
		const activation = await runner.poll();
		if (activation.error) throw activation.error;
		const ids = new Set<string>();
		let events = 0;
		let polls = 0;
		let maxStateBytes = 0;
		let maxStateBytesElsewhere = 0;
		const perMinute = changesPer10Min / 10;
		for (let minute = 0; minute < 240; minute++) {
			now = await sim.clock({ advanceMs: MINUTE });
			const count = Math.floor(perMinute) + (random() < perMinute % 1 ? 1 : 0);
			const changed = Array.from({ length: count }, () => pool.first + Math.floor(random() * (pool.last - pool.first + 1)));
			if (changed.length) await sim.bulkUpdate({ type: combo.type, ids: changed, fromMs: now - 59_000, toMs: now - 1_000, tag: minute });
			const outcome = await runner.poll();
			if (outcome.error) throw outcome.error;
			polls++;
			const items = itemsOf(outcome.items);
			events += items.length;
			for (const item of items) ids.add(String(item.json.eventId));
			const bytes = stateBytes(runner);
			maxStateBytes = Math.max(maxStateBytes, bytes);
			if (now < fallBackStart || now > fallBackEnd + 10 * MINUTE) maxStateBytesElsewhere = Math.max(maxStateBytesElsewhere, bytes);
		}
		return { combo, zone, changesPer10Min, polls, events, uniqueEvents: ids.size, maxStateBytes, maxStateBytesElsewhere };
	} finally {
		runner.close();
	}
}
