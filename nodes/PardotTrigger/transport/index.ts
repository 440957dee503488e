import { createHash } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { describePardotError, redact } from './errors';

/**
 * The one place that talks to Pardot: hosts, authentication (legacy api_key or OAuth2 bearer +
 * Business Unit header), error envelopes, retries. Callers get parsed JSON or a NodeApiError whose
 * message says what happened and what to do, and which never contains a secret.
 */

export type PardotContext = Pick<IPollFunctions | IExecuteFunctions, 'getCredentials' | 'getNode' | 'logger'> & {
	helpers: Pick<IPollFunctions['helpers'], 'httpRequest' | 'httpRequestWithAuthentication'>;
};

export type Authentication = 'oAuth2' | 'legacy';
export type ApiVersion = '3' | '4' | '5';

export interface PardotConnection {
	authentication: Authentication;
	apiVersion: ApiVersion;
	baseUrl: string;
	timezone: string;
	/** Values that must never appear in messages: password, user key, api_key, tokens. */
	secrets: string[];
	legacy?: { email: string; password: string; userKey: string };
	businessUnitId?: string;
	/** OAuth2: the grant the credential uses. */
	grantType?: string;
}

export interface PardotResponse {
	body: IDataObject;
	/** Pardot's clock at the response (HTTP Date header), ms since epoch; undefined if absent. */
	serverTime?: number;
	status: number;
	/** `Pardot-Warning` headers (v5), e.g. "203;Record count for nextPageToken sequence has been exceeded". */
	warnings: string[];
}

export interface RequestSpec {
	method?: 'GET' | 'POST';
	path: string;
	query?: Record<string, string | number | boolean | undefined>;
}

export interface TransportOptions {
	/** Retries of error 66, HTTP 5xx and dropped connections before the request fails. */
	retries?: number;
	/** First backoff delay; doubles each retry, with jitter. */
	retryBaseMs?: number;
	timeoutMs?: number;
	/** The clock the api_key cache runs on (tests give the simulator's). */
	now?: () => number;
}

const DEFAULTS: Required<TransportOptions> = { retries: 3, retryBaseMs: 1000, timeoutMs: 120_000, now: () => Date.now() };

/** Changes the process-wide retry and timeout defaults (tests use short ones). Returns the old ones. */
export function configureTransportDefaults(options: TransportOptions): Required<TransportOptions> {
	const previous = { ...DEFAULTS };
	Object.assign(DEFAULTS, options);
	return previous;
}

const HOSTS: Record<string, string> = {
	production: 'https://pi.pardot.com',
	demo: 'https://pi.demo.pardot.com',
	sandbox: 'https://pi.demo.pardot.com',
};

function trimBaseUrl(url: string): string {
	return url.trim().replace(/\/+$/, '');
}

