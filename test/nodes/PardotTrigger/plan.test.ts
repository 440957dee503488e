/** The poll plan (plan.ts): order, the limit across streams, creations, where each position goes. */
import type { StreamCursor } from '../../../nodes/PardotTrigger/cursor';
import type { EventType } from '../../../nodes/common/event';
import type { ChangeRecord, Position } from '../../../nodes/PardotTrigger/model';
import type { StreamInput } from '../../../nodes/PardotTrigger/plan';
import { planPoll } from '../../../nodes/PardotTrigger/plan';
import { MEMORY_LIMIT } from '../../../nodes/PardotTrigger/cursor';
import { change, cursorAt, s, T0 } from '../../lib/changes';

const one = (_r: ChangeRecord, _t: EventType) => 1;

function input(records: ChangeRecord[], cursor: StreamCursor, frontier: Position, extra: Partial<StreamInput> = {}): StreamInput {
	return { stream: 'prospects', records, cursor, frontier, settled: frontier, windowed: false, creations: true, eventsOf: one, ...extra };
}
const summary = (events: Array<{ record: ChangeRecord; type: string; date: number }>) =>
	events.map((e) => `${e.type} ${e.record.id}@${(e.date - T0) / 1000}`);

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

	test('a stream whose read stopped inside a second holds back the later streams\' changes of that second', () => {
		// Contacts read second 5 up to id 3 only (more of it follow); a lead changed in second 5 comes after every
		// contact of second 5 in event order, so it waits for them.
		const contacts = input([change(1, 5), change(2, 5), change(3, 5)], cursorAt({ at: s(0) }), { at: s(5), id: '3' });
		const leads = input([change(7, 4), change(8, 5)], cursorAt({ at: s(0) }), { at: s(9) }, { stream: 'opportunities' });
		const [c, l] = planPoll([contacts, leads], 100);
		expect(summary(c.events)).toEqual(['UPDATED 1@5', 'UPDATED 2@5', 'UPDATED 3@5']);
		expect(summary(l.events)).toEqual(['UPDATED 7@4']);
		expect(l.next.position).toEqual({ at: s(5) });
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

	test('a first change that gives more events than the limit still goes out (no poll is stuck), and one that gives none after it is passed over', () => {
		// A contact that is also a Salesforce lead gives two events; Max Events Per Poll 1.
		const eventsOf = (r: ChangeRecord) => ({ '1': 2, '2': 0 })[r.id] ?? 1;
		const [plan] = planPoll([input([change(1, 1), change(2, 2), change(3, 3)], cursorAt({ at: s(0) }), { at: s(9) }, { eventsOf })], 1);
		expect(summary(plan.events)).toEqual(['UPDATED 1@1', 'UPDATED 2@2']);
		// Up to the second of the change the limit stopped at.
		expect(plan.next.position).toEqual({ at: s(3) });
		expect(plan.cut).toBe(true);
	});

	test('once the limit stops one stream, no other stream emits a later change, even one that would fit', () => {
		const eventsOf = (r: ChangeRecord) => (r.id === '2' ? 2 : 1);
		const contacts = input([change(1, 1), change(3, 3)], cursorAt({ at: s(0) }), { at: s(9) }, { eventsOf });
		const leads = input([change(2, 2)], cursorAt({ at: s(0) }), { at: s(9) }, { stream: 'opportunities', eventsOf });
		const [c, l] = planPoll([contacts, leads], 2);
		expect([...summary(c.events), ...summary(l.events)]).toEqual(['UPDATED 1@1']);
	});

	test('a creation and the later change it is emitted with count once against the limit', () => {
		const records = [change(1, 2, { createdSec: 1 }), change(2, 3)];
		const [plan] = planPoll([input(records, cursorAt({ at: s(0) }), { at: s(9) })], 2);
		expect(summary(plan.events)).toEqual(['CREATED 1@2', 'UPDATED 2@3']);
	});

	test('a creation emitted on its own counts as a CREATED against the limit, whatever the record became since', () => {
		// Events: Created only. Record 1 was created at 2 and is in the recycle bin since 30 (beyond the frontier).
		const eventsOf = (_r: ChangeRecord, type: EventType) => (type === 'CREATED' ? 1 : 0);
		const records = [change(1, 30, { createdSec: 2, deleted: true }), change(2, 3, { createdSec: 3 })];
		const [plan] = planPoll([input(records, cursorAt({ at: s(0) }), { at: s(9) }, { eventsOf })], 1);
		expect(summary(plan.events)).toEqual(['CREATED 1@2']);
	});

	test('a creation emitted on its own, behind the new position, is not remembered (small saved state)', () => {
		const [plan] = planPoll([input([change(1, 30, { createdSec: 2 })], cursorAt({ at: s(0) }), { at: s(9) })], 10);
		expect(plan.next.position).toEqual({ at: s(9) });
		expect(plan.next.emitted).toEqual({});
	});

	describe(`the memory of changes emitted inside the lag window holds at most ${MEMORY_LIMIT}`, () => {
		const remembered = (at: number) => Object.fromEntries(Array.from({ length: MEMORY_LIMIT }, (_, i) => [String(10_000 + i), at]));

		test('full: the next change beyond the lag window\'s start waits until it is past it', () => {
			const lagging = input([change(1, 6)], cursorAt({ at: s(0) }, remembered(s(5))), { at: s(9) }, { settled: { at: s(5) } });
			const [plan] = planPoll([lagging], 10);
			expect(plan.events).toEqual([]);
			expect(plan.next.position).toEqual({ at: s(5) });
		});

		test('full in one stream: the later changes of the others wait too, oldest first across streams', () => {
			const contacts = input([change(1, 6)], cursorAt({ at: s(0) }, remembered(s(5))), { at: s(9) }, { settled: { at: s(5) } });
			const leads = input([change(7, 4), change(8, 7)], cursorAt({ at: s(0) }), { at: s(9) }, { stream: 'opportunities', settled: { at: s(5) } });
			const [c, l] = planPoll([contacts, leads], 10);
			expect(c.events).toEqual([]);
			// The lead of second 4 comes before the contact held at 6; the lead of second 7 after it: it waits.
			expect(summary(l.events)).toEqual(['UPDATED 7@4']);
		});

		test('entries behind the lag window\'s start do not count', () => {
			const lagging = input([change(1, 6)], cursorAt({ at: s(0) }, remembered(s(4))), { at: s(9) }, { settled: { at: s(5) } });
			const [plan] = planPoll([lagging], 10);
			expect(summary(plan.events)).toEqual(['UPDATED 1@6']);
		});
	});

	test('a position that stops before a burst second (no id inside it) is not marked as inside the burst', () => {
		const burst = [1, 2, 3].map((id) => change(id, 4));
		const [plan] = planPoll([input([change(9, 2), ...burst], cursorAt({ at: s(0) }), { at: s(4), id: '0' }, { windowed: true, burstAt: s(4) })], 10);
		expect(plan.next.position).toEqual({ at: s(4), id: '0' });
		expect(plan.next.burst).toBe(true);
		const [before] = planPoll([input([change(9, 2), ...burst], cursorAt({ at: s(0) }), { at: s(4) }, { windowed: true, burstAt: s(4) })], 10);
		expect(before.next.position).toEqual({ at: s(4) });
		expect(before.next.burst).toBeUndefined();
	});

	test('what the plan does not use of the saved cursor is kept: Salesforce leads reported, the recycle-bin check', () => {
		const saved = { ...cursorAt({ at: s(0) }), leads: ['7', '8'], noRecycleBin: s(-5) };
		const [plan] = planPoll([input([change(1, 1)], saved, { at: s(9) })], 10);
		expect(plan.next).toMatchObject({ leads: ['7', '8'], noRecycleBin: s(-5) });
	});

	test('the DST memory keeps only what may still read as after the position', () => {
		const ambiguous = change(1, 4, { updatedAtMin: s(4), updatedAtMax: s(3604) });
		const [plan] = planPoll([input([ambiguous, change(2, 5)], cursorAt({ at: s(0) }, { old: s(1) }), { at: s(9) })], 10);
		expect(plan.next.emitted).toEqual({ '1': s(3604) });
	});
});
