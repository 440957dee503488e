/**
 * Table tests for the pure parts of the trigger: positions and keys (cursor.ts), the poll plan
 * (plan.ts: order, limit across streams, creations), and the stored state (state.ts).
 */
import type { StreamCursor } from '../../../nodes/PardotTrigger/cursor';
import { comparePositions, isAfter, isNewChange, latestPerRecord, positionAtInstant } from '../../../nodes/PardotTrigger/cursor';
import { classifyChange, classifySample } from '../../../nodes/PardotTrigger/classify';
import type { EventType } from '../../../nodes/common/event';
import type { StreamInput } from '../../../nodes/PardotTrigger/plan';
import { planPoll } from '../../../nodes/PardotTrigger/plan';
import { creationQueries } from '../../../nodes/PardotTrigger/read';
import { decodeEmitted, decodeIds, encodeEmitted, encodeIds, readState, StateError, writeState } from '../../../nodes/PardotTrigger/state';
import type { ChangeRecord, Position } from '../../../nodes/PardotTrigger/model';

const T0 = Date.parse('2026-11-27T14:00:00Z');
const s = (seconds: number) => T0 + seconds * 1000;

function change(id: number, updatedSec: number, extra: Partial<ChangeRecord> & { createdSec?: number } = {}): ChangeRecord {
	const updatedAt = s(updatedSec);
	const { createdSec, ...rest } = extra;
	return {
		id: String(id),
		createdAt: createdSec === undefined ? s(-1000) : s(createdSec),
		updatedAt,
		updatedAtMin: updatedAt,
		updatedAtMax: updatedAt,
		deleted: false,
		raw: { id },
		...rest,
	};
}
const cursorAt = (position: Position, emitted: Record<string, number> = {}): StreamCursor => ({ position, start: s(-10), emitted });
const one = (_r: ChangeRecord, _t: EventType) => 1;

function input(records: ChangeRecord[], cursor: StreamCursor, frontier: Position, extra: Partial<StreamInput> = {}): StreamInput {
	return { stream: 'prospects', records, cursor, frontier, windowed: false, creations: true, eventsOf: one, ...extra };
}
const summary = (events: Array<{ record: ChangeRecord; type: string; date: number }>) =>
	events.map((e) => `${e.type} ${e.record.id}@${(e.date - T0) / 1000}`);

describe('positions and keys', () => {
	test('a position without id stands before its second; with an id, after that record of it', () => {
		expect(isAfter({ at: s(5), id: '1' }, { at: s(5) })).toBe(true);
		expect(isAfter({ at: s(4), id: '9' }, { at: s(5) })).toBe(false);
		expect(isAfter({ at: s(5), id: '7' }, { at: s(5), id: '7' })).toBe(false);
		expect(isAfter({ at: s(5), id: '10' }, { at: s(5), id: '9' })).toBe(true); // ids compare as numbers
		expect(comparePositions({ at: s(5) }, { at: s(5), id: '1' })).toBeLessThan(0);
		expect(comparePositions({ at: s(6) }, { at: s(5), id: '99' })).toBeGreaterThan(0);
	});

	test('an instant becomes the position after every whole second before it', () => {
		expect(positionAtInstant(s(5))).toEqual({ at: s(5) });
		expect(positionAtInstant(s(5) + 1)).toEqual({ at: s(6) });
	});

	test('a record changed several times gives its latest state; a delete wins a tie', () => {
		const latest = latestPerRecord([change(1, 1), change(1, 3), change(1, 2), change(2, 5), change(2, 5, { deleted: true })]);
		expect(latest.get('1')!.updatedAt).toBe(s(3));
		expect(latest.get('2')!.deleted).toBe(true);
	});

	test('the DST memory: an emitted ambiguous time is not new even if it could mean a later instant', () => {
		const ambiguous = change(1, 10, { updatedAtMin: s(10), updatedAtMax: s(3610) });
		const cursor = cursorAt({ at: s(20) }, { '1': s(3610) });
		expect(isNewChange({ ...ambiguous, updatedAt: s(3610) }, cursor)).toBe(false);
		// A later change of the record that looks earlier in the repeated hour is new.
		expect(isNewChange(change(1, 3605, { updatedAtMin: s(5), updatedAtMax: s(3605) }), cursor)).toBe(true);
	});
});

