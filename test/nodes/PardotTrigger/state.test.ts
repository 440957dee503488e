/** The saved state (state.ts): versioned plain JSON, every format ever written read, anything else refused. */
import type { StreamCursor } from '../../../nodes/PardotTrigger/cursor';
import { decodeEmitted, decodeIds, encodeEmitted, encodeIds, readState, StateError, writeState } from '../../../nodes/PardotTrigger/state';
import { s } from '../../lib/changes';

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

	test('a position inside a burst is saved as backlog 2 and read back; a burst without a backlog is not saved', () => {
		const inBurst: StreamCursor = { ...cursor, burst: true };
		const stored = writeState({ prospects: inBurst, opportunities: { ...cursor, backlog: undefined, burst: true } });
		const saved = stored.cursors as Record<string, { backlog?: number }>;
		expect(saved.prospects.backlog).toBe(2);
		expect(saved.opportunities.backlog).toBeUndefined();
		expect(readState(JSON.parse(JSON.stringify(stored))).prospects).toEqual(inBurst);
		expect(readState({ version: 2, cursors: { prospects: { at: '2026-11-27T14:00:02.000Z', backlog: 3 } } }).prospects).toEqual({ position: { at: s(2) }, start: s(2), emitted: {} });
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
	test('a stream whose cursor is null or undefined starts fresh; the others are read', () => {
		for (const empty of [null, undefined]) {
			expect(readState({ version: 2, cursors: { prospects: empty, opportunities: { at: '2026-11-27T14:00:02.000Z' } } })).toEqual({
				opportunities: { position: { at: s(2) }, start: s(2), emitted: {} },
			});
		}
	});

	test('the memory round-trips in both forms: compact (numeric ids) and as an object (other ids)', () => {
		const memories: Array<Record<string, number>> = [{ '10000007': s(3) + 1, '10000003': s(2) }, { 'a-b': s(1), c: s(4) + 1 }, { '12': s(3) + 500 }];
		for (const emitted of memories) {
			const stored = JSON.parse(JSON.stringify(writeState({ prospects: { ...cursor, emitted } })));
			expect(readState(stored).prospects?.emitted).toEqual(emitted);
		}
	});

	test('the compact memory is kept in id order: ids past 2^32 come in insertion order from an object', () => {
		// Integer-like keys below 2^32 come out of Object.keys sorted; larger ones (10-digit Pardot ids) do not.
		const emitted = { '9000000005': s(3), '9000000001': s(2) + 1, '8999999999': s(5) };
		const text = encodeEmitted(emitted);
		expect(typeof text).toBe('string');
		expect(decodeEmitted('prospects', text as string)).toEqual(emitted);
	});

	test('a memory of numeric ids at whole seconds (or one ms past, a move to the recycle bin) is compact; any other time keeps the object', () => {
		expect(typeof encodeEmitted({ '7': s(1), '8': s(2) + 1 })).toBe('string');
		expect(encodeEmitted({ '7': s(1), '8': s(2) + 500 })).toEqual({ '7': s(1), '8': s(2) + 500 });
	});

	test.each([
		['a 16-digit id (past the exact range of a number)', ['1234567890123456789', '7']],
		['an id with letters at the end', ['12x', '7']],
		['an id with letters at the start', ['x12', '7']],
		['no id', []],
	])('Salesforce lead ids round-trip exactly: %s', (_name, ids) => {
		expect(decodeIds('prospects', encodeIds(ids)).sort()).toEqual([...ids].sort());
	});

	test('numeric lead ids are kept as sorted base-36 deltas', () => {
		const ids = ['10000035', '10000001', '10000036'];
		expect(encodeIds(ids)).toBe(`${(10000001).toString(36)},${(34).toString(36)},1`);
		expect(decodeIds('prospects', encodeIds(ids))).toEqual(['10000001', '10000035', '10000036']);
	});

	const version2 = (prospects: unknown) => ({ version: 2, cursors: { prospects } });
	const at = '2026-11-27T14:00:02.000Z';
	test.each([
		['v1: a cursor that is a number', { cursors: { prospects: 5 } }, 'the prospects cursor is not an object'],
		['v1: a cursor that is a list', { cursors: { prospects: [] } }, 'the prospects cursor is not an object'],
		['v1: no "after"', { cursors: { prospects: {} } }, 'the prospects cursor\'s "after" is not a date: undefined'],
		['v2: a cursor that is a number', version2(5), 'the prospects cursor is not an object'],
		['v2: a cursor that is a string', version2('x'), 'the prospects cursor is not an object'],
		['v2: a cursor that is 0', version2(0), 'the prospects cursor is not an object'],
		['v2: a cursor that is a list', version2([{ at }]), 'the prospects cursor is not an object'],
		['v2: no "at"', version2({}), 'the prospects cursor\'s "at" is not a date: undefined'],
		['v2: "at" inside a second', version2({ at: '2026-11-27T14:00:02.500Z' }), 'the prospects cursor\'s "at" is not a whole second'],
		['v2: an empty id', version2({ at, id: '' }), 'the prospects cursor\'s "id" is not a record id'],
		['v2: a numeric id', version2({ at, id: 7 }), 'the prospects cursor\'s "id" is not a record id'],
		['v2: a start that is not a date', version2({ at, start: 'soon' }), 'the prospects cursor\'s "start" is not a date: "soon"'],
		['v2: a noBin that is not a date', version2({ at, noBin: 'x' }), 'the prospects cursor\'s "noBin" is not a date: "x"'],
		['v2: leads that are not a string', version2({ at, leads: 5 }), 'the prospects cursor\'s "leads" is not a string'],
		['v2: leads as a list that is not one of ids', version2({ at, leads: '[1,2]' }), 'the prospects cursor\'s "leads" is malformed'],
		['v2: leads as a list with one id that is not text', version2({ at, leads: '["7",2]' }), 'the prospects cursor\'s "leads" is malformed'],
		['v2: leads as a list that is not JSON', version2({ at, leads: '[1,' }), 'the prospects cursor\'s "leads" is malformed'],
		['v2: leads with a capital letter at the end', version2({ at, leads: '1A' }), 'the prospects cursor\'s "leads" is malformed'],
		['v2: leads with a capital letter at the start', version2({ at, leads: 'A1' }), 'the prospects cursor\'s "leads" is malformed'],
		['v2: leads past the exact range of a number', version2({ at, leads: 'zzzzzzzzzzzzzz' }), 'the prospects cursor\'s "leads" is malformed'],
		['v2: emitted null', version2({ at, emitted: null }), 'the prospects cursor\'s "emitted" is not an object'],
		['v2: emitted a number', version2({ at, emitted: 5 }), 'the prospects cursor\'s "emitted" is not an object'],
		['v2: emitted a list', version2({ at, emitted: [] }), 'the prospects cursor\'s "emitted" is not an object'],
		['v2: an emitted time that is text', version2({ at, emitted: { '7': 'x' } }), 'the prospects cursor\'s "emitted" entry 7 is not a time'],
		['v2: an emitted time that is infinite (in memory)', version2({ at, emitted: { '7': Infinity } }), 'the prospects cursor\'s "emitted" entry 7 is not a time'],
		['v2: compact emitted without its list', version2({ at, emitted: 'abc' }), 'the prospects cursor\'s "emitted" is malformed'],
		['v2: compact emitted with two colons', version2({ at, emitted: 'a:1.1:2' }), 'the prospects cursor\'s "emitted" is malformed'],
		['v2: compact emitted with a capital in its base (end)', version2({ at, emitted: '1A:1.1' }), 'the prospects cursor\'s "emitted" is malformed'],
		['v2: compact emitted with a capital in its base (start)', version2({ at, emitted: 'A1:1.1' }), 'the prospects cursor\'s "emitted" is malformed'],
		['v2: a compact entry with a capital at its start', version2({ at, emitted: 'a:X1.2' }), 'the prospects cursor\'s "emitted" is malformed'],
		['v2: a compact entry with two marks', version2({ at, emitted: 'a:1.2!!' }), 'the prospects cursor\'s "emitted" is malformed'],
		['v2: a compact entry without its time', version2({ at, emitted: 'a:1' }), 'the prospects cursor\'s "emitted" is malformed'],
	])('a saved state is refused with what is wrong in it: %s', (_name, stored, message) => {
		expect(() => readState(stored as never)).toThrow(StateError);
		expect(() => readState(stored as never)).toThrow(message);
	});

	test('a compact memory with no entries is empty; a v1 backlog other than 1 is none', () => {
		expect(decodeEmitted('prospects', 'a:')).toEqual({});
		expect(decodeIds('prospects', '')).toEqual([]);
		expect(readState({ cursors: { prospects: { after: at, backlog: true } } }).prospects?.backlog).toBeUndefined();
	});
});
