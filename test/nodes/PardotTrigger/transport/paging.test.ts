/**
 * What callers of the transport see through the adapters (createLegacySource / createV5Source):
 * every record exactly once across pages, with the fewest requests the data allows (v3/v4: 200 a
 * page, v5: 1,000 a page, no trailing empty request), and the v3/v4 answer quirks (one record as
 * an object, no key when nothing matches, `result: null`) normalized away.
 */
import type { PardotConnection } from '../../../../nodes/shared/transport';
import { pardotRequest } from '../../../../nodes/shared/transport';
import { clearLegacySessions } from '../../../lib/pardot';
import { createLegacySource } from '../../../../nodes/PardotTrigger/transport/legacy';
import type { ChangeRecord, RecordScope, Stream } from '../../../../nodes/PardotTrigger/model';
import type { ChangeSource, FetchedPage, ScanPage } from '../../../../nodes/PardotTrigger/transport/source';
import { pagesById, requestSlots } from '../../../../nodes/PardotTrigger/transport/source';
import { createV5Source } from '../../../../nodes/PardotTrigger/transport/v5';
import type { RecordType, SimulatorHandle } from '../../../../simulator';
import type { Flavor } from '../../../lib/pardot';
import { MINUTE } from '../../../lib/pardot';
import { fast, rig, simulatorPerSuite } from '../../../lib/transport';
import type { Rig } from '../../../lib/transport';

const suite = simulatorPerSuite();
let sim: SimulatorHandle;
beforeEach(() => ({ sim } = suite.current()));

beforeEach(() => {
	sim.control.reset();
	clearLegacySessions();
	sim.control.clock({ freeze: true });
});

const SINCE = Date.parse('2026-01-01T00:00:00Z');
const TYPE: Record<Stream, RecordType> = {
	prospects: 'prospect',
	opportunities: 'opportunity',
	visitorActivities: 'visitorActivity',
	listMemberships: 'listMembership',
	lists: 'list',
	campaigns: 'campaign',
	visitors: 'visitor',
};

function endpointOf(flavor: Flavor, stream: Stream): string {
	return flavor.endsWith('5') ? `v5.${stream}` : `${TYPE[stream]}.query`;
}

async function open(flavor: Flavor): Promise<{ r: Rig; conn: PardotConnection; source: ChangeSource }> {
	const r = rig(flavor, sim.baseUrl);
	const conn = await r.connect();
	const source = flavor.endsWith('5') ? createV5Source(r.ctx, conn, {}, fast()) : createLegacySource(r.ctx, conn, {}, fast());
	return { r, conn, source };
}

async function scan(
	source: ChangeSource,
	stream: Stream,
	options: { scope?: RecordScope; onPage?: (page: ScanPage, index: number) => void } = {},
): Promise<{ records: ChangeRecord[]; pages: ScanPage[] }> {
	const pages: ScanPage[] = [];
	for await (const page of source.scan({ stream, scope: options.scope ?? 'live', from: SINCE })) {
		options.onPage?.(page, pages.length);
		pages.push(page);
	}
	return { records: pages.flatMap((p) => p.records), pages };
}

function truthIds(stream: Stream, deleted = false): string[] {
	return sim.control.records({ type: TYPE[stream], deleted }).map((x) => String(x.id));
}

