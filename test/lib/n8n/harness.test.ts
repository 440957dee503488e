/**
 * The harness's own parts: credentials resolved as n8n resolves them, the credentials helper that
 * feeds n8n-core's OAuth2 signing and renewal, the request log, and n8n's poll loop around the
 * PollContext (when static data is saved). n8n-core itself is not re-tested here.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeExecutionData, INodeType, IPollFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	CredentialStore,
	PollRunner,
	createHttpHelpers,
	createPollContext,
	evaluateExpression,
	resolveCredentials,
	runPoll,
} from './index';
import type { HttpHelpers } from './index';
import { PardotOAuth2Api } from '../../../credentials/PardotOAuth2Api.credentials';

// ------------------------------------------------------------------ a tiny local server

interface Seen {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

const CLIENT_ID = 'test-client-id';
const CLIENT_SECRET = 'test-client-secret-9f8e7d';

class TestServer {
	server!: http.Server;
	baseUrl = '';
	seen: Seen[] = [];
	validTokens = new Set<string>();
	tokenCalls: Array<Record<string, string> & { basic?: string }> = [];
	tokenCounter = 0;
	/** When set, /api answers 401 whatever the token. */
	alwaysUnauthorized = false;

	async start(): Promise<void> {
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const body = Buffer.concat(chunks).toString('utf8');
				this.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
				this.route(req, res, body);
			});
		});
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	last(): Seen {
		return this.seen[this.seen.length - 1];
	}

	private issue(): string {
		const token = `tok-${++this.tokenCounter}`;
		this.validTokens.add(token);
		return token;
	}

	private json(res: http.ServerResponse, status: number, value: unknown): void {
		res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
		res.end(JSON.stringify(value));
	}

	private route(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
		const url = new URL(req.url ?? '/', this.baseUrl);
		const path = url.pathname;
		if (path.startsWith('/status/')) return this.json(res, Number(path.slice(8)), { error: 'nope', message: 'Bad thing' });
		if (path === '/services/oauth2/token') {
			const form = Object.fromEntries(new URLSearchParams(body)) as Record<string, string> & { basic?: string };
			const auth = req.headers.authorization;
			if (auth?.startsWith('Basic ')) form.basic = Buffer.from(auth.slice(6), 'base64').toString();
			this.tokenCalls.push(form);
			const id = form.client_id ?? form.basic?.split(':')[0];
			const secret = form.client_secret ?? form.basic?.split(':')[1];
			if (id !== CLIENT_ID || secret !== CLIENT_SECRET) {
				return this.json(res, 400, { error: 'invalid_client', error_description: 'invalid client credentials' });
			}
			if (form.grant_type === 'client_credentials') {
				return this.json(res, 200, { access_token: this.issue(), token_type: 'Bearer', scope: form.scope });
			}
			if (form.grant_type === 'refresh_token') {
				if (form.refresh_token !== 'refresh-1') return this.json(res, 400, { error: 'invalid_grant', error_description: 'expired' });
				return this.json(res, 200, { access_token: this.issue(), token_type: 'Bearer', expires_in: 3600 });
			}
			return this.json(res, 400, { error: 'unsupported_grant_type' });
		}
		if (path === '/api/data') {
			const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
			if (this.alwaysUnauthorized || !this.validTokens.has(token)) {
				return this.json(res, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
			}
			return this.json(res, 200, { data: [1, 2, 3], token });
		}
		this.json(res, 404, { error: 'not found' });
	}
}

const server = new TestServer();
let helpers: HttpHelpers;

beforeAll(async () => {
	await server.start();
});

afterAll(async () => {
	await server.close();
});

beforeEach(() => {
	helpers = createHttpHelpers(new CredentialStore());
	server.seen = [];
	server.tokenCalls = [];
	server.validTokens.clear();
	server.alwaysUnauthorized = false;
	server.tokenCounter = 0;
});

afterEach(() => helpers.close());

async function rejection(promise: Promise<unknown>): Promise<any> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected a rejection');
}

