/**
 * The v3/v4 adapter's reads as read.ts uses them (createLegacySource over the simulator, real HTTP, and over a
 * small hostile Pardot where the simulator cannot misbehave as needed): what each window, scan and sample asks
 * Pardot for, what it returns and where it ends. The whole trigger over these reads is tested in poll/*.test.ts;
 * this file pins down the adapter's own decisions.
 */
import type { TransportOptions } from '../../../../nodes/shared/transport';
import type { ChangeRecord, Stream } from '../../../../nodes/PardotTrigger/model';
import { createLegacySource } from '../../../../nodes/PardotTrigger/transport/legacy';
import type { ScanRequest } from '../../../../nodes/PardotTrigger/transport/source';
import type { SimulatorHandle } from '../../../../simulator';
import type { Hostile, LegacyRecord } from '../../../lib/hostile';
import { byPath, legacyLogin, pardotLegacy, startHostile } from '../../../lib/hostile';
import { caught, fast, frozenSimulatorPerSuite, queriesSent, rig } from '../../../lib/transport';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const suite = frozenSimulatorPerSuite(T0);
const { at } = suite;
let sim: SimulatorHandle;
beforeEach(() => (sim = suite.sim()));

/** Prospects changed at the given instants (created then too); their ids in that order. */
function prospectsAt(instants: number[]): string[] {
	return instants.map((instant) => String(sim.control.create({ type: 'prospect', at: new Date(instant).toISOString() }).id));
}
/** Prospects changed at the given seconds after T0. */
const prospects = (seconds: number[]) => prospectsAt(seconds.map((second) => T0 + second * 1000));

async function open(transport: TransportOptions = {}, meanwhile?: (stream: Stream, records: ChangeRecord[]) => void, baseUrl = sim.baseUrl, zone = 'UTC') {
	const r = rig('legacy-v4', baseUrl, { timezone: zone });
	const conn = await r.connect();
	const source = createLegacySource(r.ctx, conn, {}, { ...fast(), ...transport }, {}, meanwhile);
	// Logged in before the test's queries: a key the test process kept from an earlier simulator is refused once.
	await source.serverTime('prospects');
	sim.control.resetStats();
	return { r, source };
}

/** The query parameters of every v3/v4 query of `endpoint` since the last resetStats. */
const queries = (endpoint = 'prospect.query') => suite.queries(endpoint);

const idsOf = (records: ChangeRecord[]) => records.map((r) => r.id);
/** The records of a window up to (before) the second it ends at. */
const before = (records: ChangeRecord[], second: number) => records.filter((r) => r.updatedAt < second);

async function scanAll(source: Awaited<ReturnType<typeof open>>['source'], request: Partial<ScanRequest> = {}) {
	const records: ChangeRecord[] = [];
	for await (const page of source.scan({ stream: 'prospects', scope: 'live', from: T0, ...request })) records.push(...page.records);
	return records;
}

describe('v3/v4 scans by id', () => {
	test("every page asks Pardot to sort by id, ascending: paging by id never rests on Pardot's default order (not documented)", async () => {
		prospects([10, 20, 30, 40, 50]);
		const { r, source } = await open({ pageSize: 2 });
		expect(await scanAll(source)).toHaveLength(5);
		expect(queries().map((q) => [q.sort_by, q.sort_order])).toEqual([
			['id', 'ascending'],
			['id', 'ascending'],
			['id', 'ascending'],
		]);
		r.close();
	});

	test.each([
		['on (default)', undefined, true],
		['on', true, true],
		['off', false, false],
	])('pipelining %s: a page the caller will want is asked for while the one before is parsed', async (_name, pipelined, ahead) => {
		prospects([10, 20, 30, 40, 50]);
		const seen: string[][] = [];
		const { r, source } = await open({ pageSize: 2, pipelined }, (_stream, records) => seen.push(idsOf(records)));
		let first: ChangeRecord[] = [];
		for await (const page of source.scan({ stream: 'prospects', scope: 'live', from: T0, readAhead: () => true })) {
			first = page.records;
			break;
		}
		expect(first).toHaveLength(2);
		// Pipelined, the second page was asked for before the caller stopped, and the first page's records went
		// to `meanwhile` while it was on its way; one at a time, neither.
		expect(seen).toEqual(ahead ? [idsOf(first)] : []);
		r.close();
	});

	test('pipelined: the next page has been handed to the HTTP client before the page before it is parsed, so the parse overlaps its wait', async () => {
		prospects([10, 20, 30, 40, 50]);
		// How many queries n8n's HTTP client had been given when each page read ahead was handed to `meanwhile`.
		const sent = queriesSent('/api/prospect/');
		const { r, source } = await open({ pageSize: 2 }, sent.meanwhile);
		expect(await sent.pages(r, source.scan({ stream: 'prospects', scope: 'live', from: T0, readAhead: () => true }))).toEqual([2, 2, 1]);
		expect(sent.atMeanwhile).toEqual([2, 3]);
		r.close();
	});
});

