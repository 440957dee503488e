import type { IDataObject } from 'n8n-workflow';

import { EVENT_TYPES, type StandardEvent } from '../common/event';
import type { PayloadShape } from './notifications';

/**
 * The standardized event this node takes as input (docs/event-format.md), checked item by item
 * before anything is sent. Pure.
 */

/** The text fields of an event, in the format's order. */
const TEXT_FIELDS = [
	'eventId',
	'eventType',
	'objectType',
	'objectId',
	'elementKey',
	'hubKey',
	'date',
	'pollDate',
] as const;

export type EventCheck =
	| { ok: true; event: StandardEvent }
	| { ok: false; field: string; problem: string };

/**
 * Is this item's JSON a standardized event? The first field that is wrong is named, so the
 * error can say exactly what to fix. Fields beyond the format are ignored (and not sent).
 */
export function checkEvent(json: IDataObject, shape: PayloadShape = 'envelope'): EventCheck {
	for (const field of TEXT_FIELDS) {
		const value = json[field];
		if (value === undefined || value === null) return { ok: false, field, problem: 'is missing' };
		if (typeof value !== 'string' || value === '') {
			return { ok: false, field, problem: `must be a non-empty string, got ${describeValue(value)}` };
		}
	}
	if (!(EVENT_TYPES as readonly string[]).includes(json.eventType as string)) {
		return { ok: false, field: 'eventType', problem: `must be CREATED, UPDATED or DELETED, got "${String(json.eventType)}"` };
	}
	if (shape === 'envelope' && json.objectType === 'objectType') {
		return {
			ok: false,
			field: 'objectType',
			problem: 'cannot be "objectType" in the Open Connectors envelope, where raw.objectType names the resource',
		};
	}
	const raw = json.raw;
	if (raw === undefined || raw === null) return { ok: false, field: 'raw', problem: 'is missing' };
	if (typeof raw !== 'object' || Array.isArray(raw)) {
		return { ok: false, field: 'raw', problem: `must be an object (the Pardot record), got ${describeValue(raw)}` };
	}
	return {
		ok: true,
		event: {
			eventId: json.eventId as string,
			eventType: json.eventType as string,
			objectType: json.objectType as string,
			objectId: json.objectId as string,
			elementKey: json.elementKey as string,
			hubKey: json.hubKey as string,
			date: json.date as string,
			pollDate: json.pollDate as string,
			raw: raw as IDataObject,
		},
	};
}

function describeValue(value: unknown): string {
	if (Array.isArray(value)) return 'an array';
	if (value === '') return 'an empty string';
	return `a ${typeof value}`;
}
