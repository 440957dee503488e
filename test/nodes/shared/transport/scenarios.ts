/**
 * Every way a transport call can fail, as data: errors.test.ts checks what each one says,
 * secrets.test.ts runs the very same list and checks that no secret escapes.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { PardotConnection, TransportOptions } from '../../../../nodes/shared/transport';
import { pardotRequest } from '../../../../nodes/shared/transport';
import { clearLegacySessions } from '../../../lib/pardot';
import type { ConfigurePatch, SimulatorHandle } from '../../../../simulator';
import type { Flavor } from '../../../lib/pardot';
import { fast, caught, prospectPath, prospectQuery, rig } from '../../../lib/transport';
import type { Rig } from '../../../lib/transport';

export interface ScenarioContext {
	sim: SimulatorHandle;
	/** Where the rig's credential points (the simulator, or a recording proxy in front of it). */
	baseUrl: string;
	rig: Rig;
	conn: PardotConnection;
}

export interface ErrorScenario {
	name: string;
	flavor: Flavor;
	credentials?: (baseUrl: string) => ICredentialDataDecryptedObject;
	configure?: ConfigurePatch;
	/** Runs after loadConnection, before the failing call (warm-ups, faults). */
	arrange?: (c: ScenarioContext) => Promise<void> | void;
	options?: TransportOptions;
	/** 'connect': loadConnection itself fails, before any request. */
	failsAt?: 'connect' | 'request';
	message: RegExp;
	description?: RegExp;
	httpCode?: string;
	pardotCode?: number;
	/** Simulator endpoint -> requests it received during the failing call (retries made visible). */
	requests?: Record<string, number>;
}

const LEGACY: Flavor = 'legacy-v4';
const OAUTH: Flavor[] = ['oauth-v4', 'oauth-v5'];
const ALL: Flavor[] = [LEGACY, ...OAUTH];

export function versionOf(flavor: Flavor): string {
	return flavor.slice(-1);
}

export function queryEndpoint(flavor: Flavor): string {
	return versionOf(flavor) === '5' ? 'v5.prospects' : 'prospect.query';
}

/** A path fragment that matches the prospect query of this flavor and nothing else. */
export function queryFault(flavor: Flavor): string {
	return versionOf(flavor) === '5' ? '/api/v5/objects/prospects' : '/do/query';
}

/** One successful call, so the api_key / access token exist before the fault. */
async function warmUp(c: ScenarioContext): Promise<void> {
	const version = versionOf(c.rig.flavor);
	await pardotRequest(c.rig.ctx, c.conn, { path: prospectPath(version), query: prospectQuery(version) }, fast());
	c.sim.control.resetStats();
}

/** Every secret this rig could know of right now: what an error must never show. */
export function knownSecrets(c: ScenarioContext): string[] {
	const out = [...c.conn.secrets];
	for (const type of ['pardotApi', 'pardotOAuth2Api']) {
		const data = c.rig.store.getDecrypted(type);
		if (!data) continue;
		for (const key of ['password', 'userKey', 'clientSecret']) if (typeof data[key] === 'string') out.push(data[key] as string);
		const token = (data.oauthTokenData ?? {}) as Record<string, unknown>;
		for (const key of ['access_token', 'refresh_token']) if (typeof token[key] === 'string') out.push(token[key] as string);
	}
	return [...new Set(out.filter((s) => s.length >= 8))];
}

function perFlavor(flavors: Flavor[], make: (flavor: Flavor) => Omit<ErrorScenario, 'flavor'>): ErrorScenario[] {
	return flavors.map((flavor) => ({ ...make(flavor), flavor, name: `${flavor}: ${make(flavor).name}` }));
}

