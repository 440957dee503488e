/**
 * legacyReadLagMs / legacyLagModel / legacyLagSequenceMs: v3/v4 queries that see the store as it was
 * a while ago, like the v5 read lag, with draws of their own.
 */
import type { SimulatorHandle } from '../../simulator';
import { accessToken, apiKey, at, legacyQuery, legacyRecords, simulatorForFile, v5 } from '../lib/simulator';

let sim: SimulatorHandle;
let key: string;
/** Relative to the frozen clock of every test (START + 1 h). */
const nowAt = (offsetMs: number) => at(3_600_000 + offsetMs);

const env = simulatorForFile({ frozenAt: at(3_600_000), login: 'apiKey' });
beforeEach(() => ({ sim, credential: key } = env.current()));

const prospects = async (params: Record<string, string | number> = {}) => {
	const res = await legacyQuery(sim, key, 'prospect', { sort_by: 'id', ...params });
	expect(res.status).toBe(200);
	return legacyRecords(res.json, 'prospect');
};
const emails = async (params: Record<string, string | number> = {}) => (await prospects(params)).map((p) => p.email);

/** Restarts the test's simulator as simulatorForFile does before each test. */
async function again() {
	sim.control.reset();
	sim.control.clock({ set: at(3_600_000), freeze: true });
	key = await apiKey(sim);
}

