import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { PardotConnection, PardotContext } from './connection';
import { redact } from '../../common/redact';
import { describePardotError } from './errors';
import { markMayHaveBeenApplied, markServerFailure, neverConnected, pardotError, unexpectedResponse } from './failures';
import type { LegacySessions } from './legacySession';
import { processSessions } from './legacySession';
import { looksLikePardotError, pardotFailure, parseBody, parseDateHeader, warningsOf } from './response';
import type { ExchangeLimits, Sent } from './send';
import { ENVELOPE_BYTES, RECORD_BYTES, send, sendOAuth2 } from './send';

/**
 * THE one request function: authenticated (legacy api_key or OAuth2 bearer + Business Unit
 * header), retried for error 66, HTTP 5xx and dropped connections, with exactly one re-login when a
 * legacy api_key has expired. Callers get parsed JSON or a NodeApiError that says what happened and
 * what to do, and never contains a secret.
 */

export interface PardotResponse {
	body: IDataObject;
	/** Pardot's clock at the response (HTTP Date header), ms since epoch; undefined if absent. */
	serverTime?: number;
	status: number;
	/** `Pardot-Warning` headers (v5), e.g. "203;Record count for nextPageToken sequence has been exceeded". */
	warnings: string[];
	/** The answer as text, for a request with `answer: 'text'`. */
	text?: string;
}

export interface RequestSpec {
	method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
	path: string;
	query?: Record<string, string | number | boolean | undefined>;
	/** The body: JSON (v5 writes), a form (v3/v4 writes), or text with its content type (a multipart upload). */
	body?: { json: IDataObject } | { form: Record<string, string> } | { text: string; contentType: string };
	/**
	 * false for a write that must not be done twice: a create (Pardot has no idempotency key, and on an account
	 * that allows several prospects per email a second create makes a second prospect). Such a request is sent
	 * again only when Pardot surely did not act on it (error 66, an expired api_key, a connection that was never
	 * made); after a timeout, a dropped connection or an HTTP 5xx it fails at once, marked `mayHaveBeenApplied`.
	 * Default true: reads, updates, deletes and upserts are safe to repeat.
	 */
	idempotent?: boolean;
	/** 'text': the answer is not JSON (the Import API's errors file); it comes back as `text`. */
	answer?: 'json' | 'text';
}

export interface TransportOptions {
	/** Retries of error 66, HTTP 5xx and dropped connections before the request fails. */
	retries?: number;
	/** First backoff delay; doubles each retry, with jitter. */
	retryBaseMs?: number;
	/** The most one request may take, from sending it to the last byte of the answer. */
	timeoutMs?: number;
	/** The clock the api_key cache runs on (tests give the simulator's). */
	now?: () => number;
	/** The api_key cache (default: the process's). */
	sessions?: LegacySessions;
	/*
	 * The rest are read by the trigger's readers (nodes/PardotTrigger/transport), not by a request;
	 * their defaults live there.
	 */
	/**
	 * Records per page of a query, at most Pardot's maximum (200 on v3/v4, 1,000 on v5, the default).
	 * Tests ask for small pages, so that paths Pardot reaches with thousands of records run with a few.
	 */
	pageSize?: number;
	/** How many records a read may leave out before it stops (MAX_DROPPED_PER_READ); tests set less. */
	maxDroppedPerRead?: number;
	/** How many queries one read of a stream may make in one poll (MAX_REQUESTS_PER_READ); tests set less. */
	maxRequestsPerRead?: number;
	/**
	 * How many changes emitted inside the lag window a resource remembers at most (MEMORY_LIMIT, cursor.ts); tests
	 * set less, so that a full memory is met with a few changes.
	 */
	memoryLimit?: number;
	/**
	 * Emit each change as soon as it is visible (default), or only once the lag window has passed it
	 * (false: the trigger's behaviour before, which the benchmark compares with).
	 */
	emitWhenVisible?: boolean;
	/**
	 * A read that will surely want the next page asks for it while the current one is parsed, with at
	 * most two requests of a poll in flight (default); false: one request at a time (the trigger's
	 * behaviour before, which the benchmark compares with).
	 */
	pipelined?: boolean;
}

/** The options a request itself uses. */
type RequestOptions = Required<Omit<TransportOptions, 'pageSize' | 'maxDroppedPerRead' | 'maxRequestsPerRead' | 'memoryLimit' | 'emitWhenVisible' | 'pipelined'>>;

const DEFAULTS: Readonly<RequestOptions> = Object.freeze({
	retries: 3,
	retryBaseMs: 1000,
	timeoutMs: 120_000,
	now: () => Date.now(),
	sessions: processSessions,
});

/** Up to this share of the backoff delay is added at random, so clients that failed together spread out. */
const BACKOFF_JITTER = 0.25;

function buildUrl(conn: PardotConnection, spec: RequestSpec): string {
	const params = new URLSearchParams();
	for (const [name, value] of Object.entries(spec.query ?? {})) {
		if (value !== undefined && value !== '') params.append(name, String(value));
	}
	const qs = params.toString();
	return `${conn.baseUrl}${spec.path}${qs ? `?${qs}` : ''}`;
}