describe('v3/v4 windows read by change time', () => {
	test('a window that needs two pages: it ends before the second of the (k+1)-th change it read, with exactly k before it', async () => {
		const ids = prospects([10, 11, 12, 13, 14, 15, 16, 17]);
		const { r, source } = await open({ pageSize: 4 });
		const window = await source.window({ stream: 'prospects', scope: 'live', from: T0 }, 5);
		// Page 1 (seconds 10 to 13) holds 3 whole seconds, fewer than k: page 2 from second 13 holds the rest.
		expect(queries().map((q) => q.sort_by)).toEqual(['updated_at', 'updated_at']);
		expect(window.frontier).toEqual({ at: T0 + 15_000 });
		expect(idsOf(before(window.records, window.frontier!.at))).toEqual(ids.slice(0, 5));
		expect(window.burst).toBeUndefined();
		r.close();
	});

	test("Pardot's clock at the window's first query, not a later one", async () => {
		sim.control.configure({ clockStepPerRequestMs: 2000 });
		prospects([10, 11, 12, 13, 14, 15, 16, 17]);
		const { r, source } = await open({ pageSize: 4 });
		const firstQuery = Date.parse(sim.control.clock().now) + 2000;
		const window = await source.window({ stream: 'prospects', scope: 'live', from: T0 }, 5);
		expect(queries()).toHaveLength(2);
		expect(window.serverTime).toBeGreaterThanOrEqual(firstQuery - 1000);
		expect(window.serverTime).toBeLessThan(firstQuery + 2000);
		r.close();
	});

	test('more than a page in the first second: a burst, found by one query', async () => {
		prospects([10, 10, 10, 20]);
		const { r, source } = await open({ pageSize: 2 });
		const window = await source.window({ stream: 'prospects', scope: 'live', from: T0 + 10_000 }, 2);
		expect(window).toMatchObject({ records: [], burst: true });
		expect(window.frontier).toBeUndefined();
		expect(queries()).toHaveLength(1);
		r.close();
	});

	test('a later second of more than a page: the window ends before it (the read finishes it by id)', async () => {
		const ids = prospects([5, 10, 10, 10, 10, 10, 20]);
		const { r, source } = await open({ pageSize: 4 });
		const window = await source.window({ stream: 'prospects', scope: 'live', from: T0 }, 6);
		expect(window.frontier).toEqual({ at: T0 + 10_000 });
		expect(idsOf(before(window.records, T0 + 10_000))).toEqual([ids[0]]);
		expect(window.burst).toBeUndefined();
		expect(queries()).toHaveLength(2);
		r.close();
	});

	test('records of the second before `from` that an inclusive filter lets through are not in the window', async () => {
		sim.control.configure({ updatedAfter: 'inclusive' });
		const ids = prospects([9, 9, 10, 10, 11, 12]);
		const { r, source } = await open();
		const window = await source.window({ stream: 'prospects', scope: 'live', from: T0 + 10_000 }, 10);
		expect(idsOf(window.records)).toEqual(ids.slice(2));
		expect(window.frontier).toBeUndefined();
		r.close();
	});

	test('a window whose first page holds every match (total_results says so) asks for no other page', async () => {
		const ids = prospects([10, 11, 12, 13]);
		const { r, source } = await open({ pageSize: 4 });
		const window = await source.window({ stream: 'prospects', scope: 'live', from: T0 }, 10);
		expect(idsOf(window.records)).toEqual(ids);
		expect(window.frontier).toBeUndefined();
		expect(queries()).toHaveLength(1);
		r.close();
	});
});

