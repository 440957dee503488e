/**
 * read.ts step by step, against an in-memory change source (no HTTP): which reads each step makes
 * and where the frontier ends. The whole trigger over real HTTP is tested in poll/*.test.ts.
 */
import type { StreamCursor } from '../../../nodes/PardotTrigger/cursor';
import type { ReadRequest } from '../../../nodes/PardotTrigger/read';
import { creationQueries, inBothStates, readStream } from '../../../nodes/PardotTrigger/read';
import { s } from '../../lib/changes';
import { change, MemorySource, SECOND, T0 } from '../../lib/memory-source';
import type { MemorySourceOptions } from '../../lib/memory-source';
import { seededInts } from '../../lib/random';

const CLOCK = T0 + 600 * SECOND;
/** Pardot's clock minus the source's settle time (5 s). */
const SETTLED = { at: CLOCK - 5 * SECOND };
const hostClock = () => {
	throw new Error('the host clock is only for answers without a Date header');
};

function cursor(position: StreamCursor['position'] = { at: T0 }, extra: Partial<StreamCursor> = {}): StreamCursor {
	return { position, start: T0, emitted: {}, ...extra };
}

function request(extra: Partial<ReadRequest> = {}): ReadRequest {
	return { stream: 'prospects', cursor: cursor(), scopes: ['live'], need: 10, creations: false, ...extra };
}

function source(records: ReturnType<typeof change>[], options: MemorySourceOptions = {}) {
	return new MemorySource(records, { clock: CLOCK, ...options });
}

const ids = (records: Array<{ id: string }>) => [...new Set(records.map((r) => Number(r.id)))].sort((a, b) => a - b);