export async function loadConnection(ctx: PardotContext, authentication: Authentication): Promise<PardotConnection> {
	const type = authentication === 'legacy' ? 'pardotApi' : 'pardotOAuth2Api';
	const credentials = (await ctx.getCredentials(type)) as ICredentialDataDecryptedObject;
	const environment = String(credentials.environment ?? 'production');
	const baseUrl = environment === 'custom' ? trimBaseUrl(String(credentials.baseUrl ?? '')) : HOSTS[environment];
	if (!/^https?:\/\/[^/]+/i.test(baseUrl ?? '')) {
		throw new NodeOperationError(ctx.getNode(), 'The Pardot credential has no valid Base URL', {
			description: 'Set a URL such as https://pi.pardot.com (or the simulator\'s http://127.0.0.1:PORT) in the credential.',
		});
	}
	const timezone = String(credentials.timezone || 'UTC').trim();
	const apiVersion = String(credentials.apiVersion ?? (authentication === 'legacy' ? '4' : '5')) as ApiVersion;
	if (authentication === 'legacy') {
		const legacy = {
			email: String(credentials.username ?? ''),
			password: String(credentials.password ?? ''),
			userKey: String(credentials.userKey ?? ''),
		};
		if (apiVersion === '5') {
			throw new NodeOperationError(ctx.getNode(), 'API v5 needs the Pardot OAuth2 credential', {
				description: 'User-key logins work with API v3 and v4 only.',
			});
		}
		return { authentication, apiVersion, baseUrl, timezone, legacy, secrets: [legacy.password, legacy.userKey] };
	}
	const businessUnitId = String(credentials.businessUnitId ?? '').trim();
	if (!/^0Uv[0-9A-Za-z]{15}$/.test(businessUnitId)) {
		throw new NodeOperationError(ctx.getNode(), 'The Business Unit ID in the Pardot OAuth2 credential is not valid', {
			description:
				'It has 18 characters and starts with 0Uv. Find it in Salesforce Setup → Account Engagement → Business Unit Setup.',
		});
	}
	if (String(credentials.grantType ?? '') === 'clientCredentials' && !isMyDomainLogin(String(credentials.loginUrl ?? ''))) {
		throw new NodeOperationError(ctx.getNode(), 'The client credentials flow needs your My Domain URL as Salesforce Login URL', {
			description:
				'Salesforce refuses this flow on login.salesforce.com and test.salesforce.com. In the Pardot OAuth2 credential, set Salesforce Login URL to https://<your domain>.my.salesforce.com (Salesforce Setup → My Domain), or use the authorization code grant. Nothing was sent.',
		});
	}
	const token = (credentials.oauthTokenData as IDataObject | undefined) ?? {};
	const secrets = [credentials.clientSecret, token.access_token, token.refresh_token].filter(
		(s): s is string => typeof s === 'string',
	);
	return { authentication, apiVersion, baseUrl, timezone, businessUnitId, secrets, grantType: String(credentials.grantType ?? '') };
}

