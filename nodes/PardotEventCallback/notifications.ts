import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { uuidOf, type StandardEvent } from '../common/event';
import { signatureOf } from './signature';

/**
 * The notifications this node sends (SAP Open Connectors compatible; the README's "What is sent"
 * shows them): events grouped into batches, each with its id, its body and its headers. Pure.
 */

/** The message's own elementKey: this package only speaks for Pardot. */
export const ELEMENT_KEY = 'pardot';

/** Consecutive groups of at most `size`, in input order. */
export function batch<T>(items: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
	const groups: T[][] = [];
	for (let start = 0; start < items.length; start += size) groups.push(items.slice(start, start + size));
	return groups;
}

function idDigest(instanceName: string, batchIndex: number, eventIds: readonly string[]): Buffer {
	return createHash('sha256')
		.update(JSON.stringify(['pardot-event-callback', instanceName, batchIndex, eventIds]))
		.digest();
}

/**
 * The notification's id (message.eventId and the Elements-Webhook-Id header). It is derived
 * from what the notification carries, so re-running the same input (n8n's Retry On Fail, or a
 * re-run of a failed execution) sends the same id and the receiver can drop what it already
 * processed; the batch position keeps two notifications of one run apart even when they carry
 * the same events. Shaped as an RFC 9562 version 8 (custom) UUID.
 */
export function notificationIdOf(instanceName: string, batchIndex: number, eventIds: readonly string[]): string {
	const bytes = idDigest(instanceName, batchIndex, eventIds).subarray(0, 16);
	bytes[6] = (bytes[6] & 0x0f) | 0x80;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	return uuidOf(bytes.toString('hex'));
}

/**
 * The same id as a number, for receivers that parse message.eventId as an integer (Open
 * Connectors' own ids were numbers): the digest's first 53 bits, so it is exact as a JSON
 * number, in JavaScript and in any 64-bit integer, and as stable as the UUID form.
 */