describe('paging: every record once, fewest requests', () => {
	test('v4: 1,050 prospects in 6 pages of up to 200, even with writes during the scan', async () => {
		sim.control.seed({ prospects: 1050, spreadMs: 120 * MINUTE });
		const { r, source } = await open('legacy-v4');
		sim.control.resetStats();
		const { records, pages } = await scan(source, 'prospects', {
			onPage: (_page, index) => {
				if (index !== 0) return;
				// While paging: an already-read record changes and a new one is created.
				sim.control.clock({ advanceMs: 1000 });
				const first = sim.control.records({ type: 'prospect' })[0];
				sim.control.update({ type: 'prospect', id: first.id, fields: { score: 99 } });
				sim.control.create({ type: 'prospect', fields: { email: 'late@example.com' } });
			},
		});
		const ids = records.map((x) => x.id);
		expect(ids).toEqual(truthIds('prospects'));
		expect(new Set(ids).size).toBe(1051);
		expect(pages.map((p) => p.records.length)).toEqual([200, 200, 200, 200, 200, 51]);
		expect(pages.map((p) => p.more)).toEqual([true, true, true, true, true, false]);
		expect(sim.control.stats().byEndpoint).toMatchObject({ 'prospect.query': 6, login: 1 });
		r.close();
	});

	test('v4: exactly 400 opportunities take 2 requests (no empty third)', async () => {
		sim.control.seed({ prospects: 5, opportunities: 400, spreadMs: 120 * MINUTE });
		const { r, source } = await open('legacy-v4');
		sim.control.resetStats();
		const { records } = await scan(source, 'opportunities');
		expect(records.map((x) => x.id)).toEqual(truthIds('opportunities'));
		expect(sim.control.stats().byEndpoint['opportunity.query']).toBe(2);
		r.close();
	});

	test('v5: 1,500 prospects in 2 requests of up to 1,000', async () => {
		sim.control.seed({ prospects: 1500, spreadMs: 120 * MINUTE });
		const { r, source } = await open('oauth-v5');
		sim.control.resetStats();
		const { records, pages } = await scan(source, 'prospects');
		expect(records.map((x) => x.id)).toEqual(truthIds('prospects'));
		expect(pages.map((p) => p.records.length)).toEqual([1000, 500]);
		expect(sim.control.stats().byEndpoint).toMatchObject({ 'v5.prospects': 2, 'oauth.token': 1 });
		r.close();
	});

	test('v5: exactly 2,000 opportunities take 2 requests', async () => {
		sim.control.seed({ prospects: 5, opportunities: 2000, spreadMs: 120 * MINUTE });
		const { r, source } = await open('oauth-v5');
		sim.control.resetStats();
		const { records } = await scan(source, 'opportunities');
		expect(records.map((x) => x.id)).toEqual(truthIds('opportunities'));
		expect(sim.control.stats().byEndpoint['v5.opportunities']).toBe(2);
		r.close();
	});

	test('v5 with records dropped as read (Activity Types): pages with nothing wanted do not end the scan', async () => {
		const { prospectIds } = sim.control.seed({ prospects: 1 });
		const prospectId = prospectIds[0];
		// 2,400 email opens, then 5 form submissions: the first two full pages hold nothing wanted.
		for (let i = 0; i < 2400; i++) sim.control.activity({ type: 11, emailId: 13, prospectId, at: new Date(SINCE + 1000 + i * 1000).toISOString() });
		const forms = Array.from({ length: 5 }, (_, i) => sim.control.activity({ type: 4, formId: 11, prospectId, at: new Date(SINCE + 3_000_000 + i * 1000).toISOString() }));
		const r = rig('oauth-v5', sim.baseUrl);
		const conn = await r.connect();
		const source = createV5Source(r.ctx, conn, {}, fast(), { visitorActivities: (raw) => raw.type === 4 });
		sim.control.resetStats();
		const { records, pages } = await scan(source, 'visitorActivities');
		expect(records.map((x) => x.id)).toEqual(forms.map((f) => String(f.id)));
		expect(pages.map((p) => p.records.length)).toEqual([0, 0, 5]);
		expect(pages.map((p) => p.more)).toEqual([true, true, false]);
		// Every activity read once: ceil(2,405 / 1,000) requests.
		expect(sim.control.stats().byEndpoint['v5.visitor-activities']).toBe(3);
		r.close();
	});

	test.each(['legacy-v4', 'oauth-v5'] as const)('%s: the recycle bin is read apart from live records', async (flavor) => {
		const { prospectIds } = sim.control.seed({ prospects: 8, spreadMs: 10 * MINUTE });
		sim.control.clock({ advanceMs: MINUTE });
		for (const id of prospectIds.slice(2, 5)) sim.control.delete({ type: 'prospect', id });
		const { r, source } = await open(flavor);
		const live = await scan(source, 'prospects');
		const binned = await scan(source, 'prospects', { scope: 'bin' });
		expect(live.records.map((x) => x.id)).toEqual(truthIds('prospects'));
		expect(binned.records.map((x) => x.id)).toEqual(prospectIds.slice(2, 5).map(String));
		expect(binned.records.every((x) => x.deleted)).toBe(true);
		expect(live.records.some((x) => x.deleted)).toBe(false);
		r.close();
	});
});

