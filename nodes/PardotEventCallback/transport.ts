import type { IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import type { OutgoingRequest, Transport, TransportResponse } from './helpers/deliver';

/**
 * THE one place that builds the callback's HTTP request, through n8n's own helper (which keeps
 * connections alive and applies the instance's proxy and SSRF rules).
 */

export interface TransportOptions {
	timeoutMs: number;
	/** From the URL's `user:pass@`, sent as HTTP Basic so the URL handed to n8n holds no secret. */
	auth?: { username: string; password: string };
}

function bodyText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return JSON.stringify(body);
}

export function callbackTransport(context: IExecuteFunctions, options: TransportOptions): Transport {
	return async (request: OutgoingRequest): Promise<TransportResponse> => {
		const httpOptions: IHttpRequestOptions = {
			method: 'POST',
			url: request.url,
			headers: request.headers,
			// Pre-serialized: these exact bytes were signed. n8n hands a string body to axios
			// untouched (it is already valid JSON, so nothing is re-encoded).
			body: request.body,
			json: false,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// A redirect would turn the POST into a GET without the signed body.
			disableFollowRedirect: true,
			timeout: options.timeoutMs,
			abortSignal: context.getExecutionCancelSignal?.(),
		};
		if (options.auth) httpOptions.auth = options.auth;
		const response = (await context.helpers.httpRequest(httpOptions)) as IN8nHttpFullResponse;
		return {
			statusCode: response.statusCode,
			headers: (response.headers ?? {}) as Record<string, unknown>,
			body: bodyText(response.body),
		};
	};
}
