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

/**
 * Marks a failure that belongs to one resource's data and will not pass by itself (a record the trigger cannot
 * place, paging that does not move on): the other resources are polled as usual (poll.ts).
 */
function ownFailure<E extends NodeApiError>(error: E): E {
	return Object.assign(error, { ownFailure: true });
}

/**
 * Marks an answer with HTTP 5xx whose Pardot error code says nothing this package knows: a server failure like any
 * 5xx, which the next poll will most likely not meet (poll.ts).
 */
export function markServerFailure<E extends NodeApiError>(error: E): E {
	return Object.assign(error, { serverFailure: true });
}

/** Whether a failure was marked by markServerFailure. */
export function isServerFailure(error: unknown): boolean {
	return (error as { serverFailure?: unknown })?.serverFailure === true;
}

/** Whether a failure is one of a resource's own that will not pass by itself (see ownFailure). */
export function isOwnFailure(error: unknown): boolean {
	return (error as { ownFailure?: unknown })?.ownFailure === true;
}

/** The end of every message about a read stopped on purpose: what happened to the data. */
const READ_STOPPED = 'Nothing of it was emitted in this poll and its position is unchanged; the other resources are polled as usual.';

/** A record whose id or change time cannot be read: the trigger cannot place it, and does not skip it. */
export function unreadableRecord(ctx: PardotContext, conn: PardotConnection, stream: string, id: unknown, field: string, value: unknown): NodeApiError {
	const shown = (v: unknown) => (v === undefined || v === null ? 'none' : `"${String(v).slice(0, 60)}"`);
	const what = field === 'id' ? `a record of ${stream} without an id` : `${stream} record ${String(id).slice(0, 40)} with the ${field} ${shown(value)}, which is not a date`;
	return ownFailure(
		apiError(ctx, conn, {
			message: `Pardot sent ${what}`,
			description: `The trigger cannot place this change in the order of changes, so it stops reading ${stream} at it instead of skipping it. ${READ_STOPPED} Change the record in Pardot (a new change gives it a new date), or report the record to Salesforce support; each poll reads it again.`,
		}),
	);
}

/** Pages by id that do not move on (Pardot ignored the id filter): the read stops instead of asking forever. */
export function pagingStalled(ctx: PardotContext, conn: PardotConnection, stream: string, afterId: string, lastId: string): NodeApiError {
	return ownFailure(
		apiError(ctx, conn, {
			message: `Pardot's pages of ${stream} did not move on: asked for the records after id ${afterId.slice(0, 40)}, it answered with records up to id ${lastId.slice(0, 40)}`,
			description: `The trigger reads ${stream} a page at a time by record id, and stops here rather than ask for the same page forever. ${READ_STOPPED} If it keeps happening, Pardot ignores the id filter of this query: report it to Salesforce support, or use API v5.`,
		}),
	);
}

/** A read that has used its request budget without coming to an end. */
export function readOverBudget(ctx: PardotContext, conn: PardotConnection, stream: string, budget: number): NodeApiError {
	return ownFailure(
		apiError(ctx, conn, {
			message: `The read of ${stream} made ${budget.toLocaleString('en-US')} requests to Pardot in one poll without coming to an end`,
			description: `The trigger stops a read there, so that no answer can keep a poll running or spend the daily API limit. ${READ_STOPPED} If Pardot really holds that many changes of ${stream} for one poll (v3/v4 opportunities are read whole at every poll: more than ${(budget * 200).toLocaleString('en-US')} of them), use API v5.`,
		}),
	);
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

/** Connection failures that happen before a request is sent: Pardot cannot have acted on it. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Whether a network failure happened before the request left (retrying it cannot do a write twice). */
export function neverConnected(error: unknown): boolean {
	return NOT_SENT.has(String((error as { networkCode?: unknown })?.networkCode ?? ''));
}

/** Marks the failure of a write that was sent and got no usable answer: Pardot may have done it. */
export function markMayHaveBeenApplied<E extends Error>(error: E): E {
	return Object.assign(error, { mayHaveBeenApplied: true });
}

/** Whether a write failed after it may have reached Pardot (it was not retried; see RequestSpec.idempotent). */
export function mayHaveBeenApplied(error: unknown): boolean {
	return (error as { mayHaveBeenApplied?: unknown })?.mayHaveBeenApplied === true;
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
	const error = apiError(ctx, conn, {
		message: `${what} (${code})`,
		description: `Check the credential's Environment / Base URL and the network.${bound} Nothing was lost: the next poll retries from the same place.`,
	});
	return Object.assign(error, { networkCode: code });
}

function formatSeconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