describe('readStream', () => {
	test('everything after the position fits the limit: one scan, frontier at the settle point', async () => {
		const src = source([change(1, 10), change(2, 20), change(3, 30)]);
		const read = await readStream(src, request(), hostClock);
		expect(src.calls).toEqual(['scan scope=live from=+0s after=- size=200']);
		expect(ids(read.records)).toEqual([1, 2, 3]);
		expect(read.frontier).toEqual(SETTLED);
		expect(read.windowed).toBe(false);
		expect(read.clock).toBe(CLOCK);
	});

	test('more changes than the limit: the window of the oldest `need`, ending at the next change', async () => {
		const src = source([change(1, 10), change(2, 20), change(3, 30), change(4, 40), change(5, 50)], { pageSize: 2 });
		const read = await readStream(src, request({ need: 2 }), hostClock);
		expect(src.calls).toEqual(['scan scope=live from=+0s after=- size=2', 'window scope=live from=+0s k=2']);
		expect(ids(read.records)).toEqual([1, 2]);
		expect(read.frontier).toEqual({ at: T0 + 30 * SECOND });
		expect(read.windowed).toBe(true);
	});

	test('a window that left records out asks for those created inside it and changed after it', async () => {
		const createdEarlyChangedLate = change(6, 100, { created: 15 });
		const src = source([change(1, 10), change(2, 20), change(3, 30), change(4, 40), createdEarlyChangedLate], { pageSize: 2 });
		const read = await readStream(src, request({ need: 2, creations: true }), hostClock);
		// The window ends at second 30: creations from the position to second 29, changed at 30 or later.
		expect(src.calls).toContain('created scope=live +0s..+29s');
		expect(ids(read.records)).toEqual([1, 2, 6]);
	});

	test('more than `need` changes in the first second: that second is read by id and the frontier stops inside it', async () => {
		const src = source([change(1, 0), change(2, 0), change(3, 0), change(4, 0), change(5, 10)], { pageSize: 2 });
		const read = await readStream(src, request({ need: 2 }), hostClock);
		expect(src.calls).toEqual([
			'scan scope=live from=+0s after=- size=2',
			'window scope=live from=+0s k=2',
			'scan scope=live from=+0s before=+1s after=- size=2',
		]);
		expect(ids(read.records)).toEqual([1, 2]);
		expect(read.frontier).toEqual({ at: T0, id: '2' });
		expect(read.windowed).toBe(true);
		// The next poll goes on inside that second by id.
		expect(read.burstAt).toBe(T0);
	});

	test('a position inside a second: first the rest of that second by id, then everything after it', async () => {
		const src = source([change(1, 0), change(2, 0), change(3, 0), change(4, 0), change(5, 10)]);
		const read = await readStream(src, request({ cursor: cursor({ at: T0, id: '2' }) }), hostClock);
		expect(src.calls).toEqual(['scan scope=live from=+0s before=+1s after=2 size=10', 'scan scope=live from=+1s after=- size=200']);
		expect(ids(read.records)).toEqual([3, 4, 5]);
		expect(read.frontier).toEqual(SETTLED);
		// The rest of the second fitted: no burst to go on with.
		expect(read.burstAt).toBeUndefined();
	});

	test('after a poll that stopped at the limit (backlog): straight to the window, no full scan', async () => {
		const src = source([change(1, 10), change(2, 20)]);
		const read = await readStream(src, request({ cursor: cursor({ at: T0 }, { backlog: true }) }), hostClock);
		expect(src.calls).toEqual(['window scope=live from=+0s k=10']);
		expect(ids(read.records)).toEqual([1, 2]);
		// The window held every change: as good as a full read.
		expect(read.frontier).toEqual(SETTLED);
		expect(read.windowed).toBe(false);
		expect(read.capped).toBeUndefined();
	});

	test("past n8n's poll budget: a window of half of what was read so far", async () => {
		const src = source([change(1, 10), change(2, 20), change(3, 30), change(4, 40)], { pageSize: 2 });
		const read = await readStream(src, request({ deadline: 0 }), hostClock);
		expect(src.calls).toEqual(['scan scope=live from=+0s after=- size=2', 'window scope=live from=+0s k=1']);
		expect(read.frontier).toEqual({ at: T0 + 20 * SECOND });
	});

	test('a stream that cannot be narrowed by date (v3/v4 opportunities) is read whole', async () => {
		const src = source([change(1, 10), change(2, 20), change(3, 30)], { pageSize: 1, bounded: false });
		const read = await readStream(src, request({ need: 1, cursor: cursor({ at: T0, id: '1' }) }), hostClock);
		expect(src.calls).toEqual(['scan scope=live from=+0s after=- size=1']);
		expect(ids(read.records)).toEqual([1, 2, 3]);
		expect(read.frontier).toEqual(SETTLED);
		// Read whole whatever the limit: every next page is asked for while the one before is parsed.
		expect(src.aheads).toEqual(['live after=1', 'live after=2']);
	});

	test('live records and the bin in one query where the API can (v5 deleted=all)', async () => {
		const src = source([change(1, 10), change(2, 20, { deleted: true })], { bothAtOnce: true });
		const read = await readStream(src, request({ scopes: ['live', 'bin'] }), hostClock);
		expect(src.calls).toEqual(['scan scope=both from=+0s after=- size=200']);
		expect(read.records.map((r) => [Number(r.id), r.deleted])).toEqual([
			[1, false],
			[2, true],
		]);
	});

	test('a bin scan that answers with the live records is dropped and reported', async () => {
		const src = source([change(1, 10), change(2, 20)], { ignoresBin: true });
		const read = await readStream(src, request({ scopes: ['live', 'bin'] }), hostClock);
		expect(read.deletedUnsupported).toBe(true);
		expect(read.records.every((r) => !r.deleted)).toBe(true);
		expect(ids(read.records)).toEqual([1, 2]);
	});

	/**
	 * The bin scan answers with live records (an API that ignores `deleted`, or records that went to the
	 * bin between the two queries); `during` then changes Pardot before the proof query.
	 */
	function binRace(records: ReturnType<typeof change>[], during: (records: ReturnType<typeof change>[]) => void) {
		const src = source(records, { ignoresBin: true });
		const scan = src.scan.bind(src);
		src.scan = async function* (req) {
			yield* scan(req);
			if (req.scope === 'bin') during(src.records);
		};
		return src;
	}
	const toBin = (ids: number[]) => (records: ReturnType<typeof change>[]) => {
		records.forEach((r, i) => {
			if (ids.includes(Number(r.id))) records[i] = { ...r, deleted: true };
		});
	};

	test('one suspect still live after the bin scan proves the bin ignored, though another went to the bin meanwhile', async () => {
		// Record 2 went to the bin during the poll; record 1, older, is still live in the same state.
		const src = binRace([change(1, 10), change(2, 20)], toBin([2]));
		const read = await readStream(src, request({ scopes: ['live', 'bin'] }), hostClock);
		// One query from the earliest suspect's second, from the first suspect's id on.
		expect(src.calls.at(-1)).toBe('scan scope=live from=+10s after=0 size=200');
		expect(read.deletedUnsupported).toBe(true);
		expect(read.records.every((r) => !r.deleted)).toBe(true);
	});

	test('every suspect gone from the live records: a deletion during the poll, not proof; the bin stays trusted', async () => {
		const src = binRace([change(1, 10), change(2, 20)], toBin([1, 2]));
		const read = await readStream(src, request({ scopes: ['live', 'bin'] }), hostClock);
		expect(read.deletedUnsupported).toBeUndefined();
		expect(read.records.filter((r) => r.deleted).map((r) => r.id)).toEqual(['1', '2']);
	});

	test('the proof reads one query, from the earliest of the first three suspects by id', async () => {
		// Suspect 4 changed first, but only suspects 1 to 3 (by id) are read again.
		const src = binRace([change(1, 30), change(2, 20), change(3, 40), change(4, 5)], () => undefined);
		const read = await readStream(src, request({ scopes: ['live', 'bin'] }), hostClock);
		expect(src.calls.slice(2)).toEqual(['scan scope=live from=+20s after=0 size=200']);
		expect(read.deletedUnsupported).toBe(true);
	});

	test('suspects whose ids are not numbers cannot be read from by id: no proof query, the bin stays trusted', async () => {
		for (const id of ['x12', '12x']) {
			const src = binRace([{ ...change(1, 10), id }], () => undefined);
			const read = await readStream(src, request({ scopes: ['live', 'bin'] }), hostClock);
			expect(src.calls).toHaveLength(2);
			expect(read.deletedUnsupported).toBeUndefined();
		}
	});

	test('a bin scan Pardot refuses (error 5): the live records are read again alone, and it is reported', async () => {
		const src = source([change(1, 10)], { refusesBin: true });
		const read = await readStream(src, request({ scopes: ['live', 'bin'] }), hostClock);
		expect(read.deletedUnsupported).toBe(true);
		expect(ids(read.records)).toEqual([1]);
	});

	test('any other failure passes through untouched', async () => {
		const broken = source([]);
		broken.scan = () => {
			throw new Error('network down');
		};
		await expect(readStream(broken, request(), hostClock)).rejects.toThrow('network down');
	});

	test('no Date header: the settle point comes from the host clock', async () => {
		const src = source([change(1, 10)], { clock: undefined });
		const read = await readStream(src, request(), () => CLOCK + 60 * SECOND);
		expect(read.clock).toBeUndefined();
		expect(read.frontier).toEqual({ at: CLOCK + 55 * SECOND });
	});
});

