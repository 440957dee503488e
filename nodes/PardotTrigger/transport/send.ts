import type { IDataObject, IHttpRequestOptions, IPollFunctions, NodeApiError } from 'n8n-workflow';

import type { PardotConnection, PardotContext } from './connection';
import { addSecret } from './connection';
import { classifyNetworkError, isRetryableFailure } from '../../common/network';
import { redact } from '../../common/redact';
import { apiError, networkError } from './failures';
import type { RawResponse } from './response';
import { errorResponse } from './response';

/**
 * One HTTP exchange through n8n's own helpers (which apply the instance's proxy and timeouts): the
 * answer whatever its status, or a network failure the caller may retry. Anything else throws.
 */

/** A response, or a dropped connection / timeout that may be retried. */
export type Sent = { response: RawResponse } | { networkFailure: NodeApiError };

/** The code of a failure worth another try (timeout, dropped connection), else undefined. */
function networkCode(error: unknown): string | undefined {
	const failure = classifyNetworkError(error);
	return isRetryableFailure(failure) ? failure.code : undefined;
}

/** A request with no authentication of n8n's (the legacy login, and legacy calls signed by us). */
export async function send(ctx: PardotContext, conn: PardotConnection, timeoutMs: number, request: IHttpRequestOptions): Promise<Sent> {
	try {
		const response = (await ctx.helpers.httpRequest({
			...request,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: false,
			encoding: 'text',
			timeout: timeoutMs,
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
export async function sendOAuth2(ctx: PardotContext, conn: PardotConnection, timeoutMs: number, request: IHttpRequestOptions): Promise<Sent> {
	// n8n signs the request by writing `Authorization: Bearer <token>` into these headers; a token
	// it fetched or renewed just now is not in the credential data loadConnection read, so it is
	// taken from there into the secrets every message is redacted of.
	const headers = { ...(request.headers ?? {}) };
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx as IPollFunctions, 'pardotOAuth2Api', {
			...request,
			headers,
			returnFullResponse: true,
			timeout: timeoutMs,
		})) as RawResponse;
		rememberBearer(conn, headers);
		return { response };
	} catch (error) {
		rememberBearer(conn, headers);
		const response = errorResponse(error);
		if (response) return { response };
		const code = networkCode(error);
		if (code) return { networkFailure: networkError(ctx, conn, code) };
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
}

function rememberBearer(conn: PardotConnection, headers: IDataObject): void {
	addSecret(conn, /^\s*Bearer\s+(\S+)/i.exec(String(headers.Authorization ?? headers.authorization ?? ''))?.[1]);
}
