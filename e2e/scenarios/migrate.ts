/**
 * Scenario group "migrate", in the single-process lines: the migration command (cli/, its own package
 * n8n-nodes-pardot-migrate) run as users run it, `npx <its npm tarball>`, against this n8n's public REST API with an
 * API key made through n8n's own REST API, as an administrator makes one in Settings → n8n API.
 * - An Open Connectors instance JSON (legacy login, API v4, contacts|leads, a signing key, refresh every minute)
 *   pointing at this scenario's simulator and callback path: `--n8n-url … --api-key … --activate` creates the two
 *   credentials and an active workflow; changes then reach the receiver once each, signed with the instance's key,
 *   in the Open Connectors envelope with the instance's name and tags, at n8n's own scheduled poll; deletions do not
 *   (Created and Updated, as Open Connectors reported). Nothing secret is in the workflow or the command's output.
 * - A refused API key: a clear error, nothing created.
 * - An instance whose password Pardot refuses: `--activate` fails and is rolled back, the workflow and its
 *   credentials removed. n8n 1.x refuses the activation itself (it runs the first poll before answering); n8n 2.x
 *   answers first and publishes in the background, and the command waits for the outcome.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Flow, POLL_WAIT_MS, type LineCtx } from '../lib/flow';
import { REPO_ROOT } from '../lib/install';
import { runToEnd } from '../lib/procs';
import { assert, test } from '../lib/report';
import { SIM_DEFAULTS, startSim } from '../lib/sim';
import { CALLBACK_TYPE, TRIGGER_TYPE } from '../lib/workflows';

const MIGRATE_SIGNING_KEY = 'e2e-migrated-signing-key-7c41';

/** The command's npm tarball, built and packed once per run. */
let packed: Promise<string> | undefined;
function migrateTarball(): Promise<string> {
	packed ??= (async () => {
		const build = await runToEnd('npm run build:cli', 'npm', ['run', 'build:cli'], { cwd: REPO_ROOT, timeoutMs: 120_000 });
		if (build.code !== 0) throw new Error(`npm run build:cli failed:\n${build.output.slice(-2000)}`);
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pardot-migrate-pack-'));
		// shared by every line of the run: removed when the run ends
		process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
		const r = await runToEnd('npm pack cli', 'npm', ['pack', '--json', '--pack-destination', dir, '--loglevel=error'], {
			cwd: path.join(REPO_ROOT, 'cli'),
			timeoutMs: 120_000,
		});
		if (r.code !== 0) throw new Error(`npm pack of cli/ failed:\n${r.output.slice(-2000)}`);
		const info = JSON.parse(r.output.slice(r.output.indexOf('['))) as Array<{ filename: string }>;
		return path.join(dir, info[0].filename);
	})();
	return packed;
}

/**
 * `npx --package=<its tarball> n8n-nodes-pardot-migrate args…`: what `npx n8n-nodes-pardot-migrate` does with the
 * package from the registry (offline: it has no dependencies to fetch).
 */
async function migrate(args: string[], cwd: string) {
	const tgz = await migrateTarball();
	return runToEnd('npx n8n-nodes-pardot-migrate', 'npx', ['--yes', '--offline', `--package=${tgz}`, 'n8n-nodes-pardot-migrate', ...args], {
		cwd,
		timeoutMs: 120_000,
		env: { ...process.env, N8N_API_KEY: '', npm_config_update_notifier: 'false' },
	});
}

/** An Open Connectors Pardot instance JSON, as its /instances API takes it. */
function instanceJson(o: { name: string; callbackUrl: string; password?: string; tags?: string[] }) {
	return {
		element: { key: 'pardot' },
		configuration: {
			'apikey.user.name': SIM_DEFAULTS.username,
			'apikey.user.password': o.password ?? SIM_DEFAULTS.password,
			'apikey.user.key': SIM_DEFAULTS.userKey,
			'provider.version': '4',
			'event.notification.enabled': 'true',
			'event.notification.callback.url': o.callbackUrl,
			'event.notification.signature.key': MIGRATE_SIGNING_KEY,
			'event.poller.urls': 'contacts|leads',
			'event.poller.refresh_interval': '1',
		},
		tags: o.tags ?? ['e2e', 'migrated'],
		name: o.name,
	};
}

