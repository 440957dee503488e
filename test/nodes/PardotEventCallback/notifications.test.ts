/** The notifications (notifications.ts): batches, ids, bodies byte for byte, headers. */
import type { IDataObject } from 'n8n-workflow';

import type { StandardEvent } from '../../../nodes/common/event';
import { checkEvent } from '../../../nodes/PardotEventCallback/events';
import {
	batch,
	bodyOf,
	envelopeOf,
	groupsOf,
	notificationIdOf,
	notificationsOf,
	numericNotificationIdOf,
	requestHeadersOf,
	type IndexedEvent,
	type InstanceFields,
} from '../../../nodes/PardotEventCallback/notifications';
import { signatureOf } from '../../../nodes/PardotEventCallback/signature';
import { makeEvent } from '../../lib/callback';

const inst = (name: string, fields: Partial<InstanceFields> = {}): InstanceFields => ({ name, idField: 'instanceId', ...fields });

const event = (n: number, overrides: IDataObject = {}) => {
	const checked = checkEvent(makeEvent(n, overrides));
	if (!checked.ok) throw new Error(`fixture is not an event: ${checked.field}`);
	return checked.event;
};

describe('batch', () => {
	test.each([
		{ count: 0, size: 10, sizes: [] },
		{ count: 1, size: 10, sizes: [1] },
		{ count: 10, size: 10, sizes: [10] },
		{ count: 11, size: 10, sizes: [10, 1] },
		{ count: 1000, size: 10, sizes: Array(100).fill(10) },
		{ count: 1000, size: 100, sizes: Array(10).fill(100) },
		{ count: 1001, size: 100, sizes: [...Array(10).fill(100), 1] },
		{ count: 3, size: 1, sizes: [1, 1, 1] },
	])('$count items by $size', ({ count, size, sizes }) => {
		const items = Array.from({ length: count }, (_, i) => i);
		const groups = batch(items, size);
		expect(groups.map((group) => group.length)).toEqual(sizes);
		expect(groups.flat()).toEqual(items);
	});

	test.each([0, -1, 1.5, NaN])('size %s is refused', (size) => {
		expect(() => batch([1], size)).toThrow(RangeError);
	});
});

describe('notificationIdOf', () => {
	const base = notificationIdOf('wf', 0, ['a', 'b']);

	test('is a version 8 UUID, the same for the same input', () => {
		expect(base).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(notificationIdOf('wf', 0, ['a', 'b'])).toBe(base);
	});

	test.each([
		['another instance', ['wf2', 0, ['a', 'b']]],
		['another position', ['wf', 1, ['a', 'b']]],
		['other events', ['wf', 0, ['a', 'c']]],
		['events in another order', ['wf', 0, ['b', 'a']]],
		['ids that would run together', ['wf', 0, ['a,b']]],
	] as Array<[string, [string, number, string[]]]>)('changes with %s', (_name, args) => {
		expect(notificationIdOf(...args)).not.toBe(base);
	});
});

describe('numericNotificationIdOf', () => {
	test('a positive safe integer, the same for the same input, different for other input', () => {
		const ids = Array.from({ length: 2000 }, (_, n) => numericNotificationIdOf('wf', n, ['a']));
		for (const id of ids) {
			expect(Number.isSafeInteger(id)).toBe(true);
			expect(id).toBeGreaterThan(0);
		}
		expect(new Set(ids).size).toBe(ids.length);
		expect(numericNotificationIdOf('wf', 7, ['a'])).toBe(ids[7]);
		expect(numericNotificationIdOf('wf2', 7, ['a'])).not.toBe(ids[7]);
		// Spread over the whole 53-bit range, not squeezed into 32 bits.
		expect(ids.some((id) => id > 2 ** 52)).toBe(true);
	});
});

