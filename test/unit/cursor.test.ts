import type { StreamCursor } from '../../nodes/Pardot/cursor';
import { deserializeCursor, isNewChange, latestPerRecord, plan, serializeCursor } from '../../nodes/Pardot/cursor';
import { classify, classifySample } from '../../nodes/Pardot/classify';
import type { ChangeRecord } from '../../nodes/Pardot/transport/source';

const T0 = Date.parse('2026-11-27T14:00:00Z');
const s = (seconds: number) => T0 + seconds * 1000;

function change(id: number, updatedSec: number, extra: Partial<ChangeRecord> = {}): ChangeRecord {
	const updatedAt = s(updatedSec);
	return {
		id: String(id),
		createdAt: extra.createdAt ?? s(-1000),
		updatedAt,
		updatedAtMin: updatedAt,
		updatedAtMax: updatedAt,
		deleted: false,
		raw: { id },
		...extra,
	};
}
const one = () => 1;

describe('cursor: which changes are new', () => {
	const cursor: StreamCursor = { after: s(10), emitted: { '1': s(10), '2': s(12) } };
	test.each([
		['older than the cursor', change(9, 9), false],
		['at the cursor, not emitted yet', change(3, 10), true],
		['at the cursor, already emitted (inclusive filter re-read it)', change(1, 10), false],
		['emitted, then changed again', change(1, 11), true],
		['emitted with this very timestamp', change(2, 12), false],
		['newer, never emitted', change(4, 20), true],
	])('%s', (_name, record, expected) => {
		expect(isNewChange(record, cursor)).toBe(expected);
	});

	test('an ambiguous DST time already emitted is not new even if it could mean a later instant', () => {
		const record = change(5, 100, { updatedAtMin: s(100), updatedAtMax: s(3700) });
		expect(isNewChange(record, { after: s(200), emitted: { '5': s(3700) } })).toBe(false);
		expect(isNewChange(record, { after: s(200), emitted: {} })).toBe(true);
	});

	test('in a repeated DST hour, a later change that looks earlier is still new', () => {
		// Emitted at local 01:30 (first pass); then changed at local 01:10 (second pass, later).
		const emitted = { '5': s(1800 + 3600) };
		const later = change(5, 600, { updatedAtMin: s(600), updatedAtMax: s(600 + 3600) });
		expect(isNewChange(later, { after: s(0), emitted })).toBe(true);
	});

	test('a record changed several times gives its latest state; a delete wins a tie', () => {
		const latest = latestPerRecord([change(1, 5), change(1, 9), change(1, 7), change(2, 3), change(2, 3, { deleted: true })]);
		expect(latest.get('1')!.updatedAt).toBe(s(9));
		expect(latest.get('2')!.deleted).toBe(true);
	});
});

describe('cursor: plan', () => {
	test('emits settled changes in change order, moves to the settle point, remembers the boundary', () => {
		const cursor = { after: s(0), emitted: {} };
		const result = plan([change(3, 5), change(1, 2), change(2, 5), change(4, 50)], cursor, one, 100, s(30));
		expect(result.processed.map((c) => c.id)).toEqual(['1', '2', '3']); // 4 is not settled yet
		expect(result.next.after).toBe(s(30));
		expect(result.next.emitted).toEqual({});
		expect(result.cut).toBe(false);
	});

	test('a change inside the settle window is emitted by the next poll, once', () => {
		const first = plan([change(1, 28)], { after: s(0), emitted: {} }, one, 100, s(20));
		expect(first.processed).toHaveLength(0);
		const second = plan([change(1, 28)], first.next, one, 100, s(40));
		expect(second.processed.map((c) => c.id)).toEqual(['1']);
		const third = plan([change(1, 28)], second.next, one, 100, s(60));
		expect(third.processed).toHaveLength(0);
	});

	test('the limit cuts at a change; the next poll continues from it without loss or repeat', () => {
		const all = Array.from({ length: 10 }, (_, i) => change(i + 1, 5 + Math.floor(i / 4))); // 4 share each second
		let cursor: StreamCursor = { after: s(0), emitted: {} };
		const seen: string[] = [];
		for (let poll = 0; poll < 5; poll++) {
			const result = plan(all, cursor, one, 3, s(100));
			seen.push(...result.processed.map((c) => c.id));
			cursor = result.next;
		}
		expect(seen).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
	});

	test('unselected event types do not count toward the limit but are consumed', () => {
		const result = plan([change(1, 1), change(2, 2), change(3, 3)], { after: s(0), emitted: {} }, (c) => (c.id === '2' ? 0 : 1), 2, s(10));
		expect(result.processed.map((c) => c.id)).toEqual(['1', '2', '3']);
		expect(result.cut).toBe(false);
	});

	test('the emitted set only keeps what is at or after the new cursor', () => {
		const result = plan([change(1, 5), change(2, 8)], { after: s(0), emitted: { '9': s(1) } }, one, 1, s(100));
		expect(result.next.after).toBe(s(8));
		expect(result.next.emitted).toEqual({});
		const same = plan([change(1, 5), change(2, 5)], { after: s(0), emitted: {} }, one, 1, s(100));
		expect(same.next).toEqual({ after: s(5), emitted: { '1': s(5) }, backlog: true });
	});

	test('the cursor never moves backwards (Pardot clock going back)', () => {
		expect(plan([], { after: s(50), emitted: {} }, one, 10, s(10)).next.after).toBe(s(50));
	});

	test('stored form is plain JSON and survives a round trip', () => {
		const cursor = { after: s(5), emitted: { '7': s(6) } };
		const stored = JSON.parse(JSON.stringify(serializeCursor(cursor)));
		expect(typeof stored.after).toBe('string');
		expect(deserializeCursor(stored)).toEqual(cursor);
		expect(deserializeCursor({ after: 'garbage' })).toBeUndefined();
		const waiting = { after: s(5), emitted: {}, backlog: true };
		expect(deserializeCursor(JSON.parse(JSON.stringify(serializeCursor(waiting))))).toEqual(waiting);
		expect(deserializeCursor(undefined)).toBeUndefined();
	});
});

describe('classification', () => {
	const previous: StreamCursor = { after: s(100), emitted: { '2': s(120) } };
	test.each([
		['created after the previous cursor', change(1, 130, { createdAt: s(110) }), 'CREATED'],
		['created before the previous cursor', change(1, 130, { createdAt: s(90) }), 'UPDATED'],
		['created after the cursor but already emitted once', change(2, 130, { createdAt: s(110) }), 'UPDATED'],
		['in the recycle bin', change(3, 130, { createdAt: s(110), deleted: true }), 'DELETED'],
	])('%s -> %s', (_name, record, expected) => {
		expect(classify(record, previous)).toBe(expected);
	});

	test('samples use Open Connectors\' rule', () => {
		expect(classifySample(change(1, 5, { createdAt: s(5) }))).toBe('CREATED');
		expect(classifySample(change(1, 5, { createdAt: s(1) }))).toBe('UPDATED');
	});
});