describe('plan: one poll', () => {
	test('emits changes in change order up to the frontier and moves there', () => {
		const [plan] = planPoll([input([change(2, 3), change(1, 1), change(3, 9)], cursorAt({ at: s(0) }), { at: s(5) })], 100);
		expect(summary(plan.events)).toEqual(['UPDATED 1@1', 'UPDATED 2@3']);
		expect(plan.next.position).toEqual({ at: s(5) });
		expect(plan.cut).toBe(false);
	});

	test('the limit cuts inside a second: the position keeps the last id, the next poll goes on from it', () => {
		const burst = [1, 2, 3, 4, 5].map((id) => change(id, 2));
		const [first] = planPoll([input(burst, cursorAt({ at: s(0) }), { at: s(5) })], 2);
		expect(summary(first.events)).toEqual(['UPDATED 1@2', 'UPDATED 2@2']);
		expect(first.next).toMatchObject({ position: { at: s(2), id: '2' }, backlog: true });
		const [second] = planPoll([input(burst, first.next, { at: s(5) })], 2);
		expect(summary(second.events)).toEqual(['UPDATED 3@2', 'UPDATED 4@2']);
		expect(second.next.position).toEqual({ at: s(2), id: '4' });
	});

	test('the limit holds for the whole poll, oldest first across streams', () => {
		const contacts = input([change(1, 1), change(2, 4), change(3, 6)], cursorAt({ at: s(0) }), { at: s(9) });
		const leads = input([change(7, 2), change(8, 5)], cursorAt({ at: s(0) }), { at: s(9) }, { stream: 'opportunities' });
		const [c, l] = planPoll([contacts, leads], 3);
		expect([...summary(c.events), ...summary(l.events)]).toEqual(['UPDATED 1@1', 'UPDATED 2@4', 'UPDATED 7@2']);
		expect(c.next.position).toEqual({ at: s(6) });
		expect(l.next.position).toEqual({ at: s(5) });
	});

	test('a record created after the position and changed again in the same poll: one CREATED with its latest state', () => {
		const [plan] = planPoll([input([change(1, 4, { createdSec: 2 })], cursorAt({ at: s(0) }), { at: s(9) })], 10);
		expect(summary(plan.events)).toEqual(['CREATED 1@4']);
	});

	test('a creation the position passes while the latest state stays beyond the frontier is emitted on its own', () => {
		const record = change(1, 30, { createdSec: 2 });
		const [plan] = planPoll([input([record], cursorAt({ at: s(0) }), { at: s(9) })], 10);
		expect(summary(plan.events)).toEqual(['CREATED 1@2']);
		// The next poll sees the latest state: UPDATED, and no second CREATED.
		const [next] = planPoll([input([record], plan.next, { at: s(40) })], 10);
		expect(summary(next.events)).toEqual(['UPDATED 1@30']);
	});

	test('the limit cutting between a creation and the record\'s later change: CREATED now, UPDATED later', () => {
		const records = [change(1, 8, { createdSec: 1 }), change(2, 2), change(3, 3)];
		const [plan] = planPoll([input(records, cursorAt({ at: s(0) }), { at: s(9) })], 2);
		expect(summary(plan.events)).toEqual(['CREATED 1@1', 'UPDATED 2@2']);
		const [next] = planPoll([input(records, plan.next, { at: s(9) })], 2);
		expect(summary(next.events)).toEqual(['UPDATED 3@3', 'UPDATED 1@8']);
	});

	test('without CREATED selected, creations are not changes of their own', () => {
		const [plan] = planPoll([input([change(1, 30, { createdSec: 2 })], cursorAt({ at: s(0) }), { at: s(9) }, { creations: false })], 10);
		expect(plan.events).toEqual([]);
	});

	test('a record created and moved to the recycle bin before the poll: DELETED only', () => {
		const [plan] = planPoll([input([change(1, 4, { createdSec: 2, deleted: true })], cursorAt({ at: s(0) }), { at: s(9) })], 10);
		expect(summary(plan.events)).toEqual(['DELETED 1@4']);
	});

	test('unselected event types do not count toward the limit but are consumed', () => {
		const eventsOf = (_r: ChangeRecord, type: EventType) => (type === 'UPDATED' ? 0 : 1);
		const [plan] = planPoll([input([change(1, 1), change(2, 2), change(3, 3, { createdSec: 3 })], cursorAt({ at: s(0) }), { at: s(9) }, { eventsOf })], 1);
		expect(summary(plan.events).filter((e) => e.startsWith('CREATED'))).toEqual(['CREATED 3@3']);
		expect(plan.next.position).toEqual({ at: s(9) });
	});

	test('the position never moves backwards (Pardot\'s clock going back)', () => {
		const [plan] = planPoll([input([], cursorAt({ at: s(50) }), { at: s(10) })], 10);
		expect(plan.next.position).toEqual({ at: s(50) });
	});

	test('the DST memory keeps only what may still read as after the position', () => {
		const ambiguous = change(1, 4, { updatedAtMin: s(4), updatedAtMax: s(3604) });
		const [plan] = planPoll([input([ambiguous, change(2, 5)], cursorAt({ at: s(0) }, { old: s(1) }), { at: s(9) })], 10);
		expect(plan.next.emitted).toEqual({ '1': s(3604) });
	});
});

