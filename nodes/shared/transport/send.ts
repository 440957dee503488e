import type { IDataObject, IHttpRequestOptions, IPollFunctions, NodeApiError } from 'n8n-workflow';

import type { PardotConnection, PardotContext } from './connection';
import { addSecret } from './connection';
import { discardBody, readBody } from '../../common/body';
import { classifyNetworkError, isRetryableFailure } from '../../common/network';
import { redact } from '../../common/redact';
import { apiError, networkError } from './failures';
import type { RawResponse } from './response';
import { errorResponse } from './response';

/**
 * One HTTP exchange through n8n's own helpers (which apply the instance's proxy): the answer whatever its status,
 * or a network failure the caller may retry. Anything else throws. Three things n8n's helpers do not do for a
 * node, done here for every request to Pardot:
 * - redirects are never followed: n8n would send the request again, credentials included (the Authorization
 *   header, the login form, the OAuth2 bearer token), to whatever host the redirect names, and hand back that
 *   host's answer as Pardot's. A redirect is an error that names where it pointed;
 * - each exchange has a total deadline, from sending the request to the last byte of the answer (n8n's own
 *   timeout only notices a socket that stays silent, not one that trickles);
 * - the answer is read up to a size (n8n reads a body whole, however large).
 */

/** What one exchange may take. */
export interface ExchangeLimits {
	/** From sending the request to the last byte of the answer. */
	timeoutMs: number;
	/** The largest answer body read (bytes, decompressed); a larger one is refused. */
	maxBytes: number;
}

/** A response, or a dropped connection / timeout that may be retried. */
export type Sent = { response: RawResponse } | { networkFailure: NodeApiError };

/** The largest answer to a request that is not a page of records (a login, an error). */
export const ENVELOPE_BYTES = 64 * 1024;
/**
 * What a page may take per record asked for: Pardot's longest field (a text area) holds 65,535 characters, so a
 * record averages far less than this whatever fields are asked for, and a page of 1,000 v5 records stays under
 * 62.5 MiB (a real one is a few MB at most).
 */
export const RECORD_BYTES = 64 * 1024;

/** The code of a failure worth another try (timeout, dropped connection), else undefined. */
function networkCode(error: unknown): string | undefined {
	const failure = classifyNetworkError(error);
	return isRetryableFailure(failure) ? failure.code : undefined;
}

/** The origin a redirect points at ("host:port" of its Location), for the message; never its path or query. */
function redirectTarget(response: RawResponse, from: string): string {
	const header = Object.entries(response.headers ?? {}).find(([name]) => name.toLowerCase() === 'location')?.[1];
	const location = String(Array.isArray(header) ? header[0] : (header ?? '')).trim();
	if (!location) return 'no address (a redirect without a Location header)';
	try {
		return new URL(location, from).host || 'an address without a host';
	} catch {
		return 'an address that is not a URL';
	}
}

function refuseRedirect(ctx: PardotContext, conn: PardotConnection, response: RawResponse, url: string): never {
	discardBody(response.body);
	const target = redact(redirectTarget(response, url), conn.secrets);
	throw apiError(ctx, conn, {
		message: `Pardot answered with a redirect to ${target} (HTTP ${response.statusCode}), which the trigger does not follow`,
		description: `Nothing was sent to ${target}: a request to Pardot carries the credential, and only the host in the credential gets it. Check the credential's Environment / Base URL (Pardot's API host, such as https://pi.pardot.com); if it is right, Pardot or a proxy in between is redirecting its API. Nothing was read or emitted, and the trigger's position is unchanged.`,
		httpCode: String(response.statusCode),
	});
}

function refuseSize(ctx: PardotContext, conn: PardotConnection, maxBytes: number): never {
	const limit = maxBytes >= 1024 * 1024 ? `${(maxBytes / (1024 * 1024)).toFixed(1)} MiB` : `${Math.round(maxBytes / 1024)} KiB`;
	throw apiError(ctx, conn, {
		message: `Pardot's answer was larger than ${limit}, more than the trigger reads for one request`,
		description: `The trigger reads at most 64 KiB per record asked for (62.5 MiB for a page of 1,000 records), and a Pardot page is far smaller. Check the credential's Environment / Base URL. If this is Pardot, a field holds very large values: choose fewer fields (Contact Fields, Lead Fields). Nothing was read or emitted, and the trigger's position is unchanged.`,
	});
}

/**
 * Reads the answer's body within the limits: a redirect or an answer too large throws, a body that breaks off
 * or runs past the deadline is a network failure (retried like one).
 */