export function numericNotificationIdOf(instanceName: string, batchIndex: number, eventIds: readonly string[]): number {
	const bytes = idDigest(instanceName, batchIndex, eventIds);
	const value = bytes.readUIntBE(0, 6) * 32 + (bytes[6] >> 3);
	return Math.max(1, value);
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

/** Which key carries the instance id: Open Connectors' receivers model one or the other. */
export type InstanceIdField = 'instanceId' | 'instance_id' | 'both';

/** What the message says about the instance. Only instanceName is always sent. */
export interface InstanceFields {
	name: string;
	id?: number;
	idField: InstanceIdField;
	accountId?: number;
	companyId?: number;
	userId?: number;
	tags?: string[];
}

/** message.instanceName and the optional instance fields, in a fixed order. */
function instancePart(instance: InstanceFields): IDataObject {
	const part: IDataObject = { instanceName: instance.name };
	if (instance.id !== undefined) {
		if (instance.idField !== 'instance_id') part.instanceId = instance.id;
		if (instance.idField !== 'instanceId') part.instance_id = instance.id;
	}
	if (instance.accountId !== undefined) part.accountId = instance.accountId;
	if (instance.companyId !== undefined) part.companyId = instance.companyId;
	if (instance.userId !== undefined) part.userId = instance.userId;
	if (instance.tags !== undefined) part.instanceTags = [...instance.tags];
	return part;
}

/** Records grouped by objectType in first-seen order (the pre-release form, several types at once). */
function mixedRaw(events: readonly StandardEvent[]): IDataObject {
	const raw = new Map<string, IDataObject[]>();
	for (const event of events) {
		const records = raw.get(event.objectType);
		if (records) records.push(event.raw);
		else raw.set(event.objectType, [event.raw]);
	}
	// fromEntries defines own properties, so an objectType such as "__proto__" stays data.
	return Object.fromEntries(raw);
}

/**
 * Open Connectors' raw: `{ objectType, <objectType>: [records in event order] }`. Its Pardot
 * poller polled one resource at a time, and Cloud Elements' own tests pick notifications by
 * message.raw.objectType. Every event here has the same objectType.
 */
function resourceRaw(events: readonly StandardEvent[]): IDataObject {
	const objectType = events[0].objectType;
	return Object.fromEntries([
		['objectType', objectType],
		[objectType, events.map((event) => event.raw)],
	]);
}

/**
 * The Open Connectors envelope. `envelope`: one object type, raw.objectType; `envelopeMixed`:
 * the pre-release form, raw grouped by objectType without raw.objectType.
 */
export function envelopeOf(
	messageId: string | number,
	instance: InstanceFields,
	events: readonly StandardEvent[],
	shape: 'envelope' | 'envelopeMixed' = 'envelope',
): IDataObject {
	if (shape === 'envelope' && new Set(events.map((event) => event.objectType)).size !== 1) {
		throw new RangeError('an Open Connectors notification carries events of exactly one objectType');
	}
	return {
		message: {
			elementKey: ELEMENT_KEY,
			eventId: messageId,
			...instancePart(instance),
			events: events.map(eventSummary),
			raw: shape === 'envelope' ? resourceRaw(events) : mixedRaw(events),
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

/**
 * `envelope`: Open Connectors' notification, one object type each; `envelopeMixed`: the envelope
 * as the pre-release builds sent it, object types mixed in input order; `events`: a plain array of whole events.
 */
export type PayloadShape = 'envelope' | 'envelopeMixed' | 'events';

/** message.eventId as a UUID string (the default) or as a number. */
export type IdFormat = 'uuid' | 'number';

/** The exact text that is signed and sent: compact JSON, keys in the format's order. */
export function bodyOf(
	shape: PayloadShape,
	messageId: string | number,
	instance: InstanceFields,
	events: readonly StandardEvent[],
): string {
	const payload = shape === 'events' ? events.map(fullEvent) : envelopeOf(messageId, instance, events, shape);
	return JSON.stringify(payload);
}

/** One POST to send: what it carries and where its events came from. */
export interface Notification {
	/** Position in this run, 0-based. */
	index: number;
	/** Elements-Webhook-Id, and message.eventId: a UUID, or a number's decimal digits. */
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

export interface NotificationOptions {
	batchSize: number;
	shape: PayloadShape;
	instance: InstanceFields;
	idFormat: IdFormat;
}

/**
 * The events of each notification. The Open Connectors envelope takes one object type at a
 * time, as its poller did: each type's events in input order, in batches of batchSize, and the
 * batches ordered by where their first event stood in the input. The other shapes batch the
 * input as it comes.
 */
export function groupsOf(events: readonly IndexedEvent[], batchSize: number, shape: PayloadShape): IndexedEvent[][] {
	if (shape !== 'envelope') return batch(events, batchSize);
	const byType = new Map<string, IndexedEvent[]>();
	for (const indexed of events) {
		const list = byType.get(indexed.event.objectType);
		if (list) list.push(indexed);
		else byType.set(indexed.event.objectType, [indexed]);
	}
	const groups = [...byType.values()].flatMap((list) => batch(list, batchSize));
	return groups.sort((a, b) => a[0].itemIndex - b[0].itemIndex);
}

/** Groups events into notifications, bodies ready to sign. */
export function notificationsOf(events: readonly IndexedEvent[], options: NotificationOptions): Notification[] {
	const { instance } = options;
	return groupsOf(events, options.batchSize, options.shape).map((group, index) => {
		const eventIds = group.map(({ event }) => event.eventId);
		const messageId =
			options.idFormat === 'number'
				? numericNotificationIdOf(instance.name, index, eventIds)
				: notificationIdOf(instance.name, index, eventIds);
		const list = group.map(({ event }) => event);
		return {
			index,
			id: String(messageId),
			body: bodyOf(options.shape, messageId, instance, list),
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
