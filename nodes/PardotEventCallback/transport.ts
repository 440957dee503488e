import type { IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { readBody } from '../common/body';
import type { OutgoingRequest, Transport, TransportResponse } from './deliver';

/**
 * THE one place that builds the callback's HTTP request, through n8n's own helper (which keeps
 * connections alive and applies the instance's proxy and SSRF rules). Two bounds n8n's helper does not
 * set for a node: Timeout is the whole attempt (n8n's own timeout only notices a socket that stays
 * silent, not an answer that trickles in), and no more of an answer is read than is ever kept.
 */

export interface TransportOptions {
	timeoutMs: number;
	/** From the URL's `user:pass@`, sent as HTTP Basic so the URL handed to n8n holds no secret. */
	auth?: { username: string; password: string };
}

/**
 * How much of an answer is read: more than the 4,000 characters kept (deliver.ts) and the 1,000 shown, so that
 * a secret cut at that edge is still whole when it is redacted; the rest is never downloaded.
 */
export const READ_ANSWER_BYTES = 64 * 1024;

/** An attempt that ran out of Timeout: a timeout to the retry rules (common/network.ts), whatever n8n said. */
function timedOut(timeoutMs: number): Error {
	return Object.assign(new Error(`No answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
}

export function callbackTransport(context: IExecuteFunctions, options: TransportOptions): Transport {
	return async (request: OutgoingRequest): Promise<TransportResponse> => {
		const deadline = AbortSignal.timeout(options.timeoutMs);
		const cancelled = context.getExecutionCancelSignal?.();
		const httpOptions: IHttpRequestOptions = {
			method: 'POST',
			url: request.url,
			headers: request.headers,
			// Pre-serialized: these exact bytes were signed. n8n hands a string body to axios
			// untouched (it is already valid JSON, so nothing is re-encoded).
			body: request.body,
			json: false,
			// A stream, so that the answer is read here, within the deadline and up to READ_ANSWER_BYTES.
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// A redirect would turn the POST into a GET without the signed body.
			disableFollowRedirect: true,
			timeout: options.timeoutMs,
			abortSignal: cancelled ? AbortSignal.any([cancelled, deadline]) : deadline,
		};
		if (options.auth) httpOptions.auth = options.auth;
		const response = (await context.helpers.httpRequest(httpOptions).catch((error: unknown) => {
			// Our deadline aborts the request like a cancellation would: tell them apart. Anything else goes to
			// the retry rules as n8n reported it.
			throw deadline.aborted && !cancelled?.aborted ? timedOut(options.timeoutMs) : error;
		})) as IN8nHttpFullResponse;
		// The status has come: it decides. Of the body, what arrives before the deadline (or before the
		// connection breaks) is what the receiver said.
		const body = await readBody(response.body, READ_ANSWER_BYTES);
		return {
			statusCode: response.statusCode,
			headers: (response.headers ?? {}) as Record<string, unknown>,
			body: body.text,
		};
	};
}