/** Records 1..n (ids), one per second from `second` on, every `step` seconds. */
const spread = (first: number, n: number, second: number, step = 10, extra: { deleted?: boolean } = {}) =>
	Array.from({ length: n }, (_, i) => change(first + i, second + i * step, extra));

describe('readStream: the limit, the poll budget and records left out', () => {
	test('a read that reaches the limit asks for the next page ahead only while it is sure to want it', async () => {
		const src = source(spread(1, 10, 10), { pageSize: 2 });
		await readStream(src, request({ need: 4 }), hostClock);
		// After page 1 (2 read, fewer than 4) the next page is wanted for sure; after page 2 (4 read) it is not:
		// the read narrows to a window there.
		expect(src.aheads).toEqual(['live after=2']);
		expect(src.calls).toEqual(['scan scope=live from=+0s after=- size=2', 'window scope=live from=+0s k=4']);
	});

	test('live records and the bin: what the first scan read counts towards the limit of the second', async () => {
		const src = source([...spread(1, 3, 10), ...spread(4, 6, 40, 10, { deleted: true })], { pageSize: 2 });
		await readStream(src, request({ need: 6, scopes: ['live', 'bin'] }), hostClock);
		// 3 live records, then bin page 1 (5 in all): the next page is wanted; after bin page 2 (7) it is not.
		expect(src.aheads).toEqual(['live after=2', 'bin after=5']);
	});

	test('a read asks ahead only while what it has left out stays within maxDroppedPerRead', async () => {
		const src = source(spread(1, 8, 10), { pageSize: 2, maxDroppedPerRead: 4 });
		await readStream(src, request({ need: 10 }), hostClock);
		expect(src.aheads).toEqual(['live after=2', 'live after=4']);
	});

	test('where Pardot says how many records match (v3/v4 total_results), exactly the limit fits: one scan, pages asked ahead', async () => {
		const src = source(spread(1, 4, 10), { pageSize: 2, reportsTotal: true });
		const read = await readStream(src, request({ need: 4 }), hostClock);
		expect(src.calls).toEqual(['scan scope=live from=+0s after=- size=2']);
		expect(src.aheads).toEqual(['live after=2']);
		expect(ids(read.records)).toEqual([1, 2, 3, 4]);
		expect(read.frontier).toEqual(SETTLED);
	});

	test('records left out (v5 Activity Types) up to maxDroppedPerRead still let the whole read go on', async () => {
		const src = source(spread(1, 6, 10), { pageSize: 2, maxDroppedPerRead: 4, droppedPerPage: 2 });
		const read = await readStream(src, request({ need: 100 }), hostClock);
		// 2, then 4 left out (the bound itself): on; the last page has no next one.
		expect(src.calls).toEqual(['scan scope=live from=+0s after=- size=2']);
		expect(read.frontier).toEqual(SETTLED);
	});

	test("n8n's poll budget not reached yet: the read goes on whole", async () => {
		const src = source(spread(1, 4, 10), { pageSize: 2 });
		const read = await readStream(src, request({ deadline: Date.now() + 3_600_000 }), hostClock);
		expect(src.calls).toEqual(['scan scope=live from=+0s after=- size=2']);
		expect(ids(read.records)).toEqual([1, 2, 3, 4]);
	});

	test("past n8n's poll budget after a page of 4: a window of 2", async () => {
		const src = source(spread(1, 8, 10), { pageSize: 4 });
		await readStream(src, request({ deadline: 0 }), hostClock);
		expect(src.calls).toEqual(['scan scope=live from=+0s after=- size=4', 'window scope=live from=+0s k=2']);
	});

	test('a window that stopped after leaving out too many records says so (capped)', async () => {
		const src = source(spread(1, 4, 10), { windowExtra: { capped: true } });
		const read = await readStream(src, request({ cursor: cursor({ at: T0 }, { backlog: true }) }), hostClock);
		expect(read.capped).toBe(true);
	});
});

