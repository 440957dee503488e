/**
 * The objects beyond contacts and leads, over real HTTP against the simulator, on API v4 (legacy
 * login) and v5 (OAuth2): visitor activities (created only, by activity type), list memberships
 * (added, changed or opted out, removed), lists, campaigns, visitors; and every resource at once
 * under one Max Events Per Poll.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { SimulatorHandle } from '../../../../simulator';
import type { PollRunner } from '../../../lib/n8n';
import type { Flavor } from '../../../lib/pardot';
import { MINUTE, simulatorPerTest, triggerRunner } from '../../../lib/pardot';
import { limitProblems } from '../../../lib/truth';
import { MAX_DROPPED_PER_READ } from '../../../../nodes/PardotTrigger/transport/source';

const START = '2026-11-27T12:00:00Z';
const json = (items: INodeExecutionData[]) => items.map((i) => i.json as IDataObject);
const brief = (items: INodeExecutionData[]) => json(items).map((e) => `${e.eventType} ${e.objectType}:${e.objectId}`);
const ALL_EVENTS = ['CREATED', 'UPDATED', 'DELETED'];

describe.each(['legacy-v4', 'oauth-v5'] as Flavor[])('more Pardot objects on %s', (flavor) => {
	const v5 = flavor === 'oauth-v5';
	const env = simulatorPerTest({ clock: START });
	const { advance } = env;
	let sim: SimulatorHandle;
	beforeEach(() => {
		sim = env.sim();
	});
	async function activate(parameters: IDataObject) {
		const runner = env.track(triggerRunner(sim, { flavor, parameters: parameters as never, transport: { retryBaseMs: 5 } }));
		expect((await runner.poll()).error).toBeUndefined();
		return runner;
	}
	async function drain(runner: PollRunner, polls = 2) {
		for (let i = 0; i < polls; i++) {
			advance(2 * MINUTE);
			const outcome = await runner.poll();
			expect(outcome.error).toBeUndefined();
		}
	}

	test('visitor activities: each new activity of a chosen type once, as CREATED', async () => {
		const seeded = sim.control.seed({ prospects: 2, visitors: 2, lists: 0 });
		const prospectId = seeded.prospectIds[0];
		const runner = await activate({ resources: ['visitorActivities'], events: ALL_EVENTS, options: { activityTypes: ['formSubmission', 'emailOpen'] } });
		advance(2_000);
		const form = sim.control.activity({ type: 4, formId: 11, prospectId });
		const handler = sim.control.activity({ type: 4, formHandlerId: 12, prospectId });
		const open = sim.control.activity({ type: 11, emailId: 13, prospectId });
		sim.control.activity({ type: 6, emailId: 13, prospectId }); // Sent: not chosen
		await drain(runner);
		expect(brief(runner.emitted)).toEqual([`CREATED visitorActivities:${form.id}`, `CREATED visitorActivities:${open.id}`]);
		expect(brief(runner.emitted)).not.toContain(`CREATED visitorActivities:${handler.id}`);
		const raw = json(runner.emitted)[0].raw as IDataObject;
		expect(Number(raw.type)).toBe(4);
		expect(raw.formId ?? raw.form_id).toBeDefined();
		if (!v5) {
			// v3/v4 select the types on the server: Sent activities are never read.
			const queries = runner.http.requests.filter((q) => q.url.includes('/visitorActivity/'));
			expect(queries.every((q) => new URL(q.url).searchParams.get('type') === '4,11')).toBe(true);
		}
	});

	test('a backlog of chosen activity types among many others drains at Max Events Per Poll each poll', async () => {
		const seeded = sim.control.seed({ prospects: 1 });
		const prospectId = seeded.prospectIds[0];
		const limit = 20;
		const runner = await activate({ resources: ['visitorActivities'], events: ['CREATED'], options: { activityTypes: ['formSubmission'], maxEventsPerPoll: limit } });
		const forms: string[] = [];
		for (let i = 0; i < 2000; i++) {
			advance(40);
			// One form submission in ten; the rest are email opens, which the workflow does not want.
			const made = sim.control.activity(i % 10 === 0 ? { type: 4, formId: 11, prospectId } : { type: 11, emailId: 13, prospectId });
			if (i % 10 === 0) forms.push(`CREATED visitorActivities:${made.id}`);
		}
		// The promise: each poll emits up to the limit while a backlog of wanted events remains, so 200
		// form submissions take ten polls (two more for the read lag), however many other activities surround them.
		await drain(runner, forms.length / limit + 2);
		expect(brief(runner.emitted)).toEqual(forms);
		expect(limitProblems(runner.outcomes, limit)).toEqual([]);
	});

	// v5 only: v3/v4 select activity types on the server, so the others are never read.
	(v5 ? test : test.skip)('a few chosen activities among very many others: no poll reads them all at once, none is lost', async () => {
		const seeded = sim.control.seed({ prospects: 1 });
		const prospectId = seeded.prospectIds[0];
		const runner = await activate({ resources: ['visitorActivities'], events: ['CREATED'], options: { activityTypes: ['formSubmission'] } });
		const forms: string[] = [];
		const total = 2 * MAX_DROPPED_PER_READ + 10_000;
		for (let i = 0; i < total; i++) {
			advance(50);
			// A mass email's sends (type 6), and three form submissions among them, the last one near the end.
			const form = i === 100 || i === total / 2 || i === total - 10;
			const made = sim.control.activity(form ? { type: 4, formId: 11, prospectId } : { type: 6, emailId: 13, prospectId });
			if (form) forms.push(`CREATED visitorActivities:${made.id}`);
		}
		const reads: number[] = [];
		for (let i = 0; i < 5; i++) {
			const before = runner.http.requests.length;
			await drain(runner, 1);
			reads.push(runner.http.requests.slice(before).filter((q) => q.url.includes('/visitor-activities')).length);
		}
		expect(brief(runner.emitted)).toEqual(forms);
		// The promise: a poll's reads stay bounded (a scan and a window of up to MAX_DROPPED_PER_READ left-out
		// records each, a page past it), whatever the number of activities the workflow does not want.
		const bound = 2 * (MAX_DROPPED_PER_READ / 1000 + 2);
		expect(reads.filter((n) => n > bound)).toEqual([]);
	}, 120_000);

	test('Fetch Test Event with Activity Types: a sample of a chosen type, though newer activities of other types exist', async () => {
		const seeded = sim.control.seed({ prospects: 1 });
		const prospectId = seeded.prospectIds[0];
		const form = sim.control.activity({ type: 4, formId: 11, prospectId, at: '2026-11-27T11:00:00Z' });
		sim.control.activity({ type: 4, formHandlerId: 12, prospectId, at: '2026-11-27T11:01:00Z' });
		sim.control.activity({ type: 11, emailId: 13, prospectId, at: '2026-11-27T11:02:00Z' });
		const parameters = { resources: ['visitorActivities'], events: ['CREATED'], options: { activityTypes: ['formSubmission'] } };
		const runner = env.track(triggerRunner(sim, { flavor, parameters: parameters as never, runner: { mode: 'manual' } as never }));
		const outcome = await runner.poll();
		expect(outcome.error).toBeUndefined();
		expect(brief(outcome.items?.flat() ?? [])).toEqual([`CREATED visitorActivities:${form.id}`]);
		// With none of the chosen type among the newest, the error says so.
		const none = env.track(
			triggerRunner(sim, { flavor, parameters: { ...parameters, options: { activityTypes: ['fileAccess'] } } as never, runner: { mode: 'manual' } as never }),
		);
		const empty = await none.poll();
		expect(String((empty.error as { description?: string } | undefined)?.description)).toMatch(/Activity Types/);
	});

	test('list memberships: added (CREATED), opted out (UPDATED), removed (DELETED), added again (UPDATED)', async () => {
		const seeded = sim.control.seed({ prospects: 2, lists: 1 });
		const [listId] = seeded.listIds;
		const [prospectId] = seeded.prospectIds;
		const runner = await activate({ resources: ['listMemberships'], events: ALL_EVENTS });
		const steps: string[] = [];
		advance(2_000);
		const added = sim.control.addToList({ listId, prospectId });
		await drain(runner, 1);
		sim.control.optOut({ listId, prospectId });
		await drain(runner, 1);
		sim.control.removeFromList({ listId, prospectId });
		await drain(runner, 1);
		sim.control.addToList({ listId, prospectId });
		await drain(runner, 1);
		steps.push(...brief(runner.emitted));
		const id = added.id;
		expect(steps).toEqual([
			`CREATED listMemberships:${id}`,
			`UPDATED listMemberships:${id}`,
			`DELETED listMemberships:${id}`,
			`UPDATED listMemberships:${id}`,
		]);
		const optedOut = json(runner.emitted)[1].raw as IDataObject;
		expect(optedOut.optedOut ?? optedOut.opted_out).toBeTruthy();
	});

	test('list memberships: a burst larger than Max Events Per Poll drains at the limit, each poll one read (v3/v4: live + bin)', async () => {
		const seeded = sim.control.seed({ prospects: 30, lists: 1 });
		const [listId] = seeded.listIds;
		const limit = 10;
		const runner = await activate({ resources: ['listMemberships'], events: ALL_EVENTS, options: { maxEventsPerPoll: limit } });
		advance(2_000);
		// 30 prospects added to the list in one second (an import).
		const added = seeded.prospectIds.map((prospectId) => `CREATED listMemberships:${sim.control.addToList({ listId, prospectId }).id}`);
		const calls: number[] = [];
		for (let i = 0; i < 4; i++) {
			const before = runner.http.requests.length;
			await drain(runner, 1);
			calls.push(runner.http.requests.slice(before).filter((q) => /listMembership|list-memberships/.test(q.url)).length);
		}
		expect(brief(runner.emitted)).toEqual(added);
		expect(limitProblems(runner.outcomes, limit)).toEqual([]);
		// v3/v4 sort memberships only by id or creation, so each poll reads every pending change: once
		// live and once in the recycle bin, even when the last poll stopped inside a second.
		if (!v5) expect(calls).toEqual([2, 2, 2, 2]);
	});

	test('lists and visitors: created and updated; deletions where the API shows them', async () => {
		const runner = await activate({ resources: ['lists', 'visitors'], events: ALL_EVENTS });
		advance(2_000);
		const list = sim.control.create({ type: 'list', fields: { name: 'Webinar' } });
		const visitor = sim.control.create({ type: 'visitor', fields: { pageViewCount: 1 } });
		await drain(runner, 1);
		sim.control.update({ type: 'list', id: list.id, fields: { title: 'Webinar 2026' } });
		sim.control.update({ type: 'visitor', id: visitor.id, fields: { pageViewCount: 5 } });
		await drain(runner, 1);
		sim.control.delete({ type: 'list', id: list.id });
		await drain(runner, 1);
		expect(brief(runner.emitted)).toEqual([
			`CREATED lists:${list.id}`,
			`CREATED visitors:${visitor.id}`,
			`UPDATED lists:${list.id}`,
			`UPDATED visitors:${visitor.id}`,
			// v3/v4 lists have no recycle-bin criterion: a deleted list is not seen there.
			...(v5 ? [`DELETED lists:${list.id}`] : []),
		]);
	});

	if (v5) {
		test('campaigns: created, updated, deleted', async () => {
			const runner = await activate({ resources: ['campaigns'], events: ALL_EVENTS });
			advance(2_000);
			const campaign = sim.control.create({ type: 'campaign', fields: { name: 'Spring', cost: 10 } });
			await drain(runner, 1);
			sim.control.update({ type: 'campaign', id: campaign.id, fields: { cost: 20 } });
			await drain(runner, 1);
			sim.control.delete({ type: 'campaign', id: campaign.id });
			await drain(runner, 1);
			expect(brief(runner.emitted)).toEqual([`CREATED campaigns:${campaign.id}`, `UPDATED campaigns:${campaign.id}`, `DELETED campaigns:${campaign.id}`]);
		});
	} else {
		test('campaigns need API v5: said before any request', async () => {
			const runner = env.track(triggerRunner(sim, { flavor, parameters: { resources: ['contacts', 'campaigns'] } as never }));
			sim.control.resetStats();
			const outcome = await runner.poll();
			expect(outcome.error?.message).toBe('Campaigns need Pardot API v5');
			expect(String((outcome.error as { description?: string }).description)).toMatch(/without any date.*API Version 5/);
			expect(sim.control.stats().total).toBe(0);
		});
	}

	test('Fetch Test Event returns a sample of each resource, and saves nothing', async () => {
		const seeded = sim.control.seed({ prospects: 2, lists: 1, visitors: 1, campaigns: 1 });
		sim.control.activity({ type: 4, formId: 7, prospectId: seeded.prospectIds[0] });
		sim.control.addToList({ listId: seeded.listIds[0], prospectId: seeded.prospectIds[0] });
		const resources = ['visitorActivities', 'listMemberships', 'lists', 'visitors', ...(v5 ? ['campaigns'] : [])];
		const sample = env.track(triggerRunner(sim, { flavor, parameters: { resources } as never, runner: { mode: 'manual' } }));
		const outcome = await sample.poll();
		expect(outcome.error).toBeUndefined();
		expect(json(sample.emitted).map((e) => e.objectType).sort()).toEqual([...resources].sort());
		expect(sample.persistedState()).toBe('{}');
	});

	test('every resource at once: one Max Events Per Poll for the whole poll, each change once', async () => {
		const seeded = sim.control.seed({ prospects: 3, opportunities: 2, lists: 2, visitors: 2, at: '2026-11-27T11:00:00Z', spreadMs: MINUTE });
		const resources = ['contacts', 'leads', 'visitorActivities', 'listMemberships', 'lists', 'visitors', ...(v5 ? ['campaigns'] : [])];
		const runner = await activate({ resources, events: ALL_EVENTS, options: { maxEventsPerPoll: 4 } });
		const expected: string[] = [];
		for (let i = 0; i < 3; i++) {
			advance(1_000);
			expected.push(`CREATED contacts:${sim.control.create({ type: 'prospect' }).id}`);
			expected.push(`CREATED leads:${sim.control.create({ type: 'opportunity' }).id}`);
			expected.push(`CREATED visitorActivities:${sim.control.activity({ type: 4, formId: 3, prospectId: seeded.prospectIds[i] }).id}`);
			expected.push(`CREATED listMemberships:${sim.control.addToList({ listId: seeded.listIds[i % 2], prospectId: seeded.prospectIds[i] }).id}`);
			expected.push(`CREATED lists:${sim.control.create({ type: 'list', fields: { name: `L${i}` } }).id}`);
			expected.push(`CREATED visitors:${sim.control.create({ type: 'visitor' }).id}`);
			if (v5) expected.push(`CREATED campaigns:${sim.control.create({ type: 'campaign', fields: { name: `C${i}` } }).id}`);
		}
		await drain(runner, 12);
		expect(brief(runner.emitted).sort()).toEqual(expected.sort());
		expect(limitProblems(runner.outcomes, 4)).toEqual([]);
		// Oldest first across resources: dates never go back within a poll.
		for (const outcome of runner.outcomes) {
			const dates = json(outcome.items?.flat() ?? []).map((e) => String(e.date));
			expect(dates).toEqual([...dates].sort());
		}
	});
});
