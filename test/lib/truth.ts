/**
 * Checks emitted events against the simulator's ground truth: every record changed since the
 * trigger's start has its latest state emitted exactly once, nothing is emitted twice, events of
 * one resource come in change order, DELETED means in the recycle bin, and a record created after
 * the start has exactly one CREATED event, its first (a record that existed before has none).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { localCandidates, toPardotLocal } from '../../nodes/PardotTrigger/time';
import type { SimulatorHandle } from '../../simulator';

/** The trigger's resources and the simulator record type each one is read from. */
export const RESOURCE_TYPES = {
	contacts: 'prospect',
	leads: 'opportunity',
	visitorActivities: 'visitorActivity',
	listMemberships: 'listMembership',
	lists: 'list',
	campaigns: 'campaign',
	visitors: 'visitor',
} as const;

export type Resource = keyof typeof RESOURCE_TYPES;

export interface TruthOptions {
	/** Changes at or after this instant must be emitted (the activation second or startFrom). */
	since: number;
	resources?: Resource[];
	/** Records of a resource the trigger must not emit (Activity Types: a kind not chosen). */
	excluded?: (resource: Resource, record: Record<string, unknown>) => boolean;
	deletions?: boolean;
	/** CREATED and UPDATED expected (default true). */
	updates?: boolean;
	/**
	 * The account zone for API v3/v4. A change made before the start, in a repeated DST hour, has a
	 * local time that can also mean an instant after the start: emitting it is tolerated (the
	 * trigger prefers a spurious event to a lost one; the README says so).
	 */
	legacyZone?: string;
	/** CREATED events expected (default true): every live record created since the start has one. */
	created?: boolean;
	/**
	 * Records ("contacts:ID", "leads:ID") restored from the recycle bin. Without Deleted selected the
	 * trigger never reads the bin: a new record deleted before it was first seen and restored later
	 * cannot be told from one reported before its deletion, and comes back as UPDATED (README, Limits).
	 */
	restored?: Set<string>;
	/**
	 * Resources whose recycle bin Pardot cannot list (v3/v4 opportunities when the query ignores or
	 * refuses `deleted`): their deletions are not expected, and no DELETED event may appear for them
	 * ("never report a deletion it cannot prove").
	 */
	unprovableDeletions?: Resource[];
	/**
	 * Whether a move to or from the recycle bin sets updatedAt (default true). Without it, a record that
	 * goes to the bin (or back) after its state was emitted keeps that state's time: no poll can tell.
	 */
	deletesBump?: boolean;
	/**
	 * An activated trigger starts a little before Pardot's Date header says (clock skew between Pardot's
	 * servers): a change in the `startSlackMs` before `since` may or may not be emitted.
	 */
	startSlackMs?: number;
	/** Changes are emitted as soon as they are visible: only each record's events are in change order. */
	visible?: boolean;
}

const second = (iso: string) => Math.floor(Date.parse(iso) / 1000) * 1000;

/** Every record of the watched resources, live and in the recycle bin, as the simulator knows it. */
function* truthRecords(sim: SimulatorHandle, resources: Resource[], options: TruthOptions) {
	for (const objectType of resources) {
		const type = RESOURCE_TYPES[objectType];
		for (const deleted of [false, true]) {
			for (const r of sim.control.records({ type, deleted })) {
				if (!options.excluded?.(objectType, r as unknown as Record<string, unknown>)) yield { objectType, r };
			}
		}
	}
}