export function migrateGroup(c: LineCtx, flows: Flow[]): Array<Promise<boolean>> {
	const { label, n8n, sink } = c;
	const flow = new Flow(c, 'migrated');
	const wrong = new Flow(c, 'migrated-wrong-password');
	flows.push(flow, wrong);

	/** An API key with every scope the owner may grant, made the way the editor's Settings → n8n API makes it. */
	let apiKey: Promise<string> | undefined;
	const key = () =>
		(apiKey ??= (async () => {
			const scopes = await n8n.rest('GET', '/api-keys/scopes');
			const made = await n8n.createApiKey({ label: `e2e migrate ${Date.now()}`, scopes, expiresAt: null });
			assert(typeof made?.rawApiKey === 'string' && made.rawApiKey.length > 20, `n8n made no API key: ${JSON.stringify(made).slice(0, 200)}`);
			return made.rawApiKey as string;
		})());

	const tests = [
		test(label, 'migrate: an Open Connectors instance JSON becomes an active workflow; events reach the receiver signed, in the envelope', async (log) =>
			inTempDir(async (work) => {
				flow.sim = await startSim({ timezone: 'UTC' });
				const seed = await flow.sim.control.seed({ prospects: 8, opportunities: 8, at: new Date(Date.now() - 24 * 3600_000).toISOString(), spreadMs: 60_000 });
				flow.seeded = { contacts: seed.prospectIds.map(String), leads: seed.opportunityIds.map(String) };
				sink.setKey(flow.path, MIGRATE_SIGNING_KEY);
				const name = `Open Connectors e2e (${label})`;
				fs.writeFileSync(path.join(work, 'instance.json'), JSON.stringify(instanceJson({ name, callbackUrl: sink.url + flow.path }), null, 2));
				const apiKeyValue = await key();

				const r = await migrate(['--n8n-url', n8n.baseUrl, '--api-key', apiKeyValue, '--pardot-base-url', flow.sim.baseUrl, '--activate', 'instance.json'], work);
				assert(r.code === 0, `the command exited ${r.code}:\n${r.output}`);
				const url = new RegExp(`${n8n.baseUrl.replace(/[.]/g, '\\.')}/workflow/([A-Za-z0-9]+)`).exec(r.output);
				assert(url, `the command printed no editor URL:\n${r.output}`);
				flow.wfId = url[1];
				for (const secret of [apiKeyValue, SIM_DEFAULTS.password, SIM_DEFAULTS.userKey, MIGRATE_SIGNING_KEY]) {
					assert(!r.output.includes(secret), 'the command printed a secret');
				}
				log(`workflow ${flow.wfId}: ${r.output.split('\n').find((l) => l.includes('created')) ?? ''}`);

				// What was created: the workflow as the README maps it, its credentials by reference only.
				const wf = await n8n.getWorkflow(flow.wfId);
				const trig = wf.nodes.find((n: any) => n.type === TRIGGER_TYPE);
				const cb = wf.nodes.find((n: any) => n.type === CALLBACK_TYPE);
				assert(trig && cb, `workflow nodes: ${wf.nodes.map((n: any) => n.type).join(', ')}`);
				assert(wf.connections?.[trig.name]?.main?.[0]?.[0]?.node === cb.name, 'the trigger is not connected to the callback');
				assert(JSON.stringify(trig.parameters.resources) === '["contacts","leads"]', `resources ${JSON.stringify(trig.parameters.resources)}`);
				assert(trig.parameters.authentication === 'legacy' && trig.parameters.options?.leadsAre === 'opportunities', `trigger ${JSON.stringify(trig.parameters)}`);
				assert(trig.parameters.pollTimes?.item?.[0]?.mode === 'everyMinute', `poll times ${JSON.stringify(trig.parameters.pollTimes)}`);
				assert(cb.parameters.batchSize === 10 && cb.parameters.options?.instanceName === name, `callback ${JSON.stringify(cb.parameters)}`);
				assert(trig.credentials?.pardotApi?.id && cb.credentials?.pardotCallbackSigningApi?.id, 'the credentials are not attached');
				const stored = JSON.stringify(wf);
				for (const secret of [SIM_DEFAULTS.password, SIM_DEFAULTS.userKey, MIGRATE_SIGNING_KEY]) assert(!stored.includes(secret), 'the workflow holds a secret');
				// n8n 2.x starts the trigger after answering: wait until its activation poll ran (1.x: already done).
				const st = await n8n.waitPublication(flow.wfId, (s) => s.status !== 'in_progress' && s.status !== 'not_published');
				assert(st.status === 'published', `activation ${st.status}: ${JSON.stringify(st.triggers ?? st)}`);

				// Changes arrive at n8n's own schedule (refresh_interval 1 -> every minute), once each, signed, enveloped.
				const t = Date.now();
				await flow.changes();
				// Open Connectors' poller reported new and changed records: the migrated trigger has Created and Updated
				// only, so the round's deletions must not arrive (waitDelivered fails on any event not expected).
				flow.expected = flow.expected.filter((e) => e.eventType !== 'DELETED');
				await flow.waitDelivered('a scheduled poll of the migrated workflow', POLL_WAIT_MS);
				const reqs = sink.requests(flow.path);
				for (const req of reqs) {
					const m = req.json.message;
					assert(m.instanceName === name, `message.instanceName ${JSON.stringify(m.instanceName)}`);
					assert(JSON.stringify(m.instanceTags) === '["e2e","migrated"]', `message.instanceTags ${JSON.stringify(m.instanceTags)}`);
					assert(m.raw?.objectType === 'contacts' || m.raw?.objectType === 'leads', `raw.objectType ${m.raw?.objectType}`);
					assert(req.headers['elements-webhook-signature'], 'a notification is not signed');
				}
				log(`${flow.expected.length} events in ${reqs.length} notifications after ${((Date.now() - t) / 1000).toFixed(0)} s, signatures verified with the instance's key`);
			}),
		),
		test(label, 'migrate: a refused API key gives a clear error and creates nothing', async () =>
			inTempDir(async (work) => {
				const name = `refused key (${label})`;
				fs.writeFileSync(path.join(work, 'refused.json'), JSON.stringify(instanceJson({ name, callbackUrl: `${sink.url}/refused` })));
				const r = await migrate(['--n8n-url', n8n.baseUrl, '--api-key', 'not-an-n8n-api-key', 'refused.json'], work);
				assert(r.code === 1, `exit ${r.code}:\n${r.output}`);
				assert(/n8n refused the API key \(HTTP 401/.test(r.output) && /Nothing was created/.test(r.output), `output:\n${r.output}`);
				const left = await createdFor(c, name);
				assert(left.length === 0, `created: ${left.join(', ')}`);
			}),
		),
	];
	{
		tests.push(
			test(label, 'migrate --activate: a login Pardot refuses fails the activation; the workflow and its credentials are removed', async (log) =>
				inTempDir(async (work) => {
					wrong.sim = await startSim({ timezone: 'UTC' });
					const name = `wrong password (${label})`;
					fs.writeFileSync(path.join(work, 'wrong.json'), JSON.stringify(instanceJson({ name, callbackUrl: sink.url + wrong.path, password: 'not-the-password' })));
					const r = await migrate(['--n8n-url', n8n.baseUrl, '--api-key', await key(), '--pardot-base-url', wrong.sim.baseUrl, '--activate', 'wrong.json'], work);
					assert(r.code === 1, `exit ${r.code}:\n${r.output}`);
					assert(!/active: http/.test(r.output), `the command said the workflow is active:\n${r.output}`);
					// n8n's own retries of the activation may have locked the user (131) by the time it is asked why.
					assert(/could not activate/.test(r.output) && /error (15|131)/.test(r.output), `output:\n${r.output}`);
					assert(/removed what was created for it \(the workflow and 2 credential\(s\)\)/.test(r.output), `output:\n${r.output}`);
					assert(!r.output.includes('not-the-password'), 'the command printed the password');
					const left = await createdFor(c, name);
					assert(left.length === 0, `left behind: ${left.join(', ')}`);
					log(r.output.split('\n').filter((l) => /activate|removed/.test(l)).join(' | '));
				}),
			),
		);
	}
	return tests;
}

async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pardot-migrate-e2e-'));
	try {
		return await fn(dir);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** The workflows and credentials in n8n (editor REST API) that the command names after this instance. */
async function createdFor(c: LineCtx, instanceName: string): Promise<string[]> {
	const list = (r: any): any[] => (Array.isArray(r) ? r : (r?.results ?? r?.data ?? []));
	const workflows = list(await c.n8n.rest('GET', '/workflows')).filter((w) => w.name === `Pardot events: ${instanceName}`);
	const credentials = list(await c.n8n.rest('GET', '/credentials')).filter((x) => String(x.name).endsWith(`: ${instanceName}`));
	return [...workflows.map((w) => `workflow "${w.name}"`), ...credentials.map((x) => `credential "${x.name}"`)];
}
