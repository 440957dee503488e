/**
 * Calls vs. the physical minimum, wall time vs. bare transfer, and static data after the poll, for
 * one combo and one number of changes. One run = a fresh simulator state, an activation poll, the
 * changes, then the measured poll (maxEventsPerPoll above N so one poll takes everything).
 */
import type { INodeExecutionData } from 'n8n-workflow';

import type { RemoteSim } from './remote';
import type { Combo, CallCount } from './lib';
import { bareTransfer, countCalls, forgetSessions, inFlightMs, itemsOf, makeRunner, MINUTE, stateBytes, warmUp } from './lib';

/** Records of the watched type that exist, unchanged, before the activation poll. */
export const BASELINE = 1000;

export interface CallsCase {
	combo: Combo;
	n: number;
	/** Every change at the same instant (one updated_at). */
	sameInstant?: boolean;
	/** Default: above N, so one poll takes all. */
	maxEventsPerPoll?: number;
	/** Changes of other kinds written with the N, which the trigger must not emit (visitor activities: email opens). */
	noise?: number;
	/** Options → Activity Types. */
	activityTypes?: string[];
}

/** The noise of a visitor activity row: email opens (type 11), which Activity Types = Form Submission leaves out. */
export const EMAIL_OPEN = { type: 11, typeName: 'Email', formId: null, emailId: 4401, visitorId: null, details: 'November newsletter' };

export interface CallsRun {
	events: number;
	uniqueEvents: number;
	activation: CallCount;
	poll: CallCount;
	pollMs: number;
	bareMs: number;
	/** pollMs / bareMs of this run. */
	ratio: number;
	/** The same poll, one request at a time (transport.pipelined false: the trigger before pipelined reads), and its ratio. */
	oneByOneMs: number;
	oneByOneRatio: number;
	/** Sum of the poll's request durations: the rest of pollMs is the trigger's own work. */
	requestMs: number;
	/**
	 * The trigger's own time: the poll's wall time while none of its requests was waiting for an answer (n8n's
	 * preparation of a request, reading and parsing bodies, the plan and the events). Unlike pollMs, free of how
	 * long the simulator took to answer this time.
	 */
	ownMs?: number;
	/** The same for the bare loop: n8n preparing each request and reading each body, as in the poll. */
	bareOwnMs?: number;
	stateBytes: number;
	items?: INodeExecutionData[];
}

/** Fresh store: BASELINE records of the combo's type, written over the day before, clock frozen. */
export async function freshStore(sim: RemoteSim, combo: Combo, baseline = BASELINE): Promise<number> {
	await sim.reset();
	forgetSessions();
	const now = await sim.clock({ freeze: true });
	if (baseline > 0) await sim.bulkCreate({ type: combo.type, n: baseline, fromMs: now - 24 * 60 * MINUTE, toMs: now - 60 * MINUTE });
	return await sim.clock({ advanceMs: MINUTE });
}

/**
 * Writes n changes as creates over the last 50 s (or all at one instant), then lets them settle. `noise`: as many
 * records again of a kind the trigger must leave out (email opens among form submissions), over the same seconds.
 */
export async function makeChanges(sim: RemoteSim, combo: Combo, n: number, sameInstant = false, tag = 0, noise = 0): Promise<void> {
	const now = await sim.clock({ advanceMs: MINUTE });
	const fromMs = sameInstant ? now - 30_000 : now - 50_000;
	const toMs = sameInstant ? fromMs : now - 1_000;
	if (n > 0) await sim.bulkCreate({ type: combo.type, n, fromMs, toMs, tag: 1_000_000 + tag });
	if (noise > 0) await sim.bulkCreate({ type: combo.type, n: noise, fromMs, toMs, tag: 3_000_000 + tag, fields: EMAIL_OPEN });
	// Past the settle margin of every API version (5 s for v3/v4, 65 s for v5).
	await sim.clock({ advanceMs: 3 * MINUTE });
}

export async function runCallsCase(sim: RemoteSim, c: CallsCase, keepItems = false): Promise<CallsRun> {
	const { combo, n } = c;
	await freshStore(sim, combo);
	const setup = {
		flavor: combo.flavor,
		resources: [combo.resource],
		events: combo.events,
		activityTypes: c.activityTypes,
		maxEventsPerPoll: c.maxEventsPerPoll ?? Math.max(1000, n + (c.noise ?? 0) + 1000),
	};
	const runner = makeRunner(sim.baseUrl, setup);
	// The same trigger reading one request at a time, activated at the same instant: the same poll, before.
	const oneByOne = makeRunner(sim.baseUrl, { ...setup, pipelined: false });
	try {
		await sim.resetStats();
		const before = await oneByOne.poll();
		if (before.error) throw before.error;
		// The login (v3/v4) is shared by the two triggers: it counts for the activation.
		const shared = countCalls(await sim.stats()).logins;
		await sim.resetStats();
		const activation = await runner.poll();
		if (activation.error) throw activation.error;
		const activated = countCalls(await sim.stats());
		const activationCalls = { ...activated, logins: activated.logins + shared };

		await makeChanges(sim, combo, n, c.sameInstant, 0, c.noise);
		await warmUp(runner, sim.baseUrl);
		await sim.resetStats();
		const firstRequest = runner.http.requests.length;
		const started = performance.now();
		const outcome = await runner.poll();
		const pollMs = performance.now() - started;
		if (outcome.error) throw outcome.error;
		const poll = countCalls(await sim.stats());
		const requests = runner.http.requests.slice(firstRequest);
		const items = itemsOf(outcome.items);
		await warmUp(oneByOne, sim.baseUrl);
		const startedBefore = performance.now();
		const beforeOutcome = await oneByOne.poll();
		const oneByOneMs = performance.now() - startedBefore;
		if (beforeOutcome.error) throw beforeOutcome.error;
		const bare = await bareTransfer(runner, sim.baseUrl, combo.flavor, requests);
		const bareMs = bare.ms;
		return {
			events: items.length,
			uniqueEvents: new Set(items.map((i) => i.json.eventId)).size,
			activation: activationCalls,
			poll,
			pollMs,
			bareMs,
			ratio: pollMs / bareMs,
			oneByOneMs,
			oneByOneRatio: oneByOneMs / bareMs,
			requestMs: requests.reduce((sum, r) => sum + r.ms, 0),
			ownMs: pollMs - inFlightMs(requests),
			bareOwnMs: bare.ownMs,
			stateBytes: stateBytes(runner),
			items: keepItems ? items : undefined,
		};
	} finally {
		runner.close();
		oneByOne.close();
	}
}

