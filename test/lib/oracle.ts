/**
 * The randomized model test's oracle: the Pardot Trigger's promises, each stated against the
 * simulator's ground truth (every record's version history), not against what the trigger computed.
 *
 * 1. Exactly once: every change since the start is emitted, its latest state, once; nothing else
 *    (truthProblems, and for every poll: `settledProblems`).
 * 2. At every poll, every change settled before the poll and older than the newest event emitted so
 *    far has been emitted with its latest state: no change is passed over, not only the final states.
 * 3. A new record's first event is its CREATED (truthProblems).
 * 4. Oldest first across resources in each poll, and each record's events in its change order over the
 *    whole run (visibleOrderProblems; orderProblems over the whole run when only settled changes are emitted).
 * 5. No poll emits more than Max Events Per Poll (limitProblems); a backlog drains in at most
 *    ceil(changes / per poll) + 1 polls (drainProblems).
 * 6. eventIds name the record state: the same state gives the same id, another state another id,
 *    also in a catch-up run from an earlier Start From (idProblems, rerunIdProblems).
 * 7. `raw` is the record as it was at the event's `date` (rawProblems).
 */
import type { IDataObject } from 'n8n-workflow';

import { localCandidates, toPardotLocal } from '../../nodes/PardotTrigger/time';
import type { SimRecord, SimulatorHandle } from '../../simulator';
import type { Resource } from './truth';
import { RESOURCE_TYPES } from './truth';

type EventType = 'CREATED' | 'UPDATED' | 'DELETED';

export interface PollRecord {
	index: number;
	/** Simulated clock when the poll started and ended (ms). */
	start: number;
	end: number;
	events: IDataObject[];
	failed: boolean;
}

export interface OracleOptions {
	/** Changes at or after this second must be emitted (activation or Start From). */
	since: number;
	resources: Resource[];
	events: EventType[];
	/** Leads Are = Salesforce Leads: leads are prospects (their events follow their life as a lead). */
	leadsAreProspects?: boolean;
	/** How old a change must be before a poll is sure to see it (5 s v3/v4, 65 s v5), plus the Date header's slack. */
	settleMs: number;
	/**
	 * Changes emitted as soon as they are visible: only an event this much older than its poll (past the
	 * lag window) tells that everything before it was emitted. Undefined: every event does.
	 */
	lagWindowMs?: number;
	/** The account zone on v3/v4 (local times without offset); undefined on v5. */
	legacyZone?: string;
	/** Records a resource must not emit (Activity Types not chosen). */
	excluded?: (resource: Resource, record: SimRecord) => boolean;
	/** Resources whose recycle bin Pardot does not list (no DELETED expected, none allowed). */
	unprovableDeletions?: Resource[];
	/** Whether a move to or from the recycle bin sets updatedAt (else it is invisible once its second was passed). */
	deletesBump: boolean;
	/** A change in this much time before `since` may or may not be emitted (an activation starts a little early). */
	startSlackMs?: number;
	/**
	 * Records restored from the recycle bin ("contacts:ID"). Without Deleted (or where Pardot does not list
	 * the bin) the bin is never read: a new record deleted before the trigger saw it and restored later
	 * comes back as UPDATED (README, Limits).
	 */
	restored?: Set<string>;
}

const second = (ms: number) => Math.floor(ms / 1000) * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The Pardot object each resource is read from, in the order the trigger reads them. */
const OBJECT_ORDER = ['prospect', 'opportunity', 'visitorActivity', 'listMembership', 'list', 'campaign', 'visitor'];

export function rankOf(objectType: string, leadsAreProspects = false): number {
	return OBJECT_ORDER.indexOf(objectType === 'leads' && leadsAreProspects ? 'prospect' : RESOURCE_TYPES[objectType as Resource]);
}

interface Key {
	at: number;
	rank: number;
	id: number;
}

const compareKeys = (a: Key, b: Key) => a.at - b.at || a.rank - b.rank || a.id - b.id;
const keyOf = (e: IDataObject, leadsAreProspects?: boolean): Key => ({
	at: Date.parse(String(e.date)),
	rank: rankOf(String(e.objectType), leadsAreProspects),
	id: Number(e.objectId),
});

/** Resources whose events follow one record's state directly (not Salesforce leads, which have a life of their own). */
function plainResources(options: OracleOptions): Resource[] {
	return options.resources.filter((r) => !(r === 'leads' && options.leadsAreProspects));
}

/** When a record's state counts as changed: its updatedAt, or its creation for objects that never change. */
function changedAt(resource: Resource, r: SimRecord): number {
	return second(Date.parse(resource === 'visitorActivities' ? r.createdAt : r.updatedAt));
}

