/**
 * End-to-end proof in a real n8n (issue 5). Plain Node script:
 *
 *   npm run test:e2e                 # both n8n lines (2.x on Node 24, then 1.x on Node 20)
 *   npm run test:e2e -- --line 2     # one line; also E2E_LINES=2
 *   npm run test:e2e -- --no-build   # use the dist/ that is there
 *
 * Installs n8n into .e2e/ (reused when present), symlinks this package where a community-node install puts it,
 * starts n8n on 127.0.0.1 beside one in-process Pardot simulator per scenario and a callback sink, creates
 * credentials and workflows through n8n's REST API as an administrator would, activates them and watches the
 * sink. Scenarios run as parallel workflows (n8n polls at most once a minute). Prints `N passed, N failed` last;
 * exits non-zero on any failure; kills every process group it started, also on Ctrl-C and on errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureN8n, REPO_ROOT, versions, type N8nInstall } from './lib/install';
import { N8n, sleep, waitFor } from './lib/n8n';
import { installCleanup, runToEnd, stopAll } from './lib/procs';
import { startSim, SIM_DEFAULTS, type Sim } from './lib/sim';
import { startSink, type Sink, type SinkEvent } from './lib/sink';
import { CALLBACK_TYPE, TRIGGER_TYPE, triggerToCallback, type CredRef } from './lib/workflows';

const SIGNING_KEY = 'e2e-signing-key-3f9a1c';
const POLL_WAIT_MS = Number(process.env.E2E_POLL_WAIT_MS || 150_000); // one scheduled poll: at most ~2 minutes
const LINE_BUDGET_MS = Number(process.env.E2E_LINE_BUDGET_MIN || 20) * 60_000;

// ------------------------------------------------------------------------------------------- reporting

interface Result {
	line: string;
	name: string;
	ok: boolean;
	ms: number;
	error?: string;
}
const results: Result[] = [];
const t0 = Date.now();
function stamp() {
	return `${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s`;
}
function say(msg: string) {
	process.stdout.write(`${stamp()} ${msg}\n`);
}

async function test(line: string, name: string, fn: (log: (m: string) => void) => Promise<void>): Promise<boolean> {
	const start = Date.now();
	const log = (m: string) => say(`[${line}] ${name}: ${m}`);
	log('started');
	try {
		await fn(log);
		const ms = Date.now() - start;
		results.push({ line, name, ok: true, ms });
		say(`[${line}] PASS ${name} (${(ms / 1000).toFixed(1)} s)`);
		return true;
	} catch (e) {
		const ms = Date.now() - start;
		const error = (e as Error).stack ?? String(e);
		results.push({ line, name, ok: false, ms, error: (e as Error).message });
		say(`[${line}] FAIL ${name} (${(ms / 1000).toFixed(1)} s)\n${indent(error)}`);
		return false;
	}
}
function indent(s: string) {
	return s
		.split('\n')
		.map((l) => `        ${l}`)
		.join('\n');
}
function assert(cond: unknown, msg: string): asserts cond {
	if (!cond) throw new Error(msg);
}

// ------------------------------------------------------------------------------------------- one scenario's data

type ObjectType = 'contacts' | 'leads';
interface Expected {
	objectType: ObjectType;
	objectId: string;
	eventType: 'CREATED' | 'UPDATED' | 'DELETED';
}
const key = (e: { objectType: string; objectId: string; eventType: string }) => `${e.objectType}/${e.objectId}/${e.eventType}`;
const simType = (t: ObjectType) => (t === 'contacts' ? 'prospect' : 'opportunity');

interface LineCtx {
	label: string;
	n8n: N8n;
	sink: Sink;
	signing: CredRef;
	typeVersions: { trigger: number; callback: number };
}

/** One workflow with its own simulator and its own sink path. */
class Flow {
	sim!: Sim;
	wfId = '';
	cred!: CredRef;
	credData: Record<string, unknown> = {};
	credType = '';
	readonly path: string;
	seeded: { contacts: string[]; leads: string[] } = { contacts: [], leads: [] };
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
	}) {
		const tz = o.timezone ?? 'UTC';
		this.settleMs = o.apiVersion === '5' ? 67_000 : 7_000;
		this.sim = await startSim({ timezone: tz, ...(o.simOptions ?? {}) });
		const seed = await this.sim.control.seed({
			prospects: 8,
			opportunities: 8,
			at: o.seedAt ?? new Date(Date.now() - 24 * 3600_000).toISOString(),
			spreadMs: 60_000,
		});
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
		const wf = await n8n.createWorkflow(
			triggerToCallback({
				name: `e2e ${this.name}`,
				authentication: o.auth,
				pardotCredential: this.cred,
				signingCredential: this.ctx.signing,
				callbackUrl: this.ctx.sink.url + this.path,
				typeVersions: this.ctx.typeVersions,
			}),
		);
		this.wfId = wf.id;
		if (o.activate !== false) await n8n.activate(this.wfId);
	}

	settleMs = 7_000;

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
		for (const t of ['contacts', 'leads'] as const) {
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
		await sleep(1500); // let a late duplicate show up if there is one
		this.assertExactlyOnce();
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
		await sleep(4000);
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

// ------------------------------------------------------------------------------------------- checks

function errorOf(execution: any): string {
	const err = execution?.data?.resultData?.error;
	if (!err) return '';
	return [err.message, err.description].filter(Boolean).join(' | ');
}

async function waitExecutionDone(n8n: N8n, id: string, timeoutMs = 60_000) {
	return waitFor(
		`execution ${id} finished`,
		async () => {
			const ex = await n8n.execution(id);
			return ex.finished || ['success', 'error', 'crashed', 'canceled'].includes(ex.status) ? ex : null;
		},
		{ timeoutMs, intervalMs: 500 },
	);
}

function versionOf(t: any): number {
	const v = t?.version;
	return Array.isArray(v) ? Math.max(...v) : Number(v ?? 1);
}

// ------------------------------------------------------------------------------------------- one n8n line

async function runLine(line: string) {
	const spec = versions.lines[line];
	const label = `n8n ${spec.n8n}`;
	let install: N8nInstall | undefined;
	const installOk = await test(label, `install n8n ${spec.n8n}${spec.node ? ` on ${spec.node}` : ' on this Node'}`, async (log) => {
		install = await ensureN8n(line);
		log(`node ${install.nodeBin}`);
	});
	if (!installOk || !install) return;

	const lineDeadline = Date.now() + LINE_BUDGET_MS;
	const watchdog = setTimeout(() => {
		say(`[${label}] the line ran over its ${LINE_BUDGET_MS / 60000} min budget: stopping everything`);
		results.push({ line: label, name: 'time budget', ok: false, ms: LINE_BUDGET_MS, error: 'ran over budget' });
		finish(1);
	}, LINE_BUDGET_MS);

	const sink = await startSink();
	const n8n = new N8n({ install, log: (m) => say(`[${label}] ${m}`) });
	const flows: Flow[] = [];
	let ctx: LineCtx | undefined;
	let keepFolder = false;
	try {
		const started = await test(label, 'n8n starts with the package loaded', async (log) => {
			await n8n.start();
			await n8n.ensureOwner();
			const signing = await n8n.createCredential('Callback signing (e2e)', 'pardotCallbackSigningApi', { signingKey: SIGNING_KEY });
			const types = await n8n.nodeTypes();
			const trig = types.find((t) => t.name === TRIGGER_TYPE);
			const cb = types.find((t) => t.name === CALLBACK_TYPE);
			assert(trig, `${TRIGGER_TYPE} not among the ${types.length} loaded node types\n${n8n.tail(30)}`);
			assert(cb, `${CALLBACK_TYPE} not among the loaded node types`);
			ctx = { label, n8n, sink, signing: { id: signing.id, name: signing.name }, typeVersions: { trigger: versionOf(trig), callback: versionOf(cb) } };
			log(`user folder ${n8n.userFolder}; trigger v${versionOf(trig)}, callback v${versionOf(cb)}`);
		});
		if (!started || !ctx) {
			keepFolder = true;
			return;
		}
		const c = ctx;

		await test(label, 'node list shows our nodes and credentials with our icon', async (log) => {
			const types = await n8n.nodeTypes();
			for (const name of [TRIGGER_TYPE, CALLBACK_TYPE]) {
				const t = types.find((x) => x.name === name);
				assert(t, `${name} missing from /types/nodes.json`);
				const icon = t.iconUrl?.light ?? t.iconUrl ?? t.icon;
				assert(typeof icon === 'string' && icon, `${name} has no icon: ${JSON.stringify({ icon: t.icon, iconUrl: t.iconUrl })}`);
				assert(/^icons\/n8n-nodes-pardot\/dist\/.+\.svg$/.test(icon), `${name} icon is not from our package: ${icon}`);
				const url = icon.startsWith('file:') ? null : icon;
				assert(url, `${name} icon was not turned into a URL by n8n: ${icon}`);
				const r = await n8n.fetchRaw(url);
				const body = await r.text();
				assert(r.ok && body.includes('<svg'), `GET ${url} -> ${r.status} ${body.slice(0, 80)}`);
				log(`${name}: "${t.displayName}" icon ${url} (${body.length} bytes of SVG)`);
			}
			const creds = await n8n.credentialTypes();
			for (const name of ['pardotApi', 'pardotOAuth2Api', 'pardotCallbackSigningApi']) {
				const t = creds.find((x) => x.name === name);
				assert(t, `credential ${name} missing from /types/credentials.json`);
				const icon = t.iconUrl?.light ?? t.iconUrl ?? t.icon;
				assert(typeof icon === 'string' && /\.svg$/.test(icon), `credential ${name} has no icon: ${JSON.stringify(t.icon ?? t.iconUrl)}`);
				log(`credential ${name}: "${t.displayName}" icon ${icon}`);
			}
		});

		await test(label, 'examples/*.json import', async (log) => {
			const dir = path.join(REPO_ROOT, 'examples');
			const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
			assert(files.length >= 3, `expected at least 3 example workflows in examples/, found ${files.length}`);
			const known = new Set((await n8n.nodeTypes()).map((t) => t.name));
			for (const f of files) {
				const wf = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
				const created = await n8n.createWorkflow({ ...wf, name: `example ${f}` });
				const back = await n8n.getWorkflow(created.id);
				assert(back.nodes.length === wf.nodes.length, `${f}: ${back.nodes.length} of ${wf.nodes.length} nodes came back`);
				const unknown = back.nodes.filter((n: any) => !known.has(n.type)).map((n: any) => n.type);
				assert(unknown.length === 0, `${f}: unknown node types ${unknown.join(', ')}`);
				assert(
					back.nodes.some((n: any) => n.type === TRIGGER_TYPE),
					`${f}: no Pardot Trigger in the example`,
				);
				log(`${f}: ${back.nodes.length} nodes (${back.nodes.map((n: any) => n.type.split('.').pop()).join(', ')})`);
			}
		});

		// ---------------------------------------------------------------- phase A: parallel workflows
		const legacy = new Flow(c, 'legacy-v4');
		const oauth = new Flow(c, 'oauth2-v5');
		const wrong = new Flow(c, 'wrong-password-v3');
		const restart = new Flow(c, 'restart');
		const sample = new Flow(c, 'fetch-test-event');
		flows.push(legacy, oauth, wrong, restart, sample);
		let restartReady = false;

		await Promise.all([
			test(label, 'legacy credential v4: changes arrive once each at a real scheduled poll', async (log) => {
				await legacy.setup({ auth: 'legacy', apiVersion: '4' });
				log('activated (activation poll done); changing 6 records and waiting for n8n\'s own schedule');
				const t = Date.now();
				await legacy.changes();
				await legacy.waitDelivered('a scheduled poll (no activation by us)', POLL_WAIT_MS);
				log(`scheduled poll delivered after ${((Date.now() - t) / 1000).toFixed(0)} s: ${legacy.describe()}`);
				await legacy.changes();
				await legacy.pollNow();
				await legacy.waitDelivered('second round via an extra poll', 30_000);
				await legacy.assertNothingNewAfterExtraPoll();
				log(`${legacy.expected.length} events, ${sink.requests(legacy.path).length} signed notifications, none repeated`);
			}),
			test(label, 'OAuth2 client credentials, API v5: changes arrive once each', async (log) => {
				await oauth.setup({ auth: 'oAuth2', apiVersion: '5' });
				for (let round = 1; round <= 2; round++) {
					await oauth.changes();
					await oauth.pollNow();
					await oauth.waitDelivered(`round ${round} via an extra poll`, 30_000);
				}
				await oauth.assertNothingNewAfterExtraPoll();
				const stats = await oauth.sim.control.stats();
				assert(stats.byEndpoint?.['oauth.token'] >= 1, `n8n fetched no token from the simulator: ${JSON.stringify(stats)}`);
				log(`${oauth.expected.length} events, ${sink.requests(oauth.path).length} signed notifications, token requests ${(await oauth.sim.control.stats()).byEndpoint['oauth.token']}`);
			}),
			test(label, 'wrong password: a clear error in the executions, polling resumes when fixed', async (log) => {
				await wrong.setup({ auth: 'legacy', apiVersion: '3', simOptions: { accountVersion: 3 } });
				await wrong.setPassword('wrong-password');
				await wrong.sim.control.tokens({ expire: true });
				await wrong.changes();
				log('password changed to a wrong one; waiting for the next scheduled poll to fail');
				const failed = await waitFor(
					'an error execution of the wrong-password workflow (next scheduled poll)',
					async () => (await n8n.executions(wrong.wfId)).find((e: any) => e.status === 'error' || e.status === 'crashed'),
					{ timeoutMs: POLL_WAIT_MS, intervalMs: 1000, describe: () => wrong.executionsSummary() },
				);
				const ex = await n8n.execution(failed.id);
				const message = errorOf(ex);
				log(`execution ${failed.id} (${failed.mode}, ${failed.status}): ${message}`);
				assert(/password/i.test(message), `the error does not tell the password is wrong: "${message}"`);
				assert(wrong.events().length === 0, 'events arrived while the password was wrong');
				await wrong.setPassword(SIM_DEFAULTS.password);
				log('password fixed; waiting for the next scheduled poll to deliver');
				await wrong.waitDelivered('a scheduled poll after the fix (no re-activation)', POLL_WAIT_MS);
				const wf = await n8n.getWorkflow(wrong.wfId);
				assert(wf.active !== false, 'the workflow was deactivated');
			}),
			test(label, 'restart, part 1: baseline and one delivered round', async () => {
				await restart.setup({ auth: 'legacy', apiVersion: '4', timezone: 'America/New_York' });
				await restart.changes();
				await restart.pollNow();
				await restart.waitDelivered('round 1 via an extra poll', 30_000);
				restartReady = true;
			}),
			test(label, '"Fetch Test Event" (manual run) returns a sample event', async (log) => {
				await sample.setup({ auth: 'legacy', apiVersion: '4', activate: false, seedAt: new Date(Date.now() - 10 * 60_000).toISOString() });
				await sample.changes();
				const r = await n8n.runManually(sample.wfId, 'Pardot Trigger');
				assert(r?.executionId, `manual run did not start an execution: ${JSON.stringify(r)}`);
				const ex = await waitExecutionDone(n8n, r.executionId);
				assert(ex.status !== 'error', `manual run failed: ${errorOf(ex)}`);
				const items = ex.data?.resultData?.runData?.['Pardot Trigger']?.[0]?.data?.main?.[0] ?? [];
				assert(items.length >= 1, `the manual run returned no item: ${JSON.stringify(ex.data?.resultData?.runData ?? {}).slice(0, 400)}`);
				const ev = items[0].json;
				for (const k of ['eventId', 'eventType', 'objectType', 'objectId', 'elementKey', 'hubKey', 'date', 'pollDate', 'raw'])
					assert(ev[k] !== undefined, `sample event has no ${k}: ${JSON.stringify(ev).slice(0, 300)}`);
				assert(ev.elementKey === 'pardot', `elementKey ${ev.elementKey}`);
				log(`${items.length} item(s); first: ${ev.eventType} ${ev.objectType} ${ev.objectId} at ${ev.date}`);
				assert(sample.events().length === 0, 'a manual trigger run must not run the callback');
			}),
		]);

		// ---------------------------------------------------------------- phase B: restart between two polls
		await test(label, 'restart, part 2: n8n stopped and started between two polls: nothing lost, nothing repeated', async (log) => {
			assert(restartReady, 'part 1 failed');
			const before = await restart.changes(); // made while n8n runs, not yet polled
			const mark = sink.requests(restart.path).length;
			const tStop = Date.now();
			await n8n.stop();
			log(`n8n stopped in ${((Date.now() - tStop) / 1000).toFixed(1)} s; changing records while it is down`);
			await restart.changes();
			const tStart = Date.now();
			await n8n.start();
			await n8n.ensureOwner();
			log(`n8n up again in ${((Date.now() - tStart) / 1000).toFixed(1)} s; waiting for its first poll`);
			await restart.waitDelivered('the first poll after the restart', POLL_WAIT_MS);
			log(`${before.length * 2} changes from before/while down arrived in ${sink.requests(restart.path).length - mark} notification(s)`);
			await restart.assertNothingNewAfterExtraPoll();
		});

		await test(label, 'after the restart, the other workflows repeated nothing', async () => {
			if (!n8n.proc) {
				await n8n.start();
				await n8n.ensureOwner();
			}
			for (const f of [legacy, oauth]) {
				if (!f.wfId) continue;
				await f.assertNothingNewAfterExtraPoll();
			}
		});
	} catch (e) {
		keepFolder = true;
		results.push({ line: label, name: 'suite', ok: false, ms: 0, error: (e as Error).message });
		say(`[${label}] suite error: ${(e as Error).stack}`);
	} finally {
		if (results.some((r) => r.line === label && !r.ok)) keepFolder = true;
		if (keepFolder) say(`[${label}] ${n8n.tail(60)}`);
		await n8n.stop().catch(() => {});
		await Promise.all(flows.map((f) => f.close()));
		await sink.close();
		clearTimeout(watchdog);
		if (keepFolder) say(`[${label}] kept the n8n user folder for inspection: ${n8n.userFolder}`);
		else fs.rmSync(n8n.userFolder, { recursive: true, force: true });
		void lineDeadline;
	}
}

// ------------------------------------------------------------------------------------------- main

let finished = false;
function finish(code?: number) {
	if (finished) return;
	finished = true;
	const passed = results.filter((r) => r.ok).length;
	const failed = results.filter((r) => !r.ok).length;
	process.stdout.write('\n== e2e summary\n');
	for (const r of results) process.stdout.write(`${r.ok ? 'PASS' : 'FAIL'} [${r.line}] ${r.name} (${(r.ms / 1000).toFixed(1)} s)${r.ok ? '' : `: ${r.error?.split('\n')[0]}`}\n`);
	process.stdout.write(`total ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
	process.stdout.write(`${passed} passed, ${failed} failed\n`);
	process.exit(code ?? (failed > 0 || passed === 0 ? 1 : 0));
}

async function main() {
	installCleanup((sig) => say(`got ${sig}: stopping every process this run started`));
	const args = process.argv.slice(2);
	const lineArg = args.includes('--line') ? args[args.indexOf('--line') + 1] : process.env.E2E_LINES;
	const lines = (lineArg && lineArg !== 'all' ? lineArg.split(',') : Object.keys(versions.lines).sort().reverse()).map((s) => s.trim());
	if (!args.includes('--no-build')) {
		say('building the package (npm run build)');
		const r = await runToEnd('npm run build', 'npm', ['run', 'build'], { cwd: REPO_ROOT, timeoutMs: 300_000 });
		if (r.code !== 0) {
			results.push({ line: 'build', name: 'npm run build', ok: false, ms: 0, error: r.output.slice(-2000) });
			say(r.output.slice(-3000));
			return finish();
		}
	}
	assert(fs.existsSync(path.join(REPO_ROOT, 'dist')), 'dist/ is missing: run npm run build');
	for (const line of lines) await runLine(line);
	await stopAll();
	finish();
}

main().catch((e) => {
	say(`runner error: ${(e as Error).stack}`);
	results.push({ line: 'runner', name: 'runner', ok: false, ms: 0, error: (e as Error).message });
	finish(1);
});
