import type { DeliveryResult } from '../../../nodes/PardotEventCallback/deliver';
import type { Notification } from '../../../nodes/PardotEventCallback/notifications';
import { describeBlocked, describeFailure, outputOf, type ReportContext } from '../../../nodes/PardotEventCallback/report';

const notification: Notification = {
	index: 0,
	id: 'nid-1',
	body: '{}',
	eventIds: ['e1', 'e2'],
	objectTypes: ['contacts', 'leads'],
	itemIndexes: [0, 1],
};
const ctx: ReportContext = {
	displayUrl: 'https://hooks.example.com/pardot',
	timeoutMs: 10_000,
	maxRetryTimeMs: 120_000,
	successStatuses: [{ from: 200, to: 200 }],
	secrets: ['sk_live_secret', 'pa55word'],
};
const failed = (fields: Partial<DeliveryResult>): DeliveryResult => ({
	delivered: false,
	cancelled: false,
	status: null,
	attempts: 1,
	durationMs: 5,
	...fields,
});

describe('describeFailure', () => {
	test.each<[string, Partial<DeliveryResult>, RegExp, RegExp]>([
		[
			'4xx',
			{ status: 422, problem: { kind: 'status', status: 422, body: 'field x missing' }, gaveUp: 'notRetryable' },
			/^The callback URL https:\/\/hooks\.example\.com\/pardot rejected notification nid-1 with HTTP 422 \(1 attempt, not retried/,
			/path and what the receiver expects\. Its answer began: field x missing$/,
		],
		[
			'a 2xx that Success Status Codes does not count',
			{ status: 203, problem: { kind: 'status', status: 203, body: 'unknown instance' }, gaveUp: 'notRetryable' },
			/^The callback URL https:\/\/hooks\.example\.com\/pardot answered HTTP 203 to notification nid-1, which Success Status Codes \(200\) does not count as delivered \(1 attempt, not retried\)$/,
			/for example 203 for an instance name they do not know: check Instance Name.*add it to Success Status Codes\. Its answer began: unknown instance$/,
		],
		[
			'401',
			{ status: 401, problem: { kind: 'status', status: 401, body: '' }, gaveUp: 'notRetryable' },
			/refused notification nid-1 with HTTP 401/,
			/signing key credential.*Its answer was empty\.$/,
		],
		[
			'redirect',
			{ status: 301, problem: { kind: 'status', status: 301, body: '' }, gaveUp: 'notRetryable' },
			/redirected notification nid-1 \(HTTP 301\)/,
			/final address/,
		],
		[
			'5xx retried out',
			{ status: 503, attempts: 6, problem: { kind: 'status', status: 503, body: 'down' }, gaveUp: 'retries' },
			/answered HTTP 503 to notification nid-1 on all 6 attempts$/,
			/allow more Retries.*down$/,
		],
		[
			'timeouts',
			{ attempts: 6, problem: { kind: 'network', failure: { kind: 'timeout', code: 'ECONNABORTED' } }, gaveUp: 'retries' },
			/did not answer notification nid-1 within 10000 ms, on all 6 attempts$/,
			/raise Timeout.*\(error code ECONNABORTED\)$/,
		],
		[
			'DNS',
			{ attempts: 6, problem: { kind: 'network', failure: { kind: 'connection', code: 'ENOTFOUND' } }, gaveUp: 'retries' },
			/^Could not deliver notification nid-1 to the callback URL https:\/\/hooks\.example\.com\/pardot: the host name does not resolve, on all 6 attempts$/,
			/\(error code ENOTFOUND\)$/,
		],
		[
			'time limit',
			{ status: 429, attempts: 3, problem: { kind: 'status', status: 429, body: 'slow down' }, gaveUp: 'timeLimit' },
			/answered HTTP 429 for notification nid-1; gave up after 3 attempts because the next retry would pass Max Retry Time \(120000 ms\)$/,
			/raise Max Retry Time/,
		],
		[
			'other error, scrubbed',
			{ problem: { kind: 'network', failure: { kind: 'other', code: undefined, message: 'bad sk_live_secret here' } }, gaveUp: 'notRetryable' },
			/^Could not send notification nid-1 to the callback URL .*: bad \*\*\* here$/,
			/not a network or HTTP failure/,
		],
		['cancelled', { cancelled: true }, /was not delivered: the execution was cancelled after 1 attempt$/, /Elements-Webhook-Id/],
	])('%s', (_name, fields, message, description) => {
		const failure = describeFailure(notification, failed(fields), ctx);
		expect(failure.message).toMatch(message);
		expect(failure.description).toMatch(description);
	});

	test('network codes stay out of the message (n8n would replace such a message) and in the description', () => {
		const failure = describeFailure(
			notification,
			failed({ attempts: 2, problem: { kind: 'network', failure: { kind: 'connection', code: 'ECONNRESET' } }, gaveUp: 'retries' }),
			ctx,
		);
		expect(failure.message).not.toMatch(/ECONN/);
		expect(failure.description).toContain('ECONNRESET');
	});

	test('the receiver\'s answer is scrubbed', () => {
		const failure = describeFailure(
			notification,
			failed({ status: 400, problem: { kind: 'status', status: 400, body: 'echo: sk_live_secret pa55word' }, gaveUp: 'notRetryable' }),
			ctx,
		);
		expect(failure.description).toContain('echo: *** ***');
	});
});

describe('describeBlocked', () => {
	test('names the notification it waited for and the shared resource', () => {
		const blocker = { ...notification, id: 'nid-0', objectTypes: ['contacts'] };
		const failure = describeBlocked(notification, blocker, ctx);
		expect(failure.message).toBe(
			'Notification nid-1 was not sent to https://hooks.example.com/pardot: notification nid-0, with earlier contacts events, was not delivered',
		);
		expect(failure.description).toMatch(/out of order/);
	});
});

describe('outputOf', () => {
	test('delivered', () => {
		const result: DeliveryResult = { delivered: true, cancelled: false, status: 200, attempts: 2, durationMs: 31 };
		expect(outputOf(notification, { state: 'done', ok: true, result }, undefined, ctx)).toEqual({
			notificationId: 'nid-1',
			url: 'https://hooks.example.com/pardot',
			status: 200,
			attempts: 2,
			eventIds: ['e1', 'e2'],
			durationMs: 31,
		});
	});

	test('failed: the first 1,000 characters of the answer, scrubbed, and the error', () => {
		const body = `pa55word${'y'.repeat(3000)}`;
		const result = failed({ status: 500, attempts: 6, problem: { kind: 'status', status: 500, body }, gaveUp: 'retries' });
		const json = outputOf(notification, { state: 'done', ok: false, result }, { message: 'm', description: 'd' }, ctx);
		expect(json.responseBody).toBe(`***${'y'.repeat(997)}`);
		expect(json.error).toBe('m');
		expect(json.status).toBe(500);
	});

	test('held back: no status, no attempts', () => {
		expect(outputOf(notification, { state: 'blocked', by: 0 }, { message: 'm', description: 'd' }, ctx)).toEqual(
			expect.objectContaining({ status: null, attempts: 0, durationMs: 0, error: 'm' }),
		);
	});
});