describe('legacy read lag', () => {
	it('defaults: no lag, fixed model, no sequence; the options are checked', () => {
		const config = sim.control.configure({});
		expect(config).toEqual(expect.objectContaining({ legacyReadLagMs: 0, legacyLagModel: 'fixed', legacyLagSequenceMs: [] }));
		expect(() => sim.control.configure({ legacyReadLagMs: -1 })).toThrow(/legacyReadLagMs/);
		expect(() => sim.control.configure({ legacyReadLagMs: 'soon' as never })).toThrow(/legacyReadLagMs/);
		expect(() => sim.control.configure({ legacyLagModel: 'random' as never })).toThrow(/legacyLagModel/);
		expect(() => sim.control.configure({ legacyLagSequenceMs: [5, -1] })).toThrow(/legacyLagSequenceMs/);
		expect(() => sim.control.configure({ legacyLagSequenceMs: 5 as never })).toThrow(/legacyLagSequenceMs/);
	});

	it('fixed: v3/v4 see the previous version of an update and not a new record until the lag has passed; v5 is not affected', async () => {
		sim.control.configure({ legacyReadLagMs: 60_000 });
		const p = sim.control.create({ type: 'prospect', at: nowAt(-120_000), fields: { email: 'old@example.com' } });
		sim.control.update({ type: 'prospect', id: p.id, fields: { email: 'new@example.com' } });
		sim.control.create({ type: 'prospect', fields: { email: 'fresh@example.com' } });
		expect(await emails()).toEqual(['old@example.com']);
		const token = await accessToken(sim);
		const modern = await v5(sim, token, 'prospects', 'fields=email&orderBy=id');
		expect(modern.json.values).toEqual([{ email: 'new@example.com' }, { email: 'fresh@example.com' }]);

		sim.control.clock({ advanceMs: 59_999 });
		expect(await emails()).toEqual(['old@example.com']);
		sim.control.clock({ advanceMs: 1 });
		expect(await emails()).toEqual(['new@example.com', 'fresh@example.com']);
	});

	it('a record visible late keeps its true updated_at: an updated_after cursor taken in between misses it', async () => {
		sim.control.configure({ legacyReadLagMs: 60_000 });
		const late = sim.control.create({ type: 'prospect', fields: { email: 'late@example.com' } }); // 13:00:00
		sim.control.clock({ advanceMs: 30_000 });
		// 13:00:30: the read sees 12:59:30 and has no record; a client would move its cursor to 13:00:00.
		expect(await prospects({ updated_after: '2026-11-27 12:59:59' })).toEqual([]);
		sim.control.clock({ advanceMs: 30_000 });
		const [shown] = await prospects({ updated_after: '2026-11-27 12:59:59' });
		expect(shown).toEqual(expect.objectContaining({ id: late.id, updated_at: '2026-11-27 13:00:00', created_at: '2026-11-27 13:00:00' }));
		expect(await prospects({ updated_after: '2026-11-27 13:00:00' })).toEqual([]);
	});

	it('applies to every v3/v4 object (here visitor activities and list memberships)', async () => {
		sim.control.configure({ legacyReadLagMs: 10_000 });
		const [prospectId] = sim.control.seed({ prospects: 1, at: nowAt(-60_000) }).prospectIds;
		const [listId] = sim.control.seed({ lists: 1, at: nowAt(-60_000) }).listIds;
		sim.control.activity({ type: 11, prospectId, emailId: 5 });
		sim.control.addToList({ listId, prospectId });
		const activities = await legacyQuery(sim, key, 'visitorActivity');
		expect(legacyRecords(activities.json, 'visitor_activity')).toEqual([]);
		const members = await legacyQuery(sim, key, 'listMembership');
		expect(legacyRecords(members.json, 'list_membership')).toEqual([]);
		sim.control.clock({ advanceMs: 10_000 });
		expect(legacyRecords((await legacyQuery(sim, key, 'visitorActivity')).json, 'visitor_activity')).toHaveLength(1);
		expect(legacyRecords((await legacyQuery(sim, key, 'listMembership')).json, 'list_membership')).toHaveLength(1);
	});

	it('off (the default), a write dated in the future shows at once, as before; with a lag it waits for its time', async () => {
		sim.control.create({ type: 'prospect', at: nowAt(5_000), fields: { email: 'future@example.com' } });
		expect(await emails()).toEqual(['future@example.com']);
		sim.control.configure({ legacyReadLagMs: 1 });
		expect(await emails()).toEqual([]);
		sim.control.clock({ advanceMs: 5_001 });
		expect(await emails()).toEqual(['future@example.com']);
	});

	it('cache model with a sequence: reads from the primary or a cache, in turn, so a later read can be older', async () => {
		sim.control.configure({ legacyReadLagMs: 60_000, legacyLagModel: 'cache', legacyLagSequenceMs: [0, 45_000, 0] });
		const p = sim.control.create({ type: 'prospect', at: nowAt(-120_000), fields: { email: 'v1@example.com' } });
		sim.control.update({ type: 'prospect', id: p.id, at: nowAt(-30_000), fields: { email: 'v2@example.com' } });
		expect(await emails()).toEqual(['v2@example.com']);
		expect(await emails()).toEqual(['v1@example.com']);
		expect(await emails()).toEqual(['v2@example.com']);
		expect(await emails()).toEqual(['v2@example.com']); // the sequence repeats
		expect(await emails()).toEqual(['v1@example.com']);
		// A new sequence starts from its first entry.
		sim.control.configure({ legacyLagSequenceMs: [45_000] });
		expect(await emails()).toEqual(['v1@example.com']);
	});

	it('cache model without a sequence: seeded draws of its own, within the lag, the same after reset, never shifting v5 draws', async () => {
		const setup = () => {
			sim.control.configure({ legacyReadLagMs: 60_000, legacyLagModel: 'cache', v5ReadLagMs: 60_000, v5LagModel: 'cache' });
			const p = sim.control.create({ type: 'prospect', at: nowAt(-61_000), fields: { email: 'old@example.com' } });
			sim.control.update({ type: 'prospect', id: p.id, at: nowAt(-1), fields: { email: 'new@example.com' } });
		};
		const v5Email = async (token: string) => (await v5(sim, token, 'prospects', 'fields=email')).json.values[0].email as string;

		setup();
		let token = await accessToken(sim);
		const legacySeen: string[] = [];
		const v5Seen: string[] = [];
		for (let i = 0; i < 30; i++) {
			legacySeen.push(...(await emails()));
			v5Seen.push(await v5Email(token));
		}
		// Every read sees the record (at most 60 s behind); both versions occur.
		expect(legacySeen).toHaveLength(30);
		expect(new Set(legacySeen)).toEqual(new Set(['old@example.com', 'new@example.com']));

		// The same draws after reset; v5 reads alone draw exactly what they drew between v3/v4 reads.
		await again();
		setup();
		token = await accessToken(sim);
		const v5Alone: string[] = [];
		for (let i = 0; i < 30; i++) v5Alone.push(await v5Email(token));
		expect(v5Alone).toEqual(v5Seen);
		const legacyAlone: string[] = [];
		for (let i = 0; i < 30; i++) legacyAlone.push(...(await emails()));
		expect(legacyAlone).toEqual(legacySeen);
	});
});
