import type { IDataObject } from 'n8n-workflow';

import type { DeliveryResult, Problem } from './deliver';
import type { Notification } from './notifications';
import type { JobState } from './schedule';
import { describeStatusRanges, type StatusRange } from './status';
import { redact } from '../common/redact';
import { SECRET_MARK } from './url';

/**
 * What the node says about each notification: its output item, and for failures a message that
 * says what happened and what to do. Every text that could carry the receiver's words passes
 * through redact(). Pure.
 */

export const SHOWN_BODY_CHARS = 1_000;

export interface ReportContext {
	displayUrl: string;
	timeoutMs: number;
	maxRetryTimeMs: number;
	/** Success Status Codes, to say why a 2xx was not counted. */
	successStatuses: readonly StatusRange[];
	secrets: readonly string[];
}

export interface Failure {
	message: string;
	description: string;
}

function attemptsText(attempts: number): string {
	return attempts === 1 ? '1 attempt' : `${attempts} attempts`;
}

/** What the receiver answered, cleaned of secrets, cut to what is shown. */
export function responseExcerpt(body: string, secrets: readonly string[]): string {
	return redact(body, secrets, SECRET_MARK).slice(0, SHOWN_BODY_CHARS);
}

const CONNECTION_WORDS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was dropped',
	EPIPE: 'the connection was dropped',
	ERR_STREAM_PREMATURE_CLOSE: 'the connection was dropped',
	UND_ERR_SOCKET: 'the connection was dropped',
	ENOTFOUND: 'the host name does not resolve',
	EAI_AGAIN: 'the host name could not be looked up',
	EHOSTUNREACH: 'the host is unreachable',
	EHOSTDOWN: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	ENETDOWN: 'the network is unreachable',
};

function problemText(problem: Problem, ctx: ReportContext): string {
	if (problem.kind === 'status') return `answered HTTP ${problem.status}`;
	const { failure } = problem;
	if (failure.kind === 'timeout') return `did not answer within ${ctx.timeoutMs} ms`;
	if (failure.kind === 'connection') return CONNECTION_WORDS[failure.code] ?? 'the connection failed';
	return 'the request could not be sent';
}

function answered(problem: Problem, secrets: readonly string[]): string {
	if (problem.kind !== 'status') return '';
	const excerpt = responseExcerpt(problem.body, secrets).trim();
	return excerpt === '' ? ' Its answer was empty.' : ` Its answer began: ${excerpt}`;
}

