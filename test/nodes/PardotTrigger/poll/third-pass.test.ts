/**
 * What an adversarial review of the trigger's cursor broke, one scenario each, over real HTTP against
 * the simulator: oldest first across resources when a window ends early, a creation read from a
 * stale v5 copy, a race that looked like "Pardot ignores the opportunity recycle bin", eventIds of a
 * Start From catch-up, the v5 dropped-records cap inside one second, Fetch Test Event's list
 * membership sample on v3/v4, a v5 record dated in the future, and v5 page tokens under writes.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { PollRunner } from '../../../lib/n8n';
import type { Flavor } from '../../../lib/pardot';
import { FAST_RETRIES, MINUTE, simulatorPerTest, triggerRunner } from '../../../lib/pardot';
import { orderProblems, truthProblems } from '../../../lib/truth';

const START = '2026-11-27T12:00:00Z';
const json = (items: INodeExecutionData[]) => items.map((i) => i.json as IDataObject);
const brief = (items: INodeExecutionData[]) => json(items).map((e) => `${e.eventType} ${e.objectType}:${e.objectId}`);
const at = (hms: string) => `2026-11-27T${hms}Z`;

function setup(flavor: Flavor) {
	const env = simulatorPerTest({ clock: START });
	const sim = () => env.sim();
	async function activate(parameters: IDataObject): Promise<{ runner: PollRunner; since: number }> {
		const runner = env.track(triggerRunner(sim(), { transport: FAST_RETRIES, flavor, parameters: parameters as never }));
		const since = Math.floor(env.now() / 1000) * 1000;
		expect((await runner.poll()).error).toBeUndefined();
		return { runner, since };
	}
	async function drain(runner: PollRunner, polls: number) {
		for (let i = 0; i < polls; i++) {
			env.advance(2 * MINUTE);
			expect((await runner.poll()).error).toBeUndefined();
		}
	}
	return { env, sim, activate, drain };
}

describe.each([
	['legacy-v4', 140, 80, 150],
	['oauth-v5', 900, 200, 1000],
] as Array<[Flavor, number, number, number]>)('1. oldest first across resources when a window ends early (%s)', (flavor, first, second, limit) => {
	const { env, sim, activate, drain } = setup(flavor);

	test(`${first} contacts at :05, ${second} at :06, one lead at :07, Max Events Per Poll ${limit}`, async () => {
		const { runner, since } = await activate({ resources: ['contacts', 'leads'], options: { maxEventsPerPoll: limit } });
		for (let i = 0; i < first; i++) sim().control.create({ type: 'prospect', at: at('12:00:05') });
		for (let i = 0; i < second; i++) sim().control.create({ type: 'prospect', at: at('12:00:06') });
		const deal = sim().control.create({ type: 'opportunity', at: at('12:00:07') });
		env.advance(3 * MINUTE);
		await drain(runner, 4);
		expect(runner.emitted).toHaveLength(first + second + 1);
		expect(brief(runner.emitted).at(-1)).toBe(`CREATED leads:${deal.id}`);
		expect(orderProblems(runner.emitted)).toEqual([]);
		expect(truthProblems(sim(), runner.emitted, { since })).toEqual([]);
	});
});

describe('oldest first across resources when one resource\'s memory of the lag window is full (v5)', () => {
	const { env, sim, activate, drain } = setup('oauth-v5');

	test('1,500 contacts and then a lead inside one minute, Max Events Per Poll 5,000: the lead waits for the held contacts', async () => {
		const { runner, since } = await activate({ resources: ['contacts', 'leads'], options: { maxEventsPerPoll: 5000 } });
		for (let i = 0; i < 1500; i++) sim().control.create({ type: 'prospect', at: at(`12:00:${String(5 + Math.floor(i / 100)).padStart(2, '0')}`) });
		const deal = sim().control.create({ type: 'opportunity', at: at('12:00:30') });
		// Every change visible, all inside the lag window: 1,000 contacts fill the memory, the rest wait a minute.
		env.advance(40_000);
		expect((await runner.poll()).error).toBeUndefined();
		expect(runner.emitted).toHaveLength(1000);
		await drain(runner, 2);
		expect(runner.emitted).toHaveLength(1501);
		expect(brief(runner.emitted).at(-1)).toBe(`CREATED leads:${deal.id}`);
		expect(orderProblems(runner.emitted)).toEqual([]);
		expect(truthProblems(sim(), runner.emitted, { since })).toEqual([]);
	});
});

describe.each(['legacy-v4', 'oauth-v5'] as Flavor[])('oldest first across resources (%s)', (flavor) => {
	const { env, sim, activate, drain } = setup(flavor);

	test('a window full of changes that give no event (Events: Created only) holds the other resource back', async () => {
		const { runner, since } = await activate({ resources: ['contacts', 'leads'], events: ['CREATED'], options: { maxEventsPerPoll: 5 } });
		const old = Array.from({ length: 12 }, () => sim().control.create({ type: 'prospect', at: at('11:00:00') }));
		// Twelve updates (no event wanted), then a new lead, then a new contact.
		old.forEach((r, i) => sim().control.update({ type: 'prospect', id: r.id, fields: { score: i }, at: at(`12:00:${String(10 + i).padStart(2, '0')}`) }));
		const deal = sim().control.create({ type: 'opportunity', at: at('12:00:30') });
		const contact = sim().control.create({ type: 'prospect', at: at('12:00:40') });
		env.advance(3 * MINUTE);
		await drain(runner, 8);
		expect(brief(runner.emitted)).toEqual([`CREATED leads:${deal.id}`, `CREATED contacts:${contact.id}`]);
		expect(truthProblems(sim(), runner.emitted, { since, updates: false })).toEqual([]);
	});
});

describe.each(['legacy-v4', 'oauth-v5'] as Flavor[])('oldest first across resources inside one second (%s)', (flavor) => {
	const { env, sim, drain } = setup(flavor);

	test('a window that ends inside a second holds the other resources back at that second: its own changes of the second go first', async () => {
		// Pages of 2: the 4 pending contact changes take more than a page, so the poll reads a window of 3.
		const runner = env.track(
			triggerRunner(sim(), {
				transport: { ...FAST_RETRIES, pageSize: 2 },
				flavor,
				parameters: { resources: ['contacts', 'leads'], events: ['CREATED'], options: { maxEventsPerPoll: 3 } } as never,
			}),
		);
		const since = Math.floor(env.now() / 1000) * 1000;
		expect((await runner.poll()).error).toBeUndefined();
		const old = Array.from({ length: 3 }, () => sim().control.create({ type: 'prospect', at: at('11:00:00') }));
		// Three updates (no event wanted) fill the contacts window of 3; it ends inside :06, before the new contact.
		old.forEach((r, i) => sim().control.update({ type: 'prospect', id: r.id, fields: { score: i }, at: at(i < 2 ? '12:00:05' : '12:00:06') }));
		const contact = sim().control.create({ type: 'prospect', at: at('12:00:06') });
		const deal = sim().control.create({ type: 'opportunity', at: at('12:00:06') });
		env.advance(3 * MINUTE);
		await drain(runner, 3);
		// Same second: contacts before leads, whichever poll emits them.
		expect(brief(runner.emitted)).toEqual([`CREATED contacts:${contact.id}`, `CREATED leads:${deal.id}`]);
		expect(truthProblems(sim(), runner.emitted, { since, updates: false })).toEqual([]);
	});
});

describe('2. v5: a creation found from a stale copy is not lost', () => {
	const { env, sim, activate } = setup('oauth-v5');

	test('the window reads fresh, the created-in-window lookup reads a copy 60 s behind', async () => {
		sim().control.configure({ v5LagModel: 'cache', v5ReadLagMs: 60_000, v5LagSequenceMs: [0] });
		const { runner, since } = await activate({ resources: ['contacts'], options: { maxEventsPerPoll: 3 } });
		const made: Record<string, string> = {};
		for (const [name, time] of [['A', '12:00:01'], ['B', '12:00:02'], ['C', '12:00:03'], ['D', '12:00:04'], ['R', '12:00:05'], ['E', '12:00:06'], ['F', '12:00:07'], ['G', '12:00:08']]) {
			made[name] = String(sim().control.create({ type: 'prospect', at: at(time) }).id);
		}
		env.advance(3 * MINUTE); // 12:03:00
		expect((await runner.poll()).error).toBeUndefined(); // A, B, C: a backlog remains
		sim().control.update({ type: 'prospect', id: Number(made.R), fields: { score: 9 }, at: at('12:03:50') });
		env.advance(MINUTE); // 12:04:00: R's update is 10 s old
		// The window comes from the primary, the lookup of creations inside it from the cache.
		sim().control.configure({ v5LagSequenceMs: [0, 60_000] });
		expect((await runner.poll()).error).toBeUndefined();
		sim().control.configure({ v5LagSequenceMs: [0] });
		for (let i = 0; i < 6; i++) {
			env.advance(2 * MINUTE);
			expect((await runner.poll()).error).toBeUndefined();
		}
		const ofR = json(runner.emitted).filter((e) => e.objectId === made.R);
		expect(ofR.map((e) => e.eventType)).toEqual(['CREATED', 'UPDATED']);
		expect(truthProblems(sim(), runner.emitted, { since, resources: ['contacts'] })).toEqual([]);
	});
});

describe('3. a race between the live and the recycle-bin query does not turn DELETED off (v4 opportunities)', () => {
	const { env, sim, activate, drain } = setup('legacy-v4');

	test('an opportunity updated and deleted in one second while the poll is between its two queries', async () => {
		const deals = Array.from({ length: 3 }, () => sim().control.create({ type: 'opportunity', at: at('11:00:00') }));
		const { runner, since } = await activate({ resources: ['leads'], events: ['CREATED', 'UPDATED', 'DELETED'] });
		env.advance(2 * MINUTE);
		sim().control.update({ type: 'opportunity', id: deals[0].id, fields: { probability: 50 } });
		// The recycle-bin query waits; meanwhile the opportunity goes to the bin in the same second.
		sim().control.fault({ kind: 'delay', delayMs: 400, path: 'deleted=true', count: 1 });
		sim().control.resetStats();
		const polling = runner.poll();
		for (let i = 0; i < 200 && sim().control.stats().byEndpoint['opportunity.query'] < 2; i++) await new Promise((r) => setTimeout(r, 5));
		sim().control.delete({ type: 'opportunity', id: deals[0].id });
		expect((await polling).error).toBeUndefined();
		await drain(runner, 1);
		// Later deletions are still reported.
		sim().control.delete({ type: 'opportunity', id: deals[1].id });
		await drain(runner, 2);
		expect(brief(runner.emitted)).toEqual([`DELETED leads:${deals[0].id}`, `DELETED leads:${deals[1].id}`]);
		expect(runner.logger.text()).not.toMatch(/recycle bin/);
		expect(truthProblems(sim(), runner.emitted, { since, resources: ['leads'], deletions: true })).toEqual([]);
	});
});

describe('3. an ignored recycle-bin filter is checked again a day later (v4 opportunities)', () => {
	const { env, sim, activate, drain } = setup('legacy-v4');

	test('Pardot starts honouring `deleted`: DELETED events come back after a day, never a false one before', async () => {
		sim().control.configure({ legacyOpportunityDeleted: 'ignore' });
		const deals = Array.from({ length: 4 }, () => sim().control.create({ type: 'opportunity', at: at('11:00:00') }));
		const { runner } = await activate({ resources: ['leads'], events: ['CREATED', 'UPDATED', 'DELETED'] });
		sim().control.delete({ type: 'opportunity', id: deals[0].id });
		await drain(runner, 2);
		expect(runner.logger.text()).toMatch(/does not list the recycle bin of opportunities.*checks again in a day/);
		sim().control.configure({ legacyOpportunityDeleted: 'honour' });
		sim().control.delete({ type: 'opportunity', id: deals[1].id });
		await drain(runner, 2);
		expect(runner.emitted).toHaveLength(0);
		// A day later (Pardot's clock) the trigger looks again, and reports deletions from then on.
		env.advance(24 * 60 * MINUTE);
		await drain(runner, 2);
		expect(runner.logger.text()).toMatch(/now lists the recycle bin of opportunities/);
		sim().control.delete({ type: 'opportunity', id: deals[2].id });
		await drain(runner, 2);
		expect(brief(runner.emitted)).toEqual([`DELETED leads:${deals[2].id}`]);
	});
});

describe.each(['legacy-v4', 'oauth-v5'] as Flavor[])('4. a Start From catch-up gives the original eventIds (%s)', (flavor) => {
	const { env, sim, activate, drain } = setup(flavor);

	test('CREATED @:05 and UPDATED @02:15, caught up in one poll as one CREATED', async () => {
		const { runner } = await activate({ resources: ['contacts'] });
		const record = sim().control.create({ type: 'prospect', at: at('12:00:05') });
		await drain(runner, 1);
		sim().control.update({ type: 'prospect', id: record.id, fields: { score: 3 }, at: at('12:02:15') });
		await drain(runner, 2);
		expect(brief(runner.emitted)).toEqual([`CREATED contacts:${record.id}`, `UPDATED contacts:${record.id}`]);
		const original = new Set(json(runner.emitted).map((e) => e.eventId));

		const copy = env.track(
			triggerRunner(sim(), { transport: FAST_RETRIES, flavor, parameters: { resources: ['contacts'], options: { startFrom: START } } as never }),
		);
		await drain(copy, 1);
		expect(copy.emitted).toHaveLength(1);
		expect(original.has(String(json(copy.emitted)[0].eventId))).toBe(true);
	});
});

describe('5. v5 Activity Types: a read stopped at the dropped-records cap goes on inside its second', () => {
	const { env, sim, activate, drain } = setup('oauth-v5');

	test('25,000 unwanted activities and then 3 form submissions, all in one second', async () => {
		const { runner, since } = await activate({ resources: ['visitorActivities'], options: { activityTypes: ['formSubmission'] } });
		const second = at('12:00:10');
		for (let i = 0; i < 25_000; i++) sim().control.activity({ type: 6, emailId: 33, at: second });
		const forms = Array.from({ length: 3 }, () => sim().control.activity({ type: 4, formId: 31, at: second }));
		env.advance(2 * MINUTE);
		await drain(runner, 4);
		expect(brief(runner.emitted)).toEqual(forms.map((f) => `CREATED visitorActivities:${f.id}`));
		expect(
			truthProblems(sim(), runner.emitted, {
				since,
				resources: ['visitorActivities'],
				excluded: (_resource, r) => r.type !== 4,
			}),
		).toEqual([]);
		// The first poll stops at the cap inside the second; the next one reads that second on by id.
		expect(runner.outcomes.filter((o) => o.items).map((o) => o.index)).toEqual([2]);
	}, 120_000);
});

describe('6. Fetch Test Event: the most recent list membership change on v3/v4', () => {
	const { env, sim } = setup('legacy-v4');

	test('an add at T and an older membership opted out at T+1 s: the sample is the opt-out', async () => {
		const list = sim().control.create({ type: 'list', at: at('10:00:00') });
		const [p1, p2] = [sim().control.create({ type: 'prospect', at: at('10:00:00') }), sim().control.create({ type: 'prospect', at: at('10:00:00') })];
		const older = sim().control.addToList({ listId: list.id, prospectId: p1.id, at: at('11:00:00') });
		env.advance(10 * MINUTE);
		sim().control.addToList({ listId: list.id, prospectId: p2.id });
		env.advance(1000);
		sim().control.optOut({ listId: list.id, prospectId: p1.id });
		env.advance(MINUTE);
		const sample = env.track(triggerRunner(sim(), { transport: FAST_RETRIES, flavor: 'legacy-v4', parameters: { resources: ['listMemberships'] } as never, runner: { mode: 'manual' } }));
		const outcome = await sample.poll();
		expect(outcome.error).toBeUndefined();
		expect(json(outcome.items![0]).map((e) => e.objectId)).toEqual([String(older.id)]);
	});
});

describe('v5 records dated ahead of Pardot\'s Date header', () => {
	const { sim, activate, drain } = setup('oauth-v5');

	test('10 minutes ahead: emitted late, never refused (the time zone check is for v3/v4 local times)', async () => {
		sim().control.configure({ dateHeaderOffsetMs: -10 * MINUTE });
		const { runner, since } = await activate({ resources: ['contacts', 'leads'] });
		const contact = sim().control.create({ type: 'prospect' });
		const deal = sim().control.create({ type: 'opportunity' });
		await drain(runner, 8);
		expect(runner.outcomes.filter((o) => o.error).map((o) => o.error?.message)).toEqual([]);
		expect(brief(runner.emitted)).toEqual([`CREATED contacts:${contact.id}`, `CREATED leads:${deal.id}`]);
		// The trigger started at Pardot's clock as the Date header gives it.
		expect(truthProblems(sim(), runner.emitted, { since: since - 10 * MINUTE })).toEqual([]);
	});
});

describe('a v3/v4 record dated a year ahead', () => {
	const { sim, activate, drain } = setup('legacy-v4');

	test('is left for its time: the other records and resources are emitted (a time zone off by hours still fails)', async () => {
		const { runner, since } = await activate({ resources: ['contacts', 'leads'] });
		const ahead = sim().control.create({ type: 'prospect', at: '2027-11-27T12:00:00Z' });
		const contact = sim().control.create({ type: 'prospect', at: at('12:00:10') });
		const deal = sim().control.create({ type: 'opportunity', at: at('12:00:20') });
		await drain(runner, 3);
		expect(brief(runner.emitted)).toEqual([`CREATED contacts:${contact.id}`, `CREATED leads:${deal.id}`]);
		expect(truthProblems(sim(), runner.emitted, { since, excluded: (_resource, r) => r.id === ahead.id })).toEqual([]);
	});
});

describe('v5 windows of several pages while records are written between the pages', () => {
	const { env, sim, activate, drain } = setup('oauth-v5');

	test.each(['keyset', 'offset'] as const)('page tokens working by %s: nothing skipped, nothing repeated', async (tokens) => {
		sim().control.configure({ v5PageTokens: tokens });
		const made = Array.from({ length: 4000 }, () => sim().control.create({ type: 'prospect', at: at('11:00:00') }));
		const { runner, since } = await activate({ resources: ['contacts'], events: ['UPDATED'], options: { maxEventsPerPoll: 1500 } });
		made.forEach((r, i) => sim().control.update({ type: 'prospect', id: r.id, fields: { score: 2 }, at: at(`12:00:${String(1 + Math.floor(i / 100)).padStart(2, '0')}`) }));
		env.advance(3 * MINUTE);
		expect((await runner.poll()).error).toBeUndefined();
		// The next poll goes on with a window of 1,500: two pages. Before its second page, ten records
		// of its first page change (they leave its range): a token that counts records would skip ten.
		const windowPages: string[] = [];
		sim().control.onRequest((request) => {
			if (request.endpoint !== 'v5.prospects' || request.query.createdAtAfterOrEqualTo) return;
			windowPages.push(request.query.nextPageToken ? 'token' : request.query.orderBy);
			if (windowPages.length !== 2) return;
			for (const r of made.slice(1500, 1510)) sim().control.update({ type: 'prospect', id: r.id, fields: { score: 1 } });
		});
		env.advance(MINUTE);
		expect((await runner.poll()).error).toBeUndefined();
		sim().control.onRequest(undefined);
		await drain(runner, 3);
		expect(truthProblems(sim(), runner.emitted, { since, resources: ['contacts'], created: false })).toEqual([]);
		expect(orderProblems(runner.emitted)).toEqual([]);
		expect(windowPages.length).toBeGreaterThanOrEqual(2);
	});
});

describe('a v3/v4 window that meets a second holding exactly one page', () => {
	const { env, sim, drain } = setup('legacy-v4');

	test('reads that second by id and goes on after it: the poll emits at least half of Max Events Per Poll, not the page', async () => {
		// Pages of 2: second :02 holds two changes, a full page of one second. A page sorted by change time
		// cannot tell "a page" from "more than a page"; the window must not stop there with 3 of 10 events.
		// (Pages by change time read the last second of the page before again: with one change a second and
		// pages of 2, the window's 4 pages after :02 hold 5 changes and end inside the last one's second, so 7 of 10.)
		const runner = env.track(
			triggerRunner(sim(), {
				transport: { ...FAST_RETRIES, pageSize: 2 },
				flavor: 'legacy-v4',
				parameters: { resources: ['contacts'], options: { maxEventsPerPoll: 10 } } as never,
			}),
		);
		const since = Math.floor(env.now() / 1000) * 1000;
		expect((await runner.poll()).error).toBeUndefined();
		sim().control.create({ type: 'prospect', at: at('12:00:01') });
		sim().control.create({ type: 'prospect', at: at('12:00:02') });
		sim().control.create({ type: 'prospect', at: at('12:00:02') });
		for (let s = 3; s < 20; s++) sim().control.create({ type: 'prospect', at: at(`12:00:${String(s).padStart(2, '0')}`) });
		env.advance(3 * MINUTE);
		expect((await runner.poll()).error).toBeUndefined();
		expect(runner.emitted.length).toBeGreaterThanOrEqual(5);
		expect(runner.emitted.length).toBeLessThanOrEqual(10);
		await drain(runner, 3);
		expect(runner.emitted).toHaveLength(20);
		expect(orderProblems(runner.emitted)).toEqual([]);
		expect(truthProblems(sim(), runner.emitted, { since })).toEqual([]);
	});
});
