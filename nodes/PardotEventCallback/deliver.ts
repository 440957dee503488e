import { classifyNetworkError, isRetryableFailure, type NetworkFailure } from '../common/network';
import { decideRetry, isRetryableStatus, parseRetryAfter, type RetryPolicy } from './retry';
import { ANY_2XX, isAccepted, type StatusRange } from './status';

/**
 * One notification's attempts: send, classify the answer, wait, send the very same bytes again.
 * The transport and the clock are injected, so this runs the same under n8n and in tests.
 */

export interface OutgoingRequest {
	url: string;
	headers: Record<string, string>;
	body: string;
}

export interface TransportResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: string;
}

/** Resolves with any HTTP answer (whatever its status); rejects only when no answer came. */
export type Transport = (request: OutgoingRequest) => Promise<TransportResponse>;

export interface RetryNotice {
	notificationId: string;
	attempt: number;
	delayMs: number;
	/** What went wrong, for logs: "HTTP 503", "timeout", "connection ECONNRESET". */
	what: string;
}

export interface Runtime {
	now(): number;
	/** Rejects when the execution is cancelled. */
	sleep(ms: number): Promise<void>;
	random(): number;
	onRetry?(notice: RetryNotice): void;
}

/** What the last attempt got. */
export type Problem =
	| { kind: 'status'; status: number; body: string }
	| { kind: 'network'; failure: NetworkFailure };

export interface DeliveryResult {
	delivered: boolean;
	/** The execution was cancelled: no more attempts were made. */
	cancelled: boolean;
	/** HTTP status of the last attempt; null when it got no answer. */
	status: number | null;
	attempts: number;
	durationMs: number;
	/** Set when not delivered. */
	problem?: Problem;
	gaveUp?: 'notRetryable' | 'retries' | 'timeLimit';
}

/** Longer than the 1,000 characters shown, so secrets cut at the edge can still be scrubbed. */
const KEPT_BODY_CHARS = 4_000;

function header(headers: Record<string, unknown>, name: string): unknown {
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	return key === undefined ? undefined : headers[key];
}

function describe(problem: Problem): string {
	if (problem.kind === 'status') return `HTTP ${problem.status}`;
	return `${problem.failure.kind} ${problem.failure.code ?? ''}`.trim();
}

export async function deliver(
	notificationId: string,
	request: OutgoingRequest,
	policy: RetryPolicy,
	transport: Transport,
	runtime: Runtime,
	/** Answers that count as delivered; any other 2xx is final at once, like a 4xx. */
	successStatuses: readonly StatusRange[] = ANY_2XX,
): Promise<DeliveryResult> {
	const startedAt = runtime.now();
	const finish = (fields: Omit<DeliveryResult, 'durationMs'>): DeliveryResult => ({
		...fields,
		durationMs: Math.max(0, Math.round(runtime.now() - startedAt)),
	});

	for (let attempt = 1; ; attempt++) {
		let problem: Problem;
		let retryable: boolean;
		let retryAfterMs: number | undefined;
		try {
			const response = await transport(request);
			if (isAccepted(response.statusCode, successStatuses)) {
				return finish({ delivered: true, cancelled: false, status: response.statusCode, attempts: attempt });
			}
			problem = { kind: 'status', status: response.statusCode, body: response.body.slice(0, KEPT_BODY_CHARS) };
			retryable = isRetryableStatus(response.statusCode);
			retryAfterMs = parseRetryAfter(header(response.headers, 'retry-after'), runtime.now());
		} catch (error) {
			const failure = classifyNetworkError(error);
			if (failure.kind === 'cancelled') {
				return finish({ delivered: false, cancelled: true, status: null, attempts: attempt });
			}
			problem = { kind: 'network', failure };
			retryable = isRetryableFailure(failure);
		}

		const status = problem.kind === 'status' ? problem.status : null;
		if (!retryable) {
			return finish({ delivered: false, cancelled: false, status, attempts: attempt, problem, gaveUp: 'notRetryable' });
		}
		const decision = decideRetry(attempt, runtime.now() - startedAt, policy, retryAfterMs, runtime.random);
		if (!decision.retry) {
			return finish({ delivered: false, cancelled: false, status, attempts: attempt, problem, gaveUp: decision.reason });
		}
		runtime.onRetry?.({ notificationId, attempt, delayMs: decision.delayMs, what: describe(problem) });
		try {
			await runtime.sleep(decision.delayMs);
		} catch {
			// The only reason sleep rejects: the execution was cancelled while waiting.
			return finish({ delivered: false, cancelled: true, status, attempts: attempt, problem });
		}
	}
}