describe('readStream: seconds read by id', () => {
	test('a position inside a second whose rest holds more than the limit: the frontier stops inside it, a burst', async () => {
		const src = source(Array.from({ length: 6 }, (_, i) => change(i + 1, 0)));
		const read = await readStream(src, request({ need: 2, cursor: cursor({ at: T0, id: '1' }) }), hostClock);
		expect(src.calls).toEqual(['scan scope=live from=+0s before=+1s after=1 size=2']);
		expect(ids(read.records)).toEqual([2, 3]);
		expect(read.frontier).toEqual({ at: T0, id: '3' });
		expect(read.burstAt).toBe(T0);
	});

	test("the rest of the position's second is exactly the limit: nothing more is read", async () => {
		const src = source([change(1, 0), change(2, 0), change(3, 0), change(4, 0), change(5, 10)]);
		const read = await readStream(src, request({ need: 2, cursor: cursor({ at: T0, id: '2' }) }), hostClock);
		expect(src.calls).toEqual(['scan scope=live from=+0s before=+1s after=2 size=2']);
		expect(ids(read.records)).toEqual([3, 4]);
		expect(read.frontier).toEqual({ at: T0 + SECOND });
	});

	test("what the rest of the position's second held counts towards the limit of the read after it", async () => {
		const src = source([change(1, 0), change(2, 0), change(3, 0), ...spread(4, 3, 10)], { pageSize: 2 });
		await readStream(src, request({ need: 3, cursor: cursor({ at: T0, id: '2' }) }), hostClock);
		// 1 of 3 in the rest of second 0: the read after it has room for 2, and 3 changes follow.
		expect(src.calls).toContain('window scope=live from=+1s k=2');
	});

	test('a by-id read of one second that also gets the next second (an inclusive updated_before) counts only its own second', async () => {
		const src = source([change(1, 0), change(2, 0), change(3, 1), change(4, 1), change(5, 1)], { inclusiveBefore: true });
		const read = await readStream(src, request({ need: 2, cursor: cursor({ at: T0, id: '1' }) }), hostClock);
		// Second 0 has one change left (id 2): no burst, and the read goes on from second 1.
		expect(read.burstAt).toBeUndefined();
		expect(read.frontier).toEqual(SETTLED);
		expect(ids(read.records)).toEqual([2, 3, 4, 5]);
	});

	test.each([
		['live', 'bin'],
		['bin', 'live'],
	])('a burst cut in both the %s scan and the %s scan: the frontier is the smaller of the two cuts', async (lower, higher) => {
		const odd = [1, 3, 5, 7].map((id) => change(id, 0, { deleted: lower === 'bin' }));
		const even = [2, 6, 8, 10].map((id) => change(id, 0, { deleted: higher === 'bin' }));
		const src = source([...odd, ...even]);
		const read = await readStream(src, request({ need: 2, scopes: ['live', 'bin'], cursor: cursor({ at: T0, id: '0' }) }), hostClock);
		// One scan stops at 3, the other at 6: only up to 3 is read in both.
		expect(read.frontier).toEqual({ at: T0, id: '3' });
	});

	test('a burst found at the position stays reported when the window after it finds none', async () => {
		const src = source([change(1, 0), change(2, 0), change(3, 0), change(4, 0), ...spread(5, 10, 10)]);
		const read = await readStream(src, request({ need: 5, cursor: cursor({ at: T0, id: '2' }, { burst: true, backlog: true }) }), hostClock);
		expect(src.calls).toContain('window scope=live from=+1s k=3');
		expect(read.burstAt).toBe(T0);
	});

	test('a burst that shrank between the window and its by-id read (a record changed meanwhile) is no burst', async () => {
		const src = source([change(1, 0), change(2, 0), change(3, 0), change(4, 10)], {
			afterWindow: (records) => {
				records[2] = change(3, 20);
			},
		});
		const read = await readStream(src, request({ need: 2, cursor: cursor({ at: T0 }, { backlog: true }) }), hostClock);
		expect(read.frontier).toEqual({ at: T0 + SECOND });
		expect(read.burstAt).toBeUndefined();
	});
});

