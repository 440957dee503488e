/**
 * `helpers.httpRequestWithAuthentication` for this package's credential types, as n8n-core does it.
 *
 * Read from n8n-io/n8n (master, 2026), packages/core/src/execution-engine/node-execution-context/
 * utils/request-helpers/:
 * - authentication.ts `httpRequestWithAuthentication`: a type whose parents include oAuth2Api goes
 *   to `requestOAuth2(..., isN8nRequest = true)`; any other type gets `credentialsHelper.authenticate`
 *   (a type with no `authenticate`, like pardotApi, leaves the request unchanged) and is sent.
 *   EVERY error is rethrown as `new NodeApiError(this.getNode(), error)` (the real class is used
 *   here). With n8n-workflow 2.11.1 that gives `httpCode` = the status as a string ('401'), a generic
 *   message by status ('Authorization failed - please check your credentials'), `description` = the
 *   axios message, `context.data` = the response body ONLY when it is a plain JSON object, and NO
 *   `.cause`: ExecutionBaseError's class field `cause` is re-initialised after super(), so an Error
 *   cause is lost. A text or array body is therefore not reachable from the thrown error; use
 *   `ignoreHttpStatusErrors: { ignore: true, except: [401] }` to get bodies back and still renew.
 * - oauth.ts `requestOAuth2`:
 *   - credentials are read fresh (getCredentials). grantType authorizationCode with
 *     `oauthTokenData === undefined` throws 'OAuth credentials not connected' (in practice the
 *     oAuth2Api default makes it `{}`, and signing then throws 'Unable to sign without access token').
 *   - grantType clientCredentials with no token (undefined, `{}` or access_token '') first fetches
 *     one (client_credentials grant) and stores it (updateCredentialsOauthTokenData); a failure is
 *     'Failed to acquire OAuth2 access token: <reason>'.
 *   - the token signs the request: `Authorization: Bearer <access_token>` (token_type bearer or none),
 *     written INTO the caller's options object, as n8n does.
 *   - it then calls helpers.httpRequest and only in its `.catch`, when `error.response.status` is the
 *     credential's tokenExpiredStatusCode (401: pardotOAuth2Api does not inherit that field), it
 *     renews the token ONCE (refresh_token grant; client_credentials again for that grant), stores
 *     the merged token data (`{ ...old, ...new }`, plus `n8n_expires_at` when `expires_in` is given),
 *     re-signs and sends the request ONCE more. A second 401 is thrown.
 *   - CONSEQUENCE, mirrored here: with `ignoreHttpStatusErrors: true` a 401 does not throw, so n8n
 *     does NOT refresh and returns the 401 response to the node. Likewise `{ ignore: true, except }`
 *     refreshes only when 401 is in `except`.
 *   - refreshes of one credential are coalesced (one in flight at a time, `inFlightRefreshes`), and a
 *     refresh first re-reads the stored credential: when its access token differs from the one that
 *     got the 401, another request already renewed it, and that token is used without a token call.
 *   - a refresh answered with `invalid_grant` becomes "The credential ... needs to be reconnected.";
 *     an authorization-code token without refresh_token cannot be renewed ('OAuth access token
 *     expired and no refresh token is available. Please reconnect the credentials.').
 * - @n8n/client-oauth2 (client-oauth2.ts, client-oauth2-token.ts, credentials-flow.ts): the token
 *   call is a POST form (Accept 'application/json, application/x-www-form-urlencoded'), client id and
 *   secret in the body (`authentication: 'body'`) or as HTTP Basic (otherwise), `scope` = the
 *   credential's scope split on spaces and joined with ' '. Answers >= 500 throw the axios error;
 *   >= 400 throw AuthError (the OAuth `error` / `error_description`) or ResponseError
 *   ('HTTP status N'); the body must be JSON or a form, by Content-Type.
 */
import * as querystring from 'node:querystring';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	INode,
	Logger,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, OperationalError, UserError, jsonParse } from 'n8n-workflow';

import type { CredentialStore } from './credentials';
import type { HttpRequestFn, Transport } from './http';
import { AxiosError, N8N_DEFAULT_TIMEOUT_MS, removeEmptyBody } from './http';

/** The credential types httpRequestWithAuthentication accepts in the harness. */
export const SUPPORTED_AUTH_TYPES = ['pardotApi', 'pardotOAuth2Api'];

