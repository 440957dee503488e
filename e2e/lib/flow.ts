/**
 * One scenario's workflow (Pardot Trigger -> Pardot Event Callback) with its own simulator and its own path at the
 * callback receiver, and the checks every scenario shares: every expected change arrives exactly once, signed, in
 * the envelope; nothing else arrives.
 */
import { describeExecution, type N8n, sleep, waitFor } from './n8n';
import { assert } from './report';
import { startSim, SIM_DEFAULTS, type Sim, type SimSeed, type SimSeeded } from './sim';
import { type Sink, type SinkEvent } from './sink';
import { fromExample, triggerToCallback, type CredRef } from './workflows';

export const SIGNING_KEY = 'e2e-signing-key-3f9a1c';
/** One scheduled poll: n8n's everyMinute is a random second each minute, so at most about two minutes. */
export const POLL_WAIT_MS = Number(process.env.E2E_POLL_WAIT_MS || 150_000);

/** The trigger's resources; each event's objectType is one of them. */
export type ObjectType = 'contacts' | 'leads' | 'visitorActivities' | 'listMemberships' | 'lists' | 'campaigns' | 'visitors';
export interface Expected {
	objectType: ObjectType;
	objectId: string;
	eventType: 'CREATED' | 'UPDATED' | 'DELETED';
}
export const key = (e: { objectType: string; objectId: string; eventType: string }) => `${e.objectType}/${e.objectId}/${e.eventType}`;
const simType = (t: 'contacts' | 'leads') => (t === 'contacts' ? 'prospect' : 'opportunity');

export interface LineCtx {
	label: string;
	n8n: N8n;
	sink: Sink;
	signing: CredRef;
	typeVersions: { trigger: number; callback: number };
}

/** One workflow with its own simulator and its own sink path. */
export class Flow {
	sim!: Sim;
	wfId = '';
	cred!: CredRef;
	credData: Record<string, unknown> = {};
	credType = '';
	readonly path: string;
	seeded: { contacts: string[]; leads: string[] } = { contacts: [], leads: [] };
	/** Everything the setup seeded (lists, memberships, campaigns... when asked for with `seed`). */
	seedResult!: SimSeeded;
	expected: Expected[] = [];
	private counter = 0;

	constructor(
		readonly ctx: LineCtx,
		readonly name: string,
	) {
		this.path = `/${ctx.label.replace(/[^a-z0-9]+/gi, '-')}/${name}`;
	}

	async setup(o: {
		auth: 'legacy' | 'oAuth2';
		apiVersion: '3' | '4' | '5';
		timezone?: string;
		simOptions?: Record<string, unknown>;
		activate?: boolean;
		seedAt?: string;
		callbackOptions?: Record<string, unknown>;
		/** Default: contacts and leads. */
		resources?: string[];
		/** Default: CREATED, UPDATED, DELETED. */
		events?: string[];
		/** The trigger's options (activityTypes, maxEventsPerPoll...). */
		triggerOptions?: Record<string, unknown>;
		/** The workflow from examples/<file> as a user completes it after import (its resources, events, options). */
		example?: string;
		/** Seeded besides the 8 prospects and 8 opportunities (lists, memberships, campaigns, visitors...). */
		seed?: SimSeed;
		/** merged into the workflow's settings, e.g. { errorWorkflow: <id> } */
		workflowSettings?: Record<string, unknown>;
	}) {
		const tz = o.timezone ?? 'UTC';
		this.resources = (o.resources ?? ['contacts', 'leads']).filter((r): r is 'contacts' | 'leads' => r === 'contacts' || r === 'leads');
		this.settleMs = o.apiVersion === '5' ? 67_000 : 7_000;
		this.sim = await startSim({ timezone: tz, ...(o.simOptions ?? {}) });
		const seed = await this.sim.control.seed({
			prospects: 8,
			opportunities: 8,
			at: o.seedAt ?? new Date(Date.now() - 24 * 3600_000).toISOString(),
			spreadMs: 60_000,
			...o.seed,
		});
		this.seedResult = seed;
		this.seeded = { contacts: seed.prospectIds.map(String), leads: seed.opportunityIds.map(String) };
		const n8n = this.ctx.n8n;
		if (o.auth === 'legacy') {
			this.credType = 'pardotApi';
			this.credData = {
				username: SIM_DEFAULTS.username,
				password: SIM_DEFAULTS.password,
				userKey: SIM_DEFAULTS.userKey,
				apiVersion: o.apiVersion,
				environment: 'custom',
				baseUrl: this.sim.baseUrl,
				timezone: tz,
			};
		} else {
			this.credType = 'pardotOAuth2Api';
			this.credData = {
				environment: 'custom',
				baseUrl: this.sim.baseUrl,
				loginUrl: this.sim.baseUrl,
				businessUnitId: SIM_DEFAULTS.businessUnitId,
				apiVersion: o.apiVersion,
				timezone: tz,
				grantType: 'clientCredentials',
				clientId: SIM_DEFAULTS.clientId,
				clientSecret: SIM_DEFAULTS.clientSecret,
			};
		}
		const c = await n8n.createCredential(`Pardot ${this.name} (${this.ctx.label})`, this.credType, this.credData);
		this.cred = { id: c.id, name: c.name };
		this.ctx.sink.setKey(this.path, SIGNING_KEY);
		const common = {
			name: `e2e ${this.name}`,
			authentication: o.auth,
			pardotCredential: this.cred,
			signingCredential: this.ctx.signing,
			callbackUrl: this.ctx.sink.url + this.path,
			callbackOptions: o.callbackOptions,
			typeVersions: this.ctx.typeVersions,
			settings: o.workflowSettings,
		};
		const wf = await n8n.createWorkflow(
			o.example
				? fromExample(o.example, common)
				: triggerToCallback({ ...common, resources: o.resources, events: o.events, triggerOptions: o.triggerOptions }),
		);
		this.wfId = wf.id;
		if (o.activate !== false) await n8n.activate(this.wfId);
	}

