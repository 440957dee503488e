/**
 * Late-visible writes (lateWriteShare, lateWriteMaxMs, lateWriteSequenceMs, lateWriteApis): a write
 * that v5 reads (and, with 'all', v3/v4 reads) see only some time after it happened, with its true,
 * older updatedAt. Everything over real HTTP.
 */
import type { SimulatorHandle } from '../../simulator';
import { apiKey, at, bearer, enc, http, legacyQuery, legacyRecords, simulatorForFile, v5 } from '../lib/simulator';

let sim: SimulatorHandle;
let token: string;
/** Relative to the frozen clock of every test (START + 1 h). */
const nowAt = (offsetMs: number) => at(3_600_000 + offsetMs);

const env = simulatorForFile({ frozenAt: nowAt(0), login: 'accessToken' });
beforeEach(() => ({ sim, credential: token } = env.current()));

/** A v5 prospects query: [id, email, updatedAt (ms)] in id order. */
const v5Prospects = async (extra = '') => {
	const res = await v5(sim, token, 'prospects', `fields=id,email,updatedAt&orderBy=id${extra}`);
	expect(res.status).toBe(200);
	return (res.json.values as Array<{ id: number; email: string; updatedAt: string }>).map((v) => [v.id, v.email, Date.parse(v.updatedAt)]);
};
/** A v5 read of one prospect: [status, email, updatedAt (ms)]. */
const v5ReadOne = async (id: number) => {
	const res = await http(`${sim.baseUrl}/api/v5/objects/prospects/${id}?fields=id,email,updatedAt`, { headers: bearer(token) });
	return res.status === 200 ? [200, res.json.email, Date.parse(res.json.updatedAt)] : [res.status];
};
/** A v3/v4 prospects query: the emails and total_results. */
const legacyProspects = async (key: string, params: Record<string, string | number> = {}) => {
	const res = await legacyQuery(sim, key, 'prospect', { sort_by: 'id', ...params });
	expect(res.status).toBe(200);
	return { emails: legacyRecords(res.json, 'prospect').map((p) => p.email as string), total: res.json.result?.total_results as number };
};
const ms = (iso: string) => Date.parse(iso);

