/**
 * The v5 adapter's reads as read.ts uses them (createV5Source over the simulator, real HTTP): what each
 * window, scan and lookup asks Pardot for, what it returns and where it ends. The whole trigger over
 * these reads is tested in poll/*.test.ts; this file pins down the adapter's own decisions.
 */
import type { IDataObject } from 'n8n-workflow';

import type { TransportOptions } from '../../../../nodes/shared/transport';
import type { ChangeRecord, Stream } from '../../../../nodes/PardotTrigger/model';
import { createV5Source, toChangeRecordV5, unreadableFieldV5 } from '../../../../nodes/PardotTrigger/transport/v5';
import type { SimulatorHandle } from '../../../../simulator';
import { caught, fast, frozenSimulatorPerSuite, queriesSent, rig } from '../../../lib/transport';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const suite = frozenSimulatorPerSuite(T0);
const { at } = suite;
let sim: SimulatorHandle;
beforeEach(() => (sim = suite.sim()));

/** Prospects changed at the given seconds after T0, created then too; their ids in that order. */
function prospects(seconds: number[]): string[] {
	return seconds.map((second) => String(sim.control.create({ type: 'prospect', at: at(second) }).id));
}

async function open(transport: TransportOptions = {}, keep: Partial<Record<Stream, (raw: IDataObject) => boolean>> = {}, meanwhile?: (stream: Stream, records: ChangeRecord[]) => void) {
	const r = rig('oauth-v5', sim.baseUrl);
	const conn = await r.connect();
	const source = createV5Source(r.ctx, conn, {}, { ...fast(), ...transport }, keep, meanwhile);
	sim.control.resetStats();
	return { r, source };
}

/** The query parameters of every v5 prospect query since the last resetStats. */
const queries = (endpoint = 'v5.prospects') => suite.queries(endpoint);

const idsOf = (records: ChangeRecord[]) => records.map((r) => r.id);

describe('v5 records that cannot be placed', () => {
	test('the field named is the one missing: the id first, then the change time', () => {
		expect(unreadableFieldV5({ updatedAt: at(1) })).toBe('id');
		expect(unreadableFieldV5({ id: null, updatedAt: at(1) })).toBe('id');
		expect(unreadableFieldV5({ id: 5, updatedAt: 'yesterday' })).toBe('updatedAt');
		expect(unreadableFieldV5({ id: 5 })).toBe('createdAt');
		expect(unreadableFieldV5({ id: 5, updatedAt: null })).toBe('createdAt');
		expect(unreadableFieldV5({ id: 5, updatedAt: at(1) }, 'created')).toBe('createdAt');
		// Without an id (missing or null) a record cannot be read: the read stops there, naming the id.
		expect(toChangeRecordV5({ id: null, updatedAt: at(1) }, 'live')).toBeUndefined();
		expect(toChangeRecordV5({ updatedAt: at(1) }, 'live')).toBeUndefined();
		// A record without updatedAt changes when it is created.
		expect(toChangeRecordV5({ id: 5, createdAt: at(7) }, 'live')?.updatedAt).toBe(T0 + 7000);
	});
});