export const SCENARIOS: ErrorScenario[] = [
	// ---- legacy login -------------------------------------------------------------------------
	{
		name: 'legacy login: wrong password (15)',
		flavor: LEGACY,
		credentials: () => ({ password: 'not-the-password-42' }),
		message: /rejected the login \(error 15\)/,
		description: /email, password or user key is wrong.*credential/,
		pardotCode: 15,
		requests: { login: 1, 'prospect.query': 0 },
	},
	{
		name: 'legacy login: wrong user key (15, as Pardot documents)',
		flavor: LEGACY,
		credentials: () => ({ userKey: 'fedcba9876543210fedcba9876543210' }),
		message: /rejected the login \(error 15\)/,
		description: /user key is wrong.*API User Key/,
		pardotCode: 15,
		requests: { login: 1, 'prospect.query': 0 },
	},
	{
		name: 'legacy login: wrong user key answered with error 1 (older servers)',
		flavor: LEGACY,
		configure: { legacyWrongUserKeyCode: 1 },
		credentials: () => ({ userKey: 'fedcba9876543210fedcba9876543210' }),
		message: /rejected the API key or user key \(error 1\)/,
		description: /user key.*API User Key/,
		pardotCode: 1,
		// A wrong user key at login is not an expired api_key: no second login.
		requests: { login: 1, 'prospect.query': 0 },
	},
	{
		name: 'legacy login: user-key logins retired (199)',
		flavor: LEGACY,
		configure: { legacyLoginRetired: true },
		message: /no longer accepts user-key logins.*\(error 199\)/,
		description: /Pardot OAuth2 API" credential/,
		pardotCode: 199,
		requests: { login: 1 },
	},
	{
		name: 'legacy login: locked after repeated failures (131)',
		flavor: LEGACY,
		arrange: async (c) => {
			// Five wrong passwords lock the user (Pardot locks after repeated failures) ...
			const wrong = rig(LEGACY, c.baseUrl, { password: 'guessing-wrong-1' });
			const wrongConn = await wrong.connect();
			for (let i = 0; i < 5; i++) {
				const error = await caught(pardotRequest(wrong.ctx, wrongConn, { path: prospectPath('4'), query: prospectQuery('4') }, fast()));
				expect(error.message).toMatch(/error 15/);
			}
			wrong.close();
			c.sim.control.resetStats();
			// ... and then even the right password is refused.
		},
		message: /locked this user after too many failed logins \(error 131\)/,
		description: /Unlock the user/,
		pardotCode: 131,
		requests: { login: 1 },
	},
	{
		name: 'legacy login: account must use version 4 (88)',
		flavor: 'legacy-v3',
		message: /must use API version 4 \(error 88\)/,
		description: /Set "API Version" to 4/,
		pardotCode: 88,
	},
	{
		name: 'legacy login: account cannot use version 4 (89)',
		flavor: LEGACY,
		configure: { accountVersion: 3 },
		message: /cannot use API version 4 \(error 89\)/,
		description: /Set "API Version" to 3/,
		pardotCode: 89,
	},
	{
		name: 'legacy: error 1 again right after a fresh login',
		flavor: LEGACY,
		arrange: async (c) => {
			await warmUp(c);
			c.sim.control.fault({ kind: 'pardotError', code: 1, status: 401, path: '/do/query', count: 2 });
		},
		message: /rejected the API key or user key \(error 1\)/,
		pardotCode: 1,
		// Exactly one re-login, then the error: never a loop.
		requests: { login: 1, 'prospect.query': 2 },
	},
	{
		name: 'legacy: error text echoing an api_key that expired earlier in the run',
		flavor: LEGACY,
		arrange: async (c) => {
			await warmUp(c);
			const before = knownSecrets(c);
			c.sim.control.tokens({ expire: true });
			await warmUp(c); // logs in again
			const echo = [...before, ...knownSecrets(c)].join(' / ');
			c.sim.control.fault({ kind: 'pardotError', code: 9999, message: `Bad request with ${echo}`, path: '/do/query' });
		},
		message: /Pardot returned error 9999/,
		description: /Bad request with \[redacted\]/,
		pardotCode: 9999,
	},
	{
		name: 'legacy: credential set to API v5',
		flavor: LEGACY,
		credentials: () => ({ apiVersion: '5' }),
		failsAt: 'connect',
		message: /API v5 needs the Pardot OAuth2 credential/,
	},
	{
		name: 'legacy: nothing listening at the base URL',
		flavor: LEGACY,
		credentials: () => ({ baseUrl: 'http://127.0.0.1:9' }),
		message: /Nothing is listening at 127\.0\.0\.1:9 \(ECONNREFUSED\)/,
		description: /Environment \/ Base URL/,
	},

	{
		name: 'legacy: a user:password@ in a custom Base URL never shows',
		flavor: LEGACY,
		credentials: () => ({ baseUrl: 'http://proxyuser:Pr0xyS3cret@127.0.0.1:9' }),
		message: /^Nothing is listening at 127\.0\.0\.1:9 \(ECONNREFUSED\)$/,
	},

	// ---- OAuth2 -------------------------------------------------------------------------------
	...perFlavor(OAUTH, () => ({
		name: 'Business Unit unknown on this host (201)',
		configure: { businessUnits: ['0Uv000000000009AAA'] },
		message: /does not know this Business Unit ID on this host \(error 201\)/,
		description: /18 characters, starts with 0Uv.*Environment/,
		pardotCode: 201,
		httpCode: '400',
	})),
	...perFlavor(OAUTH, (flavor) => ({
		name: 'Business Unit header missing (181)',
		arrange: (c) => {
			c.sim.control.fault({ kind: 'pardotError', code: 181, status: 400, path: queryFault(flavor) });
		},
		message: /needs a Business Unit ID \(error 181\)/,
		description: /Business Unit Setup/,
		pardotCode: 181,
		requests: { [queryEndpoint(flavor)]: 1 },
	})),
	...perFlavor(OAUTH, (flavor) => ({
		name: 'access token refused even after n8n renewed it (184)',
		arrange: async (c) => {
			await warmUp(c);
			c.sim.control.fault({ kind: 'pardotError', code: 184, status: 401, path: queryFault(flavor), count: 5 });
		},
		message: /did not accept the Salesforce access token \(error 184\)/,
		description: /pardot_api/,
		pardotCode: 184,
		// n8n renews once on 401 and sends once more; then the error.
		// n8n renews once and sends the request again; n8n-core 2.11 and the 1.x line then send it a
		// third time (2.41 does not). The trigger adds no request of its own.
		requests: { 'oauth.token': 1, [queryEndpoint(flavor)]: 3 },
	})),
	...['', '0Uv12345', '001000000000001AAA', '0Uv000000000001AAAA', '0Uv00000000-001AAA'].map(
		(businessUnitId): ErrorScenario => ({
			name: `oauth-v5: Business Unit ID "${businessUnitId}" rejected before any request`,
			flavor: 'oauth-v5',
			credentials: () => ({ businessUnitId }),
			failsAt: 'connect',
			message: /Business Unit ID in the Pardot OAuth2 credential is not valid/,
			description: /18 characters and starts with 0Uv/,
		}),
	),
	{
		name: 'oauth-v5: wrong client secret',
		flavor: 'oauth-v5',
		credentials: () => ({ clientSecret: 'wrong-client-secret-777' }),
		message: /Could not authenticate with Salesforce for Pardot/,
		description: /client ID, secret and Salesforce Login URL/,
		requests: { 'oauth.token': 1, 'v5.prospects': 0 },
	},
	{
		name: 'oauth-v5: Salesforce token endpoint keeps dropping the connection',
		flavor: 'oauth-v5',
		arrange: (c) => {
			c.sim.control.fault({ kind: 'reset', path: '/services/oauth2/token', count: 50 });
		},
		message: /ECONNRESET/,
	},
	{
		name: 'oauth-v5: nothing listening at the login and API hosts',
		flavor: 'oauth-v5',
		credentials: () => ({ baseUrl: 'http://127.0.0.1:9', loginUrl: 'http://127.0.0.1:9' }),
		message: /Nothing is listening at 127\.0\.0\.1:9 \(ECONNREFUSED\)/,
	},
	{
		name: 'oauth-v5: client credentials without a Login URL stop before any request',
		flavor: 'oauth-v5',
		credentials: () => ({ loginUrl: '' }),
		failsAt: 'connect',
		message: /^The client credentials flow needs your My Domain URL as Salesforce Login URL$/,
		description: /login\.salesforce\.com and test\.salesforce\.com.*my\.salesforce\.com.*Nothing was sent/,
	},
	{
		name: 'oauth-v5: client credentials on login.salesforce.com stop before any request',
		flavor: 'oauth-v5',
		credentials: () => ({ loginUrl: 'https://login.salesforce.com/' }),
		failsAt: 'connect',
		message: /needs your My Domain URL/,
	},
	{
		name: 'oauth-v5: client credentials refused by a generic login host (Salesforce\'s own answer)',
		flavor: 'oauth-v5',
		configure: { loginHost: 'generic' },
		message: /^Salesforce refused the client credentials grant$/,
		description: /My Domain host.*my\.salesforce\.com.*Run As/,
	},
	{
		name: 'oauth-v5: a user:password@ in the custom Base URL and Login URL never shows',
		flavor: 'oauth-v5',
		credentials: () => ({ baseUrl: 'http://proxyuser:Pr0xyS3cret@127.0.0.1:9', loginUrl: 'http://loginuser:L0ginS3cret@127.0.0.1:9' }),
		message: /Nothing is listening at 127\.0\.0\.1:9 \(ECONNREFUSED\)|127\.0\.0\.1:9/,
	},

	// ---- every flavor: Pardot errors and broken answers ----------------------------------------
	...perFlavor(ALL, (flavor) => ({
		name: 'error 66 past its retries',
		arrange: async (c) => {
			await warmUp(c);
			c.sim.control.fault({ kind: 'pardotError', code: 66, path: queryFault(flavor), count: 50 });
		},
		options: { retries: 3 },
		message: /too many concurrent API requests \(error 66\)/,
		description: /5 concurrent requests.*retried/,
		pardotCode: 66,
		requests: { [queryEndpoint(flavor)]: 4 },
	})),
	...perFlavor(ALL, (flavor) => ({
		name: 'error 122 daily limit',
		arrange: async (c) => {
			await warmUp(c);
			c.sim.control.fault({ kind: 'pardotError', code: 122, path: queryFault(flavor) });
		},
		message: /daily API call limit is reached \(error 122\)/,
		description: /tries one small request at each poll, and catches up as soon as Pardot accepts calls again/,
		pardotCode: 122,
		requests: { [queryEndpoint(flavor)]: 1 },
	})),
	...perFlavor(ALL, (flavor) => ({
		name: 'HTML error page (503) on every attempt',
		arrange: async (c) => {
			await warmUp(c);
			c.sim.control.fault({ kind: 'html', status: 503, path: queryFault(flavor), count: 50 });
		},
		message: /^Pardot returned an unexpected response \(HTTP 503\)$/,
		httpCode: '503',
		requests: { [queryEndpoint(flavor)]: 4 },
	})),
	...perFlavor(ALL, (flavor) => ({
		name: 'HTML page with HTTP 200',
		arrange: async (c) => {
			await warmUp(c);
			c.sim.control.fault({ kind: 'html', status: 200, path: queryFault(flavor) });
		},
		message: /^Pardot returned an unexpected response \(HTTP 200\)$/,
		description: /HTML page/,
		httpCode: '200',
		requests: { [queryEndpoint(flavor)]: 1 },
	})),
	...perFlavor(ALL, (flavor) => ({
		name: 'plain-text HTTP 404',
		arrange: async (c) => {
			await warmUp(c);
			c.sim.control.fault({ kind: 'http', status: 404, path: queryFault(flavor) });
		},
		message: /^Pardot returned an unexpected response \(HTTP 404\)$/,
		httpCode: '404',
		requests: { [queryEndpoint(flavor)]: 1 },
	})),
	...perFlavor(ALL, (flavor) => ({
		name: 'truncated JSON',
		arrange: async (c) => {
			await warmUp(c);
			c.sim.control.fault({ kind: 'truncated', path: queryFault(flavor) });
		},
		message: /^Pardot returned an unexpected response \(HTTP 200\)$/,
		description: /cut off or malformed/,
		httpCode: '200',
	})),
	...perFlavor(ALL, (flavor) => ({
		name: 'connection reset on every attempt',
		arrange: async (c) => {
			await warmUp(c);
			c.sim.control.fault({ kind: 'reset', path: queryFault(flavor), count: 50 });
		},
		options: { retries: 2 },
		message: /connection to Pardot at 127\.0\.0\.1:\d+ was dropped \(ECONNRESET\)/,
		description: /Nothing was lost/,
		requests: { [queryEndpoint(flavor)]: 3 },
	})),
	...perFlavor(ALL, (flavor) => ({
		name: 'no answer in time on every attempt',
		arrange: async (c) => {
			await warmUp(c);
			c.sim.control.fault({ kind: 'delay', delayMs: 300, path: queryFault(flavor), count: 50 });
		},
		options: { retries: 2, timeoutMs: 80 },
		message: /Pardot at 127\.0\.0\.1:\d+ did not answer in time/,
		requests: { [queryEndpoint(flavor)]: 3 },
	})),
	...perFlavor(ALL, (flavor) => ({
		name: 'unknown error whose text echoes every secret',
		arrange: async (c) => {
			await warmUp(c);
			const echo = knownSecrets(c).join(' / ');
			c.sim.control.fault({ kind: 'pardotError', code: 9999, message: `Bad request with ${echo}`, path: queryFault(flavor) });
		},
		message: /Pardot returned error 9999/,
		description: /Bad request with \[redacted\]/,
		pardotCode: 9999,
	})),
];