/** Message and description for a notification that was not delivered. */
export function describeFailure(notification: Notification, result: DeliveryResult, ctx: ReportContext): Failure {
	const url = ctx.displayUrl;
	const id = notification.id;
	const tries = attemptsText(result.attempts);
	const problem = result.problem;
	if (result.cancelled || !problem) {
		return {
			message: `Notification ${id} to ${url} was not delivered: the execution was cancelled after ${tries}`,
			description: 'Run the workflow again to send it; the receiver can drop a copy it already processed by its Elements-Webhook-Id.',
		};
	}
	const codeNote = problem.kind === 'network' && problem.failure.code ? ` (error code ${problem.failure.code})` : '';

	if (result.gaveUp === 'timeLimit') {
		return {
			message: `The callback URL ${url} ${problemText(problem, ctx)} for notification ${id}; gave up after ${tries} because the next retry would pass Max Retry Time (${ctx.maxRetryTimeMs} ms)`,
			description: `Check that the receiver is up and answers quickly, or raise Max Retry Time in the node's options.${codeNote}${answered(problem, ctx.secrets)}`,
		};
	}

	if (problem.kind === 'status') {
		const status = problem.status;
		if (result.gaveUp === 'retries') {
			return {
				message: `The callback URL ${url} answered HTTP ${status} to notification ${id} on all ${tries}`,
				description: `The receiver kept failing, so the notification was not delivered. Check that it is up, or allow more Retries in the node's options.${answered(problem, ctx.secrets)}`,
			};
		}
		if (status >= 200 && status <= 299) {
			return {
				message: `The callback URL ${url} answered HTTP ${status} to notification ${id}, which Success Status Codes (${describeStatusRanges(ctx.successStatuses)}) does not count as delivered (${tries}, not retried)`,
				description: `Some receivers answer 2xx without taking the notification, for example 203 for an instance name they do not know: check Instance Name and the other instance fields in the node's options. If HTTP ${status} does mean delivered for this receiver, add it to Success Status Codes.${answered(problem, ctx.secrets)}`,
			};
		}
		if (status >= 300 && status <= 399) {
			return {
				message: `The callback URL ${url} redirected notification ${id} (HTTP ${status}); redirects are not followed, so nothing was delivered`,
				description: 'Enter the final address of the receiver as Callback URL: a redirect would turn the POST into a GET and drop the signed body.',
			};
		}
		if (status === 401 || status === 403) {
			return {
				message: `The callback URL ${url} refused notification ${id} with HTTP ${status} (${tries}, not retried)`,
				description: `The receiver did not accept the request's credentials: check the signing key credential and any user:password in the URL or extra headers it expects.${answered(problem, ctx.secrets)}`,
			};
		}
		return {
			message: `The callback URL ${url} rejected notification ${id} with HTTP ${status} (${tries}, not retried: the same request would get the same answer)`,
			description: `Check the Callback URL's path and what the receiver expects.${answered(problem, ctx.secrets)}`,
		};
	}

	const { failure } = problem;
	if (failure.kind === 'timeout') {
		return {
			message: `The callback URL ${url} did not answer notification ${id} within ${ctx.timeoutMs} ms, on all ${tries}`,
			description: `Check that the receiver is reachable from n8n and answers at once (queue slow work and answer 2xx), or raise Timeout in the node's options.${codeNote}`,
		};
	}
	if (failure.kind === 'connection') {
		return {
			message: `Could not deliver notification ${id} to the callback URL ${url}: ${problemText(problem, ctx)}, on all ${tries}`,
			description: `Check the host and port of Callback URL and that the receiver is running and reachable from n8n.${codeNote}`,
		};
	}
	const detail = failure.kind === 'other' ? redact(failure.message, ctx.secrets, SECRET_MARK) : failure.code;
	return {
		message: `Could not send notification ${id} to the callback URL ${url}: ${detail}`,
		description: `This is not a network or HTTP failure that a retry could fix: check Callback URL and the extra headers.${codeNote}`,
	};
}

/** Why a notification was held back to keep a resource's order. */
export function describeBlocked(notification: Notification, blocker: Notification, ctx: ReportContext): Failure {
	const shared = notification.objectTypes.filter((type) => blocker.objectTypes.includes(type));
	const resources = shared.join(' and ');
	return {
		message: `Notification ${notification.id} was not sent to ${ctx.displayUrl}: notification ${blocker.id}, with earlier ${resources} events, was not delivered`,
		description: `Sending it anyway would deliver ${resources} changes out of order. Fix the first failure, then send both again.`,
	};
}

/** The output item's JSON: the fields, plus responseBody and error for failures. */
export function outputOf(
	notification: Notification,
	state: JobState<DeliveryResult>,
	failure: Failure | undefined,
	ctx: ReportContext,
): IDataObject {
	const result = state.state === 'done' ? state.result : undefined;
	const json: IDataObject = {
		notificationId: notification.id,
		url: ctx.displayUrl,
		status: result?.status ?? null,
		attempts: result?.attempts ?? 0,
		eventIds: notification.eventIds,
		durationMs: result?.durationMs ?? 0,
	};
	if (result?.problem?.kind === 'status') json.responseBody = responseExcerpt(result.problem.body, ctx.secrets);
	if (failure) json.error = failure.message;
	return json;
}
