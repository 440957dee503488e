import { DEFAULT_BUSINESS_UNIT, DEFAULT_OAUTH_CLIENT, DEFAULT_USER } from '../../simulator';
import type { SimulatorHandle } from '../../simulator';
import { accessToken, apiKey, bearer, form, http, legacyAuth, legacyQuery, login, simulatorForFile, v5 } from '../lib/simulator';

let sim: SimulatorHandle;
const env = simulatorForFile();
beforeEach(() => ({ sim } = env.current()));

const fail = (code: number) => expect.objectContaining({ '@attributes': { stat: 'fail', version: 1, err_code: code } });

describe('legacy login', () => {
	it('returns a 32-hex api_key and the account version', async () => {
		const res = await login(sim);
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ '@attributes': { stat: 'ok', version: 1 }, api_key: expect.stringMatching(/^[0-9a-f]{32}$/), version: 4 });
	});

	it('answers XML without format=json, as Pardot does', async () => {
		const res = await http(
			`${sim.baseUrl}/api/login/version/4`,
			form({ email: DEFAULT_USER.email, password: DEFAULT_USER.password, user_key: DEFAULT_USER.userKey }),
		);
		expect(res.text).toMatch(/<rsp stat="ok" version="1.0"><api_key>[0-9a-f]{32}<\/api_key><version>4<\/version><\/rsp>/);
	});

	it('wrong password -> 15; wrong user key -> 15 as documented (the default), or 1 (legacyWrongUserKeyCode)', async () => {
		expect((await login(sim, { password: 'nope' })).json).toEqual(fail(15));
		expect((await login(sim, { password: 'nope' })).json.err).toBe('Login failed');
		expect((await login(sim, { email: 'nobody@example.com' })).json).toEqual(fail(15));
		// Pardot's error list: 15 is "the provided email address, password, or user key is invalid".
		const documented = await login(sim, { user_key: 'ffffffffffffffffffffffffffffffff' });
		expect(documented.status).toBe(200);
		expect(documented.json).toEqual({ '@attributes': { stat: 'fail', version: 1, err_code: 15 }, err: 'Login failed' });
		sim.control.configure({ legacyWrongUserKeyCode: 1 });
		const wrongKey = await login(sim, { user_key: 'ffffffffffffffffffffffffffffffff' });
		expect(wrongKey.json).toEqual({ '@attributes': { stat: 'fail', version: 1, err_code: 1 }, err: 'Invalid API key or user key' });
	});

	it('wrong user keys count towards the lock like wrong passwords', async () => {
		for (let i = 0; i < 5; i++) expect((await login(sim, { user_key: `${i}`.repeat(32) })).json).toEqual(fail(15));
		expect((await login(sim)).json).toEqual(fail(131));
	});

	it('locks the account after 5 failed logins (131), even for the right password', async () => {
		for (let i = 0; i < 5; i++) expect((await login(sim, { password: `bad${i}` })).json).toEqual(fail(15));
		expect((await login(sim)).json).toEqual(fail(131));
		// The lock lasts lockoutMs of simulated time.
		sim.control.clock({ advanceMs: 31 * 60_000 });
		expect((await login(sim)).json.api_key).toBeDefined();
	});

	it('a success resets the failure count', async () => {
		for (let i = 0; i < 4; i++) await login(sim, { password: 'bad' });
		await login(sim);
		for (let i = 0; i < 4; i++) await login(sim, { password: 'bad' });
		expect((await login(sim)).json.api_key).toBeDefined();
	});

	it('a v4 account may log in with version 3 (its queries may not); a v3 account gets no version tag', async () => {
		// "Using version 3 to login will continue to work, even though all other endpoints will require version 4."
		const v3login = await login(sim, {}, 3);
		expect(v3login.json).toEqual({ '@attributes': { stat: 'ok', version: 1 }, api_key: expect.stringMatching(/^[0-9a-f]{32}$/), version: 4 });
		expect((await legacyQuery(sim, v3login.json.api_key, 'prospect', {}, 3)).json).toEqual(fail(88));
		sim.control.configure({ accountVersion: 3 });
		expect((await login(sim, {}, 4)).json).toEqual(fail(89));
		// "If your account requires version 3, you will not see this tag."
		const ok = await login(sim, {}, 3);
		expect(ok.json).toEqual({ '@attributes': { stat: 'ok', version: 1 }, api_key: expect.stringMatching(/^[0-9a-f]{32}$/) });
		expect(ok.text).not.toContain('version":3');
		const xml = await http(
			`${sim.baseUrl}/api/login/version/3`,
			form({ email: DEFAULT_USER.email, password: DEFAULT_USER.password, user_key: DEFAULT_USER.userKey }),
		);
		expect(xml.text).toMatch(/<rsp stat="ok" version="1.0"><api_key>[0-9a-f]{32}<\/api_key><\/rsp>/);
	});

	it('legacyLoginRetired -> 199', async () => {
		sim.control.configure({ legacyLoginRetired: true });
		expect((await login(sim)).json).toEqual(fail(199));
	});
});

