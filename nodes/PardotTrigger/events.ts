import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { EventType, StandardEvent } from '../common/event';
import { uuidOf } from '../common/event';
import { instantToIso } from './time';
import type { ChangeRecord } from './model';

export type ObjectType = 'contacts' | 'leads' | 'visitorActivities' | 'listMemberships' | 'lists' | 'campaigns' | 'visitors';

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
