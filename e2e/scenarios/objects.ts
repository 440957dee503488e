/**
 * Scenario group "objects", in the single-process lines: the Pardot objects beyond contacts and leads, one case per
 * family, each a workflow Pardot Trigger -> Pardot Event Callback as a user builds it in the editor.
 *
 * The first two are the example workflows (examples/) as a user completes them after import: credentials, callback
 * URL and signing key chosen, everything else as the example has it.
 *
 * - "New form submission -> callback URL" (OAuth2, API v5, Activity Types: Form Submission): form submissions made
 *   after activation reach the receiver once each at a real scheduled poll, in notifications with raw.objectType
 *   'visitorActivities'; every other kind of activity (form handler and landing page submissions, form views, email
 *   sends, opens and clicks, visits) and the activities from before activation never arrive; "Fetch Test Event"
 *   returns a form submission although newer activities of other kinds exist.
 * - "Prospect added to a list -> callback URL" (legacy user key, API v4): a prospect added to a list, a member opted
 *   out and a member removed arrive as CREATED, UPDATED and DELETED at a real scheduled poll; added back, the same
 *   membership arrives as UPDATED; "Fetch Test Event" returns a membership.
 * - Lists, campaigns and visitors on API v5: created, updated and deleted (visitors have no recycle bin) once each,
 *   one object type per notification (raw.objectType); and campaigns on API v4 refused at activation, before any
 *   request to Pardot.
 */
import { fetchTestEvent, Flow, POLL_WAIT_MS, type Expected, type LineCtx } from '../lib/flow';
import { sleep } from '../lib/n8n';
import { assert, test } from '../lib/report';

const TRIGGER = 'Pardot Trigger';
const ALL_EVENTS = ['CREATED', 'UPDATED', 'DELETED'];
const FORM_EXAMPLE = 'new-form-submission-to-callback-url.json';
const LIST_EXAMPLE = 'prospect-added-to-list-to-callback-url.json';

/** One object type per notification: raw.objectType names it, raw.<objectType> holds its records (docs/event-format.md). */
function assertOneObjectTypePerNotification(flow: Flow) {
	for (const r of flow.ctx.sink.requests(flow.path)) {
		const types = [...new Set(r.events.map((e) => e.objectType))];
		const raw = r.json?.message?.raw ?? {};
		const rawKeys = Object.keys(raw).filter((k) => k !== 'objectType');
		assert(types.length === 1, `a notification mixes object types: ${types.join(', ')}`);
		assert(raw.objectType === types[0] && rawKeys.join() === types[0], `a notification of ${types[0]} events has raw.objectType ${JSON.stringify(raw.objectType)} and raw.${rawKeys.join(', raw.')}`);
	}
}

/** The raw record of one event, as the receiver got it. */
function rawOf(flow: Flow, objectType: string, objectId: string): any {
	for (const r of flow.ctx.sink.requests(flow.path)) {
		const found = (r.json?.message?.raw?.[objectType] ?? []).find((x: any) => String(x?.id) === objectId);
		if (found) return found;
	}
	return undefined;
}

/** "Fetch Test Event": a manual run of the trigger alone; its items. The callback must not run. */
async function sampleOf(flow: Flow): Promise<any[]> {
	const before = flow.ctx.sink.requests(flow.path).length;
	const items = await fetchTestEvent(flow.ctx.n8n, flow.wfId, TRIGGER);
	assert(flow.ctx.sink.requests(flow.path).length === before, 'a manual trigger run must not run the callback');
	return items;
}

const isFormSubmission = (raw: any) => Number(raw?.type) === 4 && Boolean(raw?.formId ?? raw?.form_id);

