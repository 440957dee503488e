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
});
