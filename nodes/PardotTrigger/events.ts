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
 * One event. `date` is when the change happened: the record's latest update, or its creation for
 * a creation emitted on its own (see plan.ts); `raw` is the record as read, and the id names it.
 */
export function toEvent(
	change: ChangeRecord,
	objectType: ObjectType,
	eventType: EventType,
	pollDate: number,
	fields?: string[],
	date: number = change.updatedAt,
): PardotEvent {
	return {
		// The earliest instant the state's time can mean: a v3/v4 local time in a repeated DST hour gives
		// the same id whichever instant a poll took it for.
		eventId: eventIdOf(objectType, change.id, change.updatedAtMin, eventType === 'DELETED'),
		eventType,
		objectType,
		objectId: change.id,
		elementKey: 'pardot',
		hubKey: 'marketing',
		date: instantToIso(date),
		pollDate: instantToIso(pollDate),
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