describe('v3/v4 quirks reach no caller', () => {
	const LEGACY_FLAVORS: Flavor[] = ['legacy-v4', 'legacy-v3', 'oauth-v4'];

	function configureFor(flavor: Flavor): void {
		if (flavor === 'legacy-v3') sim.control.configure({ accountVersion: 3 });
	}

	describe.each(LEGACY_FLAVORS)('%s', (flavor) => {
		const version = flavor.slice(-1);

		test.each(['prospects', 'opportunities'] as const)('one %s match: an object in the answer, one record to the caller', async (stream) => {
			configureFor(flavor);
			const seeded = sim.control.seed({ prospects: 1, opportunities: stream === 'opportunities' ? 1 : 0, at: '2026-11-27T10:30:15.250Z' });
			const { r, conn, source } = await open(flavor);
			// The quirk is really there on the wire ...
			const raw = await pardotRequest(r.ctx, conn, { path: `/api/${TYPE[stream]}/version/${version}/do/query`, query: { format: 'json' } }, fast());
			const result = raw.body.result as Record<string, unknown>;
			expect(result.total_results).toBe(1);
			expect(Array.isArray(result[TYPE[stream]])).toBe(false);
			expect(typeof result[TYPE[stream]]).toBe('object');
			// ... and gone for the caller.
			sim.control.resetStats();
			const { records, pages } = await scan(source, stream);
			const id = String(stream === 'prospects' ? seeded.prospectIds[0] : seeded.opportunityIds[0]);
			expect(pages).toHaveLength(1);
			expect(records).toHaveLength(1);
			expect(records[0]).toMatchObject({
				id,
				deleted: false,
				// v3/v4 dates have whole seconds, in the account zone (UTC here)
				updatedAt: Date.parse('2026-11-27T10:30:15Z'),
				createdAt: Date.parse('2026-11-27T10:30:15Z'),
			});
			expect(String(records[0].raw.id)).toBe(id);
			expect(sim.control.stats().byEndpoint[endpointOf(flavor, stream)]).toBe(1);
			expect((await source.latest(stream))?.id).toBe(id);
			r.close();
		});

		test.each([
			['omit', 'prospects'],
			['null', 'prospects'],
			['omit', 'opportunities'],
			['null', 'opportunities'],
		] as const)('no match (emptyResult=%s, %s): no records, no error, one request', async (emptyResult, stream) => {
			configureFor(flavor);
			sim.control.configure({ emptyResult });
			const { r, conn, source } = await open(flavor);
			const raw = await pardotRequest(r.ctx, conn, { path: `/api/${TYPE[stream]}/version/${version}/do/query`, query: { format: 'json' } }, fast());
			if (emptyResult === 'null') expect(raw.body.result).toBeNull();
			else expect(raw.body.result).toEqual({ total_results: 0 });
			sim.control.resetStats();
			const { records, pages } = await scan(source, stream);
			expect(records).toEqual([]);
			expect(pages).toEqual([expect.objectContaining({ records: [], more: false })]);
			expect(sim.control.stats().byEndpoint[endpointOf(flavor, stream)]).toBe(1);
			expect(await source.latest(stream)).toBeUndefined();
			r.close();
		});
	});
});

