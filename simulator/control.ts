/**
 * The control API: `sim.control.<name>(...)` in process, `POST /__sim/<name>` with a JSON body over
 * HTTP (controlReply; `onRequest` in process only). Writes records at a chosen simulated time, seeds
 * sample data, sets options, the clock, faults and the request hook, and reads the truth: records
 * (now or as of an instant), their history, stats, the request log, usage. Contract: ARCHITECTURE.md.
 */
import { cloneConfig } from './config';
import {
	activityNeedsProspect,
	pickActivityKind,
	randomCampaignChange,
	randomChange as randomProspectChange,
	randomListChange,
	randomOpportunityChange,
	sampleActivity,
	sampleCampaign,
	sampleList,
	sampleOpportunity,
	sampleProspect,
	sampleVisitor,
} from './data';
import { settleImports } from './imports';
import { OBJECTS, RECORD_TYPES, activityTypeName, isRecordType } from './objects';
import { jsonReply, type Reply } from './render';
import type { SimState } from './state';
import { parseControlInstant, renderUtcIso } from './time';
import type {
	ActivityOptions,
	FaultKind,
	MembershipOptions,
	RecordType,
	SeedOptions,
	SeedResult,
	SimRecord,
	SimulatorControl,
	WriteOptions,
} from './types';

const FAULT_KINDS: FaultKind[] = ['pardotError', 'http', 'html', 'truncated', 'reset', 'resetAfter', 'delay'];

function writeAt(state: SimState, at: string | undefined): number {
	return at === undefined ? state.now() : parseControlInstant(at, 'at');
}

function simRecord(state: SimState, type: RecordType, id: number): SimRecord {
	const record = state.store.get(type, id);
	return state.store.toSimRecord(state.store.current(record));
}

function checkType(type: unknown): RecordType {
	if (!isRecordType(type)) throw new Error(`type must be one of ${RECORD_TYPES.map((t) => `'${t}'`).join(', ')}`);
	return type;
}

/** Visitor activities and visitors have no recycle bin (docs/pardot-objects.md): nothing to delete or restore. */
function checkBin(type: RecordType): void {
	if (!OBJECTS[type].recycleBin) throw new Error(`${OBJECTS[type].label} have no recycle bin in Pardot: they cannot be deleted or restored`);
}

/** Fields as the control API takes them; a visitor activity gets its typeName from its ids when none is given. */
function writeFields(state: SimState, type: RecordType, input: Record<string, unknown> | undefined, current?: Record<string, unknown>) {
	const fields = state.store.normalizeFields(type, input);
	if (type === 'visitorActivity' && !current && (fields.typeName === undefined || fields.typeName === null)) {
		fields.typeName = activityTypeName(fields);
	}
	return fields;
}

function liveIds(state: SimState, type: RecordType): number[] {
	return state.store
		.latest(type)
		.filter((r) => !r.deleted)
		.map((r) => r.id);
}

const count = (n: number | undefined) => Math.max(0, Math.floor(n ?? 0));

/**
 * Sample records, each kind spread evenly over [at - spreadMs, at], oldest first, so ids grow with
 * createdAt. Campaigns, lists and prospects come first, so that what follows in the same call can
 * point at them: opportunities and visitors at prospects and campaigns, list memberships at live
 * lists and prospects (a few opted out), activities at prospects, visitors and campaigns.
 */