describe('classification', () => {
	test('DELETED in the recycle bin; CREATED when created after the position and not emitted; else UPDATED', () => {
		const cursor = cursorAt({ at: s(10) });
		expect(classifyChange(change(1, 20, { createdSec: 12 }), cursor)).toBe('CREATED');
		expect(classifyChange(change(1, 20, { createdSec: 5 }), cursor)).toBe('UPDATED');
		expect(classifyChange(change(1, 20, { createdSec: 12, deleted: true }), cursor)).toBe('DELETED');
		// A record the DST memory holds was emitted, whatever its creation time seems to say.
		expect(classifyChange(change(1, 20, { createdSec: 12 }), cursorAt({ at: s(10) }, { '1': s(30) }))).toBe('UPDATED');
	});

	test('samples use Open Connectors\' rule', () => {
		expect(classifySample(change(1, 5, { createdSec: 5 }))).toBe('CREATED');
		expect(classifySample(change(1, 9, { createdSec: 5 }))).toBe('UPDATED');
	});
});

describe('creation queries: records created inside a window and changed after it', () => {
	test('a window ending at a second boundary: one query', () => {
		expect(creationQueries('prospects', 'live', { at: s(0) }, { at: s(10) }, { at: s(10) })).toEqual([
			{ stream: 'prospects', scope: 'live', createdFrom: s(0), createdTo: s(9), updatedFrom: s(10) },
		]);
	});

	test('a window ending inside a burst second: the second by id range, the rest before it', () => {
		expect(creationQueries('prospects', 'live', { at: s(2), id: '5' }, { at: s(2), id: '9' }, { at: s(2), id: '9' })).toEqual([
			{ stream: 'prospects', scope: 'live', createdFrom: s(2), createdTo: s(2), updatedFrom: s(3), afterId: '5', upToId: '9' },
		]);
		expect(creationQueries('prospects', 'bin', { at: s(0) }, { at: s(2), id: '9' }, { at: s(2), id: '9' })).toHaveLength(2);
	});

	test('a source that cannot filter on the latest change (v5): whole seconds in one query', () => {
		expect(creationQueries('prospects', 'both', { at: s(0), id: '3' }, { at: s(2), id: '9' }, { at: s(2), id: '9' }, false)).toEqual([
			{ stream: 'prospects', scope: 'both', createdFrom: s(0), createdTo: s(2), updatedFrom: s(2) },
		]);
		expect(creationQueries('prospects', 'both', { at: s(2), id: '5' }, { at: s(2), id: '9' }, { at: s(2), id: '9' }, false)).toHaveLength(1);
	});
});

describe('stored state', () => {
	const cursor: StreamCursor = { position: { at: s(2), id: '10000042' }, start: s(-10), emitted: {}, backlog: true };

	test('version 2 is plain JSON that survives a round trip and a deep copy', () => {
		const stored = writeState({ prospects: cursor });
		expect(stored).toEqual({
			version: 2,
			cursors: { prospects: { at: '2026-11-27T14:00:02.000Z', id: '10000042', start: '2026-11-27T13:59:50.000Z', backlog: 1 } },
		});
		expect(readState(JSON.parse(JSON.stringify(stored)))).toEqual({ prospects: cursor });
	});

	test('version 1 (pre-release builds) is read: its position and emitted ids carry over', () => {
		const v1 = { cursors: { prospects: { after: '2026-11-27T14:00:02.500Z', emitted: { '7': s(3) }, backlog: 1 } } };
		expect(readState(v1)).toEqual({ prospects: { position: { at: s(3) }, start: s(3), emitted: { '7': s(3) }, backlog: true } });
	});

	test.each([
		['a newer version', { version: 3, cursors: {} }, /format version 3/],
		['cursors that are not an object', { cursors: 'x' }, /not an object/],
		['an unknown stream', { version: 2, cursors: { widgets: {} } }, /unknown stream "widgets"/],
		['a date that is not one', { version: 2, cursors: { prospects: { at: 'soon' } } }, /not a date/],
		['a malformed v1 cursor', { cursors: { prospects: { after: 12 } } }, /not a date/],
		['a malformed DST memory', { version: 2, cursors: { prospects: { at: '2026-11-27T14:00:00Z', emitted: 'x' } } }, /malformed/],
	])('anything else is refused, never read as "start over": %s', (_name, state, message) => {
		expect(() => readState(state as never)).toThrow(StateError);
		expect(() => readState(state as never)).toThrow(message);
	});

	test('no state yet is a fresh trigger', () => {
		expect(readState({})).toEqual({});
	});

	test('compact encodings are exact and about 3 to 9 characters an entry', () => {
		const emitted: Record<string, number> = {};
		for (let i = 0; i < 1800; i++) emitted[String(10_000_000 + i * 37)] = s(3600 + (i % 3600));
		const text = encodeEmitted(emitted) as string;
		expect(decodeEmitted('prospects', text)).toEqual(emitted);
		expect(text.length / 1800).toBeLessThan(9);
		const ids = ['10000001', '10000005', '10000002', '99'];
		expect(decodeIds('prospects', encodeIds(ids)).sort()).toEqual([...ids].sort());
		expect(encodeEmitted({ 'a-b': s(1) })).toEqual({ 'a-b': s(1) });
	});
});