describe('credentials', () => {
	it('evaluates n8n expressions with $self', () => {
		expect(evaluateExpression('={{ $self.a + 1 }}', { a: 1 })).toBe(2);
		expect(evaluateExpression({ url: '=x/{{ $self.a }}/y', plain: 'z' }, { a: 'b' })).toEqual({ url: 'x/b/y', plain: 'z' });
	});

	it('fills defaults, drops hidden fields and resolves the hidden URL expressions', () => {
		const custom = resolveCredentials(new PardotOAuth2Api(), {
			environment: 'custom',
			baseUrl: 'http://127.0.0.1:9999//',
			loginUrl: ' http://127.0.0.1:9999/ ',
			clientId: 'id',
			clientSecret: 'secret',
			businessUnitId: '0Uv000000000001AAA',
		});
		expect(custom).toMatchObject({
			apiBaseUrl: 'http://127.0.0.1:9999',
			accessTokenUrl: 'http://127.0.0.1:9999/services/oauth2/token',
			authUrl: 'http://127.0.0.1:9999/services/oauth2/authorize',
			authentication: 'body',
			grantType: 'authorizationCode',
			scope: 'pardot_api refresh_token',
			apiVersion: '5',
			oauthTokenData: {},
		});
		expect(custom.tokenExpiredStatusCode).toBeUndefined();

		const sandbox = resolveCredentials(new PardotOAuth2Api(), { environment: 'sandbox', baseUrl: 'http://ignored' });
		expect(sandbox.apiBaseUrl).toBe('https://pi.demo.pardot.com');
		expect(sandbox.accessTokenUrl).toBe('https://test.salesforce.com/services/oauth2/token');
		expect(sandbox.baseUrl).toBeUndefined();
	});
});

// ------------------------------------------------------------------ httpRequestWithAuthentication

function oauthStore(extra: IDataObject = {}): CredentialStore {
	return new CredentialStore({
		pardotOAuth2Api: {
			environment: 'custom',
			baseUrl: server.baseUrl,
			loginUrl: server.baseUrl,
			businessUnitId: '0Uv000000000001AAA',
			grantType: 'clientCredentials',
			clientId: CLIENT_ID,
			clientSecret: CLIENT_SECRET,
			...extra,
		},
	});
}