export function truthProblems(sim: SimulatorHandle, items: INodeExecutionData[], options: TruthOptions): string[] {
	const problems: string[] = [];
	const events = items.map((i) => i.json as IDataObject);
	const seen = new Set<string>();
	const lastDate = new Map<string, string>();
	const latest = new Map<string, IDataObject>();
	for (const e of events) {
		const key = `${e.objectType}:${e.objectId}:${e.date}`;
		// A move to the recycle bin that keeps the time of the state before it is a change of its own.
		const state = `${key}${e.eventType === 'DELETED' ? ' deleted' : ''}`;
		if (seen.has(state)) problems.push(`emitted twice: ${key} (${e.eventType})`);
		seen.add(state);
		// Each resource's events oldest first; emitted as soon as visible, each record's.
		const scope = options.visible ? `${e.objectType}:${e.objectId}` : String(e.objectType);
		const previous = lastDate.get(scope);
		if (previous && String(e.date) < previous) problems.push(`out of order: ${key} after ${previous}`);
		lastDate.set(scope, String(e.date));
		latest.set(`${e.objectType}:${e.objectId}`, e);
	}
	const resources = options.resources ?? ['contacts', 'leads'];
	const wantUpdates = options.updates ?? true;
	const expected = new Map<string, { updatedAt: string; deleted: boolean }>();
	const ignored = new Set<string>();
	const ambiguousBeforeStart = (updatedAt: string) => {
		if (!options.legacyZone) return false;
		const candidates = localCandidates(toPardotLocal(Date.parse(updatedAt), options.legacyZone), options.legacyZone);
		return candidates.length > 1 && candidates[candidates.length - 1] >= options.since;
	};
	const inSlack = (iso: string) => second(iso) < options.since && second(iso) >= options.since - (options.startSlackMs ?? 0);
	for (const { objectType, r } of truthRecords(sim, resources, options)) {
		if (second(r.updatedAt) < options.since) {
			if (ambiguousBeforeStart(r.updatedAt) || inSlack(r.updatedAt)) ignored.add(`${objectType}:${r.id}`);
			continue;
		}
		const deletions = options.deletions && !options.unprovableDeletions?.includes(objectType);
		// With Updated but not Created, a new record's first state is its creation: it gives no event.
		const newWithoutCreated = options.created === false && !r.deleted && second(r.createdAt) >= options.since - (options.startSlackMs ?? 0);
		// Without a bump, a move to or from the bin after the trigger passed the record's time is invisible.
		const silentDeletion = (r.deleted || options.restored?.has(`${objectType}:${r.id}`)) && options.deletesBump === false;
		if ((r.deleted ? !deletions : !wantUpdates) || newWithoutCreated || silentDeletion) {
			ignored.add(`${objectType}:${r.id}`);
			continue;
		}
		expected.set(`${objectType}:${r.id}`, { updatedAt: r.updatedAt, deleted: r.deleted });
	}
	problems.push(...createdProblems(sim, events, options, ambiguousBeforeStart, resources));
	for (const e of events) {
		if (e.eventType === 'DELETED' && options.unprovableDeletions?.includes(e.objectType as Resource)) {
			problems.push(`DELETED reported where Pardot cannot list the recycle bin: ${e.objectType}:${e.objectId}`);
		}
	}
	for (const [key, want] of expected) {
		const got = latest.get(key);
		if (!got) {
			problems.push(`never emitted: ${key} updated ${want.updatedAt}${want.deleted ? ' (deleted)' : ''}`);
			continue;
		}
		// A v3/v4 local time in the hour a daylight-saving fall-back repeats names two instants.
		const meanings = options.legacyZone ? localCandidates(toPardotLocal(Date.parse(want.updatedAt), options.legacyZone), options.legacyZone) : [second(want.updatedAt)];
		if (!meanings.includes(second(String(got.date)))) {
			problems.push(`stale: ${key} last emitted ${got.date}, latest change ${want.updatedAt}`);
		}
		if ((got.eventType === 'DELETED') !== want.deleted && options.deletesBump !== false) {
			problems.push(`wrong type: ${key} is ${want.deleted ? '' : 'not '}deleted but was emitted as ${got.eventType}`);
		}
	}
	for (const key of latest.keys()) {
		if (!expected.has(key) && !ignored.has(key)) problems.push(`emitted but not expected: ${key} (${latest.get(key)!.date})`);
	}
	return problems;
}

/**
 * "A record created after the trigger's start gets exactly one CREATED event, its first one; a
 * record that existed before gets none." A record already in the recycle bin when first emitted
 * may have DELETED as its first event and no CREATED.
 */