describe('v3/v4 windows over a repeated local hour (DST fall-back, found by their end)', () => {
	// America/New_York falls back at 2026-11-01T06:00Z: local 01:00 to 01:59 is 05:00-05:59Z and again 06:00-06:59Z.
	const zone = 'America/New_York';
	const utc = (time: string) => Date.parse(`2026-11-01T${time}Z`);
	beforeEach(() => {
		sim.control.configure({ timezone: zone });
		sim.control.clock({ set: '2026-11-01T10:00:00Z', freeze: true });
	});

	test('the (k+1)-th change tells where the window ends: the changes before its second, read by id, every page asked for ahead', async () => {
		const ids = prospectsAt(['05:10:00', '05:20:00', '05:40:00', '07:30:00', '08:00:00', '08:30:00', '08:45:00', '08:50:00'].map(utc));
		const seen: string[][] = [];
		const { r, source } = await open({ pageSize: 2 }, (_stream, records) => seen.push(idsOf(records)), sim.baseUrl, zone);
		const window = await source.window({ stream: 'prospects', scope: 'live', from: utc('05:00:00') }, 3);
		// The first page holds local times the fall-back repeats: its order is not trusted. The offset query asks
		// for the 4th change in change order.
		const probe = queries().find((q) => q.offset !== undefined);
		expect(probe).toMatchObject({ offset: '3', limit: '1', sort_by: 'updated_at', sort_order: 'ascending' });
		expect(window.frontier).toEqual({ at: utc('07:30:00') });
		expect(window.burst).toBeUndefined();
		expect(idsOf(before(window.records, utc('07:30:00')))).toEqual(ids.slice(0, 3));
		expect(before(window.records, utc('07:30:00')).map((x) => x.updatedAt)).toEqual(['05:10:00', '05:20:00', '05:40:00'].map(utc));
		// Nothing after the (k+1)-th change's second is read.
		expect(window.records.filter((x) => x.updatedAt > utc('07:30:00'))).toEqual([]);
		// The read by id asked for its second page while the first was parsed.
		expect(seen[0]).toEqual(ids.slice(0, 2));
		r.close();
	});

	test('more than k changes in the first second: a burst, and nothing read by id', async () => {
		prospectsAt([utc('05:10:00'), utc('05:10:00'), utc('05:10:00'), utc('07:30:00')]);
		const { r, source } = await open({ pageSize: 2 }, undefined, sim.baseUrl, zone);
		const window = await source.window({ stream: 'prospects', scope: 'live', from: utc('05:10:00') }, 2);
		expect(window).toMatchObject({ records: [], burst: true });
		expect(window.frontier).toBeUndefined();
		expect(queries().filter((q) => q.sort_by === 'id')).toEqual([]);
		r.close();
	});

	test("the (k+1)-th change's local time is read as every read of the poll reads it: the earliest meaning not before the position", async () => {
		// 01:30 local twice (05:30Z, then 06:30Z) and 02:30 (07:30Z). The window starts at 06:05Z; the position is 05:00Z.
		const ids = prospectsAt([utc('05:30:00'), utc('06:30:00'), utc('07:30:00')]);
		const { r, source } = await open({}, undefined, sim.baseUrl, zone);
		const window = await source.window({ stream: 'prospects', scope: 'live', from: utc('06:05:00'), notBefore: utc('05:00:00') }, 1);
		// Read from the position, the second 01:30 is 05:30Z, before the window's start: the filter's slack, not
		// where the window ends. Every change from the start is read; none is cut off.
		expect(window.frontier).toBeUndefined();
		expect(window.burst).toBeUndefined();
		expect(window.records.find((x) => x.id === ids[1])?.updatedAt).toBe(utc('05:30:00'));
		r.close();
	});
});

