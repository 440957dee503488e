/** The v3/v4 adapter's reading of Pardot's answers (legacy.ts): result quirks, local times in the account zone. */
import { recordsOf, toChangeRecord, totalOf } from '../../../../nodes/PardotTrigger/transport/legacy';

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
});
