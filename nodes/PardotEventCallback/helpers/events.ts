import { createHash, createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * The standardized event this node consumes and the notification it sends, as written in
 * ../shared/events-format.md (SAP Open Connectors compatible). Everything here is pure.
 */

/** One standardized event, one n8n item from the Pardot Trigger. */
export interface StandardEvent {
	eventId: string;
	eventType: string;
	objectType: string;
	objectId: string;
	elementKey: string;
	hubKey: string;
	date: string;
	pollDate: string;
	raw: IDataObject;
}

/** The message's own elementKey: this package only speaks for Pardot. */
export const ELEMENT_KEY = 'pardot';

export const EVENT_TYPES = ['CREATED', 'UPDATED', 'DELETED'];

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
export function checkEvent(json: IDataObject): EventCheck {
	for (const field of TEXT_FIELDS) {
		const value = json[field];
		if (value === undefined || value === null) return { ok: false, field, problem: 'is missing' };
		if (typeof value !== 'string' || value === '') {
			return { ok: false, field, problem: `must be a non-empty string, got ${describeValue(value)}` };
		}
	}
	if (!EVENT_TYPES.includes(json.eventType as string)) {
		return { ok: false, field: 'eventType', problem: `must be CREATED, UPDATED or DELETED, got "${String(json.eventType)}"` };
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

/** Consecutive groups of at most `size`, in input order. */
export function batch<T>(items: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
	const groups: T[][] = [];
	for (let start = 0; start < items.length; start += size) groups.push(items.slice(start, start + size));
	return groups;
}

/**
 * The notification's id (message.eventId and the Elements-Webhook-Id header). It is derived
 * from what the notification carries, so re-running the same input (n8n's Retry On Fail, or a
 * re-run of a failed execution) sends the same id and the receiver can drop what it already
 * processed; the batch position keeps two notifications of one run apart even when they carry
 * the same events. Shaped as an RFC 9562 version 8 (custom) UUID.
 */
export function notificationIdOf(instanceName: string, batchIndex: number, eventIds: readonly string[]): string {
	const bytes = createHash('sha256')
		.update(JSON.stringify(['pardot-event-callback', instanceName, batchIndex, eventIds]))
		.digest()
		.subarray(0, 16);
	bytes[6] = (bytes[6] & 0x0f) | 0x80;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** An event as message.events lists it: the format's keys, in the format's order, no raw. */
function eventSummary(event: StandardEvent): IDataObject {
	return {
		date: event.date,
		elementKey: event.elementKey,
		pollDate: event.pollDate,
		eventType: event.eventType,
		hubKey: event.hubKey,
		objectId: event.objectId,
		objectType: event.objectType,
	};
}

/** The Open Connectors envelope: raw records grouped by objectType, in event order. */
export function envelopeOf(notificationId: string, instanceName: string, events: readonly StandardEvent[]): IDataObject {
	const raw = new Map<string, IDataObject[]>();
	for (const event of events) {
		const records = raw.get(event.objectType);
		if (records) records.push(event.raw);
		else raw.set(event.objectType, [event.raw]);
	}
	return {
		message: {
			elementKey: ELEMENT_KEY,
			eventId: notificationId,
			instanceName,
			events: events.map(eventSummary),
			// fromEntries defines own properties, so an objectType such as "__proto__" stays data.
			raw: Object.fromEntries(raw),
		},
	};
}

/** An event whole, keys in the format's order (the "events array" payload). */
function fullEvent(event: StandardEvent): IDataObject {
	return {
		eventId: event.eventId,
		eventType: event.eventType,
		objectType: event.objectType,
		objectId: event.objectId,
		elementKey: event.elementKey,
		hubKey: event.hubKey,
		date: event.date,
		pollDate: event.pollDate,
		raw: event.raw,
	};
}

export type PayloadShape = 'envelope' | 'events';

/** The exact text that is signed and sent: compact JSON, keys in the format's order. */
export function bodyOf(
	shape: PayloadShape,
	notificationId: string,
	instanceName: string,
	events: readonly StandardEvent[],
): string {
	const payload = shape === 'events' ? events.map(fullEvent) : envelopeOf(notificationId, instanceName, events);
	return JSON.stringify(payload);
}

/** Elements-Webhook-Signature: `sha256=` + base64(HMAC-SHA256(key, the body's UTF-8 bytes)). */
export function signatureOf(signingKey: string, body: string): string {
	return `sha256=${createHmac('sha256', signingKey).update(Buffer.from(body, 'utf8')).digest('base64')}`;
}

/** One POST to send: what it carries and where its events came from. */
export interface Notification {
	/** Position in this run, 0-based. */
	index: number;
	id: string;
	body: string;
	eventIds: string[];
	/** Distinct objectTypes in this notification: the resources whose order must hold. */
	objectTypes: string[];
	/** Input item index of each event, for pairedItem. */
	itemIndexes: number[];
}

export interface IndexedEvent {
	itemIndex: number;
	event: StandardEvent;
}

/** Groups events into notifications of at most batchSize, in input order, bodies ready to sign. */
export function notificationsOf(
	events: readonly IndexedEvent[],
	batchSize: number,
	instanceName: string,
	shape: PayloadShape,
): Notification[] {
	return batch(events, batchSize).map((group, index) => {
		const eventIds = group.map(({ event }) => event.eventId);
		const id = notificationIdOf(instanceName, index, eventIds);
		const list = group.map(({ event }) => event);
		return {
			index,
			id,
			body: bodyOf(shape, id, instanceName, list),
			eventIds,
			objectTypes: [...new Set(list.map((event) => event.objectType))],
			itemIndexes: group.map(({ itemIndex }) => itemIndex),
		};
	});
}

/**
 * The request's headers. The user's extra headers come first so the format's own can never be
 * replaced (settings also refuse them by name).
 */
export function requestHeadersOf(
	notificationId: string,
	body: string,
	signingKey: string | undefined,
	extraHeaders: Readonly<Record<string, string>>,
): Record<string, string> {
	const headers: Record<string, string> = {
		...extraHeaders,
		'Content-Type': 'application/json',
		'Elements-Webhook-Id': notificationId,
	};
	if (signingKey !== undefined) headers['Elements-Webhook-Signature'] = signatureOf(signingKey, body);
	return headers;
}
