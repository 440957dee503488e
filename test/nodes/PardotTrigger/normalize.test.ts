import { describePardotError } from '../../../nodes/shared/transport/errors';
import { recordsOf, toChangeRecord, totalOf } from '../../../nodes/PardotTrigger/transport/legacy';
import { toChangeRecordV5 } from '../../../nodes/PardotTrigger/transport/v5';
import { eventIdOf, pickFields, toEvent } from '../../../nodes/PardotTrigger/events';
import { isSalesforceLead } from '../../../nodes/PardotTrigger/transport/source';

describe('v3/v4 result quirks', () => {
	test.each([
		['an array', { result: { total_results: 2, prospect: [{ id: 1 }, { id: 2 }] } }, [1, 2], 2],
		['one record as an object', { result: { total_results: 1, prospect: { id: 7 } } }, [7], 1],
		['no record: key omitted', { result: { total_results: 0 } }, [], 0],
		['result null', { result: null }, [], undefined],
		['no result at all', {}, [], undefined],
		['bulk output: no total', { result: { prospect: [{ id: 3 }] } }, [3], undefined],
	])('%s', (_name, body, ids, total) => {
		expect(recordsOf(body as never, 'prospect').map((r) => r.id)).toEqual(ids);
		expect(totalOf(body as never)).toBe(total);
	});

	test('a local timestamp becomes UTC in the account zone', () => {
		const record = toChangeRecord(
			{ id: 5, created_at: '2026-01-15 09:00:00', updated_at: '2026-01-15 12:30:05' },
			'America/New_York',
			false,
		)!;
		expect(new Date(record.updatedAt).toISOString()).toBe('2026-01-15T17:30:05.000Z');
		expect(new Date(record.createdAt).toISOString()).toBe('2026-01-15T14:00:00.000Z');
		expect(record.id).toBe('5');
	});

	test('a v5 ISO date with offset becomes UTC', () => {
		const record = toChangeRecordV5({ id: 9, createdAt: '2026-11-27T06:03:11-08:00', updatedAt: '2026-11-27T06:04:00-08:00' }, true)!;
		expect(new Date(record.updatedAt).toISOString()).toBe('2026-11-27T14:04:00.000Z');
		expect(record.deleted).toBe(true);
	});

	test.each([
		[{ crm_lead_fid: '00Q1', crm_contact_fid: null }, true],
		[{ crm_lead_fid: '00Q1', crm_contact_fid: '0031' }, false],
		[{ salesforceLeadId: '00Q1', salesforceContactId: '' }, true],
		[{ email: 'x@example.com' }, false],
	])('Salesforce lead: %j -> %s', (raw, expected) => {
		expect(isSalesforceLead(raw)).toBe(expected);
	});
});

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

	test('fields keep identity and dates', () => {
		expect(pickFields({ id: 1, email: 'e', score: 3, updated_at: 'u', company: 'c' }, ['email'])).toEqual({ id: 1, email: 'e', updated_at: 'u' });
	});
});

describe('error table', () => {
	test.each([
		[1, 'relogin'],
		[15, 'fail'],
		[66, 'backoff'],
		[122, 'fail'],
		[199, 'fail'],
		[201, 'fail'],
		[9999, 'fail'],
	])('code %i -> %s', (code, action) => {
		const info = describePardotError(code, 'msg');
		expect(info.action).toBe(action);
		expect(info.message.length).toBeGreaterThan(10);
		expect(info.description.length).toBeGreaterThan(10);
	});
});
