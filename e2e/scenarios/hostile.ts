/**
 * Scenario group "hostile", in the single-process lines: what a Pardot that redirects does in a real n8n, with the
 * HTTP helpers the host n8n provides (n8n 2.x and 1.x differ in how they follow redirects; this proves neither
 * matters). "Pardot" is a front (test/lib/hostile.ts) that passes requests on to this scenario's simulator and can
 * answer them instead with a redirect to another host, which records everything it receives.
 * - The legacy login answered 307 to another host: the activation fails naming that host, which receives nothing
 *   (not the password and user key of the login form).
 * - Queries answered 302 to another host after a good activation (legacy v4: `Authorization: Pardot api_key=…,
 *   user_key=…`; OAuth2 v5: `Bearer …`): the next poll fails naming that host, which receives nothing, and the
 *   trigger's saved position is unchanged.
 * - The callback URL answered 307 to another host: that host receives nothing (no signed body, no Basic
 *   authentication, no Extra Headers value), and the notification fails as a redirect.
 */
import { SIGNING_KEY, errorOf, type LineCtx } from '../lib/flow';
import { waitFor } from '../lib/n8n';
import { assert, test } from '../lib/report';
import { SIM_DEFAULTS, startSim, type Sim } from '../lib/sim';
import { triggerToCallback } from '../lib/workflows';
import { byPath, proxyTo, redirect, startHostile, json, type Hostile } from '../../test/lib/hostile';

const CALLBACK_API_KEY = 'e2e-extra-header-api-key-0b7d';
const CALLBACK_PASSWORD = 'e2e-basic-password-77f1';

interface Stage {
	sim: Sim;
	/** "Pardot" as the credential names it: passes on to the simulator unless told to redirect. */
	front: Hostile;
	/** Where the redirects point: must receive nothing. */
	other: Hostile;
}

async function stage(): Promise<Stage> {
	const sim = await startSim({ timezone: 'UTC' });
	const other = await startHostile(json({ ok: true }));
	const front = await startHostile(proxyTo(sim.baseUrl));
	return { sim, front, other };
}

async function close(s: Stage | undefined) {
	await s?.front.close();
	await s?.other.close();
	await s?.sim.close();
}

/** What an activation ended with: undefined when the trigger started, else n8n's error text (both lines). */
async function activation(c: LineCtx, wfId: string): Promise<string | undefined> {
	return await c.n8n.activate(wfId).then(
		() => undefined,
		(e: Error) => e.message,
	);
}

/** The trigger's saved position, as n8n stores it (workflow static data). */
async function position(c: LineCtx, wfId: string): Promise<string> {
	const wf = await c.n8n.getWorkflow(wfId);
	const data = typeof wf.staticData === 'string' ? JSON.parse(wf.staticData) : wf.staticData;
	return JSON.stringify(data?.['node:Pardot Trigger'] ?? null);
}

/** Everything the other host received, for a failure message. */
const received = (h: Hostile) => h.requests.map((r) => `${r.method} ${r.url} authorization=${r.headers.authorization ? 'yes' : 'no'} body=${r.body.length} bytes`).join('; ');

