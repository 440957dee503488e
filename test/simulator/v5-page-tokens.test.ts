/**
 * v5PageTokens: how a nextPageToken continues its query when records move between pages. 'keyset'
 * (default) goes on strictly after the last record returned; 'offset' re-runs the query and skips as
 * many records as were returned, so records leaving the range make a page skip one and records
 * entering it make one repeat.
 */
import type { SimulatorHandle } from '../../simulator';
import { accessToken, at, bearer, enc, http, simulatorForFile, v5, v5All } from '../lib/simulator';

let sim: SimulatorHandle;
let token: string;

const env = simulatorForFile({ frozenAt: at(3_600_000), login: 'accessToken' });
beforeEach(() => ({ sim, credential: token } = env.current()));

const get = (query: string) => v5(sim, token, 'prospects', query);
const next = (res: { json: any }) => http(res.json.nextPageUrl, { headers: bearer(token) });
const idsOf = (res: { json: any }) => res.json.values.map((v: any) => v.id);

/** Six prospects a second apart; the first page (3, by updatedAt) is read, then `between` runs, then the rest. */
async function pageAcross(between: (ids: number[]) => void, query = `fields=id&limit=3&orderBy=${enc('updatedAt asc,id asc')}`) {
	const ids = sim.control.seed({ prospects: 6, at: at(0), spreadMs: 5_000 }).prospectIds;
	const first = await get(query);
	between(ids);
	const pages = [idsOf(first)];
	let res = first;
	while (res.json.nextPageToken) {
		res = await next(res);
		expect(res.status).toBe(200);
		pages.push(idsOf(res));
	}
	return { ids, pages };
}