describe('v3/v4 sample of list memberships (no sort by change time): the latest change of the narrowest recent window', () => {
	const now = T0 + 3600_000;
	function members(secondsAgo: number[]): string[] {
		const list = sim.control.create({ type: 'list', at: at(0) });
		return secondsAgo.map((ago) => {
			const prospect = sim.control.create({ type: 'prospect', at: at(0) });
			return String(sim.control.addToList({ listId: list.id, prospectId: prospect.id, at: new Date(now - ago * 1000).toISOString() }).id);
		});
	}

	test('over two pages, two changes in its latest second: the one with the greater id', async () => {
		const ids = members([50, 30, 30, 45]);
		const { r, source } = await open({ pageSize: 2 });
		expect((await source.latest('listMemberships'))?.id).toBe(ids[2]);
		r.close();
	});

	test('nothing in the last minute: the last hour', async () => {
		const ids = members([600, 1200]);
		const { r, source } = await open();
		expect((await source.latest('listMemberships'))?.id).toBe(ids[0]);
		r.close();
	});

	test('no change in the last 30 days: the most recently created membership', async () => {
		const ids = members([40 * 86_400, 35 * 86_400]);
		const { r, source } = await open();
		expect((await source.latest('listMemberships'))?.id).toBe(ids[1]);
		r.close();
	});

	test('a window read no further than 1,000 records', async () => {
		members(Array.from({ length: 1001 }, (_, i) => 10 + (i % 40)));
		const { r, source } = await open();
		expect(await source.latest('listMemberships')).toBeDefined();
		// One query for Pardot's clock, then five pages of 200.
		expect(queries('listMembership.query').filter((q) => q.updated_after !== undefined)).toHaveLength(5);
		r.close();
	});
});

test('campaigns cannot be read on v3/v4: said before any request', async () => {
	const { r, source } = await open();
	const failure = await caught(scanAll(source, { stream: 'campaigns' }));
	expect(String(failure?.message)).toBe('Pardot API v3/v4 cannot be polled for campaigns');
	expect(sim.control.requests()).toEqual([]);
	r.close();
});

describe('v3/v4 lookups and samples', () => {
	test('records created in a range and changed later: the last second of the range included, changed too early or created outside left out', async () => {
		const ids = prospects([10, 20, 30, 40]);
		for (const id of ids) sim.control.update({ type: 'prospect', id: Number(id), fields: { score: 5 }, at: at(100) });
		// Created in the range, but its latest change (45) is before updatedFrom: the window read it already.
		const early = prospects([30])[0];
		sim.control.update({ type: 'prospect', id: Number(early), fields: { score: 6 }, at: at(45) });
		// Created in the range, changed in updatedFrom's own second: in.
		const atEdge = prospects([25])[0];
		sim.control.update({ type: 'prospect', id: Number(atEdge), fields: { score: 6 }, at: at(50) });
		const seen: string[][] = [];
		const { r, source } = await open({ pageSize: 2 }, (_stream, records) => seen.push(idsOf(records)));
		const created = await source.created({ stream: 'prospects', scope: 'live', createdFrom: T0 + 20_000, createdTo: T0 + 30_000, updatedFrom: T0 + 50_000 });
		expect(idsOf(created)).toEqual([...ids.slice(1, 3), atEdge]);
		// Every page is asked for while the one before is parsed.
		expect(seen).toEqual([ids.slice(1, 3)]);
		r.close();
	});

	test('records created in one second, between two ids: after the first, up to and with the last', async () => {
		const ids = prospects([30, 30, 30, 30, 30]);
		for (const id of ids) sim.control.update({ type: 'prospect', id: Number(id), fields: { score: 5 }, at: at(100) });
		const { r, source } = await open();
		const created = await source.created({ stream: 'prospects', scope: 'live', createdFrom: T0 + 30_000, createdTo: T0 + 30_000, updatedFrom: T0 + 31_000, afterId: ids[0], upToId: ids[3] });
		expect(idsOf(created)).toEqual(ids.slice(1, 4));
		r.close();
	});

	test('records created in a range, in the recycle bin: read as deleted', async () => {
		const ids = prospects([10, 20]);
		sim.control.delete({ type: 'prospect', id: Number(ids[1]), at: at(100) });
		const { r, source } = await open();
		const created = await source.created({ stream: 'prospects', scope: 'bin', createdFrom: T0, createdTo: T0 + 30_000, updatedFrom: T0 + 50_000 });
		expect(created.map((x) => [x.id, x.deleted])).toEqual([[ids[1], true]]);
		r.close();
	});

	test('visitor activities change only when created: no creation to look up, no query', async () => {
		const { r, source } = await open();
		expect(await source.created({ stream: 'visitorActivities', scope: 'live', createdFrom: T0, createdTo: T0 + 60_000, updatedFrom: T0 + 61_000 })).toEqual([]);
		expect(sim.control.requests()).toEqual([]);
		r.close();
	});

	test('the latest prospect change: one record asked for, the most recently updated', async () => {
		const ids = prospects([10, 30, 20]);
		const { r, source } = await open();
		expect((await source.latest('prospects'))?.id).toBe(ids[1]);
		expect(queries().map((q) => [q.sort_by, q.sort_order, q.limit])).toEqual([['updated_at', 'descending', '1']]);
		r.close();
	});

	test('with a filter on the records (Activity Types): the newest accepted one among a page', async () => {
		const ids = prospects([10, 30, 20]);
		const { r, source } = await open({ pageSize: 50 });
		expect((await source.latest('prospects', (raw) => String(raw.id) !== ids[1]))?.id).toBe(ids[2]);
		expect(queries().map((q) => q.limit)).toEqual(['50']);
		r.close();
	});

	test('opportunities, which v3/v4 can neither filter nor sort by change time: the most recently created', async () => {
		// Created at 20, then one created at 10 (a greater id, an older creation), then the first updated at 50.
		const made = [20, 10].map((second) => String(sim.control.create({ type: 'opportunity', at: at(second) }).id));
		sim.control.update({ type: 'opportunity', id: Number(made[1]), fields: { value: 7 }, at: at(50) });
		const { r, source } = await open();
		expect((await source.latest('opportunities'))?.id).toBe(made[0]);
		r.close();
	});

	test("Pardot's clock: one small query", async () => {
		const { r, source } = await open();
		const now = Date.parse(sim.control.clock().now);
		const clock = await source.serverTime('prospects');
		expect(Math.abs(clock! - now)).toBeLessThanOrEqual(1000);
		expect(queries().map((q) => [q.limit, q.fields])).toEqual([['1', undefined]]);
		r.close();
	});
});