export function seedRecords(state: SimState, options: SeedOptions = {}): SeedResult {
	const { store } = state;
	const rng = state.sampleRng;
	const end = writeAt(state, options.at);
	const spread = Math.max(0, options.spreadMs ?? 0);
	const timeOf = (i: number, n: number) => (n <= 1 || spread === 0 ? end : end - spread + Math.round((spread * i) / (n - 1)));
	const result: SeedResult = {
		prospectIds: [],
		opportunityIds: [],
		campaignIds: [],
		listIds: [],
		visitorIds: [],
		listMembershipIds: [],
		visitorActivityIds: [],
	};
	const add = (type: RecordType, fields: Record<string, unknown>, at: number, into: number[]) => {
		into.push(store.create(type, store.normalizeFields(type, fields), at).id);
	};

	const campaigns = count(options.campaigns);
	const existingCampaigns = store.ids('campaign').length;
	for (let i = 0; i < campaigns; i++) add('campaign', sampleCampaign(rng, existingCampaigns + i + 1), timeOf(i, campaigns), result.campaignIds);
	const campaignPool = liveIds(state, 'campaign');
	// Prospects and opportunities draw a campaign number 1-12; with campaigns in the account, it names one of them.
	const campaignOf = (fields: Record<string, unknown>) => {
		if (campaignPool.length > 0) fields.campaignId = campaignPool[((fields.campaignId as number) - 1) % campaignPool.length];
		return fields;
	};

	const lists = count(options.lists);
	const existingLists = store.ids('list').length;
	for (let i = 0; i < lists; i++) add('list', sampleList(rng, existingLists + i + 1, campaignPool), timeOf(i, lists), result.listIds);

	const prospects = count(options.prospects);
	const existing = store.ids('prospect').length;
	for (let i = 0; i < prospects; i++) {
		const at = timeOf(i, prospects);
		const fields = campaignOf(sampleProspect(rng, existing + i + 1));
		if (rng.next() < 0.7) fields.lastActivityAt = at + Math.floor(rng.next() * Math.max(0, end - at));
		add('prospect', fields, at, result.prospectIds);
	}
	const pool = liveIds(state, 'prospect');
	const opportunities = count(options.opportunities);
	for (let i = 0; i < opportunities; i++) {
		const at = timeOf(i, opportunities);
		const fields = campaignOf(sampleOpportunity(rng, pool));
		if (fields.status !== 'open') fields.closedAt = at;
		add('opportunity', fields, at, result.opportunityIds);
	}

	const visitors = count(options.visitors);
	for (let i = 0; i < visitors; i++) add('visitor', sampleVisitor(rng, pool, campaignPool), timeOf(i, visitors), result.visitorIds);

	const memberships = count(options.listMemberships);
	if (memberships > 0) {
		const listPool = liveIds(state, 'list');
		if (listPool.length === 0 || pool.length === 0) {
			throw new Error('seed: list memberships need live lists and prospects; seed lists and prospects too (they are seeded first)');
		}
		for (let i = 0; i < memberships; i++) {
			// A prospect is in a list once: try a few pairs, then give up (the list is full).
			let pair: [number, number] | null = null;
			for (let attempt = 0; attempt < 20 && !pair; attempt++) {
				const candidate: [number, number] = [rng.pick(listPool), rng.pick(pool)];
				if (!store.findMembership(candidate[0], candidate[1])) pair = candidate;
			}
			if (!pair) break;
			const fields = { listId: pair[0], prospectId: pair[1], optedOut: rng.next() < 0.08 };
			add('listMembership', fields, timeOf(i, memberships), result.listMembershipIds);
		}
	}

	const activities = count(options.visitorActivities);
	const visitorPool = liveIds(state, 'visitor');
	for (let i = 0; i < activities; i++) {
		let kind = pickActivityKind(rng);
		if (activityNeedsProspect(kind) && pool.length === 0) kind = 'visit';
		const prospectId = pool.length > 0 && (activityNeedsProspect(kind) || rng.next() < 0.5) ? rng.pick(pool) : null;
		const visitorId = visitorPool.length > 0 ? rng.pick(visitorPool) : null;
		add('visitorActivity', sampleActivity(rng, kind, { prospectId, visitorId }, campaignPool), timeOf(i, activities), result.visitorActivityIds);
	}
	return result;
}

/** The membership of a prospect in a list, or an error that says so. */
function membership(state: SimState, listId: number, prospectId: number, live: boolean) {
	const found = state.store.findMembership(Number(listId), Number(prospectId));
	if (!found || (live && found.deleted)) throw new Error(`Prospect ${prospectId} is not a member of list ${listId}`);
	return found;
}

/**
 * Adds a prospect to a list: a new membership, or, when it was removed before, the same membership
 * back from the recycle bin (Pardot marks removed memberships deleted and un-marks them on a re-add;
 * docs/pardot-objects.md 2.3), with updatedAt set to the re-add.
 */