export interface ScenarioRun {
	error: any;
	context: ScenarioContext | undefined;
	rig: Rig;
	/** Requests per simulator endpoint during the failing call. */
	requests: Record<string, number>;
}

/** Runs one scenario against a freshly reset simulator; `baseUrl` may be a proxy in front of it. */
export async function runScenario(sim: SimulatorHandle, scenario: ErrorScenario, baseUrl = sim.baseUrl): Promise<ScenarioRun> {
	sim.control.reset();
	clearLegacySessions();
	if (scenario.configure) sim.control.configure(scenario.configure);
	sim.control.seed({ prospects: 3 });
	const r = rig(scenario.flavor, baseUrl, scenario.credentials?.(baseUrl) ?? {});
	if (scenario.failsAt === 'connect') {
		const error = await caught(r.connect());
		return { error, context: undefined, rig: r, requests: sim.control.stats().byEndpoint };
	}
	const conn = await r.connect();
	const context: ScenarioContext = { sim, baseUrl, rig: r, conn };
	await scenario.arrange?.(context);
	sim.control.resetStats();
	const version = versionOf(scenario.flavor);
	const error = await caught(
		pardotRequest(r.ctx, conn, { path: prospectPath(version), query: prospectQuery(version) }, { ...fast(), ...scenario.options }),
	);
	return { error, context, rig: r, requests: sim.control.stats().byEndpoint };
}