function createdProblems(
	sim: SimulatorHandle,
	events: IDataObject[],
	options: TruthOptions,
	ambiguousBeforeStart: (iso: string) => boolean,
	resources: Resource[],
): string[] {
	const problems: string[] = [];
	const byRecord = new Map<string, IDataObject[]>();
	for (const e of events) {
		const key = `${e.objectType}:${e.objectId}`;
		byRecord.set(key, [...(byRecord.get(key) ?? []), e]);
	}
	for (const { objectType, r } of truthRecords(sim, resources, options)) {
		const key = `${objectType}:${r.id}`;
		const got = byRecord.get(key) ?? [];
		const created = got.filter((e) => e.eventType === 'CREATED');
		const isNew = second(r.createdAt) >= options.since;
		if (!isNew && second(r.createdAt) >= options.since - (options.startSlackMs ?? 0)) continue;
		if (!isNew) {
			if (created.length && !ambiguousBeforeStart(r.createdAt)) problems.push(`CREATED for a record that existed before the start: ${key} (created ${r.createdAt})`);
			continue;
		}
		if (created.length > 1) problems.push(`CREATED ${created.length} times: ${key}`);
		if ((!options.deletions || options.unprovableDeletions?.includes(objectType)) && options.restored?.has(key)) continue;
		if (options.created !== false && got.length && got[0].eventType !== 'CREATED' && got[0].eventType !== 'DELETED') {
			problems.push(`first event of a new record is ${got[0].eventType}, not CREATED: ${key} (created ${r.createdAt})`);
		}
		if ((options.created ?? true) && !r.deleted && created.length === 0 && got[0]?.eventType !== 'DELETED') {
			problems.push(`no CREATED for a new record: ${key} (created ${r.createdAt})`);
		}
	}
	return problems;
}

/** "No poll emits more than the limit." */
export function limitProblems(outcomes: Array<{ index: number; items: INodeExecutionData[][] | null }>, limit: number): string[] {
	return outcomes
		.filter((o) => (o.items?.flat().length ?? 0) > limit)
		.map((o) => `poll ${o.index} emitted ${o.items!.flat().length} events, more than the limit ${limit}`);
}

/** The Pardot object each resource is read from, in the order the trigger reads them. */
const OBJECT_ORDER = ['prospect', 'opportunity', 'visitorActivity', 'listMembership', 'list', 'campaign', 'visitor'];

/**
 * "Events come out oldest first across resources": over the whole run, by `date`; events of one
 * date by the Pardot object they were read from (prospects, opportunities, visitor activities, list
 * memberships, lists, campaigns, visitors), then by record id. With Leads Are = Salesforce Leads,
 * leads are prospects.
 */
export function orderProblems(items: INodeExecutionData[], options: { leadsAreProspects?: boolean } = {}): string[] {
	return orderWithin(items, options);
}

/**
 * The order that remains when changes are emitted as soon as they are visible: each poll's events
 * oldest first across resources (orderProblems within the poll), and each record's events in its
 * own change order over the whole run. (A write that shows up late follows later writes of other
 * records, with its true `date`.)
 */
export function visibleOrderProblems(polls: INodeExecutionData[][], options: { leadsAreProspects?: boolean } = {}): string[] {
	const problems = polls.flatMap((items, i) => orderWithin(items, options).map((p) => `poll ${i}: ${p}`));
	const last = new Map<string, { date: number; label: string }>();
	for (const items of polls) {
		for (const { json: e } of items) {
			const record = `${String(e.objectType)}:${String(e.objectId)}`;
			const date = Date.parse(String(e.date));
			const label = `${String(e.eventType)} ${record} @${String(e.date)}`;
			const before = last.get(record);
			if (before && date < before.date) problems.push(`${label} after ${before.label}: a record's events out of its change order`);
			last.set(record, { date, label });
		}
	}
	return problems;
}

function orderWithin(items: INodeExecutionData[], options: { leadsAreProspects?: boolean }): string[] {
	const problems: string[] = [];
	const rank = (objectType: string) =>
		OBJECT_ORDER.indexOf(objectType === 'leads' && options.leadsAreProspects ? 'prospect' : RESOURCE_TYPES[objectType as Resource]);
	let previous: { date: number; rank: number; id: number; label: string } | undefined;
	for (const item of items) {
		const e = item.json as IDataObject;
		const key = { date: Date.parse(String(e.date)), rank: rank(String(e.objectType)), id: Number(e.objectId), label: `${e.eventType} ${e.objectType}:${e.objectId} @${e.date}` };
		if (previous) {
			const order = key.date - previous.date || key.rank - previous.rank || key.id - previous.id;
			if (order < 0) problems.push(`out of order: ${key.label} after ${previous.label}`);
		}
		previous = key;
	}
	return problems;
}