	settleMs = 7_000;

	/** The contacts and leads the trigger watches: changes() writes only those. */
	resources: Array<'contacts' | 'leads'> = ['contacts', 'leads'];

	/**
	 * The trigger emits a change only once it is older than its settle margin on Pardot's clock (5 s for v3/v4,
	 * 65 s for v5, whose reads lag). Instead of waiting that long before an immediate poll, move this scenario's
	 * simulated Pardot clock forward past the margin.
	 */
	async settle() {
		await this.sim.control.clock({ advanceMs: this.settleMs });
	}

	/** Changes settled, then one poll right now (deactivate + activate, static data kept). */
	async pollNow() {
		await this.settle();
		await this.ctx.n8n.extraPoll(this.wfId);
	}

	async setPassword(password: string) {
		this.credData = { ...this.credData, password };
		await this.ctx.n8n.updateCredential(this.cred.id, this.cred.name, this.credType, this.credData);
	}

	/** A round of changes: a new contact and lead, an update of each, a delete of each (on seeded records). */
	async changes(): Promise<Expected[]> {
		const out: Expected[] = [];
		const c = this.sim.control;
		for (const t of this.resources) {
			const n = ++this.counter;
			const created =
				t === 'contacts'
					? await c.create({ type: 'prospect', fields: { email: `e2e-${this.name}-${n}@example.com`, first_name: `E2E ${n}` } })
					: await c.create({ type: 'opportunity', fields: { name: `E2E deal ${this.name} ${n}`, value: 1000 + n, probability: 50 } });
			out.push({ objectType: t, objectId: String(created.id), eventType: 'CREATED' });
			const upd = this.seeded[t].shift();
			const del = this.seeded[t].shift();
			assert(upd && del, `scenario ${this.name} ran out of seeded ${t}`);
			await c.update({ type: simType(t), id: Number(upd), fields: t === 'contacts' ? { job_title: `Changed ${n}` } : { value: 5000 + n } });
			out.push({ objectType: t, objectId: upd, eventType: 'UPDATED' });
			await c.delete({ type: simType(t), id: Number(del) });
			out.push({ objectType: t, objectId: del, eventType: 'DELETED' });
		}
		this.expected.push(...out);
		return out;
	}

	events(): SinkEvent[] {
		return this.ctx.sink.events(this.path);
	}

	describe() {
		const got = this.events().map(key);
		const missing = this.expected.map(key).filter((k) => !got.includes(k));
		return `sink ${this.path} has ${this.ctx.sink.requests(this.path).length} requests, events [${got.join(', ')}]; missing [${missing.join(', ')}]`;
	}

	/** Every expected change at the sink, exactly once, signed, in the envelope; nothing else. */
	async waitDelivered(what: string, timeoutMs: number) {
		await waitFor(
			`${what}: ${this.expected.length} events at ${this.path}`,
			() => {
				const got = new Set(this.events().map(key));
				return this.expected.every((e) => got.has(key(e)));
			},
			{ timeoutMs, intervalMs: 500, describe: async () => this.describe() + (await this.executionsSummary()) },
		);
		// a repeated notification can only come from an execution of this workflow: let every one that started end
		await this.executionsEnded(`${what}: the executions that delivered`);
		this.assertExactlyOnce();
	}