describe('httpRequestWithAuthentication', () => {
	it('fetches a client-credentials token when there is none, stores it and sends it as Bearer', async () => {
		const store = oauthStore();
		helpers = createHttpHelpers(store);
		const first = await helpers.httpRequestWithAuthentication('pardotOAuth2Api', { url: `${server.baseUrl}/api/data` });
		expect(first).toMatchObject({ data: [1, 2, 3], token: 'tok-1' });
		expect(server.tokenCalls).toEqual([
			{ grant_type: 'client_credentials', scope: 'pardot_api refresh_token', client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
		]);
		expect(store.raw('pardotOAuth2Api')?.oauthTokenData).toMatchObject({ access_token: 'tok-1' });

		await helpers.httpRequestWithAuthentication('pardotOAuth2Api', { url: `${server.baseUrl}/api/data` });
		expect(server.tokenCalls).toHaveLength(1);
		expect(server.last().headers.authorization).toBe('Bearer tok-1');
	});

	it('logs every request sent, the token call included, without headers or bodies', async () => {
		helpers = createHttpHelpers(oauthStore());
		await helpers.httpRequestWithAuthentication('pardotOAuth2Api', { url: `${server.baseUrl}/api/data` });
		await helpers.httpRequest({ url: `${server.baseUrl}/status/404`, ignoreHttpStatusErrors: true });
		expect(helpers.requests.map((r) => [r.method, r.url.replace(server.baseUrl, ''), r.status])).toEqual([
			['POST', '/services/oauth2/token', 200],
			['GET', '/api/data', 200],
			['GET', '/status/404', 404],
		]);
		expect(JSON.stringify(helpers.requests)).not.toContain(CLIENT_SECRET);
	});

	it('refreshes once on 401 and retries once, storing the new token', async () => {
		const store = oauthStore({ oauthTokenData: { access_token: 'stale', token_type: 'Bearer' } });
		helpers = createHttpHelpers(store);
		const answer = await helpers.httpRequestWithAuthentication('pardotOAuth2Api', { url: `${server.baseUrl}/api/data` });
		expect(answer.token).toBe('tok-1');
		expect(server.seen.map((s) => s.url)).toEqual(['/api/data', '/services/oauth2/token', '/api/data']);
		expect(store.tokenWrites.map((w) => w.oauthTokenData.access_token)).toEqual(['tok-1']);
	});

	it('uses the refresh_token grant for authorization-code credentials and keeps the refresh token', async () => {
		const store = oauthStore({
			grantType: 'authorizationCode',
			authentication: 'header',
			oauthTokenData: { access_token: 'old', refresh_token: 'refresh-1', instance_url: 'x' },
		});
		helpers = createHttpHelpers(store);
		await helpers.httpRequestWithAuthentication('pardotOAuth2Api', { url: `${server.baseUrl}/api/data` });
		expect(server.tokenCalls).toEqual([{ refresh_token: 'refresh-1', grant_type: 'refresh_token', basic: `${CLIENT_ID}:${CLIENT_SECRET}` }]);
		expect(store.raw('pardotOAuth2Api')?.oauthTokenData).toMatchObject({
			access_token: 'tok-1',
			refresh_token: 'refresh-1',
			instance_url: 'x',
			expires_in: 3600,
		});
	});

	it('does not refresh when ignoreHttpStatusErrors lets the 401 through (as n8n)', async () => {
		const store = oauthStore({ oauthTokenData: { access_token: 'stale' } });
		helpers = createHttpHelpers(store);
		const answer = await helpers.httpRequestWithAuthentication('pardotOAuth2Api', {
			url: `${server.baseUrl}/api/data`,
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
		});
		expect(answer.statusCode).toBe(401);
		expect(server.tokenCalls).toHaveLength(0);
	});

	it('wraps errors in NodeApiError; a second 401 after the refresh is thrown', async () => {
		server.alwaysUnauthorized = true;
		const store = oauthStore({ oauthTokenData: { access_token: 'stale' } });
		helpers = createHttpHelpers(store);
		const error = await rejection(helpers.httpRequestWithAuthentication('pardotOAuth2Api', { url: `${server.baseUrl}/api/data` }));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('401');
		expect(error.message).toBe('Authorization failed - please check your credentials');
		// n8n-workflow 2.11.1's NodeApiError drops an Error cause (class field `cause` re-initialised
		// after super()), and keeps the body only as context.data when it is a plain JSON object.
		expect(error.cause).toBeUndefined();
		expect(error.context.data).toBeUndefined();
		expect(server.tokenCalls).toHaveLength(1);
	});

	it('with ignoreHttpStatusErrors { ignore: true, except: [401] } refreshes on 401 and returns other statuses', async () => {
		const store = oauthStore({ oauthTokenData: { access_token: 'stale' } });
		helpers = createHttpHelpers(store);
		const options = { ignoreHttpStatusErrors: { ignore: true as const, except: [401] }, returnFullResponse: true };
		const ok = await helpers.httpRequestWithAuthentication('pardotOAuth2Api', { url: `${server.baseUrl}/api/data`, ...options });
		expect(ok).toMatchObject({ statusCode: 200, body: { token: 'tok-1' } });
		const notFound = await helpers.httpRequestWithAuthentication('pardotOAuth2Api', { url: `${server.baseUrl}/status/404`, ...options });
		expect(notFound).toMatchObject({ statusCode: 404, body: { error: 'nope' } });
		expect(server.tokenCalls).toHaveLength(1);
	});

	it('reports a failed token fetch', async () => {
		const store = oauthStore({ clientSecret: 'wrong' });
		helpers = createHttpHelpers(store);
		const error = await rejection(helpers.httpRequestWithAuthentication('pardotOAuth2Api', { url: `${server.baseUrl}/api/data` }));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/client authentication failed/i);
		expect(error.message).not.toContain('wrong');
	});

	it('sends pardotApi requests unchanged and wraps their HTTP errors', async () => {
		helpers = createHttpHelpers(new CredentialStore({ pardotApi: { username: 'u', password: 'p', userKey: 'k' } }));
		const error = await rejection(helpers.httpRequestWithAuthentication('pardotApi', { url: `${server.baseUrl}/status/404` }));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('404');
		expect(server.last().headers.authorization).toBeUndefined();
	});
});

