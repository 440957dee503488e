/**
 * The truth over time, for test oracles: control.history() (every stored version of a record),
 * control.records({ asOf }) (the records as they were at an instant) and maxRecordVersions.
 */
import type { SimulatorHandle } from '../../simulator';
import { at, http, simulatorForFile, v5 } from '../lib/simulator';

let sim: SimulatorHandle;
let token: string;
const NOW = at(3_600_000);

const env = simulatorForFile({ frozenAt: NOW, login: 'accessToken' });
beforeEach(() => ({ sim, credential: token } = env.current()));

const control = (name: string, body: unknown) =>
	http(`${sim.baseUrl}/__sim/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('history', () => {
	it('every version of one record, oldest first, each with when it was written and the record as records() shows it', async () => {
		const p = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'a@example.com', score: 1 } });
		sim.control.update({ type: 'prospect', id: p.id, at: at(1_000), fields: { score: 2 } });
		sim.control.delete({ type: 'prospect', id: p.id, at: at(2_000) });
		sim.control.undelete({ type: 'prospect', id: p.id, at: at(3_000) });
		sim.control.configure({ deleteBumpsUpdatedAt: false });
		sim.control.delete({ type: 'prospect', id: p.id, at: at(4_000) });
		const history = sim.control.history({ type: 'prospect', id: p.id });
		expect(history.map((h) => h.writtenAt)).toEqual([at(0), at(1_000), at(2_000), at(3_000), at(4_000)]);
		expect(history.map((h) => [h.record.score, h.record.deleted, h.record.updatedAt])).toEqual([
			[1, false, at(0)],
			[2, false, at(1_000)],
			[2, true, at(2_000)],
			[2, false, at(3_000)],
			[2, true, at(3_000)], // the recycle bin without a new updatedAt: writtenAt tells the versions apart
		]);
		expect(history[4].record).toEqual(sim.control.records({ type: 'prospect' })[0]);
		expect(history[0].record).toEqual(expect.objectContaining({ recordType: 'prospect', id: p.id, createdAt: at(0), email: 'a@example.com' }));
		// Over HTTP too; an unknown record or type is refused.
		expect((await control('history', { type: 'prospect', id: p.id })).json).toEqual(history);
		expect((await control('history', { type: 'prospect', id: 999_999 })).status).toBe(400);
		expect(() => sim.control.history({ type: 'widget' as never, id: p.id })).toThrow(/type must be/);
	});

	it('copies: changing what it answers changes nothing stored', () => {
		const p = sim.control.create({ type: 'opportunity', fields: { prospectIds: [5] } });
		const [version] = sim.control.history({ type: 'opportunity', id: p.id });
		(version.record.prospectIds as number[]).push(6);
		version.record.name = 'changed';
		expect(sim.control.history({ type: 'opportunity', id: p.id })[0].record).toEqual(expect.objectContaining({ prospectIds: [5], name: null }));
	});
});

describe('records asOf', () => {
	it('the version written at or before the instant; records not written yet are absent; deleted filters that state', async () => {
		const a = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'a1@example.com' } });
		sim.control.update({ type: 'prospect', id: a.id, at: at(10_000), fields: { email: 'a2@example.com' } });
		const b = sim.control.create({ type: 'prospect', at: at(5_000), fields: { email: 'b@example.com' } });
		sim.control.delete({ type: 'prospect', id: b.id, at: at(20_000) });
		const asOf = (ms: number, deleted?: boolean) =>
			sim.control.records({ type: 'prospect', asOf: at(ms), deleted }).map((r) => `${r.email as string}${r.deleted ? ' (deleted)' : ''}`);
		expect(asOf(-1)).toEqual([]);
		expect(asOf(0)).toEqual(['a1@example.com']);
		expect(asOf(9_999)).toEqual(['a1@example.com', 'b@example.com']);
		expect(asOf(10_000)).toEqual(['a2@example.com', 'b@example.com']);
		expect(asOf(20_000)).toEqual(['a2@example.com', 'b@example.com (deleted)']);
		expect(asOf(20_000, false)).toEqual(['a2@example.com']);
		expect(asOf(19_999, true)).toEqual([]);
		expect(sim.control.records({ type: 'prospect', asOf: at(10_000) })[0]).toEqual(
			sim.control.history({ type: 'prospect', id: a.id })[1].record,
		);
		// Over HTTP; a bad instant is refused.
		const overHttp = await control('records', { type: 'prospect', asOf: at(9_999) });
		expect(overHttp.json.map((r: any) => r.email)).toEqual(['a1@example.com', 'b@example.com']);
		expect((await control('records', { type: 'prospect', asOf: 'yesterday-ish' })).json.error).toMatch(/asOf/);
	});

	it('equals records() when asOf is now', () => {
		sim.control.seed({ prospects: 20, at: at(0), spreadMs: 60_000 });
		sim.control.update({ type: 'prospect', id: sim.control.records({ type: 'prospect' })[3].id, fields: { score: 9 } });
		expect(sim.control.records({ type: 'prospect', asOf: NOW })).toEqual(sim.control.records({ type: 'prospect' }));
	});
});

describe('maxRecordVersions', () => {
	it('keeps 1,000 versions per record by default, then drops the oldest', () => {
		expect(sim.control.configure({}).maxRecordVersions).toBe(1_000);
		const p = sim.control.create({ type: 'prospect', at: at(0) });
		for (let i = 1; i <= 1_100; i++) sim.control.update({ type: 'prospect', id: p.id, at: at(i), fields: { score: i } });
		const history = sim.control.history({ type: 'prospect', id: p.id });
		expect(history).toHaveLength(1_000);
		expect(history[0].record.score).toBe(101);
		expect(history[999].record.score).toBe(1_100);
		// Before the oldest kept version the record does not exist as far as the store can tell.
		expect(sim.control.records({ type: 'prospect', asOf: at(100) })).toEqual([]);
	});

	it('a record updated a hundred times within the v5 read lag is still read at its older version', async () => {
		sim.control.configure({ v5ReadLagMs: 60_000 });
		const p = sim.control.create({ type: 'prospect', at: at(3_600_000 - 120_000), fields: { email: 'before@example.com' } });
		for (let i = 0; i < 100; i++) sim.control.update({ type: 'prospect', id: p.id, at: at(3_600_000 - 30_000 + i), fields: { score: i } });
		const res = await v5(sim, token, 'prospects', 'fields=id,email,score');
		expect(res.json.values).toEqual([{ id: p.id, email: 'before@example.com', score: null }]);
	});

	it('is configurable: a lower limit applies from the next write; it is checked', () => {
		const p = sim.control.create({ type: 'prospect', at: at(0) });
		for (let i = 1; i <= 5; i++) sim.control.update({ type: 'prospect', id: p.id, at: at(i), fields: { score: i } });
		sim.control.configure({ maxRecordVersions: 3 });
		expect(sim.control.history({ type: 'prospect', id: p.id })).toHaveLength(6);
		sim.control.update({ type: 'prospect', id: p.id, at: at(6), fields: { score: 6 } });
		expect(sim.control.history({ type: 'prospect', id: p.id }).map((h) => h.record.score)).toEqual([4, 5, 6]);
		expect(() => sim.control.configure({ maxRecordVersions: 0 })).toThrow(/maxRecordVersions/);
		expect(() => sim.control.configure({ maxRecordVersions: 2.5 })).toThrow(/maxRecordVersions/);
		sim.control.reset();
		expect(sim.control.configure({}).maxRecordVersions).toBe(1_000);
	});
});