/** Whether a Login URL names a host Salesforce runs the client credentials flow on (not the generic ones). */
export function isMyDomainLogin(loginUrl: string): boolean {
	const host = /^https?:\/\/(?:[^/@]*@)?([^/:?#]+)/i.exec(loginUrl.trim())?.[1]?.toLowerCase();
	return Boolean(host) && host !== 'login.salesforce.com' && host !== 'test.salesforce.com';
}

// ---- legacy api_key cache -------------------------------------------------------------------
// The api_key lives 60 minutes from its first issue, and a login while it is valid returns the
// same key (so logging in again at 55 minutes would only get the old key back, 5 minutes from its
// end). It is kept in this process's memory only (never in workflow static data, output or logs),
// keyed by a hash of the login, used until 5 seconds before its end, then replaced by a new login;
// and at once when Pardot answers error 1.

const API_KEY_LIFETIME_MS = 60 * 60_000;
const API_KEY_MARGIN_MS = 5_000;
const sessions = new Map<string, { apiKey: string; firstSeen: number }>();
const loginsInFlight = new Map<string, Promise<string>>();

function sessionKey(conn: PardotConnection): string {
	const l = conn.legacy!;
	return createHash('sha256').update([conn.baseUrl, conn.apiVersion, l.email, l.password, l.userKey].join('\u0000')).digest('hex');
}

/** For tests: forget every cached api_key (as a restart of n8n would). */
export function clearLegacySessions(): void {
	sessions.clear();
	loginsInFlight.clear();
}

const usable = (session: { firstSeen: number }, now: number) => now < session.firstSeen + API_KEY_LIFETIME_MS - API_KEY_MARGIN_MS;

async function legacyApiKey(ctx: PardotContext, conn: PardotConnection, opts: Required<TransportOptions>): Promise<string> {
	const key = sessionKey(conn);
	const cached = sessions.get(key);
	if (cached && usable(cached, opts.now())) return cached.apiKey;
	let pending = loginsInFlight.get(key);
	if (!pending) {
		pending = login(ctx, conn, opts).finally(() => loginsInFlight.delete(key));
		loginsInFlight.set(key, pending);
	}
	return await pending;
}

function forgetApiKey(conn: PardotConnection, apiKey: string): void {
	const key = sessionKey(conn);
	if (sessions.get(key)?.apiKey === apiKey) sessions.delete(key);
}

async function login(ctx: PardotContext, conn: PardotConnection, opts: Required<TransportOptions>): Promise<string> {
	const l = conn.legacy!;
	const form = new URLSearchParams({ email: l.email, password: l.password, user_key: l.userKey, format: 'json' });
	const sent = await send(ctx, conn, opts, {
		method: 'POST',
		url: `${conn.baseUrl}/api/login/version/${conn.apiVersion}`,
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
		body: form.toString(),
	});
	if ('networkFailure' in sent) throw sent.networkFailure;
	const { response } = sent;
	const body = parseBody(ctx, conn, response);
	const failure = pardotFailure(body);
	if (failure) {
		// Error 1 at login means the user key itself is wrong: there is nothing to renew.
		throw pardotError(ctx, conn, failure.code, failure.message, response.statusCode);
	}
	const apiKey = typeof body.api_key === 'string' ? body.api_key : '';
	if (!apiKey) throw unexpected(ctx, conn, response.statusCode, 'the login answer has no api_key');
	const now = opts.now();
	const previous = sessions.get(sessionKey(conn));
	let firstSeen = now;
	if (previous?.apiKey === apiKey) {
		// Pardot gave the same key back: it still ends 60 minutes after its first issue. If it should
		// have ended already (clocks differ), trust Pardot for one more margin, then log in again.
		firstSeen = usable(previous, now) ? previous.firstSeen : now - API_KEY_LIFETIME_MS + 2 * API_KEY_MARGIN_MS;
	}
	sessions.set(sessionKey(conn), { apiKey, firstSeen });
	return apiKey;
}

// ---- requests -------------------------------------------------------------------------------

interface RawResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

function buildUrl(conn: PardotConnection, spec: RequestSpec): string {
	const params = new URLSearchParams();
	for (const [name, value] of Object.entries(spec.query ?? {})) {
		if (value !== undefined && value !== '') params.append(name, String(value));
	}
	const qs = params.toString();
	return `${conn.baseUrl}${spec.path}${qs ? `?${qs}` : ''}`;
}

/**
 * One GET (or POST) to Pardot, authenticated, with retries for error 66, 5xx and dropped
 * connections, and exactly one re-login when a legacy api_key has expired.
 */
export async function pardotRequest(
	ctx: PardotContext,
	conn: PardotConnection,
	spec: RequestSpec,
	options: TransportOptions = {},
): Promise<PardotResponse> {
	const opts = { ...DEFAULTS, ...options };
	const url = buildUrl(conn, spec);
	let relogged = false;
	for (let attempt = 0; ; attempt++) {
		let apiKey = '';
		let sent: Sent;
		if (conn.authentication === 'legacy') {
			apiKey = await legacyApiKey(ctx, conn, opts);
			// Stays a secret after it expires or is replaced by a fresh login.
			if (!conn.secrets.includes(apiKey)) conn.secrets.push(apiKey);
			sent = await send(ctx, conn, opts, {
				method: spec.method ?? 'GET',
				url,
				headers: {
					Accept: 'application/json',
					Authorization: `Pardot api_key=${apiKey}, user_key=${conn.legacy!.userKey}`,
				},
			});
		} else {
			sent = await sendOAuth2(ctx, conn, opts, {
				method: spec.method ?? 'GET',
				url,
				headers: { Accept: 'application/json', 'Pardot-Business-Unit-Id': conn.businessUnitId! },
			});
		}
		if ('networkFailure' in sent) {
			if (attempt < opts.retries) {
				await backoff(opts, attempt);
				continue;
			}
			throw sent.networkFailure;
		}
		const { response } = sent;
		if (response.statusCode >= 500 && attempt < opts.retries && !looksLikePardotError(response.body)) {
			await backoff(opts, attempt);
			continue;
		}
		const body = parseBody(ctx, conn, response);
		const failure = pardotFailure(body);
		if (!failure) {
			if (response.statusCode >= 400) {
				throw unexpected(ctx, conn, response.statusCode, 'an HTTP error without a Pardot error code');
			}
			const warnings = warningsOf(response.headers);
			for (const warning of warnings) ctx.logger.warn(`Pardot warned: ${redact(warning, secretsOf(conn))}`);
			return { body, status: response.statusCode, serverTime: parseDateHeader(response.headers), warnings };
		}
		const info = describePardotError(failure.code, failure.message);
		if (info.action === 'relogin' && conn.authentication === 'legacy' && !relogged) {
			forgetApiKey(conn, apiKey);
			relogged = true;
			ctx.logger.debug('Pardot api_key expired; logging in again');
			continue;
		}
		if (info.action === 'backoff' && attempt < opts.retries) {
			await backoff(opts, attempt);
			continue;
		}
		throw pardotError(ctx, conn, failure.code, failure.message, response.statusCode);
	}
}

async function backoff(opts: Required<TransportOptions>, attempt: number): Promise<void> {
	const base = opts.retryBaseMs * 2 ** attempt;
	await sleep(base + Math.floor(Math.random() * base * 0.25));
}

/** A response, or a dropped connection / timeout that may be retried. */
type Sent = { response: RawResponse } | { networkFailure: NodeApiError };

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ESOCKETTIMEDOUT']);

function networkCode(error: any): string | undefined {
	// n8n's httpRequestWithAuthentication wraps network failures in a NodeApiError that keeps the
	// code only as httpCode ('ECONNRESET', 'ECONNABORTED') and the original text in `messages`.
	for (const code of [error?.code, error?.cause?.code, error?.context?.code, error?.httpCode]) {
		if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
	}
	const texts = [error?.message, ...(Array.isArray(error?.messages) ? error.messages : [])].map((t) => String(t ?? ''));
	for (const text of texts) {
		const named = text.match(/\bE[A-Z_]{3,}\b/g)?.find((name) => NETWORK_CODES.has(name));
		if (named) return named;
	}
	const message = texts.join(' ');
	if (/timeout/i.test(message)) return 'ETIMEDOUT';
	if (/socket hang up/i.test(message)) return 'ECONNRESET';
	return undefined;
}

function networkError(ctx: PardotContext, conn: PardotConnection, code: string): NodeApiError {
	const host = conn.baseUrl.replace(/^https?:\/\//, '');
	const what =
		code === 'ENOTFOUND' || code === 'EAI_AGAIN'
			? `The host ${host} was not found`
			: code === 'ECONNREFUSED'
				? `Nothing is listening at ${host}`
				: code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'ESOCKETTIMEDOUT'
					? `Pardot at ${host} did not answer in time`
					: `The connection to Pardot at ${host} was dropped`;
	return apiError(ctx, conn, {
		message: `${what} (${code})`,
		description: 'Check the credential\'s Environment / Base URL and the network. Nothing was lost: the next poll retries from the same place.',
	});
}

async function send(
	ctx: PardotContext,
	conn: PardotConnection,
	opts: Required<TransportOptions>,
	request: IHttpRequestOptions,
): Promise<Sent> {
	try {
		const response = (await ctx.helpers.httpRequest({
			...request,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: false,
			encoding: 'text',
			timeout: opts.timeoutMs,
		})) as RawResponse;
		return { response };
	} catch (error) {
		const code = networkCode(error);
		if (code) return { networkFailure: networkError(ctx, conn, code) };
		throw apiError(ctx, conn, {
			message: 'The request to Pardot failed',
			description: redact(String((error as Error)?.message ?? error), conn.secrets),
		});
	}
}

/**
 * OAuth2 goes through n8n's httpRequestWithAuthentication, which adds the bearer token and, when
 * the request throws with HTTP 401, renews the token and retries once (n8n 1.x and 2.x alike; with
 * ignoreHttpStatusErrors set, n8n 1.x would never renew). So HTTP errors arrive as thrown errors:
 * n8n wraps them in a NodeApiError that keeps the status (httpCode) and, for a JSON object body,
 * the body (context.data). The Pardot error code in that body still decides the message.
 */
async function sendOAuth2(
	ctx: PardotContext,
	conn: PardotConnection,
	opts: Required<TransportOptions>,
	request: IHttpRequestOptions,
): Promise<Sent> {
	// n8n signs the request by writing `Authorization: Bearer <token>` into these headers; a token
	// it fetched or renewed just now is not in the credential data loadConnection read, so it is
	// taken from there into the secrets every message is redacted of.
	const headers = { ...(request.headers ?? {}) };
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx as IPollFunctions, 'pardotOAuth2Api', {
			...request,
			headers,
			returnFullResponse: true,
			timeout: opts.timeoutMs,
		})) as RawResponse;
		rememberBearer(conn, headers);
		return { response };
	} catch (error) {
		rememberBearer(conn, headers);
		const response = errorResponse(error);
		if (response) return { response };
		const code = networkCode(error);
		if (code) return { networkFailure: networkError(ctx, conn, code) };
		const said = redact(String((error as Error)?.message ?? error), secretsOf(conn));
		// n8n keeps only OAuth's generic text for `invalid_grant` ("The authorization grant ... is
		// invalid"), not Salesforce's description: for client credentials, name the usual causes.
		const refusedGrant = conn.grantType === 'clientCredentials' && /invalid_grant|authorization grant/i.test(said);
		throw apiError(ctx, conn, {
			message: refusedGrant ? 'Salesforce refused the client credentials grant' : 'Could not authenticate with Salesforce for Pardot',
			description: refusedGrant
				? `${said}. Salesforce runs this flow only on your org's My Domain host: set Salesforce Login URL to https://<your domain>.my.salesforce.com (Setup → My Domain). Also check that the connected app has Enable Client Credentials Flow ticked and a Run As user with Account Engagement access.`
				: `${said}. Reconnect the Pardot OAuth2 credential; for the client credentials flow check the client ID, secret and Salesforce Login URL.`,
		});
	}
}