export function addToList(state: SimState, options: MembershipOptions & { optedOut?: boolean }): SimRecord {
	const { store } = state;
	const at = writeAt(state, options?.at);
	const listId = Number(options?.listId);
	const prospectId = Number(options?.prospectId);
	const existing = store.findMembership(listId, prospectId);
	const extra = options.optedOut === undefined ? {} : store.normalizeFields('listMembership', { optedOut: options.optedOut });
	if (existing && !existing.deleted) {
		throw new Error(`Prospect ${prospectId} is already a member of list ${listId} (Pardot error 58): use optOut or update`);
	}
	if (existing) {
		store.setDeleted('listMembership', existing.id, false, at, true);
		if (Object.keys(extra).length > 0) store.update('listMembership', existing.id, extra, at);
		return simRecord(state, 'listMembership', existing.id);
	}
	const fields = store.normalizeFields('listMembership', { listId, prospectId, optedOut: false });
	const record = store.create('listMembership', { ...fields, ...extra }, at);
	return simRecord(state, 'listMembership', record.id);
}

export function removeFromList(state: SimState, options: MembershipOptions): SimRecord {
	const found = membership(state, options?.listId, options?.prospectId, true);
	state.store.setDeleted('listMembership', found.id, true, writeAt(state, options.at), state.config.deleteBumpsUpdatedAt);
	return simRecord(state, 'listMembership', found.id);
}

export function optOut(state: SimState, options: MembershipOptions & { optedOut?: boolean }): SimRecord {
	const found = membership(state, options?.listId, options?.prospectId, true);
	const fields = state.store.normalizeFields('listMembership', { optedOut: options.optedOut ?? true });
	state.store.update('listMembership', found.id, fields, writeAt(state, options.at));
	return simRecord(state, 'listMembership', found.id);
}

export function activity(state: SimState, options: ActivityOptions): SimRecord {
	if (!options || typeof options !== 'object') throw new Error('activity needs { type, ... }');
	const { at, ...fields } = options;
	const normalized = writeFields(state, 'visitorActivity', fields);
	const record = state.store.create('visitorActivity', normalized, writeAt(state, at));
	return simRecord(state, 'visitorActivity', record.id);
}

export interface StreamChange {
	op: string;
	type: RecordType;
	id: number;
}

/**
 * One random change at the current simulated time (the CLI's change stream): prospects and
 * opportunities created, updated, deleted; visitor activities (form submissions among them); list
 * adds, removals and opt-outs; list and campaign edits; new visitors and page views. `op` is one word.
 */