describe('envelopeOf / bodyOf', () => {
	test('envelope: one object type, raw.objectType first, the records under the resource name in event order', () => {
		const events = [event(1, { objectType: 'leads' }), event(2, { objectType: 'leads' })];
		const envelope = envelopeOf('id-1', inst('inst'), events) as { message: IDataObject };
		expect(Object.keys(envelope.message)).toEqual(['elementKey', 'eventId', 'instanceName', 'events', 'raw']);
		expect(envelope.message.raw).toEqual({ objectType: 'leads', leads: [events[0].raw, events[1].raw] });
		expect(Object.keys(envelope.message.raw as IDataObject)).toEqual(['objectType', 'leads']);
	});

	test('envelope refuses mixed object types (the grouping is the caller\'s job)', () => {
		expect(() => envelopeOf('id', inst('inst'), [event(1), event(2, { objectType: 'leads' })])).toThrow(RangeError);
	});

	test('mixed envelope (pre-release builds): raw grouped by objectType in first-seen order, no raw.objectType', () => {
		const events = [event(1, { objectType: 'leads' }), event(2), event(3, { objectType: 'leads' })];
		const envelope = envelopeOf('id-1', inst('inst'), events, 'envelopeMixed') as { message: IDataObject };
		expect(Object.keys(envelope.message.raw as IDataObject)).toEqual(['leads', 'contacts']);
		expect((envelope.message.raw as IDataObject).leads).toEqual([events[0].raw, events[2].raw]);
		expect((envelope.message.events as IDataObject[]).map((e) => e.objectId)).toEqual(['1001', '1002', '1003']);
	});

	test.each<[string, Partial<InstanceFields>, IDataObject]>([
		['nothing set', {}, {}],
		['instance id, camel case', { id: 42 }, { instanceId: 42 }],
		['instance id, snake case', { id: 42, idField: 'instance_id' }, { instance_id: 42 }],
		['instance id, both', { id: 42, idField: 'both' }, { instanceId: 42, instance_id: 42 }],
		['all', { id: 1, accountId: 2, companyId: 3, userId: 4, tags: ['a', 'b'] }, { instanceId: 1, accountId: 2, companyId: 3, userId: 4, instanceTags: ['a', 'b'] }],
	])('instance fields: %s', (_name, fields, expected) => {
		const message = (envelopeOf(7, inst('inst', fields), [event(1)]) as { message: IDataObject }).message;
		const { elementKey, eventId, instanceName, events, raw, ...rest } = message;
		expect({ elementKey, eventId, instanceName }).toEqual({ elementKey: 'pardot', eventId: 7, instanceName: 'inst' });
		expect(events).toHaveLength(1);
		expect(raw).toBeDefined();
		expect(rest).toEqual(expected);
		// Instance fields sit between instanceName and events.
		const keys = Object.keys(message);
		expect(keys.slice(0, 3)).toEqual(['elementKey', 'eventId', 'instanceName']);
		expect(keys.slice(-2)).toEqual(['events', 'raw']);
	});

	test('an objectType named __proto__ stays plain data', () => {
		const body = bodyOf('envelope', 'id', inst('inst'), [event(1, { objectType: '__proto__' })]);
		expect(body).toContain('"raw":{"objectType":"__proto__","__proto__":[');
		expect(JSON.parse(body).message.raw.__proto__).toHaveLength(1);
		expect(bodyOf('envelopeMixed', 'id', inst('inst'), [event(1, { objectType: '__proto__' })])).toContain('"raw":{"__proto__":[');
		expect(({} as IDataObject).id).toBeUndefined();
	});

	test('the body is compact JSON, the same bytes every time', () => {
		const events: StandardEvent[] = [event(1), event(2)];
		const body = bodyOf('envelope', 'id', inst('inst'), events);
		expect(body).not.toMatch(/\n|": /);
		expect(bodyOf('envelope', 'id', inst('inst'), events)).toBe(body);
	});

	test('a numeric id is a JSON number in the body', () => {
		expect(bodyOf('envelope', 123456789012345, inst('inst'), [event(1)])).toContain('"eventId":123456789012345,');
	});
});

describe('groupsOf', () => {
	const indexed = (types: string): IndexedEvent[] =>
		[...types].map((letter, n) => ({ itemIndex: n, event: event(n, { objectType: letter === 'c' ? 'contacts' : 'leads' }) }));
	const shapeOf = (groups: IndexedEvent[][]) => groups.map((group) => group.map(({ itemIndex }) => itemIndex));

	test.each([
		['contacts only', 'ccccc', 2, [[0, 1], [2, 3], [4]]],
		['leads only', 'lll', 10, [[0, 1, 2]]],
		['blocks', 'cccll', 10, [[0, 1, 2], [3, 4]]],
		['interleaved', 'clclc', 10, [[0, 2, 4], [1, 3]]],
		['interleaved, small batches', 'clclcc', 2, [[0, 2], [1, 3], [4, 5]]],
		['leads first', 'lcc', 1, [[0], [1], [2]]],
	])('envelope, %s', (_name, types, size, expected) => {
		expect(shapeOf(groupsOf(indexed(types), size, 'envelope'))).toEqual(expected);
	});

	test.each(['envelopeMixed', 'events'] as const)('%s batches the input as it comes', (shape) => {
		expect(shapeOf(groupsOf(indexed('clclc'), 2, shape))).toEqual([[0, 1], [2, 3], [4]]);
	});
});

describe('requestHeadersOf', () => {
	test('format headers win over extra headers; the signature only with a key', () => {
		const extra = { 'X-Api-Key': 'abc', 'Content-Type': 'text/plain' };
		expect(requestHeadersOf('nid', '{}', undefined, extra)).toEqual({
			'X-Api-Key': 'abc',
			'Content-Type': 'application/json',
			'Elements-Webhook-Id': 'nid',
		});
		expect(requestHeadersOf('nid', '{}', 'k', {})['Elements-Webhook-Signature']).toBe(signatureOf('k', '{}'));
	});
});

describe('notificationsOf', () => {
	const indexed = [0, 1, 2, 3, 4].map((n) => ({
		itemIndex: n * 2,
		event: event(n, { objectType: n === 1 ? 'leads' : 'contacts' }),
	}));
	const options = { batchSize: 2, instance: inst('inst'), idFormat: 'uuid' as const };

	test('envelope: one object type each; ids, item indexes and objectTypes carried', () => {
		const notifications = notificationsOf(indexed, { ...options, shape: 'envelope' });
		expect(notifications.map((n) => [n.index, n.itemIndexes, n.objectTypes])).toEqual([
			[0, [0, 4], ['contacts']],
			[1, [2], ['leads']],
			[2, [6, 8], ['contacts']],
		]);
		expect(notifications[0].eventIds).toEqual(['evt-contacts-0', 'evt-contacts-2']);
		expect(JSON.parse(notifications[1].body).message.eventId).toBe(notifications[1].id);
		expect(notifications[1].id).toBe(notificationIdOf('inst', 1, ['evt-leads-1']));
	});

	test('mixed envelope: the very ids and bytes the pre-release builds sent', () => {
		const notifications = notificationsOf(indexed, { ...options, shape: 'envelopeMixed' });
		expect(notifications.map((n) => [n.index, n.itemIndexes, n.objectTypes])).toEqual([
			[0, [0, 2], ['contacts', 'leads']],
			[1, [4, 6], ['contacts']],
			[2, [8], ['contacts']],
		]);
		// Recorded by running the pre-release notificationsOf (commit 4ac6159) on this same input.
		expect(notifications.map((n) => n.id)).toEqual([
			'f6d44f1b-c386-8a6e-ae88-759de114722c',
			'377f0816-f8d4-8acf-abc3-c6c59d402b67',
			'a74d1c3e-3e87-821b-92c4-fd89738ad576',
		]);
		expect(notifications[0].body).toBe(
			'{"message":{"elementKey":"pardot","eventId":"f6d44f1b-c386-8a6e-ae88-759de114722c","instanceName":"inst","events":[' +
				'{"date":"2026-11-27T14:00:11Z","elementKey":"pardot","pollDate":"2026-11-27T14:05:00Z","eventType":"CREATED","hubKey":"marketing","objectId":"1000","objectType":"contacts"},' +
				'{"date":"2026-11-27T14:01:11Z","elementKey":"pardot","pollDate":"2026-11-27T14:05:00Z","eventType":"UPDATED","hubKey":"marketing","objectId":"1001","objectType":"leads"}],' +
				'"raw":{"contacts":[{"id":1000,"email":"person0@example.com","created_at":"2026-11-27 06:03:11","updated_at":"2026-11-27 06:03:11"}],' +
				'"leads":[{"id":1001,"email":"person1@example.com","created_at":"2026-11-27 06:03:11","updated_at":"2026-11-27 06:03:11"}]}}}',
		);
	});

	test('numeric ids: the header carries the digits, the body the number', () => {
		const notifications = notificationsOf(indexed, { ...options, shape: 'envelope', idFormat: 'number' });
		for (const notification of notifications) {
			expect(notification.id).toMatch(/^[1-9]\d{0,15}$/);
			expect(JSON.parse(notification.body).message.eventId).toBe(Number(notification.id));
		}
		expect(notifications[0].id).toBe(String(numericNotificationIdOf('inst', 0, notifications[0].eventIds)));
	});
});
