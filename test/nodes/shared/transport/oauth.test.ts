/**
 * OAuth2 through n8n's own path (helpers.httpRequestWithAuthentication, as the harness mirrors
 * n8n-core): the token is fetched once and reused, every Pardot call carries the bearer token and
 * the Business Unit header, and an expired token is renewed by n8n (client credentials again, or
 * the refresh token) with the call succeeding. Error codes 181/184/201 and a malformed Business
 * Unit ID are in scenarios.ts (errors.test.ts).
 */
import { pardotRequest } from '../../../../nodes/shared/transport';
import { DEFAULT_BUSINESS_UNIT, DEFAULT_OAUTH_CLIENT } from '../../../../simulator';
import type { SimulatorHandle } from '../../../../simulator';
import { MINUTE } from '../../../lib/pardot';
import { fast, prospectPath, prospectQuery, rig, simulatorPerSuite } from '../../../lib/transport';
import type { Recorder } from '../../../lib/transport';

const suite = simulatorPerSuite({ recorded: true });
let sim: SimulatorHandle;
let recorder: Recorder;
beforeEach(() => ({ sim, recorder } = suite.current()));

beforeEach(() => {
	sim.control.reset();
	sim.control.seed({ prospects: 3 });
});

const stats = () => sim.control.stats().byEndpoint;
const apiCalls = () => recorder.requests.filter((r) => r.url.startsWith('/api/'));
const tokenCalls = () => recorder.requests.filter((r) => r.url === '/services/oauth2/token');