export function randomChange(state: SimState): StreamChange {
	settleImports(state);
	const { store } = state;
	const rng = state.sampleRng;
	const now = state.now();
	const roll = rng.next();
	if (roll < 0.3) return recordChange(state, 'prospect');
	if (roll < 0.4) return recordChange(state, 'opportunity');
	if (roll < 0.7) {
		// A third of the stream's activities are form submissions, so the demo shows them soon.
		const kind = rng.next() < 0.35 ? 'formSubmission' : pickActivityKind(rng);
		const prospects = liveIds(state, 'prospect');
		const visitors = liveIds(state, 'visitor');
		if (prospects.length === 0) return recordChange(state, 'prospect');
		const prospectId = activityNeedsProspect(kind) || rng.next() < 0.5 ? rng.pick(prospects) : null;
		const visitorId = visitors.length > 0 ? rng.pick(visitors) : null;
		const fields = sampleActivity(rng, kind, { prospectId, visitorId }, liveIds(state, 'campaign'));
		const record = store.create('visitorActivity', store.normalizeFields('visitorActivity', fields), now);
		return { op: kind, type: 'visitorActivity', id: record.id };
	}
	if (roll < 0.88) {
		const lists = liveIds(state, 'list');
		const prospects = liveIds(state, 'prospect');
		if (lists.length === 0 || prospects.length === 0) return recordChange(state, 'prospect');
		const members = store.latest('listMembership').filter((m) => !m.deleted);
		const action = rng.next();
		if (members.length > 0 && action < 0.25) {
			const target = rng.pick(members);
			removeFromList(state, { listId: target.fields.listId as number, prospectId: target.fields.prospectId as number });
			return { op: 'remove', type: 'listMembership', id: target.id };
		}
		if (members.length > 0 && action < 0.4) {
			const target = rng.pick(members);
			optOut(state, { listId: target.fields.listId as number, prospectId: target.fields.prospectId as number, optedOut: !target.fields.optedOut });
			return { op: target.fields.optedOut ? 'optIn' : 'optOut', type: 'listMembership', id: target.id };
		}
		for (let attempt = 0; attempt < 20; attempt++) {
			const listId = rng.pick(lists);
			const prospectId = rng.pick(prospects);
			const found = store.findMembership(listId, prospectId);
			if (found && !found.deleted) continue;
			const record = addToList(state, { listId, prospectId });
			return { op: 'add', type: 'listMembership', id: record.id };
		}
		return recordChange(state, 'prospect');
	}
	if (roll < 0.93) {
		const lists = liveIds(state, 'list');
		if (lists.length === 0 || rng.next() < 0.1) {
			const id = seedRecords(state, { lists: 1 }).listIds[0];
			return { op: 'create', type: 'list', id };
		}
		const id = rng.pick(lists);
		store.update('list', id, store.normalizeFields('list', randomListChange(rng)), now);
		return { op: 'update', type: 'list', id };
	}
	if (roll < 0.96) {
		const campaigns = liveIds(state, 'campaign');
		if (campaigns.length === 0) {
			const id = seedRecords(state, { campaigns: 1 }).campaignIds[0];
			return { op: 'create', type: 'campaign', id };
		}
		const id = rng.pick(campaigns);
		store.update('campaign', id, store.normalizeFields('campaign', randomCampaignChange(rng)), now);
		return { op: 'update', type: 'campaign', id };
	}
	const visitors = store.latest('visitor');
	if (visitors.length === 0 || rng.next() < 0.5) {
		const id = seedRecords(state, { visitors: 1 }).visitorIds[0];
		return { op: 'create', type: 'visitor', id };
	}
	const target = rng.pick(visitors);
	store.update('visitor', target.id, { pageViewCount: ((target.fields.pageViewCount as number) ?? 0) + rng.int(1, 5) }, now);
	return { op: 'pageView', type: 'visitor', id: target.id };
}

/** A prospect or opportunity created (30 %), updated (62 %) or deleted (8 %). */
function recordChange(state: SimState, type: 'prospect' | 'opportunity'): StreamChange {
	const { store } = state;
	const rng = state.sampleRng;
	const live = store.latest(type).filter((r) => !r.deleted);
	const roll = rng.next();
	if (live.length === 0 || roll < 0.3) {
		const seeded = seedRecords(state, type === 'opportunity' ? { opportunities: 1 } : { prospects: 1 });
		const ids = type === 'opportunity' ? seeded.opportunityIds : seeded.prospectIds;
		return { op: 'create', type, id: ids[0] };
	}
	const target = rng.pick(live);
	if (roll < 0.92) {
		const fields = type === 'prospect' ? randomProspectChange(rng) : randomOpportunityChange(rng);
		store.update(type, target.id, store.normalizeFields(type, fields), state.now());
		return { op: 'update', type, id: target.id };
	}
	store.setDeleted(type, target.id, true, state.now(), state.config.deleteBumpsUpdatedAt);
	return { op: 'delete', type, id: target.id };
}

