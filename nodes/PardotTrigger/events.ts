import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { EventType, StandardEvent } from '../common/event';
import { uuidOf } from '../common/event';
import { instantToIso } from './time';
import type { ChangeRecord } from './transport/source';

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
 * The same change gets the same id on every poll and every machine: a hash of what identifies it
 * (object type, id, the instant of the change, the kind of change), shaped like a UUID.
 */
export function eventIdOf(objectType: ObjectType, objectId: string, changedAt: number, eventType: EventType): string {
	const hex = createHash('sha256').update(`pardot|${objectType}|${objectId}|${changedAt}|${eventType}`).digest('hex');
	return uuidOf(hex);
}

/**
 * One event. `date` is when the change happened: the record's latest update, or its creation for
 * a creation emitted on its own (see plan.ts); `raw` is the record as read.
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
		eventId: eventIdOf(objectType, change.id, date, eventType),
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