/** @n8n/client-oauth2's AuthError: an OAuth error answer from the token endpoint. */
export class OAuth2AuthError extends Error {
	readonly code = 'EAUTH';

	constructor(
		message: string,
		readonly body: unknown,
	) {
		super(message);
		this.name = 'AuthError';
	}
}

/** @n8n/client-oauth2's ResponseError: an unexpected answer from the token endpoint. */
export class OAuth2ResponseError extends Error {
	readonly code = 'ESTATUS';

	constructor(
		readonly status: number,
		readonly body: unknown,
		message = `HTTP status ${status}`,
	) {
		super(message);
		this.name = 'ResponseError';
	}
}

// RFC 6749 section 5.2 / 4.1.2.1 error codes, described in our own words.
const OAUTH_ERROR_TEXT: Record<string, string> = {
	invalid_request: 'The token request is missing a parameter, repeats one, or is otherwise malformed.',
	invalid_client: 'Client authentication failed (unknown client, missing or wrong client credentials).',
	invalid_grant: 'The authorization grant or refresh token is invalid, expired or revoked, or was issued to another client.',
	unauthorized_client: 'The client is not allowed to use this grant type.',
	unsupported_grant_type: 'The authorization server does not support this grant type.',
	access_denied: 'The resource owner or the authorization server denied the request.',
	unsupported_response_type: 'The authorization server does not support this response type.',
	invalid_scope: 'The requested scope is invalid, unknown or malformed.',
	server_error: 'The authorization server hit an unexpected condition.',
	temporarily_unavailable: 'The authorization server is temporarily unable to handle the request.',
};

interface OAuth2Credential extends ICredentialDataDecryptedObject {
	clientId: string;
	clientSecret: string;
	accessTokenUrl: string;
	grantType: string;
	authentication: string;
	scope: string;
	oauthTokenData: IDataObject;
}

type TokenData = Record<string, string | undefined> & { access_token?: string; refresh_token?: string };

export interface AuthDeps {
	store: CredentialStore;
	httpRequest: HttpRequestFn;
	transport: Transport;
	getNode: () => INode;
	logger: Logger;
}

function parseTokenBody(status: number, headers: IDataObject, body: string): TokenData {
	const contentType = String(headers['content-type'] ?? '');
	if (contentType.startsWith('application/json')) {
		try {
			return JSON.parse(body) as TokenData;
		} catch {
			const preview = body.length > 100 ? `${body.slice(0, 100)}...` : body;
			throw new OAuth2ResponseError(status, body, `Expected JSON response from OAuth2 token endpoint but received: ${preview}`);
		}
	}
	if (contentType.startsWith('application/x-www-form-urlencoded')) return { ...querystring.parse(body) } as TokenData;
	throw new OAuth2ResponseError(status, body, `Unsupported content type: ${contentType}`);
}

/** ClientOAuth2.accessTokenRequest: a form POST through plain axios (not n8n's httpRequest). */
async function accessTokenRequest(
	deps: AuthDeps,
	url: string,
	body: Record<string, string>,
	headers: Record<string, string>,
): Promise<TokenData> {
	const config = {
		method: 'POST',
		url,
		headers: {
			Accept: 'application/json, application/x-www-form-urlencoded',
			'Content-Type': 'application/x-www-form-urlencoded',
			'Accept-Encoding': 'gzip, compress, deflate, br',
			...headers,
		},
		data: querystring.stringify(body),
		timeout: N8N_DEFAULT_TIMEOUT_MS,
	};
	const raw = await deps.transport.send(config, { maxRedirects: 21, rejectUnauthorized: true });
	const text = raw.body.toString('utf8');
	if (raw.status >= 500) {
		throw new AxiosError(`Request failed with status code ${raw.status}`, AxiosError.ERR_BAD_RESPONSE, config, raw.request, {
			status: raw.status,
			statusText: raw.statusText,
			headers: raw.headers,
			data: text,
			config,
		});
	}
	if (raw.status >= 400) {
		const parsed = parseTokenBody(raw.status, raw.headers, text) as TokenData & { error?: string; error_description?: string };
		const message = (parsed.error ? OAUTH_ERROR_TEXT[parsed.error] : undefined) ?? parsed.error_description ?? parsed.error;
		if (message) throw new OAuth2AuthError(message, parsed);
		throw new OAuth2ResponseError(raw.status, text);
	}
	if (raw.status >= 300) throw new OAuth2ResponseError(raw.status, text);
	return parseTokenBody(raw.status, raw.headers, text);
}