describe('api_key reuse at login (documented)', () => {
	it('a login while the key is valid returns that same key; its life still counts from the first issue', async () => {
		const first = await apiKey(sim);
		sim.control.clock({ advanceMs: 55 * 60_000 });
		// "Subsequent authentication requests return either the current valid API key or a newly
		// generated API key if the previous one expired."
		const renewed = await apiKey(sim);
		expect(renewed).toBe(first);
		expect((await legacyQuery(sim, renewed, 'prospect')).json['@attributes'].stat).toBe('ok');
		// 60 minutes after the first issue the key dies, although it was "renewed" at 55.
		sim.control.clock({ advanceMs: 5 * 60_000 + 1 });
		expect((await legacyQuery(sim, renewed, 'prospect')).json).toEqual(fail(1));
		const fresh = await apiKey(sim);
		expect(fresh).not.toBe(first);
		expect((await legacyQuery(sim, fresh, 'prospect')).json['@attributes'].stat).toBe('ok');
	});

	it('keys are per user; tokens({ expire }) makes the next login mint a new one', async () => {
		const second = { email: 'second@example.com', password: 'second-password', userKey: 'aaaabbbbccccddddeeeeffff00001111' };
		sim.control.configure({ users: [DEFAULT_USER, second] });
		const mine = await apiKey(sim);
		const theirs = (await login(sim, { email: second.email, password: second.password, user_key: second.userKey })).json.api_key;
		expect(theirs).toMatch(/^[0-9a-f]{32}$/);
		expect(theirs).not.toBe(mine);
		expect(await apiKey(sim)).toBe(mine);
		sim.control.tokens({ expire: true });
		expect(await apiKey(sim)).not.toBe(mine);
	});

	it('legacyLoginReusesKey: false mints a new key at every login (the old simulator)', async () => {
		sim.control.configure({ legacyLoginReusesKey: false });
		const a = await apiKey(sim);
		const b = await apiKey(sim);
		expect(a).not.toBe(b);
		expect((await legacyQuery(sim, a, 'prospect')).json['@attributes'].stat).toBe('ok');
	});
});

describe('api_key use', () => {
	it('accepts the Authorization header and rejects credentials in the query string', async () => {
		const key = await apiKey(sim);
		expect((await legacyQuery(sim, key, 'prospect')).json['@attributes'].stat).toBe('ok');
		const inQuery = await http(
			`${sim.baseUrl}/api/prospect/version/4/do/query?format=json&api_key=${key}&user_key=${DEFAULT_USER.userKey}`,
		);
		expect(inQuery.json).toEqual(fail(1));
		const both = await http(`${sim.baseUrl}/api/prospect/version/4/do/query?format=json&api_key=${key}`, {
			headers: legacyAuth(key),
		});
		expect(both.json).toEqual(fail(1));
	});

	it('rejects a wrong user key paired with a valid api_key', async () => {
		const key = await apiKey(sim);
		const res = await http(`${sim.baseUrl}/api/prospect/version/4/do/query?format=json`, {
			headers: legacyAuth(key, 'ffffffffffffffffffffffffffffffff'),
		});
		expect(res.json).toEqual(fail(1));
	});

	it('expires after apiKeyLifetimeMs of simulated time, with the configured HTTP status', async () => {
		sim.control.configure({ apiKeyLifetimeMs: 60_000, expiredKeyStatus: 400 });
		const key = await apiKey(sim);
		sim.control.clock({ advanceMs: 59_000 });
		expect((await legacyQuery(sim, key, 'prospect')).status).toBe(200);
		sim.control.clock({ advanceMs: 2_000 });
		const expired = await legacyQuery(sim, key, 'prospect');
		expect(expired.status).toBe(400);
		expect(expired.json).toEqual(fail(1));
		sim.control.configure({ expiredKeyStatus: 200 });
		expect((await legacyQuery(sim, key, 'prospect')).status).toBe(200);
		const fresh = await apiKey(sim);
		expect((await legacyQuery(sim, fresh, 'prospect')).json['@attributes'].stat).toBe('ok');
	});

	it('default expired status is 401; tokens({expire}) expires every key at once', async () => {
		const key = await apiKey(sim);
		expect(sim.control.tokens({ expire: true }).expired).toBe(1);
		const res = await legacyQuery(sim, key, 'prospect');
		expect(res.status).toBe(401);
		expect(res.json).toEqual(fail(1));
	});

	it('queries on the wrong version -> 88/89', async () => {
		const key = await apiKey(sim);
		expect((await legacyQuery(sim, key, 'prospect', {}, 3)).json).toEqual(fail(88));
	});

	it('retired legacy auth refuses existing keys with 199', async () => {
		const key = await apiKey(sim);
		sim.control.configure({ legacyLoginRetired: true });
		expect((await legacyQuery(sim, key, 'prospect')).json).toEqual(fail(199));
	});
});

