/**
 * Table tests for the memory of changes emitted inside the lag window (cursor.ts, plan.ts, state.ts):
 * changes are emitted as soon as they are visible, the position stays where every write is visible
 * for sure, and what was emitted after it is remembered so that reading it again emits nothing.
 */
import type { StreamCursor } from '../../../nodes/PardotTrigger/cursor';
import { changeMark, isNewChange, MEMORY_LIMIT } from '../../../nodes/PardotTrigger/cursor';
import type { EventType } from '../../../nodes/common/event';
import type { StreamInput } from '../../../nodes/PardotTrigger/plan';
import { planPoll } from '../../../nodes/PardotTrigger/plan';
import { decodeEmitted, encodeEmitted, readState, writeState } from '../../../nodes/PardotTrigger/state';
import type { ChangeRecord, Position } from '../../../nodes/PardotTrigger/model';

const T0 = Date.parse('2026-11-27T14:00:00Z');
const s = (seconds: number) => T0 + seconds * 1000;

function change(id: number, updatedSec: number, extra: Partial<ChangeRecord> & { createdSec?: number } = {}): ChangeRecord {
	const { createdSec, ...rest } = extra;
	return {
		id: String(id),
		createdAt: createdSec === undefined ? s(-1000) : s(createdSec),
		updatedAt: s(updatedSec),
		updatedAtMin: s(updatedSec),
		updatedAtMax: s(updatedSec),
		deleted: false,
		raw: { id },
		...rest,
	};
}

const cursorAt = (position: Position, emitted: Record<string, number> = {}): StreamCursor => ({ position, start: s(-100), emitted });
const one = (_r: ChangeRecord, _t: EventType) => 1;

function input(records: ChangeRecord[], cursor: StreamCursor, frontier: Position, settled: Position): StreamInput {
	return { stream: 'prospects', records, cursor, frontier, settled, windowed: false, creations: true, eventsOf: one };
}

const summary = (events: Array<{ record: ChangeRecord; type: string; date: number }>) => events.map((e) => `${e.type} ${e.record.id}@${(e.date - T0) / 1000}`);

