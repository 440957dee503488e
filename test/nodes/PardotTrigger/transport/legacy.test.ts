/** The v3/v4 adapter's reading of Pardot's answers (legacy.ts): result quirks, local times in the account zone. */
import { recordsOf, toChangeRecord, totalOf, unreadableField, windowEnd } from '../../../../nodes/PardotTrigger/transport/legacy';
import type { ChangeRecord } from '../../../../nodes/PardotTrigger/model';
import { seededInts } from '../../../lib/random';

describe('v3/v4 result quirks', () => {
	test.each([
		['an array', { result: { total_results: 2, prospect: [{ id: 1 }, { id: 2 }] } }, [1, 2], 2],
		['one record as an object', { result: { total_results: 1, prospect: { id: 7 } } }, [7], 1],
		['no record: key omitted', { result: { total_results: 0 } }, [], 0],
		['result null', { result: null }, [], undefined],
		['no result at all', {}, [], undefined],
		['bulk output: no total', { result: { prospect: [{ id: 3 }] } }, [3], undefined],
		['the record key null, total not a number', { result: { total_results: 'many', prospect: null } }, [], undefined],
		['the record key a text', { result: { total_results: 0, prospect: 'none' } }, [], 0],
	])('%s', (_name, body, ids, total) => {
		expect(recordsOf(body as never, 'prospect').map((r) => r.id)).toStrictEqual(ids);
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

	test('a record without an id, missing or null, cannot be read (the read stops there, naming the id)', () => {
		for (const id of [undefined, null]) {
			expect(toChangeRecord({ id, created_at: '2026-01-15 09:00:00', updated_at: '2026-01-15 12:30:05' }, 'UTC', false)).toBeUndefined();
			expect(unreadableField({ id, updated_at: '2026-01-15 12:30:05' })).toBe('id');
		}
		expect(unreadableField({ id: 5, updated_at: 'soon' })).toBe('updated_at');
		expect(unreadableField({ id: 5 })).toBe('created_at');
		expect(unreadableField({ id: 5, updated_at: null })).toBe('created_at');
		expect(unreadableField({ id: 5, updated_at: '2026-01-15 12:30:05' }, 'created')).toBe('created_at');
	});
});

describe('where a window read by change time ends (windowEnd)', () => {
	const record = (id: number, second: number): ChangeRecord => ({ id: String(id), createdAt: second * 1000, updatedAt: second * 1000, updatedAtMin: second * 1000, updatedAtMax: second * 1000, deleted: false, raw: {} });

	test('random seconds read whole, in change order with ids in no order: the window holds exactly k changes', () => {
		const rnd = seededInts(11);
		for (let round = 0; round < 500; round++) {
			const records: ChangeRecord[] = [];
			let second = 100;
			for (let i = 0; i < 1 + rnd(40); i++) {
				second += 1 + rnd(2);
				// A second's records come in no documented order: ids shuffled inside it.
				const ids = Array.from({ length: 1 + rnd(5) }, (_, j) => 1000 * round + 10 * i + j).sort(() => rnd(3) - 1);
				records.push(...ids.map((id) => record(id, second)));
			}
			const k = 1 + rnd(records.length + 3);
			const end = windowEnd(records, k);
			if (records.length <= k) {
				expect(end).toBeUndefined();
				continue;
			}
			const inside = records.filter((r) => r.updatedAt < end!.at || (r.updatedAt === end!.at && end!.id !== undefined && Number(r.id) <= Number(end!.id)));
			expect({ round, k, count: inside.length }).toEqual({ round, k, count: k });
			// Ended inside a second only when the k-th and the (k+1)-th change share it.
			if (end!.id !== undefined) expect(records.filter((r) => r.updatedAt === end!.at).length).toBeGreaterThan(1);
		}
	});
});