function rememberBearer(conn: PardotConnection, headers: IDataObject): void {
	const token = /^\s*Bearer\s+(\S+)/i.exec(String(headers.Authorization ?? headers.authorization ?? ''))?.[1];
	if (token && !conn.secrets.includes(token)) conn.secrets.push(token);
}

/** The HTTP status and body of a failed request, from an axios error or n8n's NodeApiError. */
function errorResponse(error: any): RawResponse | undefined {
	for (const candidate of [error?.response, error?.cause?.response, error?.cause?.cause?.response]) {
		const status = Number(candidate?.status ?? candidate?.statusCode);
		if (candidate && Number.isFinite(status) && status > 0) {
			return { body: candidate.data ?? candidate.body, headers: candidate.headers ?? {}, statusCode: status };
		}
	}
	const httpCode = Number(error?.httpCode);
	if (Number.isFinite(httpCode) && httpCode >= 300) {
		return { body: error?.context?.data, headers: {}, statusCode: httpCode };
	}
	return undefined;
}

function warningsOf(headers: Record<string, unknown>): string[] {
	const raw = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'pardot-warning')?.[1];
	return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String).filter(Boolean);
}

function parseDateHeader(headers: Record<string, unknown>): number | undefined {
	const raw = headers?.date ?? headers?.Date;
	const parsed = typeof raw === 'string' ? Date.parse(raw) : NaN;
	return Number.isFinite(parsed) ? parsed : undefined;
}