describe('OAuth on v3/v4 and v5', () => {
	it('v3/v4: Bearer token + Business Unit header', async () => {
		const token = await accessToken(sim);
		const url = `${sim.baseUrl}/api/prospect/version/4/do/query?format=json`;
		expect((await http(url, { headers: bearer(token) })).json['@attributes'].stat).toBe('ok');
		expect((await http(url, { headers: bearer(token, null) })).json).toEqual(fail(181));
		expect((await http(url, { headers: bearer(token, '0Uv000000000009AAA') })).json).toEqual(fail(201));
		const bad = await http(url, { headers: bearer('nope') });
		expect(bad.status).toBe(401);
		expect(bad.json).toEqual(fail(184));
	});

	it('v5: 401 {code:184} for a bad or expired token, 181/201 for the BU header', async () => {
		const token = await accessToken(sim);
		expect((await v5(sim, token, 'prospects', 'fields=id')).status).toBe(200);
		const missing = await http(`${sim.baseUrl}/api/v5/objects/prospects?fields=id`, { headers: bearer(token, null) });
		expect(missing.status).toBe(400);
		expect(missing.json.code).toBe(181);
		const unknown = await http(`${sim.baseUrl}/api/v5/objects/prospects?fields=id`, {
			headers: bearer(token, '0Uv000000000009AAA'),
		});
		expect(unknown.json.code).toBe(201);
		sim.control.clock({ advanceMs: 2 * 3_600_000 + 1 });
		const expired = await v5(sim, token, 'prospects', 'fields=id');
		expect(expired.status).toBe(401);
		expect(expired.json).toEqual({ code: 184, message: expect.any(String) });
		const none = await http(`${sim.baseUrl}/api/v5/objects/prospects?fields=id`);
		expect(none.status).toBe(401);
	});

	it('configured business units', async () => {
		sim.control.configure({ businessUnits: ['0Uv000000000002AAA'] });
		const token = await accessToken(sim);
		const url = `${sim.baseUrl}/api/prospect/version/4/do/query?format=json`;
		expect((await http(url, { headers: bearer(token, DEFAULT_BUSINESS_UNIT) })).json).toEqual(fail(201));
		expect((await http(url, { headers: bearer(token, '0Uv000000000002AAA') })).json['@attributes'].stat).toBe('ok');
	});
});

