/**
 * What kind of failure an HTTP helper's error is, when no answer arrived: worth another try
 * (timeout, connection), the execution's own cancellation, or something else. Used by both nodes.
 */

/** Codes of errors where no answer arrived in time. */
const TIMEOUT_CODES = new Set([
	'ECONNABORTED', // axios (and so n8n's httpRequest) when `timeout` elapses
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
]);

/** Codes of transient DNS and connection failures. */
const CONNECTION_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'EHOSTDOWN',
	'ENETUNREACH',
	'ENETDOWN',
	'ERR_STREAM_PREMATURE_CLOSE',
	'UND_ERR_SOCKET',
]);

const CANCEL_CODES = new Set(['ERR_CANCELED', 'ABORT_ERR']);

export type NetworkFailure =
	| { kind: 'timeout'; code: string }
	| { kind: 'connection'; code: string }
	| { kind: 'cancelled'; code: string }
	| { kind: 'other'; code: string | undefined; message: string };

function kindOf(code: string): 'timeout' | 'connection' | 'cancelled' | undefined {
	if (TIMEOUT_CODES.has(code)) return 'timeout';
	if (CONNECTION_CODES.has(code)) return 'connection';
	if (CANCEL_CODES.has(code)) return 'cancelled';
	return undefined;
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * Sorts an error thrown by n8n's HTTP helpers. The code may sit on the error, on its cause, or (n8n's
 * httpRequestWithAuthentication wraps failures in a NodeApiError) only in `httpCode`,
 * `context.code` or the original text kept in `messages`.
 */
export function classifyNetworkError(error: unknown): NetworkFailure {
	const e = (typeof error === 'object' && error !== null ? error : {}) as any;
	const own = [e.code, e.cause?.code].filter(nonEmpty);
	for (const code of [...own, ...[e.context?.code, e.httpCode].filter(nonEmpty)]) {
		const kind = kindOf(code);
		if (kind) return { kind, code };
	}
	if (e.name === 'AbortError' || e.name === 'CanceledError') return { kind: 'cancelled', code: own[0] ?? String(e.name) };
	const texts = [error instanceof Error ? error.message : e.message, ...(Array.isArray(e.messages) ? e.messages : [])].map((t) =>
		String(t ?? ''),
	);
	for (const text of texts) {
		const named = text.match(/\bE[A-Z_]{3,}\b/g)?.find((name) => TIMEOUT_CODES.has(name) || CONNECTION_CODES.has(name));
		if (named) return { kind: TIMEOUT_CODES.has(named) ? 'timeout' : 'connection', code: named };
	}
	const all = texts.join(' ');
	if (/timeout/i.test(all)) return { kind: 'timeout', code: 'ETIMEDOUT' };
	if (/socket hang up/i.test(all)) return { kind: 'connection', code: 'ECONNRESET' };
	return { kind: 'other', code: own[0], message: error instanceof Error ? error.message : String(error) };
}

/** A timeout or a dropped connection: the request may be sent again. */
export function isRetryableFailure(failure: NetworkFailure): boolean {
	return failure.kind === 'timeout' || failure.kind === 'connection';
}
