/** The parameters checked before anything is sent (settings.ts): every value, its default, its bounds. */
import { resolveSettings, type RawOptions } from '../../../nodes/PardotEventCallback/settings';

describe('resolveSettings', () => {
	const url = 'https://e.com/h';
	const ok = (batchSize: unknown, options: RawOptions = {}, workflowName?: string) => {
		const checked = resolveSettings(url, batchSize, options, workflowName);
		if (!checked.ok) throw new Error(checked.problem);
		return checked.settings;
	};
	const problem = (batchSize: unknown, options: RawOptions = {}) => {
		const checked = resolveSettings(url, batchSize, options, 'wf');
		return checked.ok ? undefined : checked.problem;
	};

	test('defaults', () => {
		const settings = ok(undefined, {}, 'My workflow');
		expect(settings).toEqual(
			expect.objectContaining({
				batchSize: 10,
				instance: { name: 'My workflow', idField: 'instanceId' },
				headers: {},
				timeoutMs: 10_000,
				concurrency: 4,
				payload: 'envelope',
				idFormat: 'uuid',
				successStatuses: [{ from: 200, to: 299 }],
				retry: { retries: 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryTimeMs: 120_000 },
			}),
		);
	});

	test('instance fields: numbers where Open Connectors sent numbers, 0 and empty leave them out', () => {
		expect(
			ok(10, { instanceId: 123, instanceIdField: 'both', accountId: '45', companyId: 0, userId: '', instanceTags: ' prod, , pardot ' }).instance,
		).toEqual({ name: 'n8n', id: 123, idField: 'both', accountId: 45, tags: ['prod', 'pardot'] });
		expect(ok(10, { instanceTags: ' , ' }).instance.tags).toBeUndefined();
	});

	test('long retry windows: a day per wait, a week per notification', () => {
		const day = 86_400_000;
		expect(ok(10, { retryBaseDelay: day, retryMaxDelay: day, maxRetryTime: 7 * day }).retry).toEqual({
			retries: 5,
			baseDelayMs: day,
			maxDelayMs: day,
			maxRetryTimeMs: 7 * day,
		});
	});

	test('Success Status Codes: empty means any 2xx', () => {
		expect(ok(10, { successStatusCodes: '' }).successStatuses).toEqual([{ from: 200, to: 299 }]);
		expect(ok(10, { successStatusCodes: '200, 204' }).successStatuses).toEqual([
			{ from: 200, to: 200 },
			{ from: 204, to: 204 },
		]);
	});

	test.each([
		['explicit', { instanceName: ' prod ' }, 'wf', 'prod'],
		['workflow name', {}, 'Sync', 'Sync'],
		['no name at all', {}, undefined, 'n8n'],
	])('instance name: %s', (_name, options, workflowName, expected) => {
		expect(ok(10, options, workflowName).instance.name).toBe(expected);
	});

	test.each([
		[0, 'Batch Size must be a whole number from 1 to 100, got 0.'],
		[101, 'Batch Size must be a whole number from 1 to 100, got 101.'],
		[2.5, 'Batch Size must be a whole number from 1 to 100, got 2.5.'],
		['ten', 'Batch Size must be a whole number from 1 to 100, got "ten".'],
	])('batch size %s is refused', (batchSize, expected) => {
		expect(problem(batchSize)).toBe(expected);
	});

	test.each<[string, RawOptions, RegExp]>([
		['retries above 10', { retries: 11 }, /^Retries must be a whole number from 0 to 10/],
		['negative delay', { retryBaseDelay: -1 }, /^Retry Base Delay must be a whole number from 0 to 86400000/],
		['zero timeout', { timeout: 0 }, /^Timeout must be a whole number from 1 to 3600000/],
		['concurrency 0', { concurrency: 0 }, /^Concurrency must be a whole number from 1 to 10/],
		['payload', { payload: 'xml' }, /^Payload must be one of "envelope", "envelopeMixed", "events", got "xml"/],
		['id format', { notificationIdFormat: 'int' }, /^Notification ID Format must be one of "uuid", "number"/],
		['instance id field', { instanceIdField: 'id' }, /^Instance ID Field must be one of "instanceId", "instance_id", "both"/],
		['fractional instance id', { instanceId: 1.5 }, /^Instance ID must be a whole number 1 or more .*or 0 to leave it out, got 1.5/],
		['negative account id', { accountId: -3 }, /^Account ID must be a whole number 1 or more/],
		['unsafe company id', { companyId: 2 ** 53 }, /^Company ID must be a whole number/],
		['text user id', { userId: 'me' }, /^User ID must be a whole number/],
		['tags not text', { instanceTags: 5 as unknown as string }, /^Instance Tags must be text/],
		['success codes outside 2xx', { successStatusCodes: '200,302' }, /^Success Status Codes has "302": only 2xx codes/],
		['wait longer than a timer can', { retryMaxDelay: 2 ** 31 }, /^Retry Max Delay must be a whole number from 0 to 86400000/],
		['base delay beyond a day', { retryBaseDelay: 86_400_001 }, /^Retry Base Delay must be a whole number from 0 to 86400000/],
		['window beyond a week', { maxRetryTime: 604_800_001 }, /^Max Retry Time must be a whole number from 0 to 604800000/],
		['timeout beyond an hour', { timeout: 3_600_001 }, /^Timeout must be a whole number from 1 to 3600000/],
		['reserved header', { headers: { header: [{ name: 'Content-Type', value: 'text/plain' }] } }, /"Content-Type" is set by the node itself/],
		['reserved header, other case', { headers: { header: [{ name: 'ELEMENTS-WEBHOOK-SIGNATURE', value: 'x' }] } }, /set by the node itself/],
		['header without name', { headers: { header: [{ name: ' ', value: 'x' }] } }, /has no name/],
		['invalid header name', { headers: { header: [{ name: 'X Key', value: 'x' }] } }, /not a valid header name/],
		['duplicate header', { headers: { header: [{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }] } }, /listed twice/],
		['line break in value', { headers: { header: [{ name: 'X-A', value: 'tok\r\nen-secret' }] } }, /has a line break in its value/],
	])('%s is refused', (_name, options, expected) => {
		const text = problem(10, options);
		expect(text).toMatch(expected);
		expect(text).not.toContain('en-secret');
	});

	test('the callback URL is checked first', () => {
		expect(resolveSettings('ftp://e.com', 0, {}, 'wf')).toEqual({ ok: false, problem: expect.stringMatching(/not "ftp"/) });
	});
});