export function createControl(state: SimState): SimulatorControl {
	const { store } = state;
	// Import rows whose time has come are applied before the control API reads or writes records, so
	// that its writes and the truth it reports come after them, as an API request's would.
	const settled = <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A): R => {
		settleImports(state);
		return fn(...args);
	};
	return {
		reset: () => {
			state.reset();
			return { ok: true };
		},
		configure: (patch) => {
			state.configure(patch ?? {});
			return cloneConfig(state.config);
		},
		clock: (options = {}) => {
			// Checked before anything changes.
			const set = options.set !== undefined ? parseControlInstant(options.set, 'set') : undefined;
			if (options.advanceMs !== undefined && !Number.isFinite(options.advanceMs)) throw new Error('advanceMs must be a number');
			// Freeze (or thaw) first: a clock set and frozen in one call stops exactly at `set`, not a
			// millisecond after it.
			if (options.freeze !== undefined) state.clock.freeze(Boolean(options.freeze));
			if (set !== undefined) state.clock.set(set);
			if (options.advanceMs !== undefined) state.clock.set(state.now() + options.advanceMs);
			return { now: renderUtcIso(state.now()), frozen: state.clock.frozen };
		},
		seed: settled((options = {}) => seedRecords(state, options)),
		create: settled((options: WriteOptions) => {
			const type = checkType(options?.type);
			const record = store.create(type, writeFields(state, type, options.fields), writeAt(state, options.at), options.id);
			return simRecord(state, type, record.id);
		}),
		update: settled((options) => {
			const type = checkType(options?.type);
			const current = store.current(store.get(type, options.id)).fields;
			store.update(type, options.id, writeFields(state, type, options.fields, current), writeAt(state, options.at));
			return simRecord(state, type, options.id);
		}),
		delete: settled((options) => {
			const type = checkType(options?.type);
			checkBin(type);
			store.setDeleted(type, options.id, true, writeAt(state, options.at), state.config.deleteBumpsUpdatedAt);
			return simRecord(state, type, options.id);
		}),
		undelete: settled((options) => {
			const type = checkType(options?.type);
			checkBin(type);
			store.setDeleted(type, options.id, false, writeAt(state, options.at), state.config.deleteBumpsUpdatedAt);
			return simRecord(state, type, options.id);
		}),
		records: settled((options) => {
			const type = checkType(options?.type);
			// asOf: the truth at an instant (the version written at or before it), for test oracles.
			const views = options.asOf === undefined ? store.latest(type) : store.asOf(type, parseControlInstant(options.asOf, 'asOf'));
			return views
				.filter((v) => options.deleted === undefined || v.deleted === options.deleted)
				.sort((a, b) => a.id - b.id)
				.map((v) => store.toSimRecord(v));
		}),
		history: settled((options) => {
			const type = checkType(options?.type);
			return store.versions(type, Number(options.id)).map((version) => ({
				writtenAt: renderUtcIso(version.at),
				// Only for a late write, so that the history is as before while late writes are off.
				...(version.visibleAt > version.at ? { visibleAt: renderUtcIso(version.visibleAt) } : {}),
				record: store.toSimRecord(version.snap),
			}));
		}),
		addToList: settled((options) => addToList(state, options)),
		removeFromList: settled((options) => removeFromList(state, options)),
		optOut: settled((options) => optOut(state, options)),
		activity: settled((options) => activity(state, options)),
		fault: (spec) => {
			if (!spec || !FAULT_KINDS.includes(spec.kind)) throw new Error(`fault kind must be one of ${FAULT_KINDS.join(', ')}`);
			const pending = state.addFault({ ...spec, remaining: Math.max(1, Math.floor(spec.count ?? 1)) });
			return { ok: true, pending };
		},
		stats: () => state.stats(),
		resetStats: () => state.resetStats(),
		requests: () => state.requests(),
		onRequest: (fn) => {
			if (fn !== undefined && fn !== null && typeof fn !== 'function') throw new Error('onRequest takes a function, or undefined to remove it');
			state.requestHook = fn ?? undefined;
			return { ok: true };
		},
		usage: () => state.usage(),
		tokens: (options) => ({ expired: options?.expire ? state.sessions.expireCredentials(state.now() - 1) : 0 }),
	};
}

/** Operations that take a function: in process only, never over HTTP. */
const IN_PROCESS_ONLY = new Set(['onRequest']);

/** `POST /__sim/<name>`: runs the operation with the JSON body as its argument; 404 unknown, 400 refused. */
export function controlReply(control: SimulatorControl, name: string, body: string): Reply {
	const operations = control as unknown as Record<string, (arg: unknown) => unknown>;
	if (IN_PROCESS_ONLY.has(name)) {
		return jsonReply(404, { error: `${name} is in process only (sim.control.${name}); it cannot be called over HTTP` });
	}
	if (!Object.prototype.hasOwnProperty.call(operations, name) || typeof operations[name] !== 'function') {
		return jsonReply(404, { error: `Unknown control operation: ${name}` });
	}
	try {
		const arg = body.trim() ? JSON.parse(body) : {};
		return jsonReply(200, operations[name](arg) ?? { ok: true });
	} catch (error) {
		return jsonReply(400, { error: (error as Error).message });
	}
}