function clientAuth(credentials: OAuth2Credential, body: Record<string, string>, headers: Record<string, string>): void {
	if ((credentials.authentication ?? 'header') === 'body') {
		body.client_id = credentials.clientId;
		body.client_secret = credentials.clientSecret;
	} else {
		headers.Authorization = `Basic ${Buffer.from(`${credentials.clientId ?? ''}:${credentials.clientSecret ?? ''}`).toString('base64')}`;
	}
}

function scopes(credentials: OAuth2Credential): string[] | undefined {
	const list = String(credentials.scope ?? '')
		.split(' ')
		.map((s) => s.trim())
		.filter(Boolean);
	return list.length ? list : undefined;
}

/** CredentialsFlow.getToken. */
async function clientCredentialsToken(deps: AuthDeps, credentials: OAuth2Credential): Promise<TokenData> {
	for (const key of ['clientId', 'accessTokenUrl', 'clientSecret'] as const) {
		if (credentials[key] === undefined || credentials[key] === null) throw new TypeError(`Expected "${key}" to exist`);
	}
	const body: Record<string, string> = { grant_type: 'client_credentials' };
	if (credentials.additionalBodyProperties) {
		Object.assign(body, jsonParse(String(credentials.additionalBodyProperties), { fallbackValue: {} }));
	}
	const list = scopes(credentials);
	if (list) body.scope = list.join(' ');
	const headers: Record<string, string> = {};
	clientAuth(credentials, body, headers);
	return await accessTokenRequest(deps, credentials.accessTokenUrl, body, headers);
}

/** ClientOAuth2Token.refresh: the answer merged over the old token data. */
async function refreshToken(deps: AuthDeps, credentials: OAuth2Credential, token: TokenData): Promise<TokenData> {
	if (!token.refresh_token) {
		throw new Error('OAuth access token expired and no refresh token is available. Please reconnect the credentials.');
	}
	const body: Record<string, string> = { refresh_token: token.refresh_token, grant_type: 'refresh_token' };
	const headers: Record<string, string> = {};
	if (credentials.clientSecret) clientAuth(credentials, body, headers);
	else body.client_id = credentials.clientId;
	return { ...token, ...(await accessTokenRequest(deps, credentials.accessTokenUrl, body, headers)) };
}

function withExpiresAt(data: TokenData): TokenData {
	const seconds = Number(data.expires_in);
	if (!Number.isFinite(seconds) || seconds <= 0) return data;
	return { ...data, n8n_expires_at: String(Date.now() + seconds * 1000) };
}