	/**
	 * Wait until no execution of this workflow is new or running (n8n's own status in the executions list), bounded;
	 * returns the executions. What the callback sends, it sends before its execution ends.
	 */
	async executionsEnded(what: string, timeoutMs = 60_000): Promise<any[]> {
		let last: any[] = [];
		return waitFor(
			`${what}: every execution of workflow ${this.wfId} ended`,
			async () => {
				last = await this.ctx.n8n.executions(this.wfId);
				return last.some((e: any) => e.status === 'new' || e.status === 'running') ? null : last;
			},
			{ timeoutMs, intervalMs: 500, describe: () => `executions ${last.map((e: any) => `${e.id}:${e.mode}:${e.status}`).join(', ') || 'none'}; ${this.describe()}` },
		);
	}

	assertExactlyOnce() {
		const events = this.events();
		const counts = new Map<string, number>();
		for (const e of events) counts.set(key(e), (counts.get(key(e)) ?? 0) + 1);
		const dup = [...counts].filter(([, n]) => n > 1).map(([k, n]) => `${k} x${n}`);
		assert(dup.length === 0, `events repeated at the sink: ${dup.join(', ')}`);
		const want = new Set(this.expected.map(key));
		const extra = [...counts.keys()].filter((k) => !want.has(k));
		assert(extra.length === 0, `unexpected events at the sink: ${extra.join(', ')}`);
		const reqs = this.ctx.sink.requests(this.path);
		const bad = reqs.filter((r) => r.problems.length);
		assert(bad.length === 0, `callback requests not as specified: ${bad.map((r) => r.problems.join('; ')).join(' | ')}`);
		const ids = reqs.map((r) => r.json?.message?.eventId);
		assert(new Set(ids).size === ids.length, `a notification eventId repeated: ${ids.join(', ')}`);
		for (const r of reqs) assert(r.events.length <= 10, `a notification carries ${r.events.length} events (max 10)`);
	}

	/** One more poll right now with no changes: nothing may arrive. */
	async assertNothingNewAfterExtraPoll() {
		const before = this.ctx.sink.requests(this.path).length;
		const statsBefore = this.queries(await this.sim.control.stats());
		await this.ctx.n8n.extraPoll(this.wfId);
		const statsAfter = this.queries(await this.sim.control.stats());
		assert(statsAfter > statsBefore, `the extra poll made no Pardot query (stats ${statsBefore} -> ${statsAfter})`);
		// a poll that found something starts an execution right after it returns (n8n does not wait for it): give one
		// time to be created, then let every execution end before looking at the receiver
		await sleep(4000);
		await this.executionsEnded('after a poll without changes');
		const after = this.ctx.sink.requests(this.path).length;
		assert(after === before, `a poll without changes delivered ${after - before} more notification(s): ${this.describe()}`);
		this.assertExactlyOnce();
	}

	queries(stats: any) {
		const b = stats?.byEndpoint ?? {};
		return Object.entries(b)
			.filter(([k]) => k !== 'login' && k !== 'oauth.token')
			.reduce((a, [, v]) => a + Number(v), 0);
	}

	async executionsSummary() {
		try {
			const ex = await this.ctx.n8n.executions(this.wfId);
			return `\n  executions of workflow ${this.wfId}: ${ex.map((e: any) => `${e.id}:${e.mode}:${e.status}`).join(', ') || 'none'}`;
		} catch (e) {
			return `\n  executions: ${(e as Error).message}`;
		}
	}

	async close() {
		await this.sim?.close().catch(() => {});
	}
}

export function errorOf(execution: any): string {
	const err = execution?.data?.resultData?.error;
	if (!err) return '';
	return [err.message, err.description].filter(Boolean).join(' | ');
}

/**
 * "Fetch Test Event": a manual run of the trigger alone, as the editor's button starts it; the trigger's output
 * items once n8n has stored the run's end (N8n.endedExecution: on n8n 1.x a final status can be read before the
 * run data). Fails when the run failed or returned nothing.
 */
export async function fetchTestEvent(n8n: N8n, workflowId: string, triggerName: string): Promise<any[]> {
	const r = await n8n.runManually(workflowId, triggerName);
	assert(r?.executionId, `manual run did not start an execution: ${JSON.stringify(r)}`);
	const ex = await n8n.endedExecution(String(r.executionId));
	assert(ex.status !== 'error', `manual run ${r.executionId} failed: ${errorOf(ex)}`);
	const items = ex.data?.resultData?.runData?.[triggerName]?.[0]?.data?.main?.[0] ?? [];
	assert(items.length >= 1, `the manual run ${r.executionId} returned no item: ${describeExecution(ex)}; run data ${JSON.stringify(ex.data?.resultData?.runData ?? {}).slice(0, 400)}`);
	return items.map((i: any) => i.json);
}

export function versionOf(t: any): number {
	const v = t?.version;
	return Array.isArray(v) ? Math.max(...v) : Number(v ?? 1);
}
