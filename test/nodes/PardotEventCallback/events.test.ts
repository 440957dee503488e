/** The input check (events.ts): is an item a standardized event, and if not, which field is wrong. */
import type { IDataObject } from 'n8n-workflow';

import { checkEvent } from '../../../nodes/PardotEventCallback/events';
import { makeEvent } from '../../lib/callback';

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

	test('an objectType of "objectType" cannot be told from raw.objectType in the envelope; other payloads take it', () => {
		const json = makeEvent(1, { objectType: 'objectType' });
		expect(checkEvent(json, 'envelope')).toEqual({ ok: false, field: 'objectType', problem: expect.stringMatching(/raw.objectType names the resource/) });
		expect(checkEvent(json, 'envelopeMixed').ok).toBe(true);
		expect(checkEvent(json, 'events').ok).toBe(true);
	});
});
