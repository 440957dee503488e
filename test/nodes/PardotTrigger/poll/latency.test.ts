/**
 * Events within one poll of the change, over real HTTP against the simulator: a change is emitted by
 * the first poll after it is visible (its second ended), not a settle margin later; a write that
 * a poll does not see yet (Pardot's read lag) is emitted once by a later poll, with its true time; a record changed twice in
 * one second is seen in its later state; what is emitted inside the lag window is remembered, at most
 * MEMORY_LIMIT changes a resource, and the rest follows once past the window.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { MEMORY_LIMIT } from '../../../../nodes/PardotTrigger/cursor';
import type { PollRunner } from '../../../lib/n8n';
import type { Flavor } from '../../../lib/pardot';
import { FAST_RETRIES, MINUTE, simulatorPerTest, triggerRunner } from '../../../lib/pardot';
import { truthProblems } from '../../../lib/truth';

const START = '2026-11-27T12:00:00Z';
const json = (items: INodeExecutionData[]) => items.map((i) => i.json as IDataObject);
const brief = (items: INodeExecutionData[]) => json(items).map((e) => `${e.eventType} ${e.objectType}:${e.objectId} @${String(e.date).slice(11, 19)}`);
const iso = (ms: number) => new Date(ms).toISOString();

function setup(flavor: Flavor) {
	const env = simulatorPerTest({ clock: START });
	const sim = () => env.sim();
	async function activate(parameters: IDataObject): Promise<{ runner: PollRunner; since: number }> {
		const runner = env.track(triggerRunner(sim(), { transport: FAST_RETRIES, flavor, parameters: parameters as never }));
		const since = Math.floor(env.now() / 1000) * 1000;
		expect((await runner.poll()).error).toBeUndefined();
		return { runner, since };
	}
	async function poll(runner: PollRunner): Promise<string[]> {
		const outcome = await runner.poll();
		expect(outcome.error).toBeUndefined();
		return brief(outcome.items?.[0] ?? []);
	}
	return { env, sim, activate, poll };
}

describe.each(['oauth-v5', 'legacy-v4'] as Flavor[])('a change reaches the workflow at the first poll after it (%s)', (flavor) => {
	const { env, sim, activate, poll } = setup(flavor);

	test('a change made 5 s after a poll is emitted by the next poll, 55 s later (no 65 s settle margin)', async () => {
		const { runner, since } = await activate({ resources: ['contacts'] });
		env.advance(MINUTE);
		expect(await poll(runner)).toEqual([]);
		env.advance(5_000);
		const created = sim().control.create({ type: 'prospect' });
		const madeAt = iso(Math.floor(env.now() / 1000) * 1000).slice(11, 19);
		env.advance(55_000);
		expect(await poll(runner)).toEqual([`CREATED contacts:${created.id} @${madeAt}`]);
		// Read again while inside the lag window, never emitted twice.
		for (let i = 0; i < 3; i++) {
			env.advance(30_000);
			expect(await poll(runner)).toEqual([]);
		}
		expect(truthProblems(sim(), runner.emitted, { since })).toEqual([]);
	});

	test('a record changed twice in one second: the poll waits for the second to end, then emits the later state', async () => {
		const { runner, since } = await activate({ resources: ['contacts'] });
		env.advance(MINUTE);
		const second = Math.ceil(env.now() / 1000) * 1000 + 1000;
		const record = sim().control.create({ type: 'prospect', at: iso(second - 30_000) });
		sim().control.update({ type: 'prospect', id: record.id, fields: { score: 1 }, at: iso(second + 100) });
		env.advance(second + 400 - env.now());
		// Pardot's clock is 400 ms into the second of the change: not emitted yet.
		expect((await poll(runner)).filter((e) => e.startsWith('UPDATED'))).toEqual([]);
		sim().control.update({ type: 'prospect', id: record.id, fields: { score: 2 }, at: iso(second + 700) });
		env.advance(3_000);
		const events = json((await runner.poll()).items?.[0] ?? []);
		const update = events.find((e) => e.eventType === 'UPDATED');
		expect(update?.objectId).toBe(String(record.id));
		expect((update?.raw as IDataObject).score).toBe(2);
		env.advance(2 * MINUTE);
		expect(await poll(runner)).toEqual([]);
		expect(truthProblems(sim(), runner.emitted, { since, visible: true })).toEqual([]);
	});
});

describe('v5: a write that shows up late, with its true older time', () => {
	const { env, sim, activate, poll } = setup('oauth-v5');

	test('a new record a poll does not see yet is emitted once by the next poll, dated when it was made', async () => {
		const { runner, since } = await activate({ resources: ['contacts'] });
		env.advance(MINUTE);
		const late = sim().control.create({ type: 'prospect' });
		const madeAt = Math.floor(env.now() / 1000) * 1000;
		env.advance(10_000);
		// This poll's reads come from a copy 50 s behind (Pardot documents up to 60 s): the write is not visible.
		sim().control.configure({ v5LagModel: 'cache', v5ReadLagMs: 60_000, v5LagSequenceMs: [50_000] });
		expect(await poll(runner)).toEqual([]);
		// A minute later the write is 70 s old, past the lag window of this poll's start.
		sim().control.configure({ v5LagSequenceMs: [0] });
		env.advance(MINUTE);
		expect(await poll(runner)).toEqual([`CREATED contacts:${late.id} @${iso(madeAt).slice(11, 19)}`]);
		for (let i = 0; i < 3; i++) {
			env.advance(30_000);
			expect(await poll(runner)).toEqual([]);
		}
		expect(truthProblems(sim(), runner.emitted, { since, visible: true })).toEqual([]);
	});

	test('a record emitted at once, then updated by a write a poll does not see yet: UPDATED once, later', async () => {
		const { runner, since } = await activate({ resources: ['contacts'] });
		env.advance(MINUTE);
		const record = sim().control.create({ type: 'prospect' });
		env.advance(5_000);
		expect((await poll(runner)).map((e) => e.split(' @')[0])).toEqual([`CREATED contacts:${record.id}`]);
		env.advance(1_000);
		sim().control.update({ type: 'prospect', id: record.id, fields: { score: 7 } });
		env.advance(20_000);
		// Reads from copies 30 s and 40 s behind show the record as it was when it was emitted.
		sim().control.configure({ v5LagModel: 'cache', v5ReadLagMs: 60_000, v5LagSequenceMs: [30_000] });
		expect(await poll(runner)).toEqual([]);
		env.advance(15_000);
		sim().control.configure({ v5LagSequenceMs: [40_000] });
		expect(await poll(runner)).toEqual([]);
		sim().control.configure({ v5LagSequenceMs: [0] });
		env.advance(15_000);
		const updated = json((await runner.poll()).items?.[0] ?? []);
		expect(updated.map((e) => `${e.eventType} ${e.objectId}`)).toEqual([`UPDATED ${record.id}`]);
		expect((updated[0].raw as IDataObject).score).toBe(7);
		for (let i = 0; i < 3; i++) {
			env.advance(MINUTE);
			expect(await poll(runner)).toEqual([]);
		}
		expect(truthProblems(sim(), runner.emitted, { since, visible: true })).toEqual([]);
	});
});

describe.each(['oauth-v5', 'legacy-v4'] as Flavor[])('the memory of what was emitted inside the lag window is bounded (%s)', (flavor) => {
	const { env, sim, activate, poll } = setup(flavor);

	test(`${MEMORY_LIMIT + 300} new contacts within a second: ${MEMORY_LIMIT} at once, the rest once past the lag window`, async () => {
		const { runner, since } = await activate({ resources: ['contacts'], options: { maxEventsPerPoll: 5000 } });
		env.advance(MINUTE);
		const at = Math.floor(env.now() / 1000) * 1000 - 10_000;
		for (let i = 0; i < MEMORY_LIMIT + 300; i++) sim().control.create({ type: 'prospect', at: iso(at) });
		expect(await poll(runner)).toHaveLength(MEMORY_LIMIT);
		const saved = JSON.stringify(runner.inMemoryNodeState());
		expect(saved.length).toBeLessThan(16 * 1024);
		env.advance(30_000);
		expect(await poll(runner)).toEqual([]);
		env.advance(40_000);
		expect(await poll(runner)).toHaveLength(300);
		env.advance(2 * MINUTE);
		expect(await poll(runner)).toEqual([]);
		expect(JSON.stringify(runner.inMemoryNodeState())).not.toContain('emitted');
		expect(truthProblems(sim(), runner.emitted, { since, visible: true })).toEqual([]);
	});
});

describe('v3/v4 in the hour a DST fall-back repeats: the memory holds the last change emitted, not the latest-looking one', () => {
	const zone = 'America/New_York';
	const env = simulatorPerTest({ clock: '2026-11-01T04:50:00Z' });

	test('a record changed at 01:03:41 EDT and again at 01:00:41 EST (an earlier-looking time): each change emitted once, in order', async () => {
		const sim = env.sim();
		sim.control.configure({ timezone: zone, apiKeyLifetimeMs: 24 * 60 * MINUTE });
		const record = sim.control.create({ type: 'prospect', at: '2026-11-01T03:00:00Z' });
		const runner = env.track(triggerRunner(sim, { transport: FAST_RETRIES, flavor: 'legacy-v4', parameters: { resources: ['contacts'] } as never, credentials: { timezone: zone } }));
		const since = Math.floor(env.now() / 1000) * 1000;
		expect((await runner.poll()).error).toBeUndefined();
		const changes: Record<string, string> = { '2026-11-01T05:04:00.000Z': '2026-11-01T05:03:41Z', '2026-11-01T06:01:00.000Z': '2026-11-01T06:00:41Z' };
		while (env.now() < Date.parse('2026-11-01T06:10:00Z')) {
			env.advance(MINUTE);
			const at = changes[iso(Math.floor(env.now() / MINUTE) * MINUTE)];
			if (at) sim.control.update({ type: 'prospect', id: record.id, fields: { score: env.now() % 1000 }, at });
			expect((await runner.poll()).error).toBeUndefined();
		}
		expect(brief(runner.emitted)).toEqual([`UPDATED contacts:${record.id} @05:03:41`, `UPDATED contacts:${record.id} @06:00:41`]);
		expect(truthProblems(sim, runner.emitted, { since })).toEqual([]);
	});
});