async function settle(ctx: PardotContext, conn: PardotConnection, limits: ExchangeLimits, deadline: AbortSignal, url: string, response: RawResponse): Promise<Sent> {
	if (response.statusCode >= 300 && response.statusCode < 400) refuseRedirect(ctx, conn, response, url);
	const read = await readBody(response.body, limits.maxBytes);
	if (read.broken !== undefined) {
		return { networkFailure: failureOf(ctx, conn, limits, deadline, read.broken) ?? networkError(ctx, conn, 'ECONNRESET', limits.timeoutMs) };
	}
	if (read.cut) refuseSize(ctx, conn, limits.maxBytes);
	return { response: { ...response, body: read.text } };
}

/** The network failure an error is (the deadline passed, a timeout, a dropped connection), else undefined. */
function failureOf(ctx: PardotContext, conn: PardotConnection, limits: ExchangeLimits, deadline: AbortSignal, error: unknown): NodeApiError | undefined {
	if (deadline.aborted) return networkError(ctx, conn, 'ETIMEDOUT', limits.timeoutMs);
	const code = networkCode(error);
	return code ? networkError(ctx, conn, code, limits.timeoutMs) : undefined;
}

/** What every request to Pardot is sent with. */
function exchangeOptions(request: IHttpRequestOptions, limits: ExchangeLimits, deadline: AbortSignal): IHttpRequestOptions {
	return {
		...request,
		returnFullResponse: true,
		json: false,
		encoding: 'stream',
		disableFollowRedirect: true,
		timeout: limits.timeoutMs,
		abortSignal: deadline,
	};
}

/** A request with no authentication of n8n's (the legacy login, and legacy calls signed by us). */
export async function send(ctx: PardotContext, conn: PardotConnection, limits: ExchangeLimits, request: IHttpRequestOptions): Promise<Sent> {
	const deadline = AbortSignal.timeout(limits.timeoutMs);
	let response: RawResponse;
	try {
		response = (await ctx.helpers.httpRequest({ ...exchangeOptions(request, limits, deadline), ignoreHttpStatusErrors: true })) as RawResponse;
	} catch (error) {
		const failure = failureOf(ctx, conn, limits, deadline, error);
		if (failure) return { networkFailure: failure };
		throw apiError(ctx, conn, {
			message: 'The request to Pardot failed',
			description: redact(String((error as Error)?.message ?? error), conn.secrets),
		});
	}
	return await settle(ctx, conn, limits, deadline, String(request.url), response);
}

/**
 * OAuth2 goes through n8n's httpRequestWithAuthentication, which adds the bearer token and, when
 * the request throws with HTTP 401, renews the token and retries once (n8n 1.x and 2.x alike; with
 * ignoreHttpStatusErrors set, n8n 1.x would never renew). So HTTP errors arrive as thrown errors:
 * n8n wraps them in a NodeApiError that keeps the status (httpCode) and the original error (with
 * the answer, its body still a stream) as its cause. The Pardot error code in that body still decides the message.
 */
export async function sendOAuth2(ctx: PardotContext, conn: PardotConnection, limits: ExchangeLimits, request: IHttpRequestOptions): Promise<Sent> {
	// n8n signs the request by writing `Authorization: Bearer <token>` into these headers; a token
	// it fetched or renewed just now is not in the credential data loadConnection read, so it is
	// taken from there into the secrets every message is redacted of.
	const headers = { ...(request.headers ?? {}) };
	const deadline = AbortSignal.timeout(limits.timeoutMs);
	let response: RawResponse;
	try {
		response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx as IPollFunctions, 'pardotOAuth2Api', {
			...exchangeOptions(request, limits, deadline),
			headers,
		})) as RawResponse;
		rememberBearer(conn, headers);
	} catch (error) {
		rememberBearer(conn, headers);
		const answered = errorResponse(error);
		if (answered) return await settle(ctx, conn, limits, deadline, String(request.url), answered);
		const failure = failureOf(ctx, conn, limits, deadline, error);
		if (failure) return { networkFailure: failure };
		const said = redact(String((error as Error)?.message ?? error), conn.secrets);
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
	return await settle(ctx, conn, limits, deadline, String(request.url), response);
}

function rememberBearer(conn: PardotConnection, headers: IDataObject): void {
	addSecret(conn, /^\s*Bearer\s+(\S+)/i.exec(String(headers.Authorization ?? headers.authorization ?? ''))?.[1]);
}
