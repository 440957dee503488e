import type { IdFormat, InstanceFields, InstanceIdField, PayloadShape } from './notifications';
import type { RetryPolicy } from './retry';
import { parseStatusRanges, type StatusRange } from './status';
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
	notificationIdFormat: 'uuid' as IdFormat,
	instanceIdField: 'instanceId' as InstanceIdField,
	successStatusCodes: '200-299',
};

const HOUR_MS = 3_600_000;

export const LIMITS = {
	batchSize: { min: 1, max: 100 },
	retries: { min: 0, max: 10 },
	concurrency: { min: 1, max: 10 },
	/**
	 * Upper bounds for the waits. Timers cannot wait longer than 2^31 - 1 ms (about 24.8 days):
	 * a longer wait would fire at once and turn a pause into a burst of requests. One day per
	 * wait and a week per notification stay far below that, and well above what one n8n
	 * execution should be asked to hold (see the README's "Delivery that survives hours").
	 */
	timeoutMs: { min: 1, max: HOUR_MS },
	delayMs: { min: 0, max: 24 * HOUR_MS },
	maxRetryTimeMs: { min: 0, max: 7 * 24 * HOUR_MS },
	/** Open Connectors' ids are positive integers; JSON numbers stay exact up to 2^53 - 1. */
	id: { min: 1, max: Number.MAX_SAFE_INTEGER },
};

const PAYLOADS: readonly PayloadShape[] = ['envelope', 'envelopeMixed', 'events'];
const ID_FORMATS: readonly IdFormat[] = ['uuid', 'number'];
const INSTANCE_ID_FIELDS: readonly InstanceIdField[] = ['instanceId', 'instance_id', 'both'];

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
	notificationIdFormat?: string;
	instanceId?: number | string;
	instanceIdField?: string;
	accountId?: number | string;
	companyId?: number | string;
	userId?: number | string;
	instanceTags?: string;
	successStatusCodes?: string;
}

export interface Settings {
	target: CallbackTarget;
	batchSize: number;
	/** What message carries about the instance: instanceName always, the rest when set. */
	instance: InstanceFields;
	headers: Record<string, string>;
	timeoutMs: number;
	retry: RetryPolicy;
	concurrency: number;
	payload: PayloadShape;
	idFormat: IdFormat;
	/** Answers that count as delivered. */
	successStatuses: StatusRange[];
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

/** An optional id: absent, empty or 0 (the editor's default) means "not sent". */
function optionalId(label: string, value: unknown): number | undefined {
	if (value === undefined || value === null || value === '' || value === 0 || value === '0') return undefined;
	const number = Number(value);
	if (!Number.isInteger(number) || number < LIMITS.id.min || number > LIMITS.id.max) {
		throw new Invalid(`${label} must be a whole number 1 or more (as Open Connectors numbered it), or 0 to leave it out, got ${JSON.stringify(value)}.`);
	}
	return number;
}

function choice<T extends string>(label: string, value: unknown, fallback: T, allowed: readonly T[]): T {
	const chosen = value === undefined || value === null || value === '' ? fallback : value;
	if (!allowed.includes(chosen as T)) {
		const list = allowed.map((item) => `"${item}"`).join(', ');
		throw new Invalid(`${label} must be one of ${list}, got ${JSON.stringify(value)}.`);
	}
	return chosen as T;
}

/** "a, b,,c " -> ["a", "b", "c"]; empty -> undefined (not sent). */
function tagList(value: unknown): string[] | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw new Invalid(`Instance Tags must be text, tags separated by commas, got ${JSON.stringify(value)}.`);
	const tags = value
		.split(',')
		.map((tag) => tag.trim())
		.filter((tag) => tag !== '');
	return tags.length === 0 ? undefined : tags;
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
		const payload = choice('Payload', options.payload, DEFAULTS.payload, PAYLOADS);
		const instance: InstanceFields = {
			name: (options.instanceName ?? '').trim() || (workflowName ?? '').trim() || 'n8n',
			id: optionalId('Instance ID', options.instanceId),
			idField: choice('Instance ID Field', options.instanceIdField, DEFAULTS.instanceIdField, INSTANCE_ID_FIELDS),
			accountId: optionalId('Account ID', options.accountId),
			companyId: optionalId('Company ID', options.companyId),
			userId: optionalId('User ID', options.userId),
			tags: tagList(options.instanceTags),
		};
		const successCodes = options.successStatusCodes ?? DEFAULTS.successStatusCodes;
		const successStatuses = parseStatusRanges(successCodes === '' ? DEFAULTS.successStatusCodes : successCodes);
		if (!successStatuses.ok) throw new Invalid(`Success Status Codes ${successStatuses.problem}`);
		const delay = (label: string, value: unknown, fallback: number) =>
			wholeNumber(label, value, fallback, LIMITS.delayMs.min, LIMITS.delayMs.max);
		return {
			ok: true,
			settings: {
				target: parsed.target,
				batchSize: wholeNumber('Batch Size', batchSize, DEFAULTS.batchSize, LIMITS.batchSize.min, LIMITS.batchSize.max),
				instance,
				headers: extraHeaders(options.headers),
				timeoutMs: wholeNumber('Timeout', options.timeout, DEFAULTS.timeoutMs, LIMITS.timeoutMs.min, LIMITS.timeoutMs.max),
				retry: {
					retries: wholeNumber('Retries', options.retries, DEFAULTS.retries, LIMITS.retries.min, LIMITS.retries.max),
					baseDelayMs: delay('Retry Base Delay', options.retryBaseDelay, DEFAULTS.retryBaseDelayMs),
					maxDelayMs: delay('Retry Max Delay', options.retryMaxDelay, DEFAULTS.retryMaxDelayMs),
					maxRetryTimeMs: wholeNumber(
						'Max Retry Time',
						options.maxRetryTime,
						DEFAULTS.maxRetryTimeMs,
						LIMITS.maxRetryTimeMs.min,
						LIMITS.maxRetryTimeMs.max,
					),
				},
				concurrency: wholeNumber(
					'Concurrency',
					options.concurrency,
					DEFAULTS.concurrency,
					LIMITS.concurrency.min,
					LIMITS.concurrency.max,
				),
				payload,
				idFormat: choice('Notification ID Format', options.notificationIdFormat, DEFAULTS.notificationIdFormat, ID_FORMATS),
				successStatuses: successStatuses.ranges,
			},
		};
	} catch (error) {
		if (error instanceof Invalid) return { ok: false, problem: error.problem };
		// Nothing above throws anything else; should it ever, say so instead of failing obscurely.
		return { ok: false, problem: `Unexpected problem reading the parameters: ${(error as Error).message}` };
	}
}