describe('v3/v4 answers the simulator does not give', () => {
	let pardot: Hostile;
	afterEach(async () => await pardot?.close());
	const utcLocal = (second: number) => new Date(T0 + second * 1000).toISOString().slice(0, 19).replace('T', ' ');
	const record = (id: number | null | undefined, second: number) => ({ id, created_at: utcLocal(second), updated_at: utcLocal(second) }) as LegacyRecord;
	const pardotQueries = () => pardot.requests.filter((q) => q.path.includes('/do/query'));

	test('without total_results (bulk output, a proxy): a page shorter than asked for is the last; a window of it ends', async () => {
		const records = [record(1, 10), record(2, 11), record(3, 12)];
		pardot = await startHostile(byPath([['/api/login/', legacyLogin('key-1')]], pardotLegacy('prospect', () => records, () => [], { totals: false })));
		const { r, source } = await open({ pageSize: 200 }, undefined, pardot.baseUrl);
		pardot.requests.length = 0;
		expect(idsOf(await scanAll(source))).toEqual(['1', '2', '3']);
		expect(pardotQueries()).toHaveLength(1);
		const window = await source.window({ stream: 'prospects', scope: 'live', from: T0 }, 10);
		expect(idsOf(window.records)).toEqual(['1', '2', '3']);
		expect(window.frontier).toBeUndefined();
		expect(pardotQueries()).toHaveLength(2);
		r.close();
	});

	test.each([
		['without an id', undefined],
		['with a null id', null],
	])('a full page whose last record comes %s: the read stops there with an error, no page asked for after it', async (_name, id) => {
		// Sorted by id it stays between -1 and 3 (a null counts as 0): the last record of a full page, with a page after it.
		const records = [record(-1, 10), record(id, 11), record(3, 12)];
		pardot = await startHostile(byPath([['/api/login/', legacyLogin('key-1')]], pardotLegacy('prospect', () => records)));
		const { r, source } = await open({ pageSize: 2 }, undefined, pardot.baseUrl);
		pardot.requests.length = 0;
		const failure = await caught(scanAll(source, { readAhead: () => true }));
		expect(String(failure?.message)).toBe('Pardot sent a record of prospects without an id');
		// A page asked for ahead would still be on its way: time for it to arrive.
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(pardotQueries()).toHaveLength(1);
		r.close();
	});
});