describe('pagesById: the next page while this one is parsed', () => {
	/** A scan over ids 1..n in pages of `size`; every fetch and parse goes to `log`. */
	function fake(n: number, size: number, log: string[], failAt?: number) {
		return async (afterId: string | undefined): Promise<FetchedPage> => {
			const from = afterId === undefined ? 1 : Number(afterId) + 1;
			log.push(`fetch ${from}`);
			if (failAt === from) throw new Error(`page ${from} failed`);
			const ids = Array.from({ length: Math.max(0, Math.min(size, n - from + 1)) }, (_, i) => from + i);
			const records = ids.map((id) => ({ id: String(id), createdAt: 0, updatedAt: 0, updatedAtMin: 0, updatedAtMax: 0, deleted: false, raw: {} }));
			return {
				lastId: ids.length ? String(ids[ids.length - 1]) : undefined,
				read: ids.length,
				more: ids.length === size && ids[ids.length - 1] < n,
				parse: () => {
					log.push(`parse ${from}`);
					return { records, more: false };
				},
			};
		};
	}
	const guard = { after: (a: string, b: string) => Number(a) > Number(b), stalled: () => new Error('stalled') };

	test('with read-ahead, each next page is asked for before the current one is parsed; none after the last', async () => {
		const log: string[] = [];
		const ids: string[] = [];
		for await (const page of pagesById(fake(25, 10, log), undefined, guard, () => true)) ids.push(...page.records.map((r) => r.id));
		expect(ids).toHaveLength(25);
		expect(log).toEqual(['fetch 1', 'fetch 11', 'parse 1', 'fetch 21', 'parse 11', 'parse 21']);
	});

	test('without it (or when it says no), a page is asked for only when the caller wants it', async () => {
		const log: string[] = [];
		for await (const page of pagesById(fake(25, 10, log), undefined, guard, (read) => read < 10)) expect(page.records.length).toBeGreaterThan(0);
		expect(log).toEqual(['fetch 1', 'parse 1', 'fetch 11', 'parse 11', 'fetch 21', 'parse 21']);
		const stopped: string[] = [];
		for await (const page of pagesById(fake(25, 10, stopped), undefined, guard)) if (page.records.length) break;
		expect(stopped).toEqual(['fetch 1', 'parse 1']);
	});

	test('a caller that stops while a page read ahead fails: no unhandled rejection, the error is never lost where it is awaited', async () => {
		const unhandled: unknown[] = [];
		const onUnhandled = (reason: unknown) => unhandled.push(reason);
		process.on('unhandledRejection', onUnhandled);
		try {
			const log: string[] = [];
			for await (const page of pagesById(fake(25, 10, log, 11), undefined, guard, () => true)) if (page.records.length) break;
			await new Promise((resolve) => setImmediate(resolve));
			expect(log).toEqual(['fetch 1', 'fetch 11', 'parse 1']);
			expect(unhandled).toEqual([]);
			// A caller that goes on meets the failure.
			const reading = (async () => {
				for await (const page of pagesById(fake(25, 10, [], 11), undefined, guard, () => true)) expect(page).toBeDefined();
			})();
			await expect(reading).rejects.toThrow('page 11 failed');
		} finally {
			process.off('unhandledRejection', onUnhandled);
		}
	});

	test('each page read ahead is handed over while the next one is on its way; the last one and pages read one by one are not', async () => {
		const log: string[] = [];
		const meanwhile = (page: ScanPage) => log.push(`meanwhile ${page.records[0].id}`);
		for await (const page of pagesById(fake(25, 10, log), undefined, guard, () => true, meanwhile)) log.push(`use ${page.records[0].id}`);
		expect(log).toEqual(['fetch 1', 'fetch 11', 'parse 1', 'meanwhile 1', 'use 1', 'fetch 21', 'parse 11', 'meanwhile 11', 'use 11', 'parse 21', 'use 21']);
		const oneByOne: string[] = [];
		for await (const page of pagesById(fake(25, 10, oneByOne), undefined, guard, (read) => read < 10, (p) => oneByOne.push(`meanwhile ${p.records[0].id}`))) {
			expect(page.more || page.records.length === 5).toBe(true);
		}
		expect(oneByOne).toEqual(['fetch 1', 'parse 1', 'fetch 11', 'parse 11', 'fetch 21', 'parse 21']);
	});

	test('read-ahead keeps the guard: a page that does not move on stops the scan', async () => {
		const stuck = async (): Promise<FetchedPage> => ({ lastId: '5', read: 10, more: true, parse: () => ({ records: [], more: true }) });
		const reading = (async () => {
			for await (const page of pagesById(stuck, '5', guard, () => true)) expect(page).toBeDefined();
		})();
		await expect(reading).rejects.toThrow('stalled');
	});
});

describe('requestSlots', () => {
	test('at most n tasks at once, in the order they came; a failed task frees its slot', async () => {
		const slots = requestSlots(2);
		let running = 0;
		let peak = 0;
		const order: number[] = [];
		const task = (i: number) => async () => {
			running++;
			peak = Math.max(peak, running);
			order.push(i);
			await new Promise((resolve) => setImmediate(resolve));
			running--;
			if (i === 1) throw new Error('one failed');
			return i;
		};
		const results = await Promise.allSettled([0, 1, 2, 3, 4].map(async (i) => await slots(task(i))));
		expect(peak).toBe(2);
		expect(order).toEqual([0, 1, 2, 3, 4]);
		expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
	});
});