function parseBody(ctx: PardotContext, conn: PardotConnection, response: RawResponse): IDataObject {
	let body = response.body;
	if (body === undefined) throw unexpected(ctx, conn, response.statusCode, 'a body n8n did not pass on (not JSON)');
	if (body instanceof Uint8Array) body = Buffer.from(body).toString('utf8');
	if (typeof body === 'string') {
		const text = body.trim();
		if (!text.startsWith('{') && !text.startsWith('[')) {
			const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
			const what = text.startsWith('<') ? `an HTML page${title ? ` ("${title.slice(0, 80)}")` : ''}` : text ? 'a body that is not JSON' : 'an empty body';
			throw unexpected(ctx, conn, response.statusCode, what);
		}
		try {
			body = JSON.parse(text);
		} catch {
			throw unexpected(ctx, conn, response.statusCode, 'JSON that is cut off or malformed');
		}
	}
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		throw unexpected(ctx, conn, response.statusCode, 'a JSON value that is not an object');
	}
	return body as IDataObject;
}

function looksLikePardotError(body: unknown): boolean {
	const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
	return /"err_code"|"code"\s*:\s*\d/.test(text);
}

/** v3/v4 `{"@attributes":{"stat":"fail","err_code":N},"err":"..."}` or v5 `{"code":N,"message":"..."}`. */
function pardotFailure(body: IDataObject): { code: number; message: string } | undefined {
	const attributes = body['@attributes'] as IDataObject | undefined;
	if (attributes && attributes.stat === 'fail') {
		return { code: Number(attributes.err_code), message: String(body.err ?? '') };
	}
	if (typeof body.code === 'number' || (typeof body.code === 'string' && /^\d+$/.test(body.code))) {
		if (!('values' in body)) return { code: Number(body.code), message: String(body.message ?? '') };
	}
	return undefined;
}