describe('readStream: a window that ends before a second that did not fit', () => {
	test('half full or more: it ends there', async () => {
		const src = source([change(1, 10), change(2, 20), change(3, 30), change(4, 30), change(5, 30)]);
		const read = await readStream(src, request({ need: 4, cursor: cursor({ at: T0 }, { backlog: true }) }), hostClock);
		expect(src.calls).toEqual(['window scope=live from=+0s k=4']);
		expect(read.frontier).toEqual({ at: T0 + 30 * SECOND });
	});

	test('less than half full: the room left comes from that second, by id', async () => {
		const src = source([change(1, 10), ...[2, 3, 4, 5, 6].map((id) => change(id, 30))]);
		const read = await readStream(src, request({ need: 4, cursor: cursor({ at: T0 }, { backlog: true }) }), hostClock);
		expect(src.calls).toEqual(['window scope=live from=+0s k=4', 'scan scope=live from=+30s before=+31s after=- size=3']);
		expect(read.frontier).toEqual({ at: T0 + 30 * SECOND, id: '4' });
		expect(read.burstAt).toBe(T0 + 30 * SECOND);
	});

	/** Second 30 held 5 changes when the window was read; `moved` of them changed again (to second 50) before the fill. */
	const shrinking = (moved: number[]) =>
		source([change(1, 10), ...[2, 3, 4, 5, 6].map((id) => change(id, 30)), change(7, 40)], {
			afterWindow: (records) => {
				records.forEach((r, i) => {
					if (moved.includes(Number(r.id))) records[i] = change(Number(r.id), 50);
				});
			},
		});

	test('that second, read whole, fills the room exactly: the window ends after it', async () => {
		const src = shrinking([5, 6]);
		const read = await readStream(src, request({ need: 4, cursor: cursor({ at: T0 }, { backlog: true }) }), hostClock);
		expect(src.calls).toEqual(['window scope=live from=+0s k=4', 'scan scope=live from=+30s before=+31s after=- size=3']);
		expect(read.frontier).toEqual({ at: T0 + 31 * SECOND });
	});

	test('that second, read whole, leaves room: the window goes on after it with the room left', async () => {
		const src = shrinking([4, 5, 6]);
		const read = await readStream(src, request({ need: 4, cursor: cursor({ at: T0 }, { backlog: true }) }), hostClock);
		expect(src.calls).toEqual(['window scope=live from=+0s k=4', 'scan scope=live from=+30s before=+31s after=- size=3', 'window scope=live from=+31s k=1']);
		expect(read.frontier).toEqual({ at: T0 + 50 * SECOND });
	});
});

describe('readStream: windowed (a backlog for the next poll)', () => {
	test('a window that ends at the settle point is a backlog', async () => {
		const src = source([change(1, 590), change(2, 592), change(3, 595)], { pageSize: 2 });
		const read = await readStream(src, request({ need: 2 }), hostClock);
		expect(src.calls).toContain('window scope=live from=+0s k=2');
		expect(read.frontier).toEqual({ at: T0 + 595 * SECOND });
		expect(read.windowed).toBe(true);
	});

	test('a window that ends past the settle point is not', async () => {
		const src = source([change(1, 590), change(2, 592), change(3, 598)], { pageSize: 2 });
		const read = await readStream(src, request({ need: 2 }), hostClock);
		expect(read.frontier).toEqual(SETTLED);
		expect(read.windowed).toBe(false);
	});
});

