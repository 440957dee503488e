/** Records as standardized events (events.ts): ids, shape, fields, and which events a change gives. */
import type { ChangeRecord } from '../../../nodes/PardotTrigger/model';
import type { StreamEvents } from '../../../nodes/PardotTrigger/events';
import { EventParts, eventIdOf, eventTypesOf, labelOf, pickFields, toEvent } from '../../../nodes/PardotTrigger/events';

describe('events', () => {
	test('the same record state has the same id; any difference gives another', () => {
		const base = eventIdOf('contacts', '1', 1000, false);
		expect(eventIdOf('contacts', '1', 1000, false)).toBe(base);
		expect(base).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
		for (const other of [
			eventIdOf('leads', '1', 1000, false),
			eventIdOf('contacts', '2', 1000, false),
			eventIdOf('contacts', '1', 2000, false),
			eventIdOf('contacts', '1', 1000, true),
		]) {
			expect(other).not.toBe(base);
		}
	});

	test('the id names the state carried, whatever the event type and date', () => {
		const record = { id: '7', createdAt: 1000, updatedAt: 9000, updatedAtMin: 9000, updatedAtMax: 9000, deleted: false, raw: { id: 7 } };
		const merged = toEvent(record, 'contacts', 'CREATED', 10_000);
		const later = toEvent(record, 'contacts', 'UPDATED', 20_000);
		const creationAlone = toEvent(record, 'contacts', 'CREATED', 10_000, [], record.createdAt);
		expect(new Set([merged.eventId, later.eventId, creationAlone.eventId]).size).toBe(1);
		expect(toEvent({ ...record, deleted: true }, 'contacts', 'DELETED', 20_000).eventId).not.toBe(merged.eventId);
	});

	test('an event has the standardized shape', () => {
		const event = toEvent(
			{ id: '12', createdAt: 0, updatedAt: Date.parse('2026-11-27T14:03:11Z'), updatedAtMin: 0, updatedAtMax: 0, deleted: false, raw: { id: 12, email: 'a@b.c' } },
			'contacts',
			'UPDATED',
			Date.parse('2026-11-27T14:05:00Z'),
		);
		expect(event).toEqual({
			eventId: expect.any(String),
			eventType: 'UPDATED',
			objectType: 'contacts',
			objectId: '12',
			elementKey: 'pardot',
			hubKey: 'marketing',
			date: '2026-11-27T14:03:11Z',
			pollDate: '2026-11-27T14:05:00Z',
			raw: { id: 12, email: 'a@b.c' },
		});
	});

	test("a poll's prepared ids and dates (pages read ahead) give the same events as computing them on the spot", () => {
		const at = Date.parse('2026-03-08T09:59:59Z');
		const records: ChangeRecord[] = [
			{ id: '1', createdAt: at - 5000, updatedAt: at, updatedAtMin: at, updatedAtMax: at, deleted: false, raw: { id: 1 } },
			{ id: '2', createdAt: at - 5000, updatedAt: at + 1000, updatedAtMin: at - 3_599_000, updatedAtMax: at + 1000, deleted: false, raw: { id: 2 } },
			{ id: '3', createdAt: at - 9000, updatedAt: at + 2000, updatedAtMin: at + 2000, updatedAtMax: at + 2000, deleted: true, raw: { id: 3 } },
		];
		const prepared = new EventParts();
		prepared.prepare(records, ['contacts', 'leads']);
		const pollDate = at + 60_000;
		for (const record of records) {
			for (const objectType of ['contacts', 'leads'] as const) {
				for (const type of ['CREATED', 'UPDATED', 'DELETED'] as const) {
					for (const date of [record.updatedAt, record.createdAt]) {
						const expected = {
							...toEvent(record, objectType, type, pollDate, [], date),
							eventId: eventIdOf(objectType, record.id, record.updatedAtMin, type === 'DELETED'),
							date: new Date(date).toISOString().replace('.000Z', 'Z'),
							pollDate: '2026-03-08T10:00:59Z',
						};
						expect(toEvent(record, objectType, type, pollDate, [], date, prepared)).toEqual(expected);
					}
				}
			}
		}
	});

	test('fields keep identity and dates', () => {
		expect(pickFields({ id: 1, email: 'e', score: 3, updated_at: 'u', company: 'c' }, ['email'])).toEqual({ id: 1, email: 'e', updated_at: 'u' });
	});
});

describe('which events a change gives', () => {
	const record = (raw: ChangeRecord['raw']): ChangeRecord => ({ id: '5', createdAt: 0, updatedAt: 1000, updatedAtMin: 1000, updatedAtMax: 1000, deleted: false, raw });
	const of = (extra: Partial<StreamEvents>): StreamEvents => ({ stream: 'prospects', feeds: ['contacts'], wanted: new Set(['CREATED', 'UPDATED', 'DELETED']), activityTypes: [], ...extra });

	test('one event per object type the stream feeds, of the wanted types only', () => {
		expect(eventTypesOf(record({ id: 5 }), 'UPDATED', of({ feeds: ['contacts'] }))).toEqual([['contacts', 'UPDATED']]);
		expect(eventTypesOf(record({ id: 5 }), 'DELETED', of({ wanted: new Set(['CREATED', 'UPDATED']) }))).toEqual([]);
	});

	test('with Salesforce Leads, a prospect is a lead only while it is one', () => {
		const leads = { open: new Set<string>(), start: 0 };
		const lead = record({ id: 5, salesforceLeadId: '00Q1' });
		expect(eventTypesOf(lead, 'UPDATED', of({ feeds: ['contacts', 'leads'], leads }))).toEqual([
			['contacts', 'UPDATED'],
			['leads', 'CREATED'],
		]);
		expect(eventTypesOf(record({ id: 5 }), 'UPDATED', of({ feeds: ['contacts', 'leads'], leads }))).toEqual([['contacts', 'UPDATED']]);
	});

	test('a visitor activity gives an event only when it is of a chosen Activity Type', () => {
		const open = record({ id: 5, type: 11 });
		expect(eventTypesOf(open, 'CREATED', of({ stream: 'visitorActivities', feeds: ['visitorActivities'], activityTypes: ['emailOpen'] }))).toEqual([['visitorActivities', 'CREATED']]);
		expect(eventTypesOf(open, 'CREATED', of({ stream: 'visitorActivities', feeds: ['visitorActivities'], activityTypes: ['formSubmission'] }))).toEqual([]);
	});

	test('object types as messages name them', () => {
		expect(labelOf(['contacts', 'leads'])).toBe('Contacts and Leads');
		expect(labelOf(['visitorActivities'])).toBe('Visitor Activities');
	});
});