describe.each(['5', '4'] as const)('API v%s over OAuth2', (version) => {
	const flavor = version === '5' ? 'oauth-v5' : 'oauth-v4';
	const endpoint = version === '5' ? 'v5.prospects' : 'prospect.query';

	test('client credentials: one token for many calls, Bearer and Business Unit header on each', async () => {
		const r = rig(flavor, recorder.baseUrl, { businessUnitId: `  ${DEFAULT_BUSINESS_UNIT} ` });
		const conn = await r.connect();
		for (let i = 0; i < 3; i++) await pardotRequest(r.ctx, conn, { path: prospectPath(version), query: prospectQuery(version) }, fast());
		// A second poll (a new connection) still uses the stored token.
		const again = await r.connect();
		await Promise.all([1, 2, 3].map(() => pardotRequest(r.ctx, again, { path: prospectPath(version), query: prospectQuery(version) }, fast())));

		expect(stats()).toMatchObject({ 'oauth.token': 1, [endpoint]: 6, login: 0 });
		const [token] = tokenCalls();
		expect(token.method).toBe('POST');
		expect(Object.fromEntries(new URLSearchParams(token.body))).toEqual({
			grant_type: 'client_credentials',
			scope: 'pardot_api refresh_token',
			client_id: DEFAULT_OAUTH_CLIENT.clientId,
			client_secret: DEFAULT_OAUTH_CLIENT.clientSecret,
		});
		const accessToken = JSON.parse(token.answer!).access_token as string;
		expect(r.store.tokenWrites).toHaveLength(1);
		expect(r.store.raw('pardotOAuth2Api')!.oauthTokenData).toMatchObject({ access_token: accessToken });
		for (const call of apiCalls()) {
			expect(call.headers.authorization).toBe(`Bearer ${accessToken}`);
			expect(call.headers['pardot-business-unit-id']).toBe(DEFAULT_BUSINESS_UNIT);
			expect(call.url).not.toContain(accessToken);
		}
		r.close();
	});

	test('an expired token is renewed by n8n once, and the call succeeds', async () => {
		const r = rig(flavor, recorder.baseUrl);
		const conn = await r.connect();
		const call = () => pardotRequest(r.ctx, conn, { path: prospectPath(version), query: prospectQuery(version) }, fast());
		await call();
		const first = r.store.raw('pardotOAuth2Api')!.oauthTokenData as Record<string, string>;
		sim.control.tokens({ expire: true });
		const renewed = await call();
		expect(renewed.status).toBe(200);
		await call();

		const second = r.store.raw('pardotOAuth2Api')!.oauthTokenData as Record<string, string>;
		expect(second.access_token).not.toBe(first.access_token);
		expect(stats()).toMatchObject({ 'oauth.token': 2, [endpoint]: 4 });
		expect(r.store.tokenWrites).toHaveLength(2);
		// The refused call went out with the old token and came back 401; its repeat used the new one.
		const calls = apiCalls();
		expect(calls.map((c) => [c.status, c.headers.authorization])).toEqual([
			[200, `Bearer ${first.access_token}`],
			[401, `Bearer ${first.access_token}`],
			[200, `Bearer ${second.access_token}`],
			[200, `Bearer ${second.access_token}`],
		]);
		expect(r.logger.text()).toMatch(/OAuth2 token for "pardotOAuth2Api" used by node "Pardot Trigger" expired/);
		expect(r.logger.entries.filter((e) => e.level === 'warn' || e.level === 'error')).toEqual([]);
		r.close();
	});

	test('token lifetime running out between calls of one run: renewed, no error', async () => {
		sim.control.configure({ accessTokenLifetimeMs: 10 * MINUTE });
		sim.control.clock({ freeze: true });
		const r = rig(flavor, sim.baseUrl);
		const conn = await r.connect();
		for (let i = 0; i < 8; i++) {
			await pardotRequest(r.ctx, conn, { path: prospectPath(version), query: prospectQuery(version) }, fast());
			sim.control.clock({ advanceMs: 3 * MINUTE });
		}
		// Calls at 0, 3, ..., 21 min; a token lives 10 min: the call at 12 min is refused once and
		// renewed (that token lasts to 22 min), so 2 tokens and 8 + 1 requests.
		expect(stats()).toMatchObject({ 'oauth.token': 2, [endpoint]: 8 + 1 });
		r.close();
	});

	test('authorization code: the refresh token renews the access token through n8n', async () => {
		// The consent screen of the simulator redirects straight back with a code.
		const redirectUri = 'http://localhost:5678/rest/oauth2-credential/callback';
		const authorize = await fetch(
			`${sim.baseUrl}/services/oauth2/authorize?${new URLSearchParams({
				response_type: 'code',
				client_id: DEFAULT_OAUTH_CLIENT.clientId,
				redirect_uri: redirectUri,
				scope: 'pardot_api refresh_token',
			})}`,
			{ redirect: 'manual' },
		);
		const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
		const exchanged = await fetch(`${sim.baseUrl}/services/oauth2/token`, {
			method: 'POST',
			body: new URLSearchParams({
				grant_type: 'authorization_code',
				code,
				redirect_uri: redirectUri,
				client_id: DEFAULT_OAUTH_CLIENT.clientId,
				client_secret: DEFAULT_OAUTH_CLIENT.clientSecret,
			}),
		});
		const tokenData = (await exchanged.json()) as Record<string, string>;
		expect(tokenData.refresh_token).toBeTruthy();
		sim.control.resetStats();

		const r = rig(flavor, recorder.baseUrl, { grantType: 'authorizationCode', oauthTokenData: tokenData });
		const conn = await r.connect();
		const call = () => pardotRequest(r.ctx, conn, { path: prospectPath(version), query: prospectQuery(version) }, fast());
		await call();
		expect(stats()['oauth.token']).toBe(0);
		sim.control.tokens({ expire: true });
		await call();

		expect(stats()).toMatchObject({ 'oauth.token': 1, [endpoint]: 3 });
		const refresh = Object.fromEntries(new URLSearchParams(tokenCalls()[0].body));
		expect(refresh).toMatchObject({ grant_type: 'refresh_token', refresh_token: tokenData.refresh_token });
		const stored = r.store.raw('pardotOAuth2Api')!.oauthTokenData as Record<string, string>;
		expect(stored.access_token).not.toBe(tokenData.access_token);
		// Salesforce does not rotate refresh tokens: n8n keeps the old one.
		expect(stored.refresh_token).toBe(tokenData.refresh_token);
		r.close();
	});
});