/** A v3/v4 local time in a repeated DST hour: the trigger may place it either way. */
function ambiguous(options: OracleOptions, ms: number): boolean {
	if (!options.legacyZone) return false;
	return localCandidates(toPardotLocal(ms, options.legacyZone), options.legacyZone).length > 1;
}

/**
 * Whether the record's state must have an event dated at its change. A new record's first event is
 * CREATED (the merged creation and state) unless its creation went out alone before: with Created
 * only, a later state may have no event of its own. With Updated but not Created, a new record's
 * first state gives no event (it is its creation), so its states are not required at all.
 */
function eventExpected(options: OracleOptions, resource: Resource, r: SimRecord): boolean {
	if (options.excluded?.(resource, r)) return false;
	const wants = (t: EventType) => options.events.includes(t);
	if (r.deleted) return wants('DELETED') && !options.unprovableDeletions?.includes(resource);
	const created = second(Date.parse(r.createdAt));
	// Created just before an activation: new or not, as the trigger's start fell.
	if (created < options.since && created >= options.since - (options.startSlackMs ?? 0)) return false;
	const isNew = created >= options.since;
	if (!isNew) return wants('UPDATED');
	if (!wants('CREATED')) return false;
	return wants('UPDATED') || changedAt(resource, r) === second(Date.parse(r.createdAt));
}

/**
 * Promise 2, at every successful poll: a record whose latest state at the end of the poll was settled
 * when the poll began (no later write), and whose event would sort before the newest event emitted
 * so far, has that event by now. A new record whose creation sorts before it has its CREATED by now.
 */
export function settledProblems(sim: SimulatorHandle, polls: PollRecord[], options: OracleOptions): string[] {
	const problems: string[] = [];
	const emitted: IDataObject[] = [];
	let newest: Key | undefined;
	for (const poll of polls) {
		emitted.push(...poll.events);
		for (const e of poll.events) {
			const k = keyOf(e, options.leadsAreProspects);
			// An event emitted inside the lag window says nothing of older writes that show up late.
			if (options.lagWindowMs !== undefined && k.at >= poll.start - options.lagWindowMs) continue;
			if (!newest || compareKeys(k, newest) > 0) newest = k;
		}
		if (poll.failed || !newest) continue;
		const settled = poll.start - options.settleMs;
		const byState = new Set(emitted.map((e) => `${e.objectType}:${e.objectId}@${Date.parse(String(e.date))}`));
		const created = new Set(emitted.filter((e) => e.eventType === 'CREATED').map((e) => `${e.objectType}:${e.objectId}`));
		// A record first seen in the recycle bin has DELETED first and no CREATED, restored or not.
		const firstDeleted = new Set(emitted.filter((e) => e.eventType === 'DELETED').map((e) => `${e.objectType}:${e.objectId}`));
		for (const resource of plainResources(options)) {
			const rank = rankOf(resource, options.leadsAreProspects);
			for (const deleted of [false, true]) {
				for (const r of sim.control.records({ type: RESOURCE_TYPES[resource], deleted, asOf: iso(poll.end) })) {
					const at = changedAt(resource, r);
					if (at >= settled || at < options.since || ambiguous(options, at)) continue;
					const label = `${resource}:${r.id}`;
					// Without a bump, a move to or from the bin keeps the time of a state the trigger may have passed.
					if (!options.deletesBump && (r.deleted || options.restored?.has(label))) continue;
					if (eventExpected(options, resource, r) && compareKeys({ at, rank, id: r.id }, newest) < 0) {
						if (!byState.has(`${label}@${at}`)) {
							problems.push(`poll ${poll.index}: ${label} changed ${iso(at)}${r.deleted ? ' (deleted)' : ''} not emitted, though events up to ${iso(newest.at)} were`);
						}
					}
					const createdAt = second(Date.parse(r.createdAt));
					const isNew = createdAt >= options.since;
					if (
						isNew &&
						!r.deleted &&
						options.events.includes('CREATED') &&
						!options.excluded?.(resource, r) &&
						!ambiguous(options, createdAt) &&
						!(options.restored?.has(label) && (!options.events.includes('DELETED') || options.unprovableDeletions?.includes(resource))) &&
						!firstDeleted.has(label) &&
						compareKeys({ at: createdAt, rank, id: r.id }, newest) < 0 &&
						!created.has(label)
					) {
						problems.push(`poll ${poll.index}: ${label} created ${iso(createdAt)} has no CREATED, though events up to ${iso(newest.at)} were emitted`);
					}
				}
			}
		}
		if (problems.length > 20) break;
	}
	return problems;
}