export function hostile(c: LineCtx): Array<Promise<boolean>> {
	const { label, n8n } = c;
	const legacyCredential = (s: Stage, name: string) =>
		n8n.createCredential(`Pardot ${name} (${label})`, 'pardotApi', {
			username: SIM_DEFAULTS.username,
			password: SIM_DEFAULTS.password,
			userKey: SIM_DEFAULTS.userKey,
			apiVersion: '4',
			environment: 'custom',
			baseUrl: s.front.baseUrl,
			timezone: 'UTC',
		});
	const oauthCredential = (s: Stage, name: string) =>
		n8n.createCredential(`Pardot ${name} (${label})`, 'pardotOAuth2Api', {
			environment: 'custom',
			baseUrl: s.front.baseUrl,
			// The token comes from the simulator itself; only the API goes through the front.
			loginUrl: s.sim.baseUrl,
			businessUnitId: SIM_DEFAULTS.businessUnitId,
			apiVersion: '5',
			timezone: 'UTC',
			grantType: 'clientCredentials',
			clientId: SIM_DEFAULTS.clientId,
			clientSecret: SIM_DEFAULTS.clientSecret,
		});
	const workflow = (name: string, authentication: 'legacy' | 'oAuth2', cred: { id: string; name: string }, callbackUrl: string, callbackOptions = {}) =>
		n8n.createWorkflow(
			triggerToCallback({
				name: `e2e hostile ${name}`,
				authentication,
				pardotCredential: cred,
				signingCredential: c.signing,
				callbackUrl,
				callbackOptions,
				resources: ['contacts'],
				events: ['CREATED', 'UPDATED'],
				typeVersions: c.typeVersions,
			}),
		);

	const tests = [
		test(label, 'hostile: the legacy login answered 307 to another host: the activation fails naming it; that host receives nothing', async (log) => {
			let s: Stage | undefined;
			try {
				s = await stage();
				const stageNow = s;
				s.front.answer = byPath([['/api/login/', redirect(`${s.other.baseUrl}/api/login/version/4`, 307)]], proxyTo(s.sim.baseUrl));
				const cred = await legacyCredential(s, 'login redirect');
				const wf = await workflow('login redirect', 'legacy', cred, `${c.sink.url}/hostile-unused`);
				const error = await activation(c, wf.id);
				assert(error !== undefined, 'the activation succeeded');
				assert(error.includes(`redirect to ${stageNow.other.host}`), `the activation failed without naming ${stageNow.other.host}: ${error}`);
				assert(s.other.requests.length === 0, `the other host received: ${received(s.other)}`);
				assert(!error.includes(SIM_DEFAULTS.password) && !error.includes(SIM_DEFAULTS.userKey), 'the error shows the password or user key');
				log(`${s.front.requests.length} login attempt(s) answered 307; the other host received nothing; n8n said: ${error.slice(0, 240)}`);
				await n8n.deactivate(wf.id).catch(() => undefined);
			} finally {
				await close(s);
			}
		}),
		...(['legacy', 'oAuth2'] as const).map((auth) =>
			test(label, `hostile: ${auth === 'legacy' ? 'legacy v4' : 'OAuth2 v5'} queries answered 302 to another host: the poll fails naming it, that host receives no credential, the position stays`, async (log) => {
				let s: Stage | undefined;
				try {
					s = await stage();
					const stageNow = s;
					const cred = auth === 'legacy' ? await legacyCredential(s, `${auth} query redirect`) : await oauthCredential(s, `${auth} query redirect`);
					const wf = await workflow(`${auth} query redirect`, auth, cred, `${c.sink.url}/hostile-unused`);
					const started = await activation(c, wf.id);
					assert(started === undefined, `the first activation failed: ${started}`);
					const saved = await position(c, wf.id);
					assert(saved !== 'null', 'the activation saved no position');

					// From now on "Pardot" sends its API requests elsewhere (logins and tokens still work).
					s.front.answer = byPath(
						[
							['/api/login/', proxyTo(s.sim.baseUrl)],
							['/api/', (req, res) => redirect(`${stageNow.other.baseUrl}${req.url}`)(req, res)],
						],
						proxyTo(s.sim.baseUrl),
					);
					await s.sim.control.create({ type: 'prospect', fields: { email: `hostile-${auth}@example.com` } });
					await n8n.deactivate(wf.id);
					const error = await activation(c, wf.id);
					assert(error !== undefined, 'the poll succeeded');
					assert(error.includes(`redirect to ${stageNow.other.host}`), `the poll failed without naming ${stageNow.other.host}: ${error}`);
					assert(s.other.requests.length === 0, `the other host received: ${received(s.other)}`);
					assert((await position(c, wf.id)) === saved, 'the saved position moved');
					log(`${s.front.requests.filter((r) => r.path.startsWith('/api/') && !r.path.startsWith('/api/login/')).length} queries answered 302; the other host received nothing; position unchanged; n8n said: ${error.slice(0, 200)}`);
					await n8n.deactivate(wf.id).catch(() => undefined);
				} finally {
					await close(s);
				}
			}),
		),
		test(label, 'hostile: the callback URL answered 307 to another host: that host receives nothing; the notification fails as a redirect', async (log) => {
			let s: Stage | undefined;
			try {
				s = await stage();
				// The front plays Pardot (passed on to the simulator) and the receiver, which redirects every notification.
				s.front.answer = byPath([['/hook', redirect(`${s.other.baseUrl}/steal`, 307)]], proxyTo(s.sim.baseUrl));
				const cred = await legacyCredential(s, 'callback redirect');
				const wf = await workflow('callback redirect', 'legacy', cred, `http://e2e:${CALLBACK_PASSWORD}@${s.front.host}/hook?token=e2e-query-token`, {
					retries: 0,
					headers: { header: [{ name: 'X-Api-Key', value: CALLBACK_API_KEY }] },
				});
				const started = await activation(c, wf.id);
				assert(started === undefined, `the activation failed: ${started}`);
				await s.sim.control.create({ type: 'prospect', fields: { email: 'hostile-callback@example.com' } });
				// past the v3/v4 settle margin on Pardot's clock, then one poll right now
				await s.sim.control.clock({ advanceMs: 7_000 });
				await n8n.extraPoll(wf.id);
				const ended = await waitFor(
					'the execution whose notification was redirected',
					async () => {
						const done = (await n8n.executions(wf.id)).find((e: any) => e.status === 'error' || e.status === 'success');
						return done ? await n8n.endedExecution(String(done.id)) : null;
					},
					{ timeoutMs: 90_000, intervalMs: 1000 },
				);
				const said = errorOf(ended);
				assert(/redirected notification/.test(said), `the execution ended ${ended.status}: ${said || JSON.stringify(ended.data?.resultData ?? {}).slice(0, 300)}`);
				const hooks = s.front.requests.filter((r) => r.path === '/hook');
				assert(hooks.length === 1, `the receiver got ${hooks.length} notification requests`);
				assert(s.other.requests.length === 0, `the other host received: ${received(s.other)}`);
				for (const secret of [CALLBACK_API_KEY, CALLBACK_PASSWORD, SIGNING_KEY, 'e2e-query-token']) assert(!said.includes(secret), 'the error shows a secret');
				log(`the notification was answered 307; the other host received nothing; n8n said: ${said.slice(0, 200)}`);
				await n8n.deactivate(wf.id).catch(() => undefined);
			} finally {
				await close(s);
			}
		}),
	];
	return tests;
}