describe('v5PageTokens', () => {
	it("defaults to 'keyset' and is checked", () => {
		expect(sim.control.configure({}).v5PageTokens).toBe('keyset');
		expect(() => sim.control.configure({ v5PageTokens: 'cursor' as never })).toThrow(/v5PageTokens/);
	});

	it('a record moved from page 1 to the end: keyset returns every record once, offset skips one', async () => {
		const move = (ids: number[]) => sim.control.update({ type: 'prospect', id: ids[0], at: at(60_000) });
		const keyset = await pageAcross(move);
		expect(keyset.pages).toEqual([keyset.ids.slice(0, 3), [keyset.ids[3], keyset.ids[4], keyset.ids[5]], [keyset.ids[0]]]);

		sim.control.reset();
		sim.control.clock({ set: at(3_600_000), freeze: true });
		token = await accessToken(sim);
		sim.control.configure({ v5PageTokens: 'offset' });
		const offset = await pageAcross(move);
		// The query now matches ids[1..5], ids[0]; skipping the 3 returned leaves ids[4], ids[5], ids[0]: ids[3] is never seen.
		expect(offset.pages).toEqual([offset.ids.slice(0, 3), [offset.ids[4], offset.ids[5], offset.ids[0]]]);
		expect(offset.pages.flat()).not.toContain(offset.ids[3]);
	});

	it('offset: a record that leaves the filtered range between pages (updated past the filter, deleted) skips records', async () => {
		sim.control.configure({ v5PageTokens: 'offset' });
		const before = enc('2026-11-27T12:00:30Z');
		const { ids, pages } = await pageAcross(
			(all) => {
				sim.control.update({ type: 'prospect', id: all[1], at: at(60_000) }); // now past updatedAtBefore
				sim.control.delete({ type: 'prospect', id: all[2], at: at(1_000) }); // deleted=false no longer matches
			},
			`fields=id&limit=2&orderBy=id&updatedAtBefore=${before}`,
		);
		// Matches after the writes: ids[0], ids[3], ids[4], ids[5]; skipping 2 gives ids[4], ids[5].
		expect(pages).toEqual([[ids[0], ids[1]], [ids[4], ids[5]]]);
	});

	it('a record that enters the range before the position: keyset leaves it out, offset repeats one', async () => {
		const enter = () => sim.control.create({ type: 'prospect', at: at(60_000) }); // the highest id: first in id desc
		const query = `fields=id&limit=3&orderBy=${enc('id desc')}`;
		const keyset = await pageAcross(enter, query);
		const down = [...keyset.ids].reverse();
		expect(keyset.pages).toEqual([down.slice(0, 3), down.slice(3)]);

		sim.control.reset();
		sim.control.clock({ set: at(3_600_000), freeze: true });
		token = await accessToken(sim);
		sim.control.configure({ v5PageTokens: 'offset' });
		const offset = await pageAcross(enter, query);
		const down2 = [...offset.ids].reverse();
		// [new, 6, 5, 4, 3, 2, 1] less 3: 4 again, then 3, 2, and 1 on a third page.
		expect(offset.pages).toEqual([down2.slice(0, 3), [down2[2], down2[3], down2[4]], [down2[5]]]);
	});

	it('offset reads the data visible at each page (v5ReadLagMs): a write becomes visible only when the lag has passed', async () => {
		sim.control.configure({ v5PageTokens: 'offset', v5ReadLagMs: 60_000 });
		const ids = sim.control.seed({ prospects: 4, at: at(0), spreadMs: 3_000 }).prospectIds;
		const first = await get('fields=id&limit=2&orderBy=id');
		expect(idsOf(first)).toEqual(ids.slice(0, 2));
		// Deleted now, but the read 60 s behind still sees it: nothing shifts yet.
		sim.control.delete({ type: 'prospect', id: ids[0] });
		expect(idsOf(await next(first))).toEqual(ids.slice(2, 4));
		// Once the lag has passed, the same token (replayed) sees the deletion and skips one.
		sim.control.clock({ advanceMs: 60_000 });
		token = await accessToken(sim);
		expect(idsOf(await next(first))).toEqual([ids[3]]);
	});

	it('a token keeps the mode its query started with', async () => {
		sim.control.configure({ v5PageTokens: 'offset' });
		const ids = sim.control.seed({ prospects: 4, at: at(0), spreadMs: 3_000 }).prospectIds;
		const first = await get('fields=id&limit=2&orderBy=id');
		sim.control.configure({ v5PageTokens: 'keyset' });
		sim.control.delete({ type: 'prospect', id: ids[0] });
		expect(idsOf(await next(first))).toEqual([ids[3]]);
	});

	it('offset keeps the 100,000 cap (v5MaxRecordsPerQuery) with its warning, and token expiry', async () => {
		sim.control.configure({ v5PageTokens: 'offset', v5MaxRecordsPerQuery: 250 });
		sim.control.seed({ prospects: 300, at: at(0) });
		const first = await get('fields=id&limit=100');
		const second = await next(first);
		const third = await next(second);
		expect(third.json.values).toHaveLength(50);
		expect(third.json.nextPageToken).toBeNull();
		expect(third.headers.get('pardot-warning')).toMatch(/^203;Record count for nextPageToken sequence has been exceeded/);
		const all = [...idsOf(first), ...idsOf(second), ...idsOf(third)];
		expect(new Set(all).size).toBe(250);

		sim.control.clock({ advanceMs: 4 * 3_600_000 });
		token = await accessToken(sim);
		const expired = await next(first);
		expect(expired.status).toBe(400);
		expect(expired.json.message).toMatch(/expired/);
	});

	it('offset without writes pages exactly like keyset', async () => {
		sim.control.seed({ prospects: 1_050, at: at(0), spreadMs: 600_000 });
		const query = `fields=id&limit=200&orderBy=${enc('updatedAt desc')}`;
		const keyset = await v5All(sim, token, 'prospects', query);
		sim.control.configure({ v5PageTokens: 'offset' });
		const offset = await v5All(sim, token, 'prospects', query);
		expect(offset.pages).toBe(6);
		expect(offset.values).toEqual(keyset.values);
	});
});