/**
 * Promise 5: once writes stop, the backlog drains in at most ceil(changes / perPoll) + 1 polls, where
 * `perPoll` is Max Events Per Poll (halved when one change gives two events). `changes` counts the
 * changes the trigger must pass: records of the read objects changed after the last event before the
 * drain, and their creations. (A v3/v4 window of ceil(limit / page) pages may end short of the limit,
 * since each page reads the last second of the one before again: with pages of 2 and a change a second,
 * down to about half. 1,000 seeds of the model stay within this bound all the same.)
 */
export function drainProblems(
	sim: SimulatorHandle,
	polls: PollRecord[],
	drainFrom: number,
	options: OracleOptions & { perPoll: number; readTypes: string[]; readsBin: boolean; droppedPerPoll?: number },
): string[] {
	// Emitted as soon as visible, an event says nothing of older writes a stale read hid: only events past the
	// lag window at their poll mark where the pending changes start.
	const before = polls
		.slice(0, drainFrom)
		.flatMap((p) => p.events.filter((e) => options.lagWindowMs === undefined || Date.parse(String(e.date)) < p.start - options.lagWindowMs));
	const last = before.length ? Math.max(...before.map((e) => Date.parse(String(e.date)))) : options.since;
	let changes = 0;
	let unwanted = 0;
	for (const type of options.readTypes) {
		for (const deleted of options.readsBin ? [false, true] : [false]) {
			for (const r of sim.control.records({ type: type as never, deleted })) {
				const at = second(Date.parse(type === 'visitorActivity' ? r.createdAt : r.updatedAt));
				const created = second(Date.parse(r.createdAt));
				// Activities of types not chosen are left out as read (v5): a poll stops after `droppedPerPoll` of them.
				if (type === 'visitorActivity' && options.excluded?.('visitorActivities', r)) {
					if (at >= last) unwanted++;
					continue;
				}
				if (at >= last) changes++;
				if (created >= last && created !== at) changes++;
			}
		}
	}
	// Polls that failed (faults left over from before) are not counted.
	const draining = polls.slice(drainFrom).filter((p) => !p.failed);
	const lastWithEvents = draining.reduce((n, p, i) => (p.events.length ? i + 1 : n), 0);
	const dropping = options.droppedPerPoll ? Math.ceil(unwanted / options.droppedPerPoll) : 0;
	const bound = Math.ceil(changes / options.perPoll) + dropping + 1;
	const why = `ceil(${changes} / ${options.perPoll})${dropping ? ` + ceil(${unwanted} left out / ${options.droppedPerPoll})` : ''} + 1 = ${bound}`;
	return lastWithEvents > bound ? [`the backlog of ${changes} changes took ${lastWithEvents} polls to drain, more than ${why}`] : [];
}

/**
 * The record state an event carries: its raw's change time (second; two candidates in a repeated v3/v4
 * DST hour) and whether the event reports a deletion.
 */
function stateOf(e: IDataObject, options: Pick<OracleOptions, 'legacyZone'>): { at: number[]; deletion: boolean } {
	const raw = (e.raw ?? {}) as IDataObject;
	const activity = e.objectType === 'visitorActivities';
	const text = String((activity ? raw.createdAt ?? raw.created_at : raw.updatedAt ?? raw.updated_at) ?? '');
	const at = options.legacyZone && !/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? localCandidates(text, options.legacyZone) : [second(Date.parse(text))];
	return { at, deletion: e.eventType === 'DELETED' };
}

const stateKeyOf = (e: IDataObject, options: Pick<OracleOptions, 'legacyZone'>) => {
	const s = stateOf(e, options);
	return `${String(e.objectType)}:${String(e.objectId)}@${s.at.join('|')}${s.deletion ? ' deleted' : ''}`;
};

/**
 * Promise 6: an eventId names one record state (object type, id, the state's change time, deletion
 * or not): the same state always has the same id, another state never has it.
 */
export function idProblems(events: IDataObject[], options: Pick<OracleOptions, 'legacyZone'>): string[] {
	const problems: string[] = [];
	const byId = new Map<string, string>();
	const byState = new Map<string, string>();
	for (const e of events) {
		const state = stateKeyOf(e, options);
		const id = String(e.eventId);
		const known = byId.get(id);
		if (known !== undefined && known !== state) problems.push(`eventId ${id} names two states: ${known} and ${state}`);
		byId.set(id, state);
		const other = byState.get(state);
		if (other !== undefined && other !== id) problems.push(`the state ${state} has two eventIds: ${other} and ${id}`);
		byState.set(state, id);
	}
	return problems;
}

