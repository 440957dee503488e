/** Reading what Pardot answered (response.ts): JSON or what came instead, error envelopes, its clock, its warnings. */
import { errorResponse, looksLikePardotError, pardotFailure, parseBody, parseDateHeader, warningsOf } from '../../../../nodes/shared/transport/response';

const answer = (body: unknown) => ({ body, headers: {}, statusCode: 200 });

test.each([
	['JSON text', '{"result":null}', { body: { result: null } }],
	['JSON bytes', Buffer.from('{"values":[]}'), { body: { values: [] } }],
	['an object n8n parsed', { values: [] }, { body: { values: [] } }],
	['an HTML page, named by its title', '<html><title>502 Bad Gateway</title></html>', { unexpected: 'an HTML page ("502 Bad Gateway")' }],
	['text', 'OK', { unexpected: 'a body that is not JSON' }],
	['nothing', '  ', { unexpected: 'an empty body' }],
	['cut-off JSON', '{"result":{"prosp', { unexpected: 'JSON that is cut off or malformed' }],
	['a JSON array', '[1]', { unexpected: 'a JSON value that is not an object' }],
	['no body at all', undefined, { unexpected: 'a body n8n did not pass on (not JSON)' }],
])('%s', (_name, body, expected) => {
	expect(parseBody(answer(body))).toEqual(expected);
});

test('Pardot\'s error envelopes, v3/v4 and v5; a v5 page is none', () => {
	expect(pardotFailure({ '@attributes': { stat: 'fail', err_code: 66 }, err: 'Too many requests' })).toEqual({ code: 66, message: 'Too many requests' });
	expect(pardotFailure({ code: 181, message: 'Business Unit ID required' })).toEqual({ code: 181, message: 'Business Unit ID required' });
	expect(pardotFailure({ code: '5', message: 'Invalid parameter' })).toEqual({ code: 5, message: 'Invalid parameter' });
	expect(pardotFailure({ '@attributes': { stat: 'ok' }, result: null })).toBeUndefined();
	expect(pardotFailure({ code: 1, values: [] })).toBeUndefined();
	expect(looksLikePardotError('{"code": 66}')).toBe(true);
	expect(looksLikePardotError('<html>503</html>')).toBe(false);
});

test('Pardot\'s clock and warnings come from its headers', () => {
	expect(parseDateHeader({ date: 'Fri, 27 Nov 2026 14:03:11 GMT' })).toBe(Date.parse('2026-11-27T14:03:11Z'));
	expect(parseDateHeader({ date: 'soon' })).toBeUndefined();
	expect(parseDateHeader({})).toBeUndefined();
	expect(warningsOf({ 'Pardot-Warning': '203;Record count exceeded' })).toEqual(['203;Record count exceeded']);
	expect(warningsOf({ 'pardot-warning': ['1;a', '2;b'] })).toEqual(['1;a', '2;b']);
	expect(warningsOf({})).toEqual([]);
});

test('a failed request\'s answer, from an axios error or an n8n error', () => {
	expect(errorResponse({ response: { status: 502, data: 'Bad Gateway', headers: { a: '1' } } })).toEqual({ body: 'Bad Gateway', headers: { a: '1' }, statusCode: 502 });
	expect(errorResponse({ cause: { response: { statusCode: 500, body: '{}' } } })).toEqual({ body: '{}', headers: {}, statusCode: 500 });
	expect(errorResponse({ httpCode: '404', context: { data: 'gone' } })).toEqual({ body: 'gone', headers: {}, statusCode: 404 });
	expect(errorResponse(new Error('ECONNRESET'))).toBeUndefined();
});
