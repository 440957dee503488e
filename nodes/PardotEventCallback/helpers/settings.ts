import type { INodeCredentialTestResult } from 'n8n-workflow';

import type { PayloadShape } from './events';
import type { RetryPolicy } from './retry';
import { parseCallbackUrl, type CallbackTarget } from './url';

/**
 * Parameter values as n8n hands them over, checked once before anything is sent. Expressions
 * can bypass the editor's min/max, so every number is checked here too. Pure.
 */

export const DEFAULTS = {
	batchSize: 10,
	timeoutMs: 10_000,
	retries: 5,
	retryBaseDelayMs: 1_000,
	retryMaxDelayMs: 30_000,
	maxRetryTimeMs: 120_000,
	concurrency: 4,
	payload: 'envelope' as PayloadShape,
};

export const LIMITS = {
	batchSize: { min: 1, max: 100 },
	retries: { min: 0, max: 10 },
	concurrency: { min: 1, max: 10 },
};

/** Headers the node owns: the format's, and those that frame the body whose bytes are signed. */
export const RESERVED_HEADERS = [
	'content-type',
	'content-length',
	'transfer-encoding',
	'host',
	'elements-webhook-id',
	'elements-webhook-signature',
];

export interface RawOptions {
	instanceName?: string;
	headers?: { header?: Array<{ name?: string; value?: string }> };
	timeout?: number;
	retries?: number;
	retryBaseDelay?: number;
	retryMaxDelay?: number;
	maxRetryTime?: number;
	concurrency?: number;
	payload?: string;
}

export interface Settings {
	target: CallbackTarget;
	batchSize: number;
	instanceName: string;
	headers: Record<string, string>;
	timeoutMs: number;
	retry: RetryPolicy;
	concurrency: number;
	payload: PayloadShape;
}

export type SettingsCheck = { ok: true; settings: Settings } | { ok: false; problem: string };

class Invalid {
	constructor(readonly problem: string) {}
}

function wholeNumber(label: string, value: unknown, fallback: number, min: number, max?: number): number {
	const number = value === undefined || value === null || value === '' ? fallback : Number(value);
	const range = max === undefined ? `${min} or more` : `from ${min} to ${max}`;
	if (!Number.isInteger(number) || number < min || (max !== undefined && number > max)) {
		throw new Invalid(`${label} must be a whole number ${range}, got ${JSON.stringify(value)}.`);
	}
	return number;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function extraHeaders(raw: RawOptions['headers']): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const entry of raw?.header ?? []) {
		const name = (entry.name ?? '').trim();
		if (name === '') throw new Invalid('An extra header has no name. Give it a name or remove it.');
		if (!HEADER_NAME.test(name)) {
			throw new Invalid(`Extra header "${name}" is not a valid header name: use letters, digits and dashes.`);
		}
		if (RESERVED_HEADERS.includes(name.toLowerCase())) {
			throw new Invalid(`Extra header "${name}" is set by the node itself and cannot be overridden. Remove it.`);
		}
		if (Object.keys(headers).some((existing) => existing.toLowerCase() === name.toLowerCase())) {
			throw new Invalid(`Extra header "${name}" is listed twice. Keep one.`);
		}
		const value = String(entry.value ?? '');
		// The value is never echoed: headers are where people put tokens.
		if (/[\r\n\0]/.test(value)) throw new Invalid(`Extra header "${name}" has a line break in its value. Remove it.`);
		headers[name] = value;
	}
	return headers;
}

export function resolveSettings(
	callbackUrl: unknown,
	batchSize: unknown,
	options: RawOptions,
	workflowName: string | undefined,
): SettingsCheck {
	const parsed = parseCallbackUrl(callbackUrl);
	if (!parsed.ok) return { ok: false, problem: parsed.problem };
	try {
		const payload = options.payload ?? DEFAULTS.payload;
		if (payload !== 'envelope' && payload !== 'events') {
			throw new Invalid(`Payload must be "envelope" or "events", got ${JSON.stringify(payload)}.`);
		}
		const instanceName = (options.instanceName ?? '').trim() || (workflowName ?? '').trim() || 'n8n';
		const retryBaseDelayMs = wholeNumber('Retry Base Delay', options.retryBaseDelay, DEFAULTS.retryBaseDelayMs, 0);
		return {
			ok: true,
			settings: {
				target: parsed.target,
				batchSize: wholeNumber('Batch Size', batchSize, DEFAULTS.batchSize, LIMITS.batchSize.min, LIMITS.batchSize.max),
				instanceName,
				headers: extraHeaders(options.headers),
				timeoutMs: wholeNumber('Timeout', options.timeout, DEFAULTS.timeoutMs, 1),
				retry: {
					retries: wholeNumber('Retries', options.retries, DEFAULTS.retries, LIMITS.retries.min, LIMITS.retries.max),
					baseDelayMs: retryBaseDelayMs,
					maxDelayMs: wholeNumber('Retry Max Delay', options.retryMaxDelay, DEFAULTS.retryMaxDelayMs, 0),
					maxRetryTimeMs: wholeNumber('Max Retry Time', options.maxRetryTime, DEFAULTS.maxRetryTimeMs, 0),
				},
				concurrency: wholeNumber(
					'Concurrency',
					options.concurrency,
					DEFAULTS.concurrency,
					LIMITS.concurrency.min,
					LIMITS.concurrency.max,
				),
				payload,
			},
		};
	} catch (error) {
		if (error instanceof Invalid) return { ok: false, problem: error.problem };
		// Nothing above throws anything else; should it ever, say so instead of failing obscurely.
		return { ok: false, problem: `Unexpected problem reading the parameters: ${(error as Error).message}` };
	}
}

/**
 * The signing key credential has nothing remote to call, so its test checks the key itself for
 * the mistakes that make every signature fail at the receiver.
 */
export function checkSigningKey(value: unknown): INodeCredentialTestResult {
	if (typeof value !== 'string' || value === '') {
		return { status: 'Error', message: 'The signing key is empty. Paste the key your receiver verifies signatures with.' };
	}
	if (value.trim() !== value) {
		return {
			status: 'Error',
			message: 'The signing key starts or ends with a space or line break, which would be signed too. Paste it again without them.',
		};
	}
	return {
		status: 'OK',
		message: 'The signing key is set. The receiver checks it on the first notification: a wrong key shows there as a rejected signature.',
	};
}