describe('changes are emitted when visible and remembered until the position passes them', () => {
	test('visible changes past the lag window are emitted; the position stays at the window; the memory holds them', () => {
		const records = [change(1, 5), change(2, 70, { createdSec: 70 }), change(3, 80)];
		const [plan] = planPoll([input(records, cursorAt({ at: s(0) }), { at: s(90) }, { at: s(25) })], 100);
		expect(summary(plan.events)).toEqual(['UPDATED 1@5', 'CREATED 2@70', 'UPDATED 3@80']);
		expect(plan.next.position).toEqual({ at: s(25) });
		expect(plan.next.emitted).toEqual({ 2: s(70), 3: s(80) });
	});

	test('read again at the next poll, the remembered changes give nothing; a newer change of one of them does', () => {
		const cursor = cursorAt({ at: s(25) }, { 2: s(70), 3: s(80) });
		const records = [change(2, 70, { createdSec: 70 }), change(3, 95), change(4, 60, { createdSec: 60 })];
		const [plan] = planPoll([input(records, cursor, { at: s(100) }, { at: s(35) })], 100);
		// 4 showed up late, with its true time: emitted now, as CREATED; 3 changed again.
		expect(summary(plan.events)).toEqual(['CREATED 4@60', 'UPDATED 3@95']);
		expect(plan.next.emitted).toEqual({ 2: s(70), 3: s(95), 4: s(60) });
	});

	test('a remembered record is never CREATED again, even when its creation lies after the position', () => {
		const cursor = cursorAt({ at: s(25) }, { 2: s(70) });
		const [plan] = planPoll([input([change(2, 85, { createdSec: 70 })], cursor, { at: s(100) }, { at: s(30) })], 100);
		expect(summary(plan.events)).toEqual(['UPDATED 2@85']);
	});

	test('entries the position has passed are forgotten', () => {
		const cursor = cursorAt({ at: s(25) }, { 2: s(70), 3: s(80) });
		const [plan] = planPoll([input([], cursor, { at: s(160) }, { at: s(75) })], 100);
		expect(plan.next.position).toEqual({ at: s(75) });
		expect(plan.next.emitted).toEqual({ 3: s(80) });
	});

	test('a move to the recycle bin that keeps the time of the state emitted before is a change of its own', () => {
		const live = change(7, 70);
		const binned = { ...change(7, 70), deleted: true };
		expect(changeMark(binned)).toBe(changeMark(live) + 1);
		const cursor = cursorAt({ at: s(25) }, { 7: changeMark(live) });
		expect(isNewChange(live, cursor)).toBe(false);
		expect(isNewChange(binned, cursor)).toBe(true);
		const [plan] = planPoll([input([binned], cursor, { at: s(100) }, { at: s(30) })], 100);
		expect(summary(plan.events)).toEqual(['DELETED 7@70']);
		expect(isNewChange(binned, plan.next)).toBe(false);
		// Seen live again (a copy from before the move): nothing.
		expect(isNewChange(live, plan.next)).toBe(false);
	});

	test('a creation emitted alone past the window is remembered: the record is UPDATED afterwards', () => {
		// The limit cuts between the creation (60) and the latest state (90) of record 5.
		const records = [change(5, 90, { createdSec: 60 }), change(6, 65), change(8, 80)];
		const [first] = planPoll([input(records, cursorAt({ at: s(25) }), { at: s(100) }, { at: s(30) })], 2);
		expect(summary(first.events)).toEqual(['CREATED 5@60', 'UPDATED 6@65']);
		expect(first.next.position).toEqual({ at: s(30) });
		const [second] = planPoll([input(records, first.next, { at: s(100) }, { at: s(30) })], 2);
		expect(summary(second.events)).toEqual(['UPDATED 8@80', 'UPDATED 5@90']);
	});

	test(`at most ${MEMORY_LIMIT} remembered changes: the rest of the stream waits until past the window`, () => {
		const emitted: Record<string, number> = {};
		for (let i = 0; i < MEMORY_LIMIT - 2; i++) emitted[String(100_000 + i)] = s(60);
		const records = [change(1, 20), change(2, 70), change(3, 71), change(4, 72)];
		const [plan] = planPoll([input(records, cursorAt({ at: s(10) }, emitted), { at: s(100) }, { at: s(30) })], 100);
		// 1 is behind the window (no memory needed); 2 and 3 fill the memory; 4 waits.
		expect(summary(plan.events)).toEqual(['UPDATED 1@20', 'UPDATED 2@70', 'UPDATED 3@71']);
		expect(plan.cut).toBe(true);
		expect(plan.next.position).toEqual({ at: s(30) });
		expect(Object.keys(plan.next.emitted)).toHaveLength(MEMORY_LIMIT);
	});

	test('a smaller memory (as the model test sets) holds that many: the same rule at 2', () => {
		const records = [change(1, 20), change(2, 70), change(3, 71), change(4, 72)];
		const [plan] = planPoll([input(records, cursorAt({ at: s(10) }), { at: s(100) }, { at: s(30) })], 100, 2);
		expect(summary(plan.events)).toEqual(['UPDATED 1@20', 'UPDATED 2@70', 'UPDATED 3@71']);
		expect(plan.cut).toBe(true);
		expect(Object.keys(plan.next.emitted)).toEqual(['2', '3']);
	});

	test("another stream's changes after the one a full memory holds wait with it (oldest first across streams); its earlier ones go out", () => {
		const emitted: Record<string, number> = {};
		for (let i = 0; i < MEMORY_LIMIT; i++) emitted[String(100_000 + i)] = s(60);
		const full = input([change(2, 70)], cursorAt({ at: s(10) }, emitted), { at: s(100) }, { at: s(30) });
		const other = { ...input([change(8, 65), change(9, 75)], cursorAt({ at: s(10) }), { at: s(100) }, { at: s(30) }), stream: 'opportunities' };
		const plans = planPoll([full, other], 100);
		expect(summary(plans[0].events)).toEqual([]);
		expect(summary(plans[1].events)).toEqual(['UPDATED 8@65']);
	});
});

describe('the memory in the saved state', () => {
	test('whole seconds and recycle-bin marks round-trip in the compact form', () => {
		const emitted = { 10000001: s(70), 10000005: s(70) + 1, 10000040: s(95) };
		const stored = encodeEmitted(emitted);
		expect(typeof stored).toBe('string');
		expect(decodeEmitted('prospects', stored as string)).toEqual(emitted);
	});

	test('a thousand remembered changes take a few kilobytes', () => {
		const emitted: Record<string, number> = {};
		for (let i = 0; i < MEMORY_LIMIT; i++) emitted[String(10_000_000 + i * 3)] = s(60 + (i % 60)) + (i % 7 === 0 ? 1 : 0);
		const state = writeState({ prospects: { position: { at: s(0) }, start: s(0), emitted } });
		expect(JSON.stringify(state).length).toBeLessThan(8 * 1024);
		expect(readState(JSON.parse(JSON.stringify(state))).prospects?.emitted).toEqual(emitted);
	});
});