describe('inBothStates', () => {
	test('a record cannot be live and in the bin in the same state: the live copies of those that are', () => {
		// By id, whatever order the reads gave: the proof reads from the first of them on.
		expect(inBothStates([change(3, 10), change(3, 10, { deleted: true }), change(1, 10), change(1, 10, { deleted: true })]).map((r) => [r.id, r.deleted])).toEqual([
			['1', false],
			['3', false],
		]);
		expect(inBothStates([change(1, 10), change(1, 20, { deleted: true })])).toEqual([]);
		expect(inBothStates([change(1, 10), change(2, 10, { deleted: true })])).toEqual([]);
	});
});

describe('creation queries: records created inside a window and changed after it', () => {
	test('a window ending at a second boundary: one query', () => {
		expect(creationQueries('prospects', 'live', { at: s(0) }, { at: s(10) }, { at: s(10) })).toEqual([
			{ stream: 'prospects', scope: 'live', createdFrom: s(0), createdTo: s(9), updatedFrom: s(10) },
		]);
	});

	test('a window that ends where it started asks for nothing', () => {
		expect(creationQueries('prospects', 'live', { at: s(5) }, { at: s(5) }, { at: s(5) })).toEqual([]);
	});

	test('a window ending inside a burst second: the second by id range', () => {
		expect(creationQueries('prospects', 'live', { at: s(2), id: '5' }, { at: s(2), id: '9' }, { at: s(2), id: '9' })).toEqual([
			{ stream: 'prospects', scope: 'live', createdFrom: s(2), createdTo: s(2), updatedFrom: s(3), afterId: '5', upToId: '9' },
		]);
	});

	/** What a CreatedRequest returns from a set of records (as Pardot filters it, v3/v4). */
	const matches = (q: ReturnType<typeof creationQueries>[number], r: ReturnType<typeof change>) =>
		r.createdAt >= q.createdFrom &&
		r.createdAt <= q.createdTo &&
		r.updatedAt >= q.updatedFrom &&
		(q.afterId === undefined || Number(r.id) > Number(q.afterId)) &&
		(q.upToId === undefined || Number(r.id) <= Number(q.upToId));

	test('random windows: one query finds every record created inside and changed beyond, none created outside', () => {
		const rnd = seededInts(7);
		for (let round = 0; round < 2000; round++) {
			const key = (at: number, id?: number) => (id === undefined ? { at: s(at) } : { at: s(at), id: String(id) });
			const pAt = rnd(4);
			const position = key(pAt, rnd(2) ? rnd(20) : undefined);
			const fAt = pAt + rnd(4);
			const frontier = key(fAt, rnd(2) ? rnd(20) : undefined);
			// A position without an id stands before its second; with one, at that record of it.
			const after = (k: { at: number; id: string }, p: { at: number; id?: string }) => k.at > p.at || (k.at === p.at && (p.id === undefined || Number(k.id) > Number(p.id)));
			const upTo = (k: { at: number; id: string }, p: { at: number; id?: string }) => k.at < p.at || (k.at === p.at && (p.id === undefined ? false : Number(k.id) <= Number(p.id)));
			if (!after({ at: frontier.at, id: frontier.id ?? '99' }, position) || (frontier.at === position.at && frontier.id === undefined)) continue;
			const records = Array.from({ length: 30 }, (_, i) => {
				const created = rnd(9);
				return { ...change(i, 0), createdAt: s(created), updatedAt: s(created + rnd(3)) };
			});
			const queries = creationQueries('prospects', 'live', position, frontier, frontier);
			expect(queries.length).toBeLessThanOrEqual(1);
			for (const r of records) {
				const created = { at: r.createdAt, id: r.id };
				const state = { at: r.updatedAt, id: r.id };
				const needed = after(created, position) && upTo(created, frontier) && !upTo(state, frontier);
				const found = queries.some((q) => matches(q, r));
				if (needed) expect({ round, id: r.id, found }).toEqual({ round, id: r.id, found: true });
				// Nothing created before the position's second or after the frontier's.
				if (found) expect(r.createdAt >= position.at && r.createdAt <= frontier.at).toBe(true);
			}
		}
	});
});