/** Records a query answers at most when it names no limit: a page of the API family. */
const PAGE_RECORDS: Record<PardotConnection['apiVersion'], number> = { '3': 200, '4': 200, '5': 1000 };

/** The largest answer a request may get: RECORD_BYTES per record it asks for, and room for the envelope. */
export function answerBytes(conn: PardotConnection, spec: RequestSpec): number {
	const asked = Number(spec.query?.limit);
	const records = Number.isFinite(asked) && asked > 0 ? Math.min(asked, PAGE_RECORDS[conn.apiVersion]) : PAGE_RECORDS[conn.apiVersion];
	return records * RECORD_BYTES + ENVELOPE_BYTES;
}

export async function pardotRequest(
	ctx: PardotContext,
	conn: PardotConnection,
	spec: RequestSpec,
	options: TransportOptions = {},
): Promise<PardotResponse> {
	const opts: RequestOptions = { ...DEFAULTS, ...options };
	const url = buildUrl(conn, spec);
	const payload = encodeBody(spec.body);
	const idempotent = spec.idempotent !== false;
	const limits: ExchangeLimits = { timeoutMs: opts.timeoutMs, maxBytes: answerBytes(conn, spec) };
	let relogged = false;
	for (let attempt = 0; ; attempt++) {
		let apiKey = '';
		let sent: Sent;
		if (conn.authentication === 'legacy') {
			apiKey = await opts.sessions.apiKey(ctx, conn, opts);
			sent = await send(ctx, conn, limits, {
				method: spec.method ?? 'GET',
				url,
				headers: {
					Accept: 'application/json',
					Authorization: `Pardot api_key=${apiKey}, user_key=${conn.legacy!.userKey}`,
					...payload.headers,
				},
				body: payload.content,
			});
		} else {
			sent = await sendOAuth2(ctx, conn, limits, {
				method: spec.method ?? 'GET',
				url,
				headers: { Accept: 'application/json', 'Pardot-Business-Unit-Id': conn.businessUnitId!, ...payload.headers },
				body: payload.content,
			});
		}
		if ('networkFailure' in sent) {
			if (!idempotent && !neverConnected(sent.networkFailure)) throw markMayHaveBeenApplied(sent.networkFailure);
			if (attempt < opts.retries) {
				await backoff(opts, attempt);
				continue;
			}
			throw sent.networkFailure;
		}
		const { response } = sent;
		const serverFailed = response.statusCode >= 500 && !looksLikePardotError(response.body);
		if (serverFailed && idempotent && attempt < opts.retries) {
			await backoff(opts, attempt);
			continue;
		}
		if (response.statusCode === 204 || (spec.answer === 'text' && response.statusCode < 300)) {
			const text = response.statusCode === 204 ? '' : String(response.body ?? '');
			return { body: {}, status: response.statusCode, serverTime: parseDateHeader(response.headers), warnings: warningsOf(response.headers), text };
		}
		const parsed = parseBody(response);
		if ('unexpected' in parsed) {
			const failure = unexpectedResponse(ctx, conn, response.statusCode, parsed.unexpected);
			throw serverFailed && !idempotent ? markMayHaveBeenApplied(failure) : failure;
		}
		const { body } = parsed;
		const failure = pardotFailure(body);
		if (!failure) {
			if (response.statusCode >= 400) {
				throw unexpectedResponse(ctx, conn, response.statusCode, 'an HTTP error without a Pardot error code');
			}
			const warnings = warningsOf(response.headers);
			for (const warning of warnings) ctx.logger.warn(`Pardot warned: ${redact(warning, conn.secrets)}`);
			return { body, status: response.statusCode, serverTime: parseDateHeader(response.headers), warnings };
		}
		const info = describePardotError(failure.code, failure.message);
		if (info.action === 'relogin' && conn.authentication === 'legacy' && !relogged) {
			opts.sessions.forget(conn, apiKey);
			relogged = true;
			ctx.logger.debug('Pardot api_key expired; logging in again');
			continue;
		}
		// HTTP 5xx with a Pardot error code this package does not know: a server failure like any 5xx (retried
		// when the request may be sent again). A known code names the problem whatever the status.
		const outage = response.statusCode >= 500 && info.generic === true;
		if ((info.action === 'backoff' || (outage && idempotent)) && attempt < opts.retries) {
			await backoff(opts, attempt);
			continue;
		}
		const error = pardotError(ctx, conn, failure.code, failure.message, response.statusCode);
		throw outage ? markServerFailure(error) : error;
	}
}

/** The body as n8n's helpers send it, and its content type. */
function encodeBody(body: RequestSpec['body']): { content?: string; headers: Record<string, string> } {
	if (!body) return { headers: {} };
	if ('json' in body) return { content: JSON.stringify(body.json), headers: { 'Content-Type': 'application/json' } };
	if ('form' in body) return { content: new URLSearchParams(body.form).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
	return { content: body.text, headers: { 'Content-Type': body.contentType } };
}

async function backoff(opts: RequestOptions, attempt: number): Promise<void> {
	const base = opts.retryBaseMs * 2 ** attempt;
	await sleep(base + Math.floor(Math.random() * base * BACKOFF_JITTER));
}