// ------------------------------------------------------------------ the poll loop

type Step = (ctx: IPollFunctions, sd: IDataObject) => Promise<INodeExecutionData[][] | null> | INodeExecutionData[][] | null;

function fakeTrigger(steps: Step[]): INodeType {
	return {
		description: {
			displayName: 'Fake Trigger',
			name: 'fakeTrigger',
			group: ['trigger'],
			version: [1, 2],
			description: 'test',
			defaults: { name: 'Fake Trigger' },
			polling: true,
			inputs: [],
			outputs: ['main'],
			credentials: [{ name: 'pardotOAuth2Api', required: false }],
			properties: [
				{
					displayName: 'Resource',
					name: 'resource',
					type: 'options',
					options: [
						{ name: 'Prospect', value: 'prospect' },
						{ name: 'Opportunity', value: 'opportunity' },
					],
					default: 'prospect',
				},
				{
					displayName: 'Options',
					name: 'options',
					type: 'collection',
					default: {},
					options: [{ displayName: 'Max Events per Poll', name: 'maxEventsPerPoll', type: 'number', default: 100 }],
				},
			],
		},
		async poll(this: IPollFunctions) {
			const step = steps.shift();
			if (!step) throw new Error('no more steps');
			return await step(this, this.getWorkflowStaticData('node'));
		},
	};
}

const item = (json: IDataObject): INodeExecutionData[][] => [[{ json }]];

describe('poll context', () => {
	it('answers parameters with defaults, node, workflow and credentials', async () => {
		const ctx = createPollContext({
			nodeType: fakeTrigger([]),
			parameters: { options: { maxEventsPerPoll: 5 } },
			credentials: oauthStore(),
		});
		expect(ctx.getNodeParameter('resource')).toBe('prospect');
		expect(ctx.getNodeParameter('options.maxEventsPerPoll', 100)).toBe(5);
		expect(ctx.getNodeParameter('pollTimes')).toEqual({ item: [{ mode: 'everyMinute' }] });
		expect(() => ctx.getNodeParameter('missing')).toThrow('Could not get parameter');
		expect(ctx.getNode()).toMatchObject({ name: 'Fake Trigger', type: 'n8n-nodes-pardot.fakeTrigger', typeVersion: 2 });
		expect(ctx.getWorkflow()).toMatchObject({ active: true });
		expect(ctx.getMode()).toBe('trigger');
		expect(ctx.getActivationMode()).toBe('activate');
		const credentials = await ctx.getCredentials('pardotOAuth2Api');
		expect(credentials.apiBaseUrl).toBe(server.baseUrl);
		await expect(ctx.getCredentials('pardotApi')).rejects.toThrow(/does not have any credentials of type/);

		const defaults = createPollContext({ nodeType: fakeTrigger([]) });
		expect(defaults.getNodeParameter('options.maxEventsPerPoll', 100)).toBe(100);
		expect(defaults.helpers.returnJsonArray([{ a: 1 }])).toEqual([{ json: { a: 1 } }]);
		defaults.harness.http.close();
		ctx.harness.http.close();
	});
});