describe('v5 windows', () => {
	test('k changes in pages of k + 1: one page, and the (k+1)-th tells where the window ends', async () => {
		prospects([10, 20, 30, 40, 50, 60]);
		const { r, source } = await open({ pageSize: 10 });
		const window = await source.window({ stream: 'prospects', scope: 'live', from: T0 }, 3);
		expect(queries().map((q) => q.limit)).toEqual(['4']);
		expect(window.records.map((x) => x.updatedAt)).toEqual([T0 + 10_000, T0 + 20_000, T0 + 30_000]);
		// The next change is in a later second: every change before it is in the window.
		expect(window.frontier).toEqual({ at: T0 + 40_000 });
		r.close();
	});

	test('a window that reads every change from its start has no end (no frontier), even with exactly k changes', async () => {
		const ids = prospects([10, 20, 30]);
		const { r, source } = await open({ pageSize: 10 });
		const window = await source.window({ stream: 'prospects', scope: 'live', from: T0 }, 3);
		expect(idsOf(window.records)).toEqual(ids);
		expect(window.frontier).toBeUndefined();
		r.close();
	});

	test('a window whose k changes fill its pages exactly holds one change less, not one page more', async () => {
		prospects(Array.from({ length: 25 }, (_, i) => 10 + i));
		const { r, source } = await open({ pageSize: 10 });
		const window = await source.window({ stream: 'prospects', scope: 'live', from: T0 }, 10);
		expect(queries()).toHaveLength(1);
		expect(window.records).toHaveLength(9);
		expect(window.frontier).toEqual({ at: T0 + 19_000 });
		r.close();
	});

	test('a window never returns more than k changes, however many its pages held', async () => {
		prospects(Array.from({ length: 25 }, (_, i) => 10 + i));
		const { r, source } = await open({ pageSize: 10 });
		const window = await source.window({ stream: 'prospects', scope: 'live', from: T0 }, 4);
		expect(window.records).toHaveLength(4);
		expect(window.frontier).toEqual({ at: T0 + 14_000 });
		r.close();
	});

	test('the k-th and the next change share a second: the window ends inside it, at the k-th id', async () => {
		const ids = prospects([10, 20, 30, 30, 30]);
		const { r, source } = await open({ pageSize: 10 });
		const window = await source.window({ stream: 'prospects', scope: 'live', from: T0 }, 3);
		expect(idsOf(window.records)).toEqual(ids.slice(0, 3));
		expect(window.frontier).toEqual({ at: T0 + 30_000, id: ids[2] });
		// Not a second read by id: no burst.
		expect(window.burstAt).toBeUndefined();
		r.close();
	});

	test('a window that starts inside a second asks for a few more records, to skip those it has', async () => {
		const ids = prospects([10, 10, 10, 20, 30]);
		const { r, source } = await open({ pageSize: 100 });
		const window = await source.window({ stream: 'prospects', scope: 'live', from: T0 + 10_000, afterId: ids[1] }, 2);
		expect(queries().map((q) => q.limit)).toEqual([String(2 + 1 + 50)]);
		expect(idsOf(window.records)).toEqual([ids[2], ids[3]]);
		expect(window.frontier).toEqual({ at: T0 + 30_000 });
		r.close();
	});

	test('a window that has exactly k changes reads on to find where it ends', async () => {
		// From inside second 10 (after its first 5 ids): 5 more of second 10, then second 20 and 30.
		const ids = prospects([...Array(10).fill(10), 20, 30]);
		const { r, source } = await open({ pageSize: 10 });
		const window = await source.window({ stream: 'prospects', scope: 'live', from: T0 + 10_000, afterId: ids[4] }, 5);
		// Page 1 (10 records of second 10, 5 of them new) holds exactly k and never left second 10: the rest of
		// that second by id (nothing more), then a page from second 11 shows the next change, at 20.
		expect(queries()).toHaveLength(3);
		expect(idsOf(window.records)).toEqual(ids.slice(5, 10));
		expect(window.frontier).toEqual({ at: T0 + 20_000 });
		r.close();
	});

	test('a second of more than a page inside the window is finished by id, and the window goes on after it', async () => {
		const ids = prospects([5, ...Array(15).fill(10), 20, 30, 40]);
		const { r, source } = await open({ pageSize: 10 });
		const window = await source.window({ stream: 'prospects', scope: 'live', from: T0 }, 18);
		// Every record once, in change order: second 5, the 15 of second 10, then 20 and 30.
		expect(idsOf(window.records)).toEqual(ids.slice(0, 18));
		expect(window.frontier).toEqual({ at: T0 + 40_000 });
		expect(window.burstAt).toBeUndefined();
		// By time from 0 (10 records), by time from 10 (one record it had not, and the page never left
		// second 10: it holds more than a page), by id through the rest of second 10, by time from 11.
		const asked = queries().map((q) => (q.idGreaterThan ? `id>${q.idGreaterThan}` : `from ${(Date.parse(q.updatedAtAfterOrEqualTo) - T0) / 1000}`));
		expect(asked).toEqual(['from 0', 'from 10', `id>${ids[10]}`, 'from 11']);
		r.close();
	});

	test('a window that ends inside a second it read by id says so (burstAt), with the clock of its first query', async () => {
		sim.control.configure({ clockStepPerRequestMs: 2000 });
		const ids = prospects([5, ...Array(15).fill(10), 20]);
		const { r, source } = await open({ pageSize: 10 });
		// Each request moves Pardot's clock 2 s: the first query sees now + 2 s, the by-id read (the third) now + 6 s.
		const firstQuery = Date.parse(sim.control.clock().now) + 2000;
		const window = await source.window({ stream: 'prospects', scope: 'live', from: T0 }, 12);
		expect(idsOf(window.records)).toEqual(ids.slice(0, 12));
		expect(window.frontier).toEqual({ at: T0 + 10_000, id: ids[11] });
		expect(window.burstAt).toBe(T0 + 10_000);
		// Pardot's clock at the window's first query, not at a later one.
		expect(window.serverTime).toBeGreaterThanOrEqual(firstQuery - 1000);
		expect(window.serverTime).toBeLessThan(firstQuery + 2000);
		r.close();
	});
});

