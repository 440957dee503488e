import { createHmac } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import {
	batch,
	bodyOf,
	checkEvent,
	envelopeOf,
	notificationIdOf,
	notificationsOf,
	requestHeadersOf,
	signatureOf,
	type StandardEvent,
} from '../../nodes/PardotEventCallback/helpers/events';
import { makeEvent } from './harness';

const event = (n: number, overrides: IDataObject = {}) => {
	const checked = checkEvent(makeEvent(n, overrides));
	if (!checked.ok) throw new Error(`fixture is not an event: ${checked.field}`);
	return checked.event;
};

describe('checkEvent', () => {
	test('accepts a standardized event and keeps only the format\'s fields', () => {
		const checked = checkEvent({ ...makeEvent(1), extra: 'x' });
		expect(checked.ok).toBe(true);
		expect(checked.ok && Object.keys(checked.event)).toEqual([
			'eventId',
			'eventType',
			'objectType',
			'objectId',
			'elementKey',
			'hubKey',
			'date',
			'pollDate',
			'raw',
		]);
	});

	test.each<[string, IDataObject, string, RegExp]>([
		['no eventId', { eventId: undefined }, 'eventId', /is missing/],
		['null objectType', { objectType: null }, 'objectType', /is missing/],
		['numeric objectId', { objectId: 1234 }, 'objectId', /non-empty string, got a number/],
		['empty date', { date: '' }, 'date', /got an empty string/],
		['no pollDate', { pollDate: undefined }, 'pollDate', /is missing/],
		['unknown eventType', { eventType: 'MERGED' }, 'eventType', /CREATED, UPDATED or DELETED, got "MERGED"/],
		['no raw', { raw: undefined }, 'raw', /is missing/],
		['array raw', { raw: [1] }, 'raw', /must be an object .*got an array/],
		['string raw', { raw: '{}' }, 'raw', /got a string/],
		['no elementKey', { elementKey: undefined }, 'elementKey', /is missing/],
		['no hubKey', { hubKey: undefined }, 'hubKey', /is missing/],
	])('%s', (_name, overrides, field, problem) => {
		const json = { ...makeEvent(1), ...overrides };
		for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
		const checked = checkEvent(json);
		expect(checked.ok).toBe(false);
		if (checked.ok) return;
		expect(checked.field).toBe(field);
		expect(checked.problem).toMatch(problem);
	});

	test('the first missing field is named, in the format\'s order', () => {
		expect(checkEvent({})).toEqual({ ok: false, field: 'eventId', problem: 'is missing' });
	});
});

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

describe('envelopeOf / bodyOf', () => {
	test('raw records are grouped by objectType in first-seen order, events keep input order', () => {
		const events = [event(1, { objectType: 'leads' }), event(2), event(3, { objectType: 'leads' })];
		const envelope = envelopeOf('id-1', 'inst', events) as { message: IDataObject };
		expect(Object.keys(envelope.message)).toEqual(['elementKey', 'eventId', 'instanceName', 'events', 'raw']);
		expect(Object.keys(envelope.message.raw as IDataObject)).toEqual(['leads', 'contacts']);
		expect((envelope.message.raw as IDataObject).leads).toEqual([events[0].raw, events[2].raw]);
		expect((envelope.message.events as IDataObject[]).map((e) => e.objectId)).toEqual(['1001', '1002', '1003']);
	});

	test('an objectType named __proto__ stays plain data', () => {
		const body = bodyOf('envelope', 'id', 'inst', [event(1, { objectType: '__proto__' })]);
		expect(body).toContain('"raw":{"__proto__":[');
		expect(({} as IDataObject).id).toBeUndefined();
	});

	test('the body is compact JSON, the same bytes every time', () => {
		const events: StandardEvent[] = [event(1), event(2)];
		const body = bodyOf('envelope', 'id', 'inst', events);
		expect(body).not.toMatch(/\n|": /);
		expect(bodyOf('envelope', 'id', 'inst', events)).toBe(body);
	});
});

describe('signatureOf', () => {
	test('matches the published HMAC-SHA256 test vector', () => {
		// HMAC_SHA256("key", "The quick brown fox jumps over the lazy dog") = f7bc83f4...3cd8 (hex)
		const hex = 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8';
		expect(signatureOf('key', 'The quick brown fox jumps over the lazy dog')).toBe(
			`sha256=${Buffer.from(hex, 'hex').toString('base64')}`,
		);
	});

	test('signs the UTF-8 bytes of the body', () => {
		const body = '{"name":"Zoë 🚀"}';
		const expected = createHmac('sha256', 'k').update(Buffer.from(body, 'utf8')).digest('base64');
		expect(signatureOf('k', body)).toBe(`sha256=${expected}`);
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
	test('carries ids, item indexes and the distinct objectTypes of each notification', () => {
		const indexed = [0, 1, 2, 3, 4].map((n) => ({
			itemIndex: n * 2,
			event: event(n, { objectType: n === 1 ? 'leads' : 'contacts' }),
		}));
		const notifications = notificationsOf(indexed, 2, 'inst', 'envelope');
		expect(notifications.map((n) => [n.index, n.itemIndexes, n.objectTypes])).toEqual([
			[0, [0, 2], ['contacts', 'leads']],
			[1, [4, 6], ['contacts']],
			[2, [8], ['contacts']],
		]);
		expect(notifications[0].eventIds).toEqual(['evt-contacts-0', 'evt-leads-1']);
		expect(JSON.parse(notifications[1].body).message.eventId).toBe(notifications[1].id);
	});
});
