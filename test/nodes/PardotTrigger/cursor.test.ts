/** Positions and change keys (cursor.ts): where a read stands and which changes are new. */
import { comparePositions, isAfter, isNewChange, latestPerRecord, positionAtInstant } from '../../../nodes/PardotTrigger/cursor';
import { change, cursorAt, s } from '../../lib/changes';

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
		// Whatever order the reads come in: the deleted state of a tie stays; an older deletion loses to a newer live state.
		const reordered = latestPerRecord([change(2, 5, { deleted: true }), change(2, 5), change(3, 9), change(3, 4, { deleted: true })]);
		expect(reordered.get('2')!.deleted).toBe(true);
		expect(reordered.get('3')).toMatchObject({ updatedAt: s(9), deleted: false });
	});

	test('the DST memory: an emitted ambiguous time is not new even if it could mean a later instant', () => {
		const ambiguous = change(1, 10, { updatedAtMin: s(10), updatedAtMax: s(3610) });
		const cursor = cursorAt({ at: s(20) }, { '1': s(3610) });
		expect(isNewChange({ ...ambiguous, updatedAt: s(3610) }, cursor)).toBe(false);
		// A later change of the record that looks earlier in the repeated hour is new.
		expect(isNewChange(change(1, 3605, { updatedAtMin: s(5), updatedAtMax: s(3605) }), cursor)).toBe(true);
	});
});