/** The physical minimum: one query per watched resource when idle, ceil(N / page size) otherwise. */
export function minimumCalls(combo: Combo, n: number): number {
	return n === 0 ? 1 : Math.ceil(n / combo.pageSize);
}

/**
 * What the API allows at best, where it differs: v3/v4 opportunities have no update filter, so finding the
 * changed ones means reading every opportunity (BASELINE + N here); v3/v4 read the recycle bin in a query of its
 * own (list memberships: no `deleted=all`); v5 visitor activities have no documented type filter, so with
 * Activity Types every new activity is read (N + noise).
 */
export function apiFloorCalls(combo: Combo, n: number, baseline = BASELINE, noise = 0): number {
	if (combo.readsAll) return Math.max(1, Math.ceil((baseline + n) / combo.pageSize));
	return minimumCalls(combo, combo.typesClientSide ? n + noise : n) + (combo.extraQueries ?? 0);
}

export interface DrainRun {
	/** Every poll until all n changes were emitted, empty ones included. */
	polls: number;
	/** Polls that emitted nothing although changes were still pending. */
	emptyPolls: number;
	calls: number;
	/** Data calls that looked up records created inside a window and changed after it (CREATED selected). */
	lookups: number;
	logins: number;
	events: number;
	uniqueEvents: number;
	ms: number;
	maxStateBytes: number;
	finalStateBytes: number;
	/** Gave up: this many polls in a row emitted nothing, or maxPolls was reached. */
	stalled: boolean;
}

/**
 * Catches up on n changes, poll after poll, until all n were emitted: from `startFrom` (backfill),
 * or from an activation before the changes (draining a burst).
 */
export async function drain(
	sim: RemoteSim,
	combo: Combo,
	options: {
		startFrom?: string;
		maxEventsPerPoll?: number;
		maxPolls?: number;
		n: number;
		sameInstant?: boolean;
		/** Records the trigger must leave out, written with the n (see makeChanges). */
		noise?: number;
		activityTypes?: string[];
	},
): Promise<DrainRun> {
	const runner = makeRunner(sim.baseUrl, {
		flavor: combo.flavor,
		resources: [combo.resource],
		events: combo.events,
		activityTypes: options.activityTypes,
		maxEventsPerPoll: options.maxEventsPerPoll,
		startFrom: options.startFrom,
	});
	try {
		if (!options.startFrom) {
			const activation = await runner.poll();
			if (activation.error) throw activation.error;
			await makeChanges(sim, combo, options.n, options.sameInstant, 0, options.noise);
		}
		await sim.resetStats();
		const ids = new Set<string>();
		let events = 0;
		let polls = 0;
		let emptyPolls = 0;
		let emptyInARow = 0;
		let maxStateBytes = 0;
		let ms = 0;
		let stalled = false;
		const maxPolls = options.maxPolls ?? 10_000;
		while (ids.size < options.n) {
			if (polls >= maxPolls || emptyInARow >= 5) {
				stalled = true;
				break;
			}
			const started = performance.now();
			const outcome = await runner.poll();
			ms += performance.now() - started;
			if (outcome.error) throw outcome.error;
			const items = itemsOf(outcome.items);
			polls++;
			if (items.length === 0) {
				emptyPolls++;
				emptyInARow++;
			} else {
				emptyInARow = 0;
			}
			events += items.length;
			for (const item of items) ids.add(String(item.json.eventId));
			maxStateBytes = Math.max(maxStateBytes, stateBytes(runner));
		}
		const counted = countCalls(await sim.stats());
		// The creation lookups are the only contact queries with a creation-time filter.
		const lookups = runner.http.requests.filter((q) => /[?&](createdAtAfterOrEqualTo|created_after)=/.test(q.url)).length;
		return {
			polls,
			emptyPolls,
			calls: counted.data,
			lookups,
			logins: counted.logins,
			events,
			uniqueEvents: ids.size,
			ms,
			maxStateBytes,
			finalStateBytes: stateBytes(runner),
			stalled,
		};
	} finally {
		runner.close();
	}
}