/** Activation of a workflow n8n must refuse: the error it shows, in the REST answer (n8n 1.x) or the publication status (2.x). */
async function activationRefusal(flow: Flow): Promise<string> {
	const { n8n } = flow.ctx;
	const wf = await n8n.getWorkflow(flow.wfId);
	const r = await n8n.rest('POST', `/workflows/${flow.wfId}/activate`, { versionId: wf.versionId }, { allowError: true });
	const said: string[] = [];
	if (r?.error) said.push(String(r.message ?? JSON.stringify(r)));
	if (n8n.major >= 2) {
		// n8n 2.x retries a failed activation a few times before the status reads "failed".
		const st = await n8n.waitPublication(flow.wfId, (s) => s.status !== 'in_progress', 90_000);
		if (st?.status !== 'published') said.push(JSON.stringify(st));
	}
	return said.join(' | ');
}

export function objects(c: LineCtx, flows: Flow[]): Array<Promise<boolean>> {
	const { label, n8n, sink } = c;
	const forms = new Flow(c, 'form-submissions-v5');
	const members = new Flow(c, 'list-memberships-v4');
	const others = new Flow(c, 'lists-campaigns-visitors-v5');
	const refused = new Flow(c, 'campaigns-v4-refused');
	flows.push(forms, members, others, refused);

	return [
		test(label, `new form submission -> callback URL (examples/${FORM_EXAMPLE}, OAuth2, v5): form submissions only, once each at a real scheduled poll; Fetch Test Event returns one`, async (log) => {
			const flow = forms;
			// Activities from before activation (a day ago, every kind) must never arrive.
			await flow.setup({ auth: 'oAuth2', apiVersion: '5', example: FORM_EXAMPLE, seed: { visitors: 4, visitorActivities: 30 } });
			const ctl = flow.sim.control;
			const [p1, p2] = flow.seedResult.prospectIds;
			const [v1] = flow.seedResult.visitorIds;
			// The form submissions first, then (2 s later on Pardot's clock) the other kinds: the newest activities are not form submissions.
			const wanted = [
				await ctl.activity({ type: 4, formId: 1101, prospectId: p1, details: 'Contact us' }),
				await ctl.activity({ type: 4, formId: 1102, prospectId: p2, details: 'Webinar registration' }),
				// an anonymous visitor's submission is a form submission too
				await ctl.activity({ type: 4, formId: 1101, visitorId: v1, details: 'Contact us' }),
			];
			await ctl.clock({ advanceMs: 2_000 });
			const unwanted = [
				await ctl.activity({ type: 4, formHandlerId: 2201, prospectId: p1 }), // form handler submission
				await ctl.activity({ type: 4, landingPageId: 3301, prospectId: p2 }), // landing page submission
				await ctl.activity({ type: 2, formId: 1101, visitorId: v1 }), // form view
				await ctl.activity({ type: 6, emailId: 4401, prospectId: p1 }), // email sent
				await ctl.activity({ type: 11, emailId: 4401, prospectId: p1 }), // email open
				await ctl.activity({ type: 1, emailId: 4401, prospectId: p2 }), // email click
				await ctl.activity({ type: 20, visitorId: v1, details: '3 pages' }), // visit
			];
			for (const a of wanted) flow.expected.push({ objectType: 'visitorActivities', objectId: String(a.id), eventType: 'CREATED' });
			// v5 reads lag: move the simulated clock past the trigger's settle margin so that the next scheduled poll
			// reads them (n8n's own schedule, nothing triggered by us)
			await flow.settle();
			log(`${wanted.length} form submissions and ${unwanted.length} other activities made; waiting for n8n's own schedule`);
			const t = Date.now();
			await flow.waitDelivered('a scheduled poll', POLL_WAIT_MS);
			log(`scheduled poll delivered after ${((Date.now() - t) / 1000).toFixed(0)} s: ${flow.describe()}`);
			assertOneObjectTypePerNotification(flow);
			for (const a of wanted) {
				const raw = rawOf(flow, 'visitorActivities', String(a.id));
				assert(isFormSubmission(raw), `raw of form submission ${a.id} is not a form submission: ${JSON.stringify(raw)}`);
			}
			const execs = await n8n.executions(flow.wfId);
			assert(execs.some((e: any) => e.mode === 'trigger' && e.status === 'success'), `no successful scheduled execution: ${await flow.executionsSummary()}`);

			const sample = await sampleOf(flow);
			const ev = sample[0];
			log(`Fetch Test Event: ${sample.length} item(s); first ${ev.eventType} ${ev.objectType} ${ev.objectId} (type ${ev.raw?.type}, form ${ev.raw?.formId})`);
			assert(ev.objectType === 'visitorActivities' && ev.eventType === 'CREATED', `sample event ${ev.eventType} ${ev.objectType}`);
			// the newest activity overall is a visit: the sample must still be a form submission
			assert(isFormSubmission(ev.raw), `Fetch Test Event returned an activity that is not a form submission: ${JSON.stringify(ev.raw)}`);
			await flow.assertNothingNewAfterExtraPoll();
		}),

		test(label, `prospect added to a list -> callback URL (examples/${LIST_EXAMPLE}, legacy, v4): added, opted out, removed as CREATED, UPDATED, DELETED at a real scheduled poll`, async (log) => {
			const flow = members;
			await flow.setup({ auth: 'legacy', apiVersion: '4', example: LIST_EXAMPLE, seed: { lists: 3, listMemberships: 10 } });
			const ctl = flow.sim.control;
			const live = ((await ctl.records({ type: 'listMembership', deleted: false })) as any[]).filter((m) => !m.optedOut);
			assert(live.length >= 2, `the seed made ${live.length} opted-in memberships`);
			const [toOptOut, toRemove] = live;
			const taken = new Set(((await ctl.records({ type: 'listMembership' })) as any[]).map((m) => `${m.listId}/${m.prospectId}`));
			const pair = flow.seedResult.listIds.flatMap((l) => flow.seedResult.prospectIds.map((p) => ({ listId: l, prospectId: p }))).find((x) => !taken.has(`${x.listId}/${x.prospectId}`));
			assert(pair, 'every prospect is in every list already');
			const added = await ctl.addToList(pair);
			await ctl.optOut({ listId: toOptOut.listId, prospectId: toOptOut.prospectId });
			await ctl.removeFromList({ listId: toRemove.listId, prospectId: toRemove.prospectId });
			const round1: Expected[] = [
				{ objectType: 'listMemberships', objectId: String(added.id), eventType: 'CREATED' },
				{ objectType: 'listMemberships', objectId: String(toOptOut.id), eventType: 'UPDATED' },
				{ objectType: 'listMemberships', objectId: String(toRemove.id), eventType: 'DELETED' },
			];
			flow.expected.push(...round1);
			log(`prospect ${pair.prospectId} added to list ${pair.listId}, membership ${toOptOut.id} opted out, ${toRemove.id} removed; waiting for n8n's own schedule`);
			const t = Date.now();
			await flow.waitDelivered('a scheduled poll', POLL_WAIT_MS);
			log(`scheduled poll delivered after ${((Date.now() - t) / 1000).toFixed(0)} s: ${flow.describe()}`);
			assertOneObjectTypePerNotification(flow);
			const optedOut = rawOf(flow, 'listMemberships', String(toOptOut.id));
			assert(optedOut && [true, 1, '1', 'true'].includes(optedOut.opted_out), `the opted-out membership arrived with opted_out ${JSON.stringify(optedOut?.opted_out)}`);
			const created = rawOf(flow, 'listMemberships', String(added.id));
			assert(String(created?.list_id) === String(pair.listId) && String(created?.prospect_id) === String(pair.prospectId), `the new membership's raw: ${JSON.stringify(created)}`);

			// added back: the same membership (same id) out of the recycle bin, an update
			await ctl.addToList({ listId: toRemove.listId, prospectId: toRemove.prospectId });
			flow.expected.push({ objectType: 'listMemberships', objectId: String(toRemove.id), eventType: 'UPDATED' });
			await flow.pollNow();
			await flow.waitDelivered('the re-add via an extra poll', 30_000);

			const sample = await sampleOf(flow);
			const ev = sample[0];
			log(`Fetch Test Event: ${sample.length} item(s); first ${ev.eventType} ${ev.objectType} ${ev.objectId} (list ${ev.raw?.list_id}, prospect ${ev.raw?.prospect_id})`);
			assert(ev.objectType === 'listMemberships' && ev.raw?.list_id !== undefined && ev.raw?.prospect_id !== undefined, `sample event: ${JSON.stringify(ev).slice(0, 300)}`);
			await flow.assertNothingNewAfterExtraPoll();
		}),

		test(label, 'lists, campaigns, visitors (OAuth2, v5): created, updated, deleted once each, one object type per notification', async (log) => {
			const flow = others;
			await flow.setup({ auth: 'oAuth2', apiVersion: '5', resources: ['lists', 'campaigns', 'visitors'], events: ALL_EVENTS, seed: { campaigns: 3, lists: 3, visitors: 3 } });
			const ctl = flow.sim.control;
			const s = flow.seedResult;
			const list = await ctl.create({ type: 'list', fields: { name: `E2E list ${label}`, title: 'E2E' } });
			await ctl.update({ type: 'list', id: s.listIds[0], fields: { title: 'Renamed by e2e' } });
			await ctl.delete({ type: 'list', id: s.listIds[1] });
			const campaign = await ctl.create({ type: 'campaign', fields: { name: `E2E campaign ${label}`, cost: 500 } });
			await ctl.update({ type: 'campaign', id: s.campaignIds[0], fields: { cost: 12_345 } });
			await ctl.delete({ type: 'campaign', id: s.campaignIds[1] });
			const visitor = await ctl.create({ type: 'visitor', fields: { pageViewCount: 1, ipAddress: '203.0.113.7' } });
			await ctl.update({ type: 'visitor', id: s.visitorIds[0], fields: { pageViewCount: 42 } });
			const e = (objectType: Expected['objectType'], id: number, eventType: Expected['eventType']): Expected => ({ objectType, objectId: String(id), eventType });
			flow.expected.push(
				e('lists', list.id, 'CREATED'),
				e('lists', s.listIds[0], 'UPDATED'),
				e('lists', s.listIds[1], 'DELETED'),
				e('campaigns', campaign.id, 'CREATED'),
				e('campaigns', s.campaignIds[0], 'UPDATED'),
				e('campaigns', s.campaignIds[1], 'DELETED'),
				e('visitors', visitor.id, 'CREATED'),
				e('visitors', s.visitorIds[0], 'UPDATED'),
			);
			await flow.pollNow();
			await flow.waitDelivered('an extra poll', 30_000);
			assertOneObjectTypePerNotification(flow);
			const cost = rawOf(flow, 'campaigns', String(s.campaignIds[0]))?.cost;
			assert(Number(cost) === 12_345, `the updated campaign arrived with cost ${JSON.stringify(cost)}`);
			await flow.assertNothingNewAfterExtraPoll();
			log(`${flow.expected.length} events in ${sink.requests(flow.path).length} notification(s): ${flow.describe()}`);
		}),

		test(label, 'campaigns on API v4: activation refused with "Campaigns need Pardot API v5", nothing asked of Pardot', async (log) => {
			const flow = refused;
			await flow.setup({ auth: 'legacy', apiVersion: '4', resources: ['contacts', 'campaigns'], activate: false });
			await flow.sim.control.resetStats();
			const said = await activationRefusal(flow);
			log(`n8n says: ${said.slice(0, 400)}`);
			assert(said.includes('Campaigns need Pardot API v5'), `activation did not say "Campaigns need Pardot API v5": ${said || '(nothing)'}`);
			const stats = await flow.sim.control.stats();
			assert(stats.total === 0, `the refused trigger sent Pardot ${stats.total} request(s): ${JSON.stringify(stats.byEndpoint)}`);
			await sleep(1000);
			assert(flow.events().length === 0, 'events arrived from a refused workflow');
			const ex = await n8n.executions(flow.wfId);
			assert(ex.length === 0, `the refused workflow ran: ${await flow.executionsSummary()}`);
		}),
	];
}