describe('late-visible writes', () => {
	it('defaults: none late, 60 s at most, no sequence, v5 only; the options are checked', () => {
		const config = sim.control.configure({});
		expect(config).toEqual(expect.objectContaining({ lateWriteShare: 0, lateWriteMaxMs: 60_000, lateWriteSequenceMs: [], lateWriteApis: 'v5' }));
		expect(() => sim.control.configure({ lateWriteShare: 1.5 })).toThrow(/lateWriteShare/);
		expect(() => sim.control.configure({ lateWriteShare: -0.1 })).toThrow(/lateWriteShare/);
		expect(() => sim.control.configure({ lateWriteShare: '0.1' as never })).toThrow(/lateWriteShare/);
		expect(() => sim.control.configure({ lateWriteMaxMs: -1 })).toThrow(/lateWriteMaxMs/);
		expect(() => sim.control.configure({ lateWriteSequenceMs: [5, -1] })).toThrow(/lateWriteSequenceMs/);
		expect(() => sim.control.configure({ lateWriteSequenceMs: 5 as never })).toThrow(/lateWriteSequenceMs/);
		expect(() => sim.control.configure({ lateWriteApis: 'v4' as never })).toThrow(/lateWriteApis/);
	});

	it('a write 50 s late: v5 queries and reads by id do not see it for 50 s, then see it with its true updatedAt', async () => {
		// Delays in turn: the create at once, then the update and a new record 50 s late.
		sim.control.configure({ lateWriteSequenceMs: [0, 50_000, 50_000, 0] });
		const p = sim.control.create({ type: 'prospect', at: nowAt(-600_000), fields: { email: 'old@example.com' } });
		sim.control.update({ type: 'prospect', id: p.id, fields: { email: 'new@example.com' } });
		const q = sim.control.create({ type: 'prospect', fields: { email: 'fresh@example.com' } });
		const before = [[p.id, 'old@example.com', ms(nowAt(-600_000))]];
		expect(await v5Prospects()).toEqual(before);
		expect(await v5Prospects(`&updatedAtAfterOrEqualTo=${enc(nowAt(-1_000))}`)).toEqual([]);
		expect(await v5ReadOne(p.id)).toEqual([200, 'old@example.com', ms(nowAt(-600_000))]);
		expect((await v5ReadOne(q.id))[0]).toBe(404);
		// The truth: control records and history, with the instant each version becomes visible.
		expect(sim.control.records({ type: 'prospect' }).map((r) => r.email)).toEqual(['new@example.com', 'fresh@example.com']);
		const history = sim.control.history({ type: 'prospect', id: p.id });
		expect(history.map((h) => [h.writtenAt, h.visibleAt])).toEqual([
			[nowAt(-600_000), undefined],
			[nowAt(0), nowAt(50_000)],
		]);
		expect(sim.control.history({ type: 'prospect', id: q.id })[0].visibleAt).toBe(nowAt(50_000));

		sim.control.clock({ advanceMs: 49_999 });
		expect(await v5Prospects()).toEqual(before);
		expect((await v5ReadOne(q.id))[0]).toBe(404);
		sim.control.clock({ advanceMs: 1 });
		const after = [
			[p.id, 'new@example.com', ms(nowAt(0))],
			[q.id, 'fresh@example.com', ms(nowAt(0))],
		];
		expect(await v5Prospects()).toEqual(after);
		// A cursor on updatedAt taken in between would have passed these by: their updatedAt is 50 s old.
		expect(await v5Prospects(`&updatedAtAfterOrEqualTo=${enc(nowAt(-1_000))}`)).toEqual(after);
		expect(await v5ReadOne(p.id)).toEqual([200, 'new@example.com', ms(nowAt(0))]);
		expect(await v5ReadOne(q.id)).toEqual([200, 'fresh@example.com', ms(nowAt(0))]);
	});

	it('a read shows the latest visible version: a later write visible at once is not hidden by an earlier late one, nor the reverse', async () => {
		sim.control.configure({ lateWriteSequenceMs: [0, 50_000, 0] });
		const p = sim.control.create({ type: 'prospect', at: nowAt(-600_000), fields: { email: 'a@example.com' } });
		sim.control.update({ type: 'prospect', id: p.id, fields: { email: 'late@example.com' } }); // visible at +50 s
		sim.control.clock({ advanceMs: 10_000 });
		sim.control.update({ type: 'prospect', id: p.id, fields: { email: 'b@example.com' } }); // at once
		expect(await v5Prospects()).toEqual([[p.id, 'b@example.com', ms(nowAt(10_000))]]);
		sim.control.clock({ advanceMs: 60_000 });
		expect(await v5Prospects()).toEqual([[p.id, 'b@example.com', ms(nowAt(10_000))]]);
		expect(await v5ReadOne(p.id)).toEqual([200, 'b@example.com', ms(nowAt(10_000))]);

		// The reverse: a write at once, then a late one of the same record: the first until the second shows.
		sim.control.configure({ lateWriteSequenceMs: [0, 30_000] });
		const t = 70_000;
		sim.control.update({ type: 'prospect', id: p.id, fields: { email: 'c@example.com' } });
		sim.control.clock({ advanceMs: 5_000 });
		sim.control.update({ type: 'prospect', id: p.id, fields: { email: 'd@example.com' } }); // visible at t + 35 s
		expect(await v5Prospects()).toEqual([[p.id, 'c@example.com', ms(nowAt(t))]]);
		sim.control.clock({ advanceMs: 29_999 });
		expect(await v5ReadOne(p.id)).toEqual([200, 'c@example.com', ms(nowAt(t))]);
		sim.control.clock({ advanceMs: 1 });
		expect(await v5ReadOne(p.id)).toEqual([200, 'd@example.com', ms(nowAt(t + 5_000))]);
		// Writes and the control API always work on the truth: a PATCH applies to the latest version.
		expect(sim.control.records({ type: 'prospect' })[0].email).toBe('d@example.com');
	});

	it('a delete late and a read lag together: visible once visibleAt is at or before now − staleness', async () => {
		sim.control.configure({ lateWriteSequenceMs: [0, 20_000], v5ReadLagMs: 10_000 });
		const p = sim.control.create({ type: 'prospect', at: nowAt(-600_000), fields: { email: 'a@example.com' } });
		sim.control.delete({ type: 'prospect', id: p.id }); // visible at +20 s, read 10 s behind: +30 s
		sim.control.clock({ advanceMs: 29_999 });
		expect(await v5Prospects()).toEqual([[p.id, 'a@example.com', ms(nowAt(-600_000))]]);
		sim.control.clock({ advanceMs: 1 });
		expect(await v5Prospects()).toEqual([]);
		expect(await v5Prospects('&deleted=true')).toEqual([[p.id, 'a@example.com', ms(nowAt(0))]]);
	});

	it('share 0 changes nothing: writes visible at once, histories as before, no draw made', async () => {
		sim.control.configure({ lateWriteMaxMs: 5_000 });
		const p = sim.control.create({ type: 'prospect', fields: { email: 'a@example.com' } });
		expect(await v5Prospects()).toEqual([[p.id, 'a@example.com', ms(nowAt(0))]]);
		expect(sim.control.history({ type: 'prospect', id: p.id })).toEqual([{ writtenAt: nowAt(0), record: expect.objectContaining({ id: p.id }) }]);
		expect('visibleAt' in sim.control.history({ type: 'prospect', id: p.id })[0]).toBe(false);
	});

	it('a share: about that share of writes late, each by (0, lateWriteMaxMs], the same after a reset; the sample data is not shifted', () => {
		const seeded = () => {
			const ids = sim.control.seed({ prospects: 400, at: nowAt(0), spreadMs: 600_000 }).prospectIds;
			const delays = ids.map((id) => {
				const [version] = sim.control.history({ type: 'prospect', id });
				return version.visibleAt === undefined ? 0 : ms(version.visibleAt) - ms(version.writtenAt);
			});
			return { records: sim.control.records({ type: 'prospect' }), delays };
		};
		const plain = seeded();
		expect(plain.delays.every((d) => d === 0)).toBe(true);

		sim.control.reset();
		sim.control.configure({ lateWriteShare: 0.25, lateWriteMaxMs: 40_000 });
		const late = seeded();
		expect(late.records).toEqual(plain.records);
		const delayed = late.delays.filter((d) => d > 0);
		expect(delayed.length).toBeGreaterThan(400 * 0.15);
		expect(delayed.length).toBeLessThan(400 * 0.35);
		expect(delayed.every((d) => Number.isInteger(d) && d > 0 && d <= 40_000)).toBe(true);
		expect(Math.max(...delayed)).toBeGreaterThan(30_000);

		sim.control.reset();
		sim.control.configure({ lateWriteShare: 0.25, lateWriteMaxMs: 40_000 });
		expect(seeded().delays).toEqual(late.delays);
	});

	it('a sequence applies to writes in order, repeats, and starts again when configured again', () => {
		sim.control.configure({ lateWriteShare: 1, lateWriteSequenceMs: [10_000, 0, 20_000] });
		const delays = () =>
			sim.control.records({ type: 'prospect' }).map((r) => {
				const [version] = sim.control.history({ type: 'prospect', id: r.id });
				return version.visibleAt === undefined ? 0 : ms(version.visibleAt) - ms(version.writtenAt);
			});
		for (let i = 0; i < 4; i++) sim.control.create({ type: 'prospect', fields: { email: `p${i}@example.com` } });
		// The sequence overrides the share (1 would make every write late).
		expect(delays()).toEqual([10_000, 0, 20_000, 10_000]);
		sim.control.configure({ lateWriteSequenceMs: [5_000, 0] });
		for (let i = 4; i < 7; i++) sim.control.create({ type: 'prospect', fields: { email: `p${i}@example.com` } });
		expect(delays()).toEqual([10_000, 0, 20_000, 10_000, 5_000, 0, 5_000]);
	});

	it("'v5' leaves v3/v4 reads as they were; 'all' applies to them too: records, total_results and offsets", async () => {
		const key = await apiKey(sim);
		sim.control.configure({ lateWriteSequenceMs: [0, 50_000, 0] });
		for (const name of ['a', 'b', 'c']) sim.control.create({ type: 'prospect', at: nowAt(-600_000), fields: { email: `${name}@example.com` } });
		// 'b' (the second write) is visible at -550 s: long ago. Now the late ones.
		sim.control.configure({ lateWriteSequenceMs: [50_000, 0] });
		const late = sim.control.create({ type: 'prospect', fields: { email: 'late@example.com' } }); // 50 s late
		sim.control.create({ type: 'prospect', fields: { email: 'now@example.com' } }); // at once
		// A write dated in the future, visible at once: v3/v4 without a lag see it, as before, under both.
		sim.control.configure({ lateWriteSequenceMs: [] });
		sim.control.create({ type: 'prospect', at: nowAt(600_000), fields: { email: 'future@example.com' } });

		const all = ['a@example.com', 'b@example.com', 'c@example.com', 'late@example.com', 'now@example.com', 'future@example.com'];
		expect(await legacyProspects(key)).toEqual({ emails: all, total: 6 });
		expect((await v5Prospects()).map((v) => v[1])).toEqual(['a@example.com', 'b@example.com', 'c@example.com', 'now@example.com']);

		sim.control.configure({ lateWriteApis: 'all' });
		const hidden = all.filter((e) => e !== 'late@example.com');
		expect(await legacyProspects(key)).toEqual({ emails: hidden, total: 5 });
		expect(await legacyProspects(key, { offset: 3, limit: 1 })).toEqual({ emails: ['now@example.com'], total: 5 });
		expect(await legacyProspects(key, { updated_after: '2026-11-27 12:59:00' })).toEqual({ emails: ['now@example.com', 'future@example.com'], total: 2 });
		// With a v3/v4 read lag: visibleAt at or before now − staleness (and no future write, as before with a lag).
		sim.control.configure({ legacyReadLagMs: 10_000 });
		sim.control.clock({ advanceMs: 59_999 });
		expect((await legacyProspects(key)).emails).toEqual(['a@example.com', 'b@example.com', 'c@example.com', 'now@example.com']);
		sim.control.clock({ advanceMs: 1 });
		expect((await legacyProspects(key)).emails).toEqual(['a@example.com', 'b@example.com', 'c@example.com', 'late@example.com', 'now@example.com']);
		sim.control.configure({ legacyReadLagMs: 0 });
		expect(await legacyProspects(key, { offset: 3, limit: 1 })).toEqual({ emails: ['late@example.com'], total: 6 });
		expect(sim.control.history({ type: 'prospect', id: late.id })[0].visibleAt).toBe(nowAt(50_000));

		// v5 with 'all' as with 'v5'; and over HTTP the switch is a plain configure field.
		const res = await http(`${sim.baseUrl}/__sim/configure`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ lateWriteApis: 'v5', lateWriteShare: 0.5 }),
		});
		expect(res.json).toEqual(expect.objectContaining({ lateWriteApis: 'v5', lateWriteShare: 0.5 }));
	});
});
