/**
 * The trigger's promises as a new user meets them, over real HTTP against the simulator: every new
 * record gets its CREATED event, the limit holds per poll, per-resource fields, bursts larger than
 * the limit, the daily limit, saved state across versions, Start From's time zone, Salesforce leads.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { SimulatorHandle } from '../../../../simulator';
import type { PollRunner } from '../../../lib/n8n';
import type { Flavor } from '../../../lib/pardot';
import { MINUTE, simulator, simulatorPerTest, triggerRunner, FAST_RETRIES } from '../../../lib/pardot';
import { limitProblems, truthProblems } from '../../../lib/truth';

const START = '2026-11-27T12:00:00Z';
const json = (items: INodeExecutionData[]) => items.map((i) => i.json as IDataObject);
const brief = (items: INodeExecutionData[]) => json(items).map((e) => `${e.eventType} ${e.objectType}:${e.objectId}`);


describe.each(['legacy-v4', 'oauth-v5'] as Flavor[])('Pardot Trigger, second pass, on %s', (flavor) => {
	// v3/v4 emit changes older than 5 s; v5 older than 65 s (its reads may lag 60 s).
	const settle = flavor === 'oauth-v5' ? 65_000 : 5_000;
	const env = simulatorPerTest({ clock: START });
	const { advance, now } = env;
	let sim: SimulatorHandle;
	beforeEach(() => {
		sim = env.sim();
	});
	async function activate(parameters: IDataObject, runnerOptions: Parameters<typeof triggerRunner>[1]['runner'] = {}) {
		const runner = triggerRunner(sim, { transport: FAST_RETRIES, flavor, parameters: parameters as never, runner: runnerOptions });
		env.track(runner);
		const since = Math.floor(now() / 1000) * 1000;
		expect((await runner.poll()).error).toBeUndefined();
		return { runner, since };
	}
	async function drain(runner: PollRunner, polls = 12) {
		for (let i = 0; i < polls; i++) {
			advance(2 * MINUTE);
			const outcome = await runner.poll();
			expect(outcome.error).toBeUndefined();
		}
	}

	describe('1. every record created after the start gets one CREATED event, its first', () => {
		test.each([
			['contacts', 'prospect', { score: 7 }],
			['leads', 'opportunity', { probability: 40 }],
		] as const)('%s updated just after a poll passed their creation (Events: Created only)', async (resource, type, fields) => {
			const { runner } = await activate({ resources: [resource], events: ['CREATED'] });
			advance(5_000);
			const record = sim.control.create({ type });
			// The next poll's settle point passes the creation, but the record changes again inside it.
			advance(settle + 5_000);
			sim.control.update({ type, id: record.id, fields });
			advance(2_000);
			expect((await runner.poll()).error).toBeUndefined();
			await drain(runner, 2);
			expect(brief(runner.emitted)).toEqual([`CREATED ${resource}:${record.id}`]);
		});

		test('with Created and Updated: CREATED at the creation, then UPDATED', async () => {
			const { runner, since } = await activate({ resources: ['contacts'] });
			advance(5_000);
			const record = sim.control.create({ type: 'prospect' });
			advance(settle + 5_000);
			sim.control.update({ type: 'prospect', id: record.id, fields: { score: 7 } });
			advance(2_000);
			await runner.poll();
			await drain(runner, 2);
			expect(brief(runner.emitted)).toEqual([`CREATED contacts:${record.id}`, `UPDATED contacts:${record.id}`]);
			expect(json(runner.emitted)[0].date).toBe(new Date(Math.floor(Date.parse(record.createdAt) / 1000) * 1000).toISOString().replace('.000', ''));
			expect(truthProblems(sim, runner.emitted, { since, resources: ['contacts'] })).toEqual([]);
		});

		test('Max Events Per Poll cutting a burst of new records, some changed again later', async () => {
			const { runner, since } = await activate({ resources: ['contacts', 'leads'], events: ['CREATED'], options: { maxEventsPerPoll: 5 } });
			advance(5_000);
			const created = Array.from({ length: 12 }, (_, i) => sim.control.create({ type: i % 3 ? 'prospect' : 'opportunity' }));
			advance(3_000);
			for (const r of created.filter((_, i) => i % 4 === 0)) {
				sim.control.update({ type: Number(r.id) > 1_000_000 ? 'prospect' : 'opportunity', id: r.id, fields: {} });
			}
			await drain(runner, 8);
			expect(runner.emitted).toHaveLength(12);
			expect(new Set(json(runner.emitted).map((e) => e.eventType))).toEqual(new Set(['CREATED']));
			expect(limitProblems(runner.outcomes, 5)).toEqual([]);
			expect(truthProblems(sim, runner.emitted, { since, updates: false })).toEqual([]);
		});

		test('a Start From backfill in small batches while the records keep changing', async () => {
			const base = now();
			const created = Array.from({ length: 30 }, (_, i) =>
				sim.control.create({ type: 'prospect', at: new Date(base - (30 - i) * MINUTE).toISOString() }),
			);
			const since = base - 45 * MINUTE;
			const runner = triggerRunner(sim, { transport: FAST_RETRIES,
				flavor,
				parameters: { resources: ['contacts'], events: ['CREATED'], options: { maxEventsPerPoll: 4, startFrom: new Date(since).toISOString() } },
			});
			env.track(runner);
			for (let poll = 0; poll < 14; poll++) {
				// Records not yet reached by the backfill change meanwhile.
				sim.control.update({ type: 'prospect', id: created[29 - poll].id, fields: { score: poll } });
				advance(MINUTE);
				expect((await runner.poll()).error).toBeUndefined();
			}
			await drain(runner, 3);
			expect(brief(runner.emitted).sort()).toEqual(created.map((r) => `CREATED contacts:${r.id}`).sort());
			expect(limitProblems(runner.outcomes, 4)).toEqual([]);
		});
	});

	test('2. Max Events Per Poll holds for the whole poll, oldest first across resources', async () => {
		const { runner, since } = await activate({ resources: ['contacts', 'leads'], options: { maxEventsPerPoll: 5 } });
		for (let i = 0; i < 10; i++) {
			advance(1000);
			sim.control.create({ type: 'prospect' });
			sim.control.create({ type: 'opportunity' });
		}
		await drain(runner, 6);
		expect(runner.outcomes.map((o) => o.items?.flat().length ?? 0).filter(Boolean)).toEqual([5, 5, 5, 5]);
		// The first poll takes the oldest five changes, whatever their resource.
		expect(json(runner.outcomes.find((o) => o.items)!.items!.flat()).map((e) => e.objectType)).toEqual(['contacts', 'leads', 'contacts', 'leads', 'contacts']);
		expect(truthProblems(sim, runner.emitted, { since })).toEqual([]);
	});

	describe('3. fields per resource', () => {
		const v5 = flavor === 'oauth-v5';
		test('Contact Fields and Lead Fields each shape their own resource', async () => {
			const contactFields = v5 ? 'email,firstName' : 'email,first_name';
			const leadFields = v5 ? 'name,stage' : 'name,stage';
			const { runner } = await activate({ options: { fields: contactFields, leadFields } });
			advance(2_000);
			sim.control.create({ type: 'prospect', fields: { email: 'f@example.com', firstName: 'Fay', lastName: 'Wu' } });
			sim.control.create({ type: 'opportunity', fields: { name: 'Deal', stage: 'Won', value: 10 } });
			await drain(runner, 1);
			const [contact, lead] = json(runner.emitted);
			const raw = (e: IDataObject) => Object.keys(e.raw as IDataObject).sort();
			expect(raw(contact)).toEqual((v5 ? ['createdAt', 'email', 'firstName', 'id', 'updatedAt'] : ['created_at', 'email', 'first_name', 'id', 'updated_at']).sort());
			expect(raw(lead)).toEqual((v5 ? ['createdAt', 'id', 'name', 'stage', 'updatedAt'] : ['created_at', 'id', 'name', 'stage', 'updated_at']).sort());
		});

		if (v5) {
			test('a field v5 does not know is named, with its resource, before any request', async () => {
				const runner = triggerRunner(sim, { transport: FAST_RETRIES, flavor, parameters: { options: { fields: 'email,first_name' } } });
				env.track(runner);
				sim.control.resetStats();
				const outcome = await runner.poll();
				expect(outcome.error?.message).toBe('Contact Fields: "first_name" is not a field of Pardot prospects in API v5');
				expect(String((outcome.error as { description?: string }).description)).toMatch(/camelCase/);
				expect(sim.control.stats().total).toBe(0);
			});

			test('a custom field Pardot rejects stops only its own resource', async () => {
				const { runner } = await activate({ options: { fields: 'email,Missing__c' } });
				advance(2_000);
				const deal = sim.control.create({ type: 'opportunity', fields: { name: 'Deal' } });
				sim.control.create({ type: 'prospect' });
				advance(2 * MINUTE);
				const outcome = await runner.poll();
				expect(outcome.error).toBeUndefined();
				expect(brief(runner.emitted)).toEqual([`CREATED leads:${deal.id}`]);
				expect(runner.logger.text()).toMatch(/Missing__c|Invalid field/);
				expect(runner.logger.text()).toMatch(/while reading Contacts/);
				// With nothing else to emit, the poll fails with the resource's error, for all to see.
				advance(2 * MINUTE);
				const next = await runner.poll();
				expect(next.error?.message).toMatch(/Pardot/);
				expect(String((next.error as { description?: string }).description)).toMatch(/while reading Contacts/);
			});
		}
	});

	test('a 5xx carrying a Pardot error code the trigger does not know is an outage like any 5xx: retried, then the whole poll fails and every resource keeps its position', async () => {
		const { runner, since } = await activate({ resources: ['contacts', 'leads'] });
		advance(2_000);
		const deal = sim.control.create({ type: 'opportunity', fields: { name: 'Deal' } });
		advance(1_000);
		const prospect = sim.control.create({ type: 'prospect' });
		advance(2 * MINUTE);
		// Every try of the first poll's prospect query (1 + 3 retries) meets it; the next poll does not.
		const path = flavor === 'oauth-v5' ? '/api/v5/objects/prospects' : '/api/prospect/';
		sim.control.fault({ kind: 'pardotError', code: 10_000, status: 503, count: 4, path });
		const failed = await runner.poll();
		expect(failed.error?.message).toBe('Pardot returned error 10000');
		expect(String((failed.error as { description?: string }).description)).toMatch(/while reading Contacts/);
		// The lead's change is not emitted ahead of the contact's: it waits with it.
		expect(runner.emitted).toEqual([]);
		advance(MINUTE);
		expect((await runner.poll()).error).toBeUndefined();
		expect(brief(runner.emitted)).toEqual([`CREATED leads:${deal.id}`, `CREATED contacts:${prospect.id}`]);
		expect(truthProblems(sim, runner.emitted, { since })).toEqual([]);
	});

	test.each([1, 20, 60])(
		'4. a same-second burst larger than the limit, then changes %i a second: exactly the limit per poll, at ceil(limit / page) + 1 queries, small saved state',
		async (perSecond) => {
			const limit = 100;
			const total = 950;
			const { runner, since } = await activate({ resources: ['contacts'], options: { maxEventsPerPoll: limit } });
			advance(2_000);
			for (let i = 0; i < 350; i++) sim.control.create({ type: 'prospect' });
			for (let i = 0; i < total - 350; i++) {
				if (i % perSecond === 0) advance(1000);
				sim.control.create({ type: 'prospect' });
			}
			advance(2 * MINUTE);
			const calls: number[] = [];
			const sizes: number[] = [];
			const stateSizes: number[] = [];
			for (let poll = 0; poll < 40 && runner.emitted.length < total; poll++) {
				sim.control.resetStats();
				const before = runner.emitted.length;
				expect((await runner.poll()).error).toBeUndefined();
				calls.push(sim.control.stats().total);
				sizes.push(runner.emitted.length - before);
				stateSizes.push(runner.persistedState().length);
			}
			expect(runner.emitted).toHaveLength(total);
			expect(truthProblems(sim, runner.emitted, { since, resources: ['contacts'] })).toEqual([]);
			// Every poll emits the limit (the last one the rest): the window may end inside any second.
			expect(sizes).toEqual(sizes.map((_, i) => (i < sizes.length - 1 ? limit : total - limit * (sizes.length - 1))));
			// Per poll: the window (inside the burst, its second by id) in ceil(limit / page) = 1 query, and the
			// creations query. Beyond that: the poll that finds the burst (v4: the first, which reads a page
			// before it knows there is a backlog; v5: the second, the first one read a page of all 950) reads a
			// page by change time that holds only the burst, then the burst by id; the poll that leaves the burst
			// finishes its second by id, then reads the window after it.
			const finding = flavor === 'oauth-v5' ? 1 : 0;
			const leaving = Math.floor(350 / limit);
			const others = calls.map((n, i) => ({ poll: i + 1, calls: n })).filter((_, i) => i > finding && i !== leaving);
			expect(calls[finding]).toBeLessThanOrEqual(5);
			expect(calls[leaving]).toBeLessThanOrEqual(3);
			expect(others.filter((p) => p.calls > Math.ceil(limit / (flavor === 'oauth-v5' ? 1000 : 200)) + 1)).toEqual([]);
			expect(Math.max(...stateSizes)).toBeLessThan(400);
		},
	);

	test('5. after the daily limit each poll makes one request; events resume as soon as Pardot accepts calls', async () => {
		const { runner, since } = await activate({ resources: ['contacts', 'leads'] });
		advance(5_000);
		sim.control.create({ type: 'prospect' });
		// One more call today: the poll's second request meets error 122.
		sim.control.configure({ dailyApiLimit: 1 });
		advance(2 * MINUTE);
		const failed = await runner.poll();
		expect(failed.error?.message).toMatch(/daily API call limit/);
		for (let i = 0; i < 3; i++) {
			sim.control.create({ type: 'opportunity' });
			sim.control.resetStats();
			advance(MINUTE);
			const again = await runner.poll();
			expect(again.error?.message).toMatch(/daily API call limit/);
			expect(sim.control.stats().total).toBe(1);
		}
		// An administrator raises the limit (or the day turns): the very next poll delivers everything.
		sim.control.configure({ dailyApiLimit: 0 });
		advance(MINUTE);
		expect((await runner.poll()).error).toBeUndefined();
		await drain(runner, 1);
		expect(runner.emitted).toHaveLength(4);
		expect(truthProblems(sim, runner.emitted, { since })).toEqual([]);
	});

	describe('6. saved state', () => {
		test('state written by the pre-release builds is read: nothing lost, nothing repeated', async () => {
			sim.control.seed({ prospects: 5 });
			advance(MINUTE);
			const after = new Date(now() - 30_000).toISOString();
			const early = sim.control.create({ type: 'prospect', at: new Date(now() - 60_000).toISOString() });
			const emittedAlready = sim.control.create({ type: 'prospect', at: new Date(now() - 20_000).toISOString() });
			const pending = sim.control.create({ type: 'prospect', at: new Date(now() - 10_000).toISOString() });
			const v1 = {
				'node:Pardot Trigger': {
					cursors: { prospects: { after, emitted: { [emittedAlready.id]: Math.floor(Date.parse(emittedAlready.updatedAt) / 1000) * 1000 } } },
				},
			};
			const runner = triggerRunner(sim, { transport: FAST_RETRIES, flavor, parameters: { resources: ['contacts'] }, runner: { persistedState: JSON.stringify(v1) } });
			env.track(runner);
			await drain(runner, 2);
			expect(brief(runner.emitted)).toEqual([`CREATED contacts:${pending.id}`]);
			expect(brief(runner.emitted).join()).not.toContain(String(early.id));
			expect(JSON.parse(runner.persistedState())['node:Pardot Trigger'].version).toBe(2);
		});

		test('state it cannot read fails the poll with what to do, and keeps the state', async () => {
			const unknown = JSON.stringify({ 'node:Pardot Trigger': { version: 9, cursors: { prospects: { at: '2026-11-27T11:00:00Z' } } } });
			const runner = triggerRunner(sim, { transport: FAST_RETRIES, flavor, runner: { persistedState: unknown } });
			env.track(runner);
			sim.control.create({ type: 'prospect' });
			advance(2 * MINUTE);
			const outcome = await runner.poll();
			expect(outcome.error?.message).toBe('The Pardot Trigger cannot read its saved position');
			expect(String((outcome.error as { description?: string }).description)).toMatch(/format version 9.*rename this trigger node/);
			expect(runner.emitted).toHaveLength(0);
			expect(runner.persistedState()).toBe(unknown);
		});
	});

	test('7. Start From without an offset is read in the workflow\'s time zone', async () => {
		// 08:00 on 27 Nov in Kiritimati (UTC+14) is 18:00Z on the 26th.
		const inWindow = sim.control.create({ type: 'prospect', at: '2026-11-26T19:00:00Z' });
		sim.control.create({ type: 'prospect', at: '2026-11-26T17:00:00Z' });
		const runner = triggerRunner(sim, { transport: FAST_RETRIES,
			flavor,
			parameters: { resources: ['contacts'], options: { startFrom: '2026-11-27T08:00:00' } },
			runner: { timezone: 'Pacific/Kiritimati' },
		});
		env.track(runner);
		await drain(runner, 2);
		expect(brief(runner.emitted)).toEqual([`CREATED contacts:${inWindow.id}`]);
		// With an explicit offset, the value is taken as given.
		const explicit = triggerRunner(sim, { transport: FAST_RETRIES,
			flavor,
			parameters: { resources: ['contacts'], options: { startFrom: '2026-11-26T16:00:00+00:00' } },
			runner: { timezone: 'Pacific/Kiritimati' },
		});
		env.track(explicit);
		await drain(explicit, 2);
		expect(explicit.emitted).toHaveLength(2);
	});

	test('9. leads as Salesforce leads: a prospect becoming a lead is CREATED, its conversion the last UPDATED', async () => {
		const before = sim.control.create({ type: 'prospect', fields: { email: 'old@example.com' } });
		advance(MINUTE);
		const { runner } = await activate({ resources: ['leads'], options: { leadsAre: 'salesforceLeads' } });
		advance(5_000);
		const prospect = sim.control.create({ type: 'prospect', fields: { email: 'new@example.com' } });
		await drain(runner, 1);
		expect(runner.emitted).toHaveLength(0); // not a lead yet
		sim.control.update({ type: 'prospect', id: prospect.id, fields: { salesforceLeadId: '00Q000000000777' } });
		sim.control.update({ type: 'prospect', id: before.id, fields: { salesforceLeadId: '00Q000000000778' } });
		await drain(runner, 1);
		sim.control.update({ type: 'prospect', id: prospect.id, fields: { score: 50 } });
		await drain(runner, 1);
		sim.control.update({ type: 'prospect', id: prospect.id, fields: { salesforceContactId: '003000000000777' } });
		sim.control.update({ type: 'prospect', id: before.id, fields: { salesforceContactId: '003000000000778' } });
		await drain(runner, 1);
		sim.control.update({ type: 'prospect', id: prospect.id, fields: { score: 60 } });
		await drain(runner, 1);
		expect(brief(runner.emitted)).toEqual([
			// A prospect older than the trigger: Pardot keeps no date for when it became a lead.
			`UPDATED leads:${before.id}`,
			`CREATED leads:${prospect.id}`,
			`UPDATED leads:${prospect.id}`,
			// Conversions: the last leads event of each, then nothing more (the score change of 60).
			`UPDATED leads:${before.id}`,
			`UPDATED leads:${prospect.id}`,
		]);
		const conversion = json(runner.emitted)[4].raw as IDataObject;
		expect(conversion.salesforceContactId ?? conversion.crm_contact_fid).toBe('003000000000777');
	});
});

test('8. a user:password@ in a custom Base URL never reaches an error message', async () => {
	const sim = await simulator({ clock: START });
	try {
		const runner = triggerRunner(sim, { transport: FAST_RETRIES, flavor: 'legacy-v4', credentials: { baseUrl: 'http://proxyuser:Pr0xyS3cret@127.0.0.1:9' } });
		const outcome = await runner.poll();
		runner.close();
		const text = `${outcome.error?.message} ${(outcome.error as { description?: string }).description} ${runner.logger.text()}`;
		expect(outcome.error?.message).toBe('Nothing is listening at 127.0.0.1:9 (ECONNREFUSED)');
		expect(text).not.toMatch(/Pr0xyS3cret|proxyuser/);
	} finally {
		await sim.close();
	}
});
