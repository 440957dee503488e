import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { EventType, StandardEvent } from '../common/event';
import { uuidOf } from '../common/event';
import { matchesActivityKinds } from './activities';
import type { LeadsMemory } from './leads';
import { leadEventType } from './leads';
import type { ChangeRecord, Stream } from './model';
import { instantToIso } from './time';

/** What the events say a record is (the node's Resources). */
export type ObjectType = 'contacts' | 'leads' | 'visitorActivities' | 'listMemberships' | 'lists' | 'campaigns' | 'visitors';

const LABEL: Record<ObjectType, string> = {
	contacts: 'Contacts',
	leads: 'Leads',
	visitorActivities: 'Visitor Activities',
	listMemberships: 'List Memberships',
	lists: 'Lists',
	campaigns: 'Campaigns',
	visitors: 'Visitors',
};

/** Object types as messages name them: "Contacts and Leads". */
export function labelOf(types: ObjectType[]): string {
	return types.map((type) => LABEL[type]).join(' and ');
}

/** One standardized event as the trigger emits it (docs/event-format.md). */
export interface PardotEvent extends StandardEvent, IDataObject {
	eventType: EventType;
	objectType: ObjectType;
	objectId: string;
	elementKey: 'pardot';
	hubKey: 'marketing';
}

/**
 * An event's id names the record state it carries: object type, record id, the second of the state's
 * `updatedAt`, and whether the event reports a deletion. So the same state gets the same id on every poll, every
 * machine and every catch-up from an earlier Start From, however a poll grouped the changes: a
 * creation and a later update emitted as one CREATED has the id of that update's state. Shaped like
 * a UUID (a hash).
 */
export function eventIdOf(objectType: ObjectType, objectId: string, stateAt: number, deletion: boolean): string {
	const hex = createHash('sha256').update(`pardot|${objectType}|${objectId}|${stateAt}|${deletion ? 'deleted' : 'live'}`).digest('hex');
	return uuidOf(hex);
}

/**
 * What events are made of that costs CPU: ids (a SHA-256 each) and ISO dates. One poll computes each once,
 * and for a page read ahead (transport/source.ts) while the next page is on its way, where the work costs
 * no time (`prepare`); what was not prepared is computed when the event is made. Lives for one poll.
 */
export class EventParts {
	/** Per record as read: the ids of the state it carries, by object type (a record read is never changed). */
	private readonly ids = new WeakMap<ChangeRecord, Partial<Record<ObjectType, string>>>();
	private readonly dates = new Map<number, string>();

	iso(instantMs: number): string {
		let iso = this.dates.get(instantMs);
		if (iso === undefined) {
			iso = instantToIso(instantMs);
			this.dates.set(instantMs, iso);
		}
		return iso;
	}

	/** The id of an event about `record`: a deletion's only for a record read from the recycle bin. */
	id(record: ChangeRecord, objectType: ObjectType, deletion: boolean): string {
		// The earliest instant the state's time can mean: a v3/v4 local time in a repeated DST hour gives
		// the same id whichever instant a poll took it for.
		if (deletion !== record.deleted) return eventIdOf(objectType, record.id, record.updatedAtMin, deletion);
		let ids = this.ids.get(record);
		if (!ids) {
			ids = {};
			this.ids.set(record, ids);
		}
		return (ids[objectType] ??= eventIdOf(objectType, record.id, record.updatedAtMin, deletion));
	}

	/** The parts of the events the records most likely give: one per object type, dated at the latest update. */
	prepare(records: ChangeRecord[], feeds: readonly ObjectType[]): void {
		for (const record of records) {
			this.iso(record.updatedAt);
			for (const objectType of feeds) this.id(record, objectType, record.deleted);
		}
	}
}

/**
 * One event. `date` is when the change happened: the record's latest update, or its creation for
 * a creation emitted on its own (see plan.ts); `raw` is the record as read, and the id names it.
 * `parts`: the poll's (ids and dates computed once); without, computed here.
 */
export function toEvent(
	change: ChangeRecord,
	objectType: ObjectType,
	eventType: EventType,
	pollDate: number,
	fields?: string[],
	date: number = change.updatedAt,
	parts: EventParts = new EventParts(),
): PardotEvent {
	return {
		eventId: parts.id(change, objectType, eventType === 'DELETED'),
		eventType,
		objectType,
		objectId: change.id,
		elementKey: 'pardot',
		hubKey: 'marketing',
		date: parts.iso(date),
		pollDate: parts.iso(pollDate),
		raw: pickFields(change.raw, fields),
	};
}

/** Keeps only the chosen fields of a raw record (plus its identity and dates). */
export function pickFields(raw: IDataObject, fields?: string[]): IDataObject {
	if (!fields || fields.length === 0) return raw;
	const keep = new Set([...fields, 'id', 'created_at', 'updated_at', 'createdAt', 'updatedAt']);
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(raw)) if (keep.has(key)) out[key] = value;
	return out;
}

/** What decides which events a change of one stream gives. */
export interface StreamEvents {
	stream: Stream;
	/** The object types the stream's records are (a prospect: a contact, and a lead with Leads Are = Salesforce Leads). */
	feeds: ObjectType[];
	/** Leads Are = Salesforce Leads: the open leads reported so far (leads.ts). */
	leads?: LeadsMemory;
	/** The Events selected. */
	wanted: ReadonlySet<EventType>;
	/** Activity Types selected (activities.ts); empty: every activity. */
	activityTypes: string[];
}

/**
 * The events one change gives, one per object type it feeds: a prospect is a contact, and with
 * Leads Are = Salesforce Leads also a lead while it is one (leads.ts); a visitor activity only when
 * it is of a chosen kind (activities.ts).
 */
export function eventTypesOf(record: ChangeRecord, type: EventType, of: StreamEvents): Array<[ObjectType, EventType]> {
	const out: Array<[ObjectType, EventType]> = [];
	if (of.stream === 'visitorActivities' && !matchesActivityKinds(record.raw, of.activityTypes)) return out;
	for (const objectType of of.feeds) {
		const eventType = objectType === 'leads' && of.stream === 'prospects' && of.leads ? leadEventType(record, type, of.leads) : type;
		if (eventType && of.wanted.has(eventType)) out.push([objectType, eventType]);
	}
	return out;
}
