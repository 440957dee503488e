/** The parameters as the editor shows them (description.ts): the settings' defaults and bounds, sorted, described. */
import type { INodeProperties } from 'n8n-workflow';

import { PardotEventCallback } from '../../../nodes/PardotEventCallback/PardotEventCallback.node';
import { DEFAULTS, LIMITS } from '../../../nodes/PardotEventCallback/settings';

describe('node description', () => {
	const { description } = new PardotEventCallback();
	const options = description.properties.find((property) => property.name === 'options')?.options as INodeProperties[];
	const defaultOf = (name: string) =>
		[...description.properties, ...options].find((property) => property.name === name)?.default;

	test('the editor\'s defaults are the ones the node applies', () => {
		expect(defaultOf('batchSize')).toBe(DEFAULTS.batchSize);
		expect(defaultOf('timeout')).toBe(DEFAULTS.timeoutMs);
		expect(defaultOf('retries')).toBe(DEFAULTS.retries);
		expect(defaultOf('retryBaseDelay')).toBe(DEFAULTS.retryBaseDelayMs);
		expect(defaultOf('retryMaxDelay')).toBe(DEFAULTS.retryMaxDelayMs);
		expect(defaultOf('maxRetryTime')).toBe(DEFAULTS.maxRetryTimeMs);
		expect(defaultOf('concurrency')).toBe(DEFAULTS.concurrency);
		expect(defaultOf('payload')).toBe(DEFAULTS.payload);
		expect(defaultOf('notificationIdFormat')).toBe(DEFAULTS.notificationIdFormat);
		expect(defaultOf('instanceIdField')).toBe(DEFAULTS.instanceIdField);
		expect(defaultOf('successStatusCodes')).toBe(DEFAULTS.successStatusCodes);
		// The editor's 0 for an id means "not sent".
		for (const id of ['instanceId', 'accountId', 'companyId', 'userId']) expect(defaultOf(id)).toBe(0);
	});

	test('the editor\'s limits are the ones the node checks', () => {
		const limits = (name: string) => options.find((option) => option.name === name)?.typeOptions;
		expect(limits('retryBaseDelay')).toEqual({ minValue: LIMITS.delayMs.min, maxValue: LIMITS.delayMs.max });
		expect(limits('retryMaxDelay')).toEqual({ minValue: LIMITS.delayMs.min, maxValue: LIMITS.delayMs.max });
		expect(limits('maxRetryTime')).toEqual({ minValue: LIMITS.maxRetryTimeMs.min, maxValue: LIMITS.maxRetryTimeMs.max });
		expect(limits('timeout')).toEqual({ minValue: LIMITS.timeoutMs.min, maxValue: LIMITS.timeoutMs.max });
		// Every wait fits in a timer (2^31 - 1 ms), or it would fire at once.
		expect(LIMITS.delayMs.max).toBeLessThan(2 ** 31 - 1);
	});

	test('every parameter and option has a description, options are sorted by name', () => {
		for (const property of [...description.properties, ...options]) {
			if (property.type !== 'collection') expect(property.description).toEqual(expect.any(String));
		}
		const names = options.map((option) => option.displayName);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});

	test('the public contract: names, one input, one output, the credential', () => {
		expect(description.name).toBe('pardotEventCallback');
		expect(description.displayName).toBe('Pardot Event Callback');
		expect(description.inputs).toEqual(['main']);
		expect(description.outputs).toEqual(['main']);
		expect(description.properties.map((property) => property.name)).toEqual(['callbackUrl', 'batchSize', 'options']);
		expect(description.properties[0].required).toBe(true);
	});
});