describe('OAuth token endpoint', () => {
	const tokenUrl = () => `${sim.baseUrl}/services/oauth2/token`;
	const client = { client_id: DEFAULT_OAUTH_CLIENT.clientId, client_secret: DEFAULT_OAUTH_CLIENT.clientSecret };

	it('client_credentials with the client in the body or HTTP Basic; no refresh token, no expires_in', async () => {
		const body = await http(tokenUrl(), form({ grant_type: 'client_credentials', ...client }));
		expect(body.status).toBe(200);
		expect(body.json).toEqual(
			expect.objectContaining({ access_token: expect.any(String), token_type: 'Bearer', instance_url: sim.baseUrl }),
		);
		expect(body.json.refresh_token).toBeUndefined();
		expect(body.json.expires_in).toBeUndefined();
		const basic = Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64');
		const viaBasic = await http(tokenUrl(), {
			...form({ grant_type: 'client_credentials' }),
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}` },
		});
		expect(viaBasic.json.access_token).toBeDefined();
	});

	it('authorization code via the authorize redirect, then refresh', async () => {
		const redirect = 'http://localhost:5678/rest/oauth2-credential/callback';
		const auth = await http(
			`${sim.baseUrl}/services/oauth2/authorize?response_type=code&client_id=${client.client_id}&redirect_uri=${encodeURIComponent(redirect)}&state=xyz&scope=pardot_api%20refresh_token`,
		);
		expect(auth.status).toBe(302);
		const location = new URL(auth.headers.get('location')!);
		expect(location.origin + location.pathname).toBe(redirect);
		expect(location.searchParams.get('state')).toBe('xyz');
		const code = location.searchParams.get('code')!;
		const tokens = await http(tokenUrl(), form({ grant_type: 'authorization_code', code, redirect_uri: redirect, ...client }));
		expect(tokens.json.access_token).toBeDefined();
		expect(tokens.json.refresh_token).toBeDefined();
		// Codes are single use.
		const again = await http(tokenUrl(), form({ grant_type: 'authorization_code', code, redirect_uri: redirect, ...client }));
		expect(again.status).toBe(400);
		expect(again.json.error).toBe('invalid_grant');

		sim.control.tokens({ expire: true });
		expect((await v5(sim, tokens.json.access_token, 'prospects', 'fields=id')).status).toBe(401);
		const refreshed = await http(
			tokenUrl(),
			form({ grant_type: 'refresh_token', refresh_token: tokens.json.refresh_token, ...client }),
		);
		expect(refreshed.json.access_token).toBeDefined();
		expect(refreshed.json.refresh_token).toBeUndefined();
		expect((await v5(sim, refreshed.json.access_token, 'prospects', 'fields=id')).status).toBe(200);
	});

	it('errors in the Salesforce shape', async () => {
		expect((await http(tokenUrl(), form({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' }))).json).toEqual({
			error: 'invalid_client_id',
			error_description: 'client identifier invalid',
		});
		expect(
			(await http(tokenUrl(), form({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: 'y' }))).json
				.error,
		).toBe('invalid_client');
		expect((await http(tokenUrl(), form({ grant_type: 'password', ...client }))).json.error).toBe('unsupported_grant_type');
		expect((await http(tokenUrl(), form({ grant_type: 'refresh_token', refresh_token: 'nope', ...client }))).json.error).toBe(
			'invalid_grant',
		);
		sim.control.configure({ oauthClients: [{ ...DEFAULT_OAUTH_CLIENT, clientCredentials: false }] });
		expect((await http(tokenUrl(), form({ grant_type: 'client_credentials', ...client }))).status).toBe(400);
	});

	it('loginHost generic (login.salesforce.com): client credentials refused with Salesforce\'s error; other grants work', async () => {
		sim.control.configure({ loginHost: 'generic' });
		const refused = await http(tokenUrl(), form({ grant_type: 'client_credentials', ...client }));
		expect(refused.status).toBe(400);
		expect(refused.headers.get('content-type')).toMatch(/application\/json/);
		expect(refused.json).toEqual({ error: 'invalid_grant', error_description: 'request not supported on this domain' });
		// The authorization code flow and refresh still work on the generic host.
		const redirect = 'http://localhost:5678/rest/oauth2-credential/callback';
		const auth = await http(
			`${sim.baseUrl}/services/oauth2/authorize?response_type=code&client_id=${client.client_id}&redirect_uri=${encodeURIComponent(redirect)}`,
		);
		const code = new URL(auth.headers.get('location')!).searchParams.get('code')!;
		const tokens = await http(tokenUrl(), form({ grant_type: 'authorization_code', code, redirect_uri: redirect, ...client }));
		expect(tokens.json.access_token).toEqual(expect.any(String));
		const refreshed = await http(tokenUrl(), form({ grant_type: 'refresh_token', refresh_token: tokens.json.refresh_token, ...client }));
		expect(refreshed.json.access_token).toEqual(expect.any(String));
		// Back on a My Domain host, the same client gets a token.
		sim.control.configure({ loginHost: 'myDomain' });
		expect((await http(tokenUrl(), form({ grant_type: 'client_credentials', ...client }))).json.access_token).toEqual(expect.any(String));
		expect(() => sim.control.configure({ loginHost: 'login.salesforce.com' as never })).toThrow(/loginHost/);
	});

	it('access tokens expire after accessTokenLifetimeMs', async () => {
		sim.control.configure({ accessTokenLifetimeMs: 10_000 });
		const token = await accessToken(sim);
		sim.control.clock({ advanceMs: 9_000 });
		expect((await v5(sim, token, 'prospects', 'fields=id')).status).toBe(200);
		sim.control.clock({ advanceMs: 2_000 });
		expect((await v5(sim, token, 'prospects', 'fields=id')).status).toBe(401);
	});
});