describe('PollRunner', () => {
	it('saves static data only on emit or after the activation poll', async () => {
		const modes: string[] = [];
		const runner = new PollRunner({
			nodeType: fakeTrigger([
				(ctx, sd) => {
					modes.push(ctx.getActivationMode());
					sd.seen = 1;
					return null;
				},
				(ctx, sd) => {
					modes.push(ctx.getActivationMode());
					sd.seen = 2;
					return null;
				},
				(_ctx, sd) => {
					sd.seen = 3;
					return item({ n: 3 });
				},
			]),
		});
		const activation = await runner.poll();
		expect(activation).toMatchObject({ activation: true, activationMode: 'activate', saved: true });
		expect(runner.persistedNodeState()).toEqual({ seen: 1 });

		expect(await runner.poll()).toMatchObject({ activation: false, saved: false, items: null });
		expect(runner.persistedNodeState()).toEqual({ seen: 1 });
		expect(runner.inMemoryNodeState()).toEqual({ seen: 2 });

		expect(await runner.poll()).toMatchObject({ saved: true });
		expect(JSON.parse(runner.persistedState())).toEqual({ 'node:Fake Trigger': { seen: 3 } });
		expect(runner.emitted).toEqual([{ json: { n: 3 } }]);
		expect(modes).toEqual(['activate', 'activate']);
		runner.close();
	});

	it('reloads the persisted JSON after restart(), in activation mode init', async () => {
		const seen: unknown[] = [];
		const runner = new PollRunner({
			nodeType: fakeTrigger([
				(_ctx, sd) => {
					sd.count = 1;
					return null;
				},
				(_ctx, sd) => {
					sd.count = 2;
					return null;
				},
				(ctx, sd) => {
					seen.push(sd.count, ctx.getActivationMode());
					return null;
				},
			]),
		});
		await runner.poll();
		await runner.poll();
		expect(runner.inMemoryNodeState()).toEqual({ count: 2 });
		runner.restart();
		const after = await runner.poll();
		expect(after).toMatchObject({ activation: true, activationMode: 'init' });
		expect(seen).toEqual([1, 'init']);
		runner.close();
	});

	it('round-trips static data through JSON: a Date stays a Date in memory, a string after reload', async () => {
		const when = new Date('2026-03-01T10:00:00.000Z');
		const kinds: string[] = [];
		const runner = new PollRunner({
			nodeType: fakeTrigger([
				(_ctx, sd) => {
					sd.when = when;
					return item({ a: 1 });
				},
				(_ctx, sd) => {
					kinds.push(sd.when instanceof Date ? 'Date' : typeof sd.when);
					return null;
				},
				(_ctx, sd) => {
					kinds.push(sd.when instanceof Date ? 'Date' : typeof sd.when);
					expect(sd.when).toBe('2026-03-01T10:00:00.000Z');
					return null;
				},
			]),
		});
		await runner.poll();
		expect(runner.persistedNodeState()).toEqual({ when: '2026-03-01T10:00:00.000Z' });
		await runner.poll();
		runner.restart();
		await runner.poll();
		expect(kinds).toEqual(['Date', 'string']);
		expect(runner.lastError).toBeUndefined();
		runner.close();
	});

	it('never saves in manual mode, and loads the saved data fresh for every manual run', async () => {
		const seen: unknown[] = [];
		const runner = new PollRunner({
			mode: 'manual',
			persistedState: JSON.stringify({ 'node:Fake Trigger': { count: 7 } }),
			nodeType: fakeTrigger([
				(ctx, sd) => {
					seen.push(ctx.getMode(), sd.count);
					sd.count = 8;
					return item({ sample: true });
				},
				(_ctx, sd) => {
					seen.push(sd.count);
					return item({ sample: true });
				},
			]),
		});
		expect(await runner.poll()).toMatchObject({ saved: false, mode: 'manual', activationMode: 'manual' });
		await runner.poll();
		expect(seen).toEqual(['manual', 7, 7]);
		expect(runner.persistedNodeState()).toEqual({ count: 7 });
		expect(runner.emitted).toHaveLength(2);
		runner.close();
	});

	it('shares one in-memory static data object between overlapping polls', async () => {
		const objects: IDataObject[] = [];
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const runner = new PollRunner({
			nodeType: fakeTrigger([
				(_ctx, sd) => {
					objects.push(sd);
					return null;
				},
				async (_ctx, sd) => {
					objects.push(sd);
					await gate;
					sd.a = 1;
					return item({ a: 1 });
				},
				(_ctx, sd) => {
					objects.push(sd);
					sd.b = 2;
					release();
					return null;
				},
			]),
		});
		await runner.poll();
		const outcomes = await Promise.all([runner.poll(), runner.poll()]);
		expect(objects[1]).toBe(objects[0]);
		expect(objects[2]).toBe(objects[0]);
		expect(outcomes.map((o) => o.saved)).toEqual([true, false]);
		expect(runner.persistedNodeState()).toEqual({ a: 1, b: 2 });
		runner.close();
	});

	it('waits for the activation poll before overlapping ticks start', async () => {
		const order: string[] = [];
		const runner = new PollRunner({
			nodeType: fakeTrigger([
				async () => {
					order.push('activation start');
					await new Promise((resolve) => setTimeout(resolve, 20));
					order.push('activation end');
					return null;
				},
				() => {
					order.push('tick');
					return null;
				},
			]),
		});
		const [first, second] = await Promise.all([runner.poll(), runner.poll()]);
		expect([first.activation, second.activation]).toEqual([true, false]);
		expect(order).toEqual(['activation start', 'activation end', 'tick']);
		runner.close();
	});

	it('keeps a failed poll unsaved, but its in-memory changes ride along with the next save', async () => {
		const runner = new PollRunner({
			nodeType: fakeTrigger([
				() => null,
				(_ctx, sd) => {
					sd.partial = true;
					throw new Error('Pardot said no');
				},
				() => item({ x: 1 }),
			]),
		});
		await runner.poll();
		const failed = await runner.poll();
		expect(failed.error?.message).toBe('Pardot said no');
		expect(runner.lastError?.message).toBe('Pardot said no');
		expect(runner.persistedNodeState()).toBeUndefined();
		await runner.poll();
		expect(runner.persistedNodeState()).toEqual({ partial: true });
		runner.close();
	});

	it('retries a failed activation as a new activation', async () => {
		const runner = new PollRunner({
			nodeType: fakeTrigger([
				(_ctx, sd) => {
					sd.x = 1;
					throw new Error('cannot activate');
				},
				() => null,
			]),
		});
		expect(await runner.poll()).toMatchObject({ activation: true, saved: false });
		expect(await runner.poll()).toMatchObject({ activation: true, saved: false });
		expect(runner.persistedState()).toBe('{}');
		runner.close();
	});

	it('does not notice in-place changes inside an object the poll assigned (n8n ObservableObject)', async () => {
		const steps = (): Step[] => [
			(_ctx, sd) => {
				sd.cursor = { after: 1 };
				return null;
			},
			(_ctx, sd) => {
				(sd.cursor as IDataObject).after = 2;
				return item({ a: 1 });
			},
		];
		const strict = new PollRunner({ nodeType: fakeTrigger(steps()) });
		await strict.poll();
		expect(await strict.poll()).toMatchObject({ saved: false });
		expect(strict.persistedNodeState()).toEqual({ cursor: { after: 1 } });
		strict.close();

		const loose = new PollRunner({ nodeType: fakeTrigger(steps()), changeDetection: 'none' });
		await loose.poll();
		expect(await loose.poll()).toMatchObject({ saved: true });
		expect(loose.persistedNodeState()).toEqual({ cursor: { after: 2 } });
		loose.close();
	});

	it('runs OAuth2 requests from poll() and logs no secret', async () => {
		const result = await runPoll({
			credentials: oauthStore(),
			nodeType: fakeTrigger([
				async (ctx, sd) => {
					const data = await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'pardotOAuth2Api', {
						url: `${server.baseUrl}/api/data`,
					});
					ctx.logger.info('fetched', { data });
					sd.fetched = true;
					return item(data as IDataObject);
				},
			]),
		});
		expect(result.error).toBeUndefined();
		expect(result).toMatchObject({ activation: true, saved: true });
		expect(result.emitted[0].json).toMatchObject({ data: [1, 2, 3] });
		expect(JSON.parse(result.persistedState)).toEqual({ 'node:Fake Trigger': { fetched: true } });
		expect(result.logger.entries.some((e) => e.message === 'fetched')).toBe(true);
		expect(result.logger.contains(CLIENT_SECRET)).toBe(false);
		expect(result.credentials.tokenWrites).toHaveLength(1);
	});
});