test('a window that read one second by id and ends inside a later one: no burst there', async () => {
	const ids = prospects([5, ...Array(15).fill(10), 20, 20, 20]);
	const { r, source } = await open({ pageSize: 10 });
	const window = await source.window({ stream: 'prospects', scope: 'live', from: T0 }, 17);
	expect(idsOf(window.records)).toEqual(ids.slice(0, 17));
	expect(window.frontier).toEqual({ at: T0 + 20_000, id: ids[16] });
	expect(window.burstAt).toBeUndefined();
	r.close();
});

describe('v5 windows over records left out as read (Activity Types)', () => {
	/** An email open (left out) or a form submission (wanted) at each second. */
	function activities(kinds: Array<'open' | 'form'>): string[] {
		const { prospectIds } = sim.control.seed({ prospects: 1 });
		sim.control.resetStats();
		return kinds.map((kind, i) =>
			String(sim.control.activity({ ...(kind === 'form' ? { type: 4, formId: 11 } : { type: 11, emailId: 13 }), prospectId: prospectIds[0], at: at(10 + i) }).id),
		);
	}
	const forms = { visitorActivities: (raw: IDataObject) => raw.type === 4 };

	test('left-out records up to maxDroppedPerRead: the window goes on and is not capped', async () => {
		const ids = activities(['open', 'open', 'open', 'form', 'form']);
		const { r, source } = await open({ pageSize: 2, maxDroppedPerRead: 3 }, forms);
		const window = await source.window({ stream: 'visitorActivities', scope: 'live', from: T0 }, 5);
		expect(idsOf(window.records)).toEqual(ids.slice(3));
		expect(window.capped).toBeFalsy();
		r.close();
	});

	test('past maxDroppedPerRead with k wanted records read: the window stops at the last record read', async () => {
		const ids = activities(['form', 'form', 'open', 'open', 'open', 'open', 'form']);
		const { r, source } = await open({ pageSize: 2, maxDroppedPerRead: 3 }, forms);
		const window = await source.window({ stream: 'visitorActivities', scope: 'live', from: T0 }, 2);
		expect(idsOf(window.records)).toEqual(ids.slice(0, 2));
		expect(window.capped).toBe(true);
		expect(window.frontier).toEqual({ at: T0 + 15_000, id: ids[5] });
		r.close();
	});

	test('past maxDroppedPerRead the window stops at the last record read and says so', async () => {
		activities(['open', 'open', 'open', 'open', 'form']);
		const { r, source } = await open({ pageSize: 2, maxDroppedPerRead: 3 }, forms);
		const window = await source.window({ stream: 'visitorActivities', scope: 'live', from: T0 }, 5);
		expect(window.records).toEqual([]);
		expect(window.capped).toBe(true);
		expect(window.frontier).toEqual({ at: T0 + 13_000, id: expect.any(String) });
		r.close();
	});
});