/** A catch-up run from an earlier Start From gives the original's id to every state both emitted. */
export function rerunIdProblems(original: IDataObject[], rerun: IDataObject[], options: Pick<OracleOptions, 'legacyZone'>): string[] {
	const ids = new Map<string, string>();
	for (const e of original) ids.set(stateKeyOf(e, options), String(e.eventId));
	const problems: string[] = [];
	for (const e of rerun) {
		const key = stateKeyOf(e, options);
		const id = ids.get(key);
		if (id !== undefined && id !== e.eventId) problems.push(`the catch-up gave ${key} the id ${String(e.eventId)}, the original ${id}`);
	}
	return problems;
}

/** The fields the model writes, under their v5 and v3/v4 names. */
const WRITTEN: Record<string, Array<[string, string]>> = {
	prospect: [['score', 'score'], ['salesforceLeadId', 'crm_lead_fid']],
	opportunity: [['probability', 'probability']],
	list: [['title', 'title']],
	campaign: [['cost', 'cost']],
	visitor: [['pageViewCount', 'page_view_count']],
	listMembership: [['optedOut', 'opted_out']],
	visitorActivity: [['type', 'type']],
};

function sameValue(truth: unknown, raw: unknown): boolean {
	if (raw === undefined) return true;
	if (truth === null || truth === undefined) return raw === null || raw === '' || raw === undefined;
	if (typeof truth === 'boolean') return raw === truth || raw === (truth ? 1 : 0) || raw === String(truth);
	return String(raw) === String(truth);
}

/**
 * Promise 7: `raw` is a state the record really had, at the event's `date` (the last version of that
 * second). Only a CREATED emitted on its own, before the record's latest state was reached, is dated
 * at the creation and carries a later state.
 */
export function rawProblems(sim: SimulatorHandle, events: IDataObject[], options: OracleOptions): string[] {
	const problems: string[] = [];
	const histories = new Map<string, Array<{ writtenAt: string; record: SimRecord }>>();
	for (const e of events) {
		const resource = e.objectType as Resource;
		const type = resource === 'leads' && options.leadsAreProspects ? 'prospect' : RESOURCE_TYPES[resource];
		const label = `${e.eventType} ${e.objectType}:${e.objectId} @${e.date}`;
		const key = `${type}:${e.objectId}`;
		if (!histories.has(key)) histories.set(key, sim.control.history({ type, id: Number(e.objectId) }));
		const versions = histories.get(key)!;
		const state = stateOf(e, options);
		const date = Date.parse(String(e.date));
		const at = (r: SimRecord) => second(Date.parse(type === 'visitorActivity' ? r.createdAt : r.updatedAt));
		const aloneCreation = e.eventType === 'CREATED' && !state.at.includes(date);
		// A creation emitted alone carries the record as read by then, possibly in the recycle bin.
		const candidates = versions.filter((v) => state.at.includes(at(v.record)) && (aloneCreation || (e.eventType === 'DELETED') === v.record.deleted));
		if (!candidates.length) {
			problems.push(`${label}: raw is dated ${state.at.map(iso).join(' or ')}, a state the record never had`);
			continue;
		}
		if (aloneCreation) {
			const createdAt = second(Date.parse(versions[0].record.createdAt));
			// A v3/v4 local time in a repeated DST hour may be read as either of its instants.
			const meanings = options.legacyZone ? localCandidates(toPardotLocal(createdAt, options.legacyZone), options.legacyZone) : [createdAt];
			if (!meanings.includes(date)) problems.push(`${label}: a CREATED dated before its raw's state must be dated at the creation (${iso(createdAt)})`);
		} else if (!state.at.includes(date)) {
			problems.push(`${label}: raw is the state of ${state.at.map(iso).join(' or ')}, not of the event's date`);
		}
		// A settled state is the last version written in its second; a creation alone may carry any.
		const raw = (e.raw ?? {}) as IDataObject;
		const matches = (v: { record: SimRecord }) => (WRITTEN[type] ?? []).every(([v5, legacy]) => sameValue(v.record[v5], raw[v5] ?? raw[legacy]));
		// Two writes in one second, the later one shown late: the state emitted may be the earlier (README, Limits).
		const lateInSecond = candidates.some((v) => (v as { visibleAt?: string }).visibleAt !== undefined);
		const allowed = aloneCreation || lateInSecond ? candidates : candidates.slice(-1);
		if (!allowed.some(matches)) problems.push(`${label}: raw ${JSON.stringify(raw).slice(0, 200)} differs from the record at that time`);
	}
	return problems;
}