function unexpected(ctx: PardotContext, conn: PardotConnection, status: number, what: string): NodeApiError {
	return apiError(ctx, conn, {
		message: `Pardot returned an unexpected response (HTTP ${status})`,
		description: `Instead of Pardot JSON the server sent ${what}. This is usually a Pardot outage or a wrong Base URL / Environment in the credential; the next poll retries and nothing is lost.`,
		httpCode: String(status),
	});
}

function pardotError(
	ctx: PardotContext,
	conn: PardotConnection,
	code: number,
	apiMessage: string,
	status: number,
): NodeApiError {
	const { message, description } = describePardotError(code, apiMessage);
	return apiError(ctx, conn, { message, description, httpCode: String(status) }, code);
}

/** The Pardot error code of an error thrown by this module, if it came from Pardot. */
export function pardotErrorCode(error: unknown): number | undefined {
	const code = (error as { pardotErrorCode?: unknown })?.pardotErrorCode;
	return typeof code === 'number' ? code : undefined;
}

function apiError(
	ctx: PardotContext,
	conn: PardotConnection,
	details: { message: string; description: string; httpCode?: string },
	pardotCode?: number,
): NodeApiError {
	const secrets = secretsOf(conn);
	const message = redact(details.message, secrets);
	const description = redact(details.description, secrets);
	const error = new NodeApiError(ctx.getNode(), { message, description } as JsonObject, {
		message,
		description,
		httpCode: details.httpCode,
	});
	// NodeApiError swaps a message that merely mentions a network code (ECONNREFUSED, ...) for a
	// generic sentence without the host; ours already says what happened.
	error.message = message;
	if (pardotCode !== undefined) Object.assign(error, { pardotErrorCode: pardotCode });
	return error;
}

/** Adds the api_key of this process's session (if any) to the values redacted from messages. */
export function secretsOf(conn: PardotConnection): string[] {
	if (conn.authentication !== 'legacy') return conn.secrets;
	const cached = sessions.get(sessionKey(conn));
	return cached ? [...conn.secrets, cached.apiKey] : conn.secrets;
}