describe('v5 scans and lookups', () => {
	test('a scan that needs only a few records asks for a page of that many', async () => {
		prospects([10, 20, 30]);
		const { r, source } = await open();
		const pages = [];
		for await (const page of source.scan({ stream: 'prospects', scope: 'live', from: T0, pageSize: 2 })) pages.push(page.records.length);
		expect(pages).toEqual([2, 1]);
		expect(queries().map((q) => q.limit)).toEqual(['2', '2']);
		r.close();
	});

	test('pipelined: a page the caller will want is asked for while the one before is parsed; not when pipelining is off', async () => {
		prospects([10, 20, 30, 40, 50]);
		for (const pipelined of [true, false]) {
			const seen: string[][] = [];
			const { r, source } = await open({ pageSize: 2, pipelined }, {}, (_stream, records) => seen.push(idsOf(records)));
			let first: ChangeRecord[] = [];
			for await (const page of source.scan({ stream: 'prospects', scope: 'live', from: T0, readAhead: () => true })) {
				first = page.records;
				break;
			}
			expect(first).toHaveLength(2);
			// Pipelined, the second page was asked for before the caller stopped, and the first page's records
			// went to `meanwhile` while it was on its way.
			expect(seen).toEqual(pipelined ? [idsOf(first)] : []);
			r.close();
		}
	});

	test('pipelined: the next page has been handed to the HTTP client before the page before it is parsed, so the parse overlaps its wait', async () => {
		prospects([10, 20, 30, 40, 50]);
		// How many queries n8n's HTTP client had been given (the token request aside) when each page read
		// ahead was handed to `meanwhile`.
		const sent = queriesSent('/api/v5/');
		const { r, source } = await open({ pageSize: 2 }, {}, sent.meanwhile);
		expect(await sent.pages(r, source.scan({ stream: 'prospects', scope: 'live', from: T0, readAhead: () => true }))).toEqual([2, 2, 1]);
		// Pages 1 and 2 were read ahead: pages 2 and 3 had been sent by then (n8n prepares a request over
		// several turns before it sends it; parsing at once would hold it back until the parse was done).
		expect(sent.atMeanwhile).toEqual([2, 3]);
		r.close();
	});

	test('records left out are counted per page, and the page says the last id it read', async () => {
		const { prospectIds } = sim.control.seed({ prospects: 1 });
		const read = [11, 11, 4, 11].map((type, i) => String(sim.control.activity({ type, ...(type === 4 ? { formId: 11 } : { emailId: 13 }), prospectId: prospectIds[0], at: at(10 + i) }).id));
		const { r, source } = await open({ pageSize: 2 }, { visitorActivities: (raw) => raw.type === 4 });
		const pages = [];
		for await (const page of source.scan({ stream: 'visitorActivities', scope: 'live', from: T0 })) pages.push(page);
		expect(pages.map((p) => [p.records.length, p.dropped, p.lastId])).toEqual([
			[0, 2, read[1]],
			[1, 1, read[3]],
		]);
		r.close();
	});

	test('a query Pardot cuts off at its record cap (100,000, with a Pardot-Warning and no token): the scan goes on after the last id', async () => {
		sim.control.configure({ v5MaxRecordsPerQuery: 2 });
		const ids = prospects([10, 20, 30, 40, 50]);
		const { r, source } = await open({ pageSize: 2 });
		const pages = [];
		for await (const page of source.scan({ stream: 'prospects', scope: 'live', from: T0 })) pages.push(idsOf(page.records));
		expect(pages).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
		r.close();
	});

	test("a read's request budget is the transport's when it sets one", async () => {
		prospects([10, 20, 30, 40, 50]);
		const { r, source } = await open({ pageSize: 2, maxRequestsPerRead: 2 });
		const failure = await caught(
			(async () => {
				for await (const page of source.scan({ stream: 'prospects', scope: 'live', from: T0 })) void page;
			})(),
		);
		expect(String(failure?.message)).toMatch(/made 2 requests/);
		r.close();
	});

	test('records created in a range: the last second of the range included, every page asked for ahead', async () => {
		const ids = prospects([10, 20, 30, 40]);
		for (const id of ids) sim.control.update({ type: 'prospect', id: Number(id), at: at(100) });
		const seen: string[][] = [];
		const { r, source } = await open({ pageSize: 2 }, {}, (_stream, records) => seen.push(idsOf(records)));
		const created = await source.created({ stream: 'prospects', scope: 'live', createdFrom: T0 + 20_000, createdTo: T0 + 40_000, updatedFrom: T0 + 41_000 });
		expect(idsOf(created)).toEqual(ids.slice(1));
		expect(seen).toEqual([ids.slice(1, 3)]);
		r.close();
	});

	test('the latest change is the most recently updated record, not the first', async () => {
		const ids = prospects([10, 30, 20]);
		const { r, source } = await open();
		expect((await source.latest('prospects'))?.id).toBe(ids[1]);
		r.close();
	});
});
