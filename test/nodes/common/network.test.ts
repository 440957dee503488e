import { NodeApiError } from 'n8n-workflow';

import { classifyNetworkError, isRetryableFailure } from '../../../nodes/common/network';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const NODE = { id: '1', name: 'Pardot Trigger', type: 'n8n-nodes-pardot.pardotTrigger', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };

describe('classifyNetworkError', () => {
	test.each([
		['axios timeout', withCode('ECONNABORTED', 'timeout of 10000ms exceeded'), { kind: 'timeout', code: 'ECONNABORTED' }],
		['clarified timeout', withCode('ETIMEDOUT'), { kind: 'timeout', code: 'ETIMEDOUT' }],
		['dropped connection', withCode('ECONNRESET', 'socket hang up'), { kind: 'connection', code: 'ECONNRESET' }],
		['refused', withCode('ECONNREFUSED'), { kind: 'connection', code: 'ECONNREFUSED' }],
		['DNS', withCode('ENOTFOUND'), { kind: 'connection', code: 'ENOTFOUND' }],
		['DNS again', withCode('EAI_AGAIN'), { kind: 'connection', code: 'EAI_AGAIN' }],
		['code on the cause', Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNRESET' } }), { kind: 'connection', code: 'ECONNRESET' }],
		['axios cancel', withCode('ERR_CANCELED'), { kind: 'cancelled', code: 'ERR_CANCELED' }],
		['abort', Object.assign(new Error('aborted'), { name: 'AbortError' }), { kind: 'cancelled', code: 'AbortError' }],
		['bad header', withCode('ERR_INVALID_CHAR', 'Invalid character in header'), { kind: 'other', code: 'ERR_INVALID_CHAR', message: 'Invalid character in header' }],
		['plain error', new Error('boom'), { kind: 'other', code: undefined, message: 'boom' }],
		['not an error', 'weird', { kind: 'other', code: undefined, message: 'weird' }],
		// n8n's httpRequestWithAuthentication wraps a failure in a NodeApiError: the code survives as
		// httpCode, or only in the text.
		['wrapped, code as httpCode', Object.assign(new Error('Connection reset'), { httpCode: 'ECONNRESET' }), { kind: 'connection', code: 'ECONNRESET' }],
		['wrapped, code in messages', Object.assign(new Error('The service refused'), { messages: ['connect ECONNREFUSED 127.0.0.1:9'] }), { kind: 'connection', code: 'ECONNREFUSED' }],
		['only a timeout text', new Error('Request timeout'), { kind: 'timeout', code: 'ETIMEDOUT' }],
		['only a hang-up text', new Error('socket hang up'), { kind: 'connection', code: 'ECONNRESET' }],
	])('%s', (_name, error, expected) => {
		expect(classifyNetworkError(error)).toEqual(expected);
	});

	test('a real NodeApiError around a refused connection', () => {
		const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
		const failure = classifyNetworkError(new NodeApiError(NODE, cause as never));
		expect(failure).toMatchObject({ kind: 'connection', code: 'ECONNREFUSED' });
		expect(isRetryableFailure(failure)).toBe(true);
	});

	test('only timeouts and dropped connections are worth another try', () => {
		expect(isRetryableFailure({ kind: 'timeout', code: 'ETIMEDOUT' })).toBe(true);
		expect(isRetryableFailure({ kind: 'connection', code: 'ECONNRESET' })).toBe(true);
		expect(isRetryableFailure({ kind: 'cancelled', code: 'ERR_CANCELED' })).toBe(false);
		expect(isRetryableFailure({ kind: 'other', code: undefined, message: 'x' })).toBe(false);
	});
});