/** ClientOAuth2Token.sign: mutates the request options, as n8n does. */
function sign(token: TokenData, options: IHttpRequestOptions): void {
	if (!token.access_token) throw new Error('Unable to sign without access token');
	options.headers = options.headers ?? {};
	const tokenType = token.token_type?.toLowerCase() ?? 'bearer';
	if (tokenType === 'bearer') {
		options.headers.Authorization = `Bearer ${token.access_token}`;
		return;
	}
	const [base, fragment] = options.url.split('#');
	const url = base.replace(/[?&]access_token=[^&#]/, '');
	options.url = `${url}${url.includes('?') ? '&' : '?'}access_token=${token.access_token}${fragment ? `#${fragment}` : ''}`;
	options.headers.Pragma = 'no-store';
	options.headers['Cache-Control'] = 'no-store';
}

function isRevokedGrant(error: unknown): boolean {
	return error instanceof OAuth2AuthError && (error.body as { error?: unknown })?.error === 'invalid_grant';
}

/** One renewal in flight per credential, shared by every request of this store (n8n: per process). */
const inFlightRefreshes = new WeakMap<CredentialStore, Map<string, Promise<TokenData>>>();

async function refreshOrFetchToken(
	deps: AuthDeps,
	credentialsType: string,
	credentials: OAuth2Credential,
	used: TokenData,
): Promise<TokenData> {
	let perStore = inFlightRefreshes.get(deps.store);
	if (!perStore) inFlightRefreshes.set(deps.store, (perStore = new Map()));
	const pending = perStore.get(credentialsType);
	if (pending) return await pending;

	const run = async (): Promise<TokenData> => {
		const node = deps.getNode();
		const current = deps.store.getDecrypted(credentialsType) as OAuth2Credential | undefined;
		const currentToken = (current?.oauthTokenData ?? {}) as TokenData;
		if (currentToken.access_token !== used.access_token) return currentToken;

		deps.logger.debug(`OAuth2 token for "${credentialsType}" used by node "${node.name}" expired. Revalidating.`);
		let fresh: TokenData;
		try {
			fresh =
				credentials.grantType === 'clientCredentials'
					? await clientCredentialsToken(deps, credentials)
					: await refreshToken(deps, credentials, used);
		} catch (error) {
			if (isRevokedGrant(error)) {
				throw new NodeOperationError(node, `The credential of type "${credentialsType}" needs to be reconnected.`, {
					description:
						'Access could not be refreshed because the connected account has revoked access, the refresh token expired, or the account password or permissions changed. Open the credential and reconnect it to continue.',
					level: 'warning',
				});
			}
			throw error;
		}
		deps.logger.debug(`OAuth2 token for "${credentialsType}" used by node "${node.name}" has been renewed.`);
		const merged = withExpiresAt({ ...used, ...fresh });
		credentials.oauthTokenData = merged as IDataObject;
		deps.store.updateOauthTokenData(credentialsType, merged as IDataObject);
		return merged;
	};
	const promise = run().finally(() => perStore!.delete(credentialsType));
	perStore.set(credentialsType, promise);
	return await promise;
}

async function requestOAuth2(deps: AuthDeps, credentialsType: string, requestOptions: IHttpRequestOptions): Promise<any> {
	removeEmptyBody(requestOptions);
	const credentials = deps.store.getDecrypted(credentialsType) as OAuth2Credential | undefined;
	if (!credentials) {
		throw new NodeOperationError(deps.getNode(), `Node does not have any credentials set for "${credentialsType}"`, {
			level: 'warning',
		});
	}
	if (credentials.grantType === 'authorizationCode' && credentials.oauthTokenData === undefined) {
		throw new UserError('OAuth credentials not connected');
	}

	let tokenData = credentials.oauthTokenData as TokenData | undefined;
	if (
		credentials.grantType === 'clientCredentials' &&
		(tokenData === undefined || Object.keys(tokenData).length === 0 || tokenData.access_token === '')
	) {
		let fetched: TokenData;
		try {
			fetched = await clientCredentialsToken(deps, credentials);
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			throw new OperationalError(`Failed to acquire OAuth2 access token: ${message}`, { cause: error });
		}
		credentials.oauthTokenData = fetched as IDataObject;
		deps.store.updateOauthTokenData(credentialsType, fetched as IDataObject);
		tokenData = fetched;
	}

	const token = (tokenData ?? {}) as TokenData;
	sign(token, requestOptions);
	const expiredStatus = Number(credentials.tokenExpiredStatusCode ?? 401);
	try {
		return await deps.httpRequest(requestOptions);
	} catch (error) {
		if ((error as AxiosError)?.response?.status === expiredStatus) {
			const renewed = await refreshOrFetchToken(deps, credentialsType, credentials, token);
			sign(renewed, requestOptions);
			return await deps.httpRequest(requestOptions);
		}
		throw error;
	}
}

/** `helpers.httpRequestWithAuthentication` bound to a credential store. */
export function createHttpRequestWithAuthentication(deps: AuthDeps) {
	return async function httpRequestWithAuthentication(
		credentialsType: string,
		requestOptions: IHttpRequestOptions,
	): Promise<any> {
		if (!SUPPORTED_AUTH_TYPES.includes(credentialsType)) {
			throw new Error(
				`harness: httpRequestWithAuthentication supports ${SUPPORTED_AUTH_TYPES.join(', ')}, not "${credentialsType}"`,
			);
		}
		removeEmptyBody(requestOptions);
		try {
			if (deps.store.parentTypes(credentialsType).includes('oAuth2Api')) {
				return await requestOAuth2(deps, credentialsType, requestOptions);
			}
			if (!deps.store.has(credentialsType)) {
				throw new NodeOperationError(deps.getNode(), `Node does not have any credentials set for "${credentialsType}"`, {
					level: 'warning',
				});
			}
			// pardotApi has no `authenticate`: n8n sends the request as it is.
			return await deps.httpRequest(requestOptions);
		} catch (error) {
			throw new NodeApiError(deps.getNode(), error as never);
		}
	};
}
