import type { JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { PardotConnection, PardotContext } from './connection';
import { keepMessage } from '../../common/errors';
import { redact } from '../../common/redact';
import { describePardotError } from './errors';

/**
 * Every way a request to Pardot fails becomes a NodeApiError whose message says what happened and
 * what to do, and which never contains a secret of the connection.
 */

export function apiError(
	ctx: PardotContext,
	conn: PardotConnection,
	details: { message: string; description: string; httpCode?: string },
	pardotCode?: number,
): NodeApiError {
	const message = redact(details.message, conn.secrets);
	const description = redact(details.description, conn.secrets);
	const error = new NodeApiError(ctx.getNode(), { message, description } as JsonObject, {
		message,
		description,
		httpCode: details.httpCode,
	});
	keepMessage(error, message);
	if (pardotCode !== undefined) Object.assign(error, { pardotErrorCode: pardotCode });
	return error;
}

/** The Pardot error code of an error thrown by the transport, if it came from Pardot. */
export function pardotErrorCode(error: unknown): number | undefined {
	const code = (error as { pardotErrorCode?: unknown })?.pardotErrorCode;
	return typeof code === 'number' ? code : undefined;
}

/** Pardot answered with its error envelope: the code's meaning and what to do (errors.ts). */
export function pardotError(ctx: PardotContext, conn: PardotConnection, code: number, apiMessage: string, status: number): NodeApiError {
	const { message, description } = describePardotError(code, apiMessage);
	return apiError(ctx, conn, { message, description, httpCode: String(status) }, code);
}

/** Something other than Pardot JSON came back (`what`: "an HTML page", "an empty body", ...). */
export function unexpectedResponse(ctx: PardotContext, conn: PardotConnection, status: number, what: string): NodeApiError {
	return apiError(ctx, conn, {
		message: `Pardot returned an unexpected response (HTTP ${status})`,
		description: `Instead of Pardot JSON the server sent ${what}. This is usually a Pardot outage or a wrong Base URL / Environment in the credential; the next poll retries and nothing is lost.`,
		httpCode: String(status),
	});
}

/** No (whole) answer: the host was not found, refused, timed out or dropped the connection. */
export function networkError(ctx: PardotContext, conn: PardotConnection, code: string, timeoutMs?: number): NodeApiError {
	const host = conn.baseUrl.replace(/^https?:\/\//, '');
	const timedOut = code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'ESOCKETTIMEDOUT';
	const what =
		code === 'ENOTFOUND' || code === 'EAI_AGAIN'
			? `The host ${host} was not found`
			: code === 'ECONNREFUSED'
				? `Nothing is listening at ${host}`
				: timedOut
					? `Pardot at ${host} did not answer in time`
					: `The connection to Pardot at ${host} was dropped`;
	const bound =
		timedOut && timeoutMs !== undefined
			? ` Each request to Pardot gets ${formatSeconds(timeoutMs)} in all, from sending it to the last byte of the answer.`
			: '';
	return apiError(ctx, conn, {
		message: `${what} (${code})`,
		description: `Check the credential's Environment / Base URL and the network.${bound} Nothing was lost: the next poll retries from the same place.`,
	});
}

function formatSeconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
