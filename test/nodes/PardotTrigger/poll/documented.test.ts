/**
 * The trigger against Pardot as documented, and against each behaviour the docs leave open (the
 * simulator's switches, run both ways): the v3/v4 opportunity recycle bin, the v5 paging cut-off,
 * v5 `deleted=all`, the v3/v4 prospect `fields` parameter, non-monotonic v5 reads, a real account's
 * daily limit. Over real HTTP against the simulator.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { SimulatorHandle } from '../../../../simulator';
import type { PollRunner } from '../../../lib/n8n';
import type { Flavor } from '../../../lib/pardot';
import { MINUTE, simulatorPerTest, triggerRunner, FAST_RETRIES } from '../../../lib/pardot';
import { truthProblems } from '../../../lib/truth';

const START = '2026-11-27T12:00:00Z';
const json = (items: INodeExecutionData[]) => items.map((i) => i.json as IDataObject);

const env = simulatorPerTest({ clock: START });
const { advance } = env;
let sim: SimulatorHandle;
beforeEach(() => {
	sim = env.sim();
});
function runner(flavor: Flavor, parameters: IDataObject) {
	return env.track(triggerRunner(sim, { transport: FAST_RETRIES, flavor, parameters: parameters as never }));
}
async function polls(r: PollRunner, n: number, gap = 2 * MINUTE) {
	for (let i = 0; i < n; i++) {
		advance(gap);
		const outcome = await r.poll();
		expect(outcome.error).toBeUndefined();
	}
}

describe('v3/v4 opportunities: `deleted` is not a documented criterion', () => {
	test.each([
		['ignores it (an unknown parameter beside known ones)', 'ignore'],
		['refuses it (error 5)', 'reject'],
	] as const)('when Pardot %s: no deletion is reported that cannot be proven, and it says so once', async (_name, unknownParams) => {
		sim.control.configure({ legacyOpportunityDeleted: 'ignore', legacyUnknownParams: unknownParams });
		sim.control.seed({ opportunities: 8 });
		advance(MINUTE);
		const since = Math.floor(Date.parse(sim.control.clock().now) / 1000) * 1000;
		const r = runner('legacy-v4', { resources: ['leads'], events: ['CREATED', 'UPDATED', 'DELETED'] });
		expect((await r.poll()).error).toBeUndefined();
		const [deleted, updated] = sim.control.records({ type: 'opportunity' });
		advance(5_000);
		sim.control.delete({ type: 'opportunity', id: deleted.id });
		sim.control.update({ type: 'opportunity', id: updated.id, fields: { probability: 90 } });
		const created = sim.control.create({ type: 'opportunity' });
		await polls(r, 3);
		expect(json(r.emitted).map((e) => `${e.eventType} ${e.objectId}`).sort()).toEqual([`CREATED ${created.id}`, `UPDATED ${updated.id}`].sort());
		expect(truthProblems(sim, r.emitted, { since, resources: ['leads'], deletions: true, unprovableDeletions: ['leads'] })).toEqual([]);
		const warnings = r.logger.entries.filter((e) => e.level === 'warn' && /recycle bin/.test(e.message));
		expect(warnings).toHaveLength(1);
		expect(warnings[0].message).toMatch(/no DELETED events for Leads/);
		// From then on the bin is not asked for at all.
		const before = r.http.requests.length;
		await polls(r, 2);
		expect(r.http.requests.slice(before).some((q) => q.url.includes('deleted=true'))).toBe(false);
	});

	test('when Pardot honours it: DELETED as usual', async () => {
		sim.control.seed({ opportunities: 4 });
		advance(MINUTE);
		const r = runner('legacy-v4', { resources: ['leads'], events: ['CREATED', 'UPDATED', 'DELETED'] });
		expect((await r.poll()).error).toBeUndefined();
		const [gone] = sim.control.records({ type: 'opportunity' });
		advance(5_000);
		sim.control.delete({ type: 'opportunity', id: gone.id });
		await polls(r, 2);
		expect(json(r.emitted).map((e) => `${e.eventType} ${e.objectId}`)).toEqual([`DELETED ${gone.id}`]);
	});
});

test('v5: live records and the recycle bin in one query (deleted=all)', async () => {
	sim.control.seed({ prospects: 5, opportunities: 5 });
	advance(MINUTE);
	const r = runner('oauth-v5', { events: ['CREATED', 'UPDATED', 'DELETED'] });
	expect((await r.poll()).error).toBeUndefined();
	const [p] = sim.control.records({ type: 'prospect' });
	advance(5_000);
	sim.control.delete({ type: 'prospect', id: p.id });
	const o = sim.control.create({ type: 'opportunity' });
	advance(2 * MINUTE);
	sim.control.resetStats();
	expect((await r.poll()).error).toBeUndefined();
	// One query per resource, not two.
	expect(sim.control.stats().byEndpoint).toMatchObject({ 'v5.prospects': 1, 'v5.opportunities': 1 });
	expect(json(r.emitted).map((e) => `${e.eventType} ${e.objectType}:${e.objectId}`)).toEqual([`DELETED contacts:${p.id}`, `CREATED leads:${o.id}`]);
});

test('v5: windows never follow a token sequence, so Pardot cutting one off (Pardot-Warning) cannot touch them', async () => {
	sim.control.configure({ v5MaxRecordsPerQuery: 1500 });
	const r = runner('oauth-v5', { resources: ['contacts'], options: { maxEventsPerPoll: 2000 } });
	const since = Math.floor(Date.parse(sim.control.clock().now) / 1000) * 1000;
	expect((await r.poll()).error).toBeUndefined();
	for (let i = 0; i < 6000; i++) {
		if (i % 100 === 0) advance(1000);
		sim.control.create({ type: 'prospect' });
	}
	sim.control.resetStats();
	// Windows of 2,000 take two pages each, the second one a new query from where the first ended.
	await polls(r, 6);
	expect(r.emitted).toHaveLength(6000);
	expect(truthProblems(sim, r.emitted, { since, resources: ['contacts'] })).toEqual([]);
	expect(sim.control.requests().filter((q) => q.query.nextPageToken !== undefined)).toEqual([]);
});

test('v3/v4: Contact Fields go to Pardot as `fields`, so pages carry only what is asked', async () => {
	const r = runner('legacy-v4', { resources: ['contacts'], options: { fields: 'email,score' } });
	expect((await r.poll()).error).toBeUndefined();
	advance(5_000);
	sim.control.create({ type: 'prospect', fields: { email: 'a@example.com', score: 3, firstName: 'Ann' } });
	await polls(r, 1);
	const query = r.http.requests.filter((q) => q.url.includes('/prospect/version/4/do/query')).pop()!;
	expect(new URL(query.url).searchParams.get('fields')).toBe('id,created_at,updated_at,crm_lead_fid,crm_contact_fid,email,score');
	expect(Object.keys(json(r.emitted)[0].raw as IDataObject).sort()).toEqual(['created_at', 'email', 'id', 'score', 'updated_at']);
});

test('v5 reads that lag and go back in time (a cache up to 60 s behind, then the primary): exactly once', async () => {
	sim.control.configure({ v5ReadLagMs: 60_000, v5LagModel: 'cache' });
	sim.control.seed({ prospects: 20 });
	advance(MINUTE);
	const since = Math.floor(Date.parse(sim.control.clock().now) / 1000) * 1000;
	const r = runner('oauth-v5', { resources: ['contacts'] });
	expect((await r.poll()).error).toBeUndefined();
	const ids = sim.control.records({ type: 'prospect' }).map((x) => x.id);
	for (let step = 0; step < 40; step++) {
		advance(7_000);
		if (step % 3 === 0) sim.control.create({ type: 'prospect' });
		sim.control.update({ type: 'prospect', id: ids[step % ids.length], fields: { score: step } });
		expect((await r.poll()).error).toBeUndefined();
	}
	await polls(r, 3);
	expect(truthProblems(sim, r.emitted, { since, resources: ['contacts'] })).toEqual([]);
});

test('a real account (daily limit of its edition, 5 concurrent requests, Pardot\'s documented login behaviour): a day of polls', async () => {
	sim.control.configure({ realAccount: 'growth' });
	sim.control.seed({ prospects: 50, opportunities: 20 });
	advance(MINUTE);
	const since = Math.floor(Date.parse(sim.control.clock().now) / 1000) * 1000;
	const r = runner('oauth-v5', { events: ['CREATED', 'UPDATED', 'DELETED'] });
	expect((await r.poll()).error).toBeUndefined();
	for (let minute = 0; minute < 24 * 60; minute += 15) {
		sim.control.create({ type: minute % 2 ? 'prospect' : 'opportunity' });
		advance(15 * MINUTE);
		expect((await r.poll()).error).toBeUndefined();
	}
	await polls(r, 1);
	expect(truthProblems(sim, r.emitted, { since, deletions: true })).toEqual([]);
	// Every 15 minutes, both resources, live and bin in one query: 2 calls a poll.
	expect(sim.control.usage().used).toBeLessThanOrEqual(2 * (24 * 4 + 3));
});
